"""Spec: a page in the languages residents read — a translation beside its source gives only text,
the hours, places and contacts stay the source's, and every page it makes links to its versions."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from click.testing import CliRunner
from conftest import DISTRICT, errors_of, tree_digest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.cli import main
from hub.content.errors import ContentErrors
from hub.content.languages import overlay, own_name, rtl, structured
from hub.content.loader import load
from hub.content.model import PlanMeta, ServiceMeta, text_fields

POLISH = """---
title: Przychodnia dla dzieci
summary: Szczepienia i porady dla rodziców.
audience: [Dzieci]
---
Przychodnia zajmuje się zdrowiem dzieci.
"""


def check(tree, *args: str):
    return CliRunner().invoke(main, ["check", "--content", str(tree.root), *args])


def test_a_translation_gives_the_text_and_the_source_everything_else(tree):
    tree.write("districts/nordby/services/helsestasjon.md", """---
    title: Helsestasjon
    service: helsestasjon
    category: helse
    summary: Vaksiner og råd.
    hours: {weekly: {fri: "12:00-14:00"}}
    contact: {phone: "32 04 00 00"}
    languages: [nb, pl]
    interpreter: true
    ---
    Tekst.
    """)
    tree.write("districts/nordby/services/helsestasjon.pl.md", POLISH)
    (source,) = load(tree.root).districts[0].services
    polish = source.translation("pl")
    assert polish is not None and polish.lang == "pl" and polish.path.endswith("helsestasjon.pl.md")
    assert (polish.meta.title, polish.meta.audience) == ("Przychodnia dla dzieci", ("Dzieci",))
    assert "zdrowiem dzieci" in polish.html
    assert polish.meta.hours == source.meta.hours and polish.meta.contact == source.meta.contact
    assert (polish.meta.languages, polish.meta.interpreter, polish.meta.category) == (("nb", "pl"), True, "helse")
    assert source.translation("ar") is None


def test_check_names_an_orphan_a_structured_field_and_an_unknown_language_in_one_run(tree):
    tree.write("districts/nordby/services/helsestasjon.pl.md", POLISH.replace(
        "audience: [Dzieci]\n", "audience: [Dzieci]\nhours:\n  weekly: {mon: \"09:00-10:00\"}\n"))
    tree.write("districts/nordby/services/tannlege.pl.md", POLISH)
    tree.write("districts/nordby/programme/babytreff.xx.md", "---\ntitle: Baby\n---\n")
    result = check(tree)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(re.match(r"content/districts/nordby/services/helsestasjon\.pl\.md:5: hours: feltet hører til "
                        r"originalen \(helsestasjon\.md\)", x) for x in lines), result.output
    assert any(x.startswith("content/districts/nordby/services/tannlege.pl.md:1: oversettelsen har ingen original: "
                            "fant ikke tannlege.md") for x in lines), result.output
    assert any(x.startswith("content/districts/nordby/programme/babytreff.xx.md:1: ukjent språkkode 'xx'")
               for x in lines), result.output
    assert "3 feil i innholdet" in result.output


def test_check_json_carries_the_three_errors_with_file_line_and_field(tree):
    tree.write("districts/nordby/services/helsestasjon.pl.md", POLISH.replace("---\nP", "contact: {phone: '1'}\n---\nP"))
    tree.write("districts/nordby/pages/om.pl.md", POLISH)
    tree.write("districts/nordby/services/helsestasjon.klingon.md", POLISH)
    found = json.loads(check(tree, "--format", "json").output)
    assert {(e["path"].rsplit("/", 1)[-1], e["line"], e["field"], e["level"]) for e in found} == {
        ("helsestasjon.pl.md", 5, "contact", "error"), ("om.pl.md", 1, "", "error"),
        ("om.pl.md", 4, "audience", "error"),  # a page's audience is no text of a page: named too
        ("helsestasjon.klingon.md", 1, "", "error")}


def test_a_translation_in_its_sources_language_and_a_code_in_capitals_are_named(tree):
    tree.write("districts/nordby/services/helsestasjon.nb.md", POLISH)
    tree.write("districts/nordby/programme/babytreff.PL.md", "---\ntitle: Spotkanie\n---\n")
    with pytest.raises(ContentErrors) as exc:
        load(tree.root)
    text = "\n".join(map(str, exc.value.errors))
    assert "helsestasjon.nb.md:1: oversettelsen er på samme språk som originalen (nb)" in text
    assert "babytreff.PL.md:1: ukjent språkkode 'PL' i filnavnet (skriv koden med små bokstaver: pl)" in text


def test_a_misspelt_field_in_a_translation_is_told_the_text_field_it_meant(tree):
    """``sumary`` in a translation is a typo, not a field of the original's: the message says which
    text field was meant (never one the translation may not hold, such as ``hours`` for ``hour``)."""
    tree.write("districts/nordby/services/helsestasjon.pl.md", "---\ntitle: Przychodnia\nsumary: Szczepienia.\n"
               "hour: 9\n---\nTekst.\n")
    tree.write("districts/nordby/district.pl.yaml", "intro: Centrum.\nhub:\n  directons: Autobus 101.\n")
    assert errors_of(tree.root) == [
        "content/districts/nordby/district.pl.yaml:3: hub.directons: ukjent felt (mente du «directions»?)",
        "content/districts/nordby/services/helsestasjon.pl.md:3: sumary: ukjent felt (mente du «summary»?)",
        "content/districts/nordby/services/helsestasjon.pl.md:4: hour: ukjent felt (sjekk stavemåten)"]


def test_district_text_and_front_page_translate_and_the_address_may_not(tree):
    tree.write("districts/nordby/district.pl.yaml", "intro: Centrum w Nordby.\nhub:\n  directions: Autobus 101.\n"
               "  address: Inna ulica 1\n")
    tree.write("districts/nordby/index.en.md", "Welcome.\n")
    with pytest.raises(ContentErrors) as exc:
        load(tree.root)
    assert [str(e) for e in exc.value.errors] == [
        "content/districts/nordby/district.pl.yaml:4: hub.address: feltet hører til originalen (district.yaml) og "
        "står ikke i en oversettelse: en oversettelse har bare tekst (intro, hub.directions) og sin egen updated og "
        "example; tider, steder, kontakter og koder hentes fra originalen",
        "content/districts/nordby/index.en.md:1: oversettelsen har ingen original: fant ikke index.md i samme mappe "
        "(en oversettelse ligger ved siden av filen den oversetter: index.md og index.en.md)"]
    tree.write("districts/nordby/district.pl.yaml", "intro: Centrum w Nordby.\nhub:\n  directions: Autobus 101.\n")
    tree.write("districts/nordby/index.md", "Velkommen.\n")
    d = load(tree.root).districts[0]
    pl, en = d.translation("pl"), d.translation("en")
    assert pl is not None and (pl.config.intro, pl.config.hub.directions) == ("Centrum w Nordby.", "Autobus 101.")
    assert pl.config.hub.address == d.config.hub.address and pl.html == ""
    assert en is not None and en.config == d.config and "Welcome." in en.html


def test_translations_survive_the_caches_json_store_of_a_parsed_district(tree):
    tree.write("districts/nordby/services/helsestasjon.pl.md", POLISH)
    tree.write("districts/nordby/district.pl.yaml", "intro: Centrum w Nordby.\n")
    tree.write("districts/nordby/index.md", "Velkommen.\n")
    tree.write("districts/nordby/index.pl.md", "Witamy.\n")
    (district,) = load(tree.root).districts
    back = stored_again(tree, district)
    assert back == district  # a build that reads the cache makes the same pages in every language
    assert back is not None and back.translation("pl") is not None
    assert back.services[0].translation("pl") is not None
    assert lazy_roundtrip(tree) == load(tree.root).districts


def lazy_roundtrip(tree):
    """The preview stores districts whose bodies are not converted yet; read back, they convert the same."""
    return tuple(stored_again(tree, d) for d in load(tree.root, lazy=True).districts)


def stored_again(tree, district):
    """The district as the build's cache stores it and reads it back (its folder's files as they are)."""
    from hub.content import stored

    folder = tree.root.parent / district.path
    return stored.load(stored.dump(district), district.path,
                       [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()])


def test_a_plans_steps_and_documents_translate_item_by_item_and_no_more_items_than_the_source(tree):
    plan = """---
    title: Detaljregulering for Torget
    summary: Nye boliger.
    plan_id: 3301-2026001
    type: 35
    status: 2
    steps:
      - {step: oppstart, date: 2026-04-20, note: Varslet i avisen.}
      - {step: horing, from: 2026-11-04, to: 2026-12-16}
    ---
    """
    tree.write("districts/nordby/planer/torget.md", plan)
    tree.write("districts/nordby/planer/torget.en.md", "---\ntitle: Zoning plan for the square\nsteps:\n"
               "  - note: Announced in the paper.\n---\nNew homes.\n")
    (p,) = load(tree.root).districts[0].plans
    en = p.translation("en")
    assert en is not None and en.meta.steps[0].note == "Announced in the paper."
    assert en.meta.steps[1] == p.meta.steps[1] and en.meta.steps[0].date == p.meta.steps[0].date
    assert en.district == "nordby" and en.meta.plan_id == p.meta.plan_id
    tree.write("districts/nordby/planer/torget.en.md", "---\nsteps:\n  - note: a\n  - note: b\n  - note: c\n"
               "documents:\n  - title: Map\n---\n")
    with pytest.raises(ContentErrors) as exc:
        load(tree.root)
    assert sorted(str(e) for e in exc.value.errors) == [
        "content/districts/nordby/planer/torget.en.md:5: steps[2]: oversettelsen har 3 punkter under 'steps', "
        "originalen 2; punktene oversettes i samme rekkefølge som i originalen",
        "content/districts/nordby/planer/torget.en.md:6: documents: originalen har ikke 'documents'; en "
        "oversettelse kan bare oversette tekst som står i originalen"]


# --- older than its source: a warning, never an error ------------------------------------------------

def test_a_translation_older_than_its_source_is_a_warning_by_its_updated_field(tree):
    tree.write("districts/nordby/services/helsestasjon.md", tree.root.joinpath(
        "districts/nordby/services/helsestasjon.md").read_text("utf-8").replace("---\nHelse", "updated: 2026-11-20\n---\nHelse"))
    tree.write("districts/nordby/services/helsestasjon.pl.md", POLISH.replace("audience", "updated: 2026-10-01\naudience"))
    result = check(tree, "--format", "json")
    assert result.exit_code == 0
    (stale,) = [w for w in json.loads(result.output) if "eldre enn originalen" in w["message"]]
    assert (stale["path"], stale["line"], stale["field"], stale["level"]) == (
        "content/districts/nordby/services/helsestasjon.pl.md", 4, "updated", "warning")
    assert "2026-11-20" in stale["message"] and "2026-10-01" in stale["message"]


def test_in_git_the_commits_decide_which_is_older(tree):
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(tree.root.parent), *args], check=True, capture_output=True,
                       env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.no", "GIT_COMMITTER_NAME": "t",
                            "GIT_COMMITTER_EMAIL": "t@example.no", "PATH": "/usr/bin:/bin",
                            "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_DATE": when})

    tree.write("districts/nordby/services/helsestasjon.pl.md", POLISH)
    when = "2026-10-01T12:00:00+02:00"
    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "første")
    assert "eldre enn originalen" not in check(tree).output
    source = tree.root / "districts/nordby/services/helsestasjon.md"
    source.write_text(source.read_text("utf-8").replace("Vaksiner", "Vaksiner, veiing"), "utf-8")
    when = "2026-11-20T12:00:00+01:00"
    git("commit", "-qam", "endret originalen")
    result = check(tree)
    assert result.exit_code == 0
    assert ("content/districts/nordby/services/helsestasjon.pl.md:1: oversettelsen er eldre enn originalen: "
            "helsestasjon.md ble endret 2026-11-20, oversettelsen sist 2026-10-01") in result.output
    translation = tree.root / "districts/nordby/services/helsestasjon.pl.md"
    translation.write_text(translation.read_text("utf-8") + "\nNowe zdanie.\n", "utf-8")
    when = "2026-12-04T09:00:00+01:00"
    git("commit", "-qam", "oppdatert oversettelse")
    source.write_text(source.read_text("utf-8") + "\nEn ny setning.\n", "utf-8")
    when = "2026-12-04T13:05:00+00:00"  # the same day: the times tell which is older, in Oslo's time
    git("commit", "-qam", "endret originalen igjen")
    assert ("helsestasjon.md ble endret 2026-12-04 kl. 14.05, oversettelsen sist 2026-12-04 kl. 09.00"
            in check(tree).output)
    translation.write_text(translation.read_text("utf-8") + "\nJeszcze jedno.\n", "utf-8")
    when = "2026-12-04T14:06:10+01:00"
    git("commit", "-qam", "oversettelsen igjen")
    source.write_text(source.read_text("utf-8") + "\nEnda en.\n", "utf-8")
    when = "2026-12-04T14:06:40+01:00"  # the same minute: the seconds too
    git("commit", "-qam", "originalen igjen")
    assert ("helsestasjon.md ble endret 2026-12-04 kl. 14.06.40, oversettelsen sist 2026-12-04 kl. 14.06.10"
            in check(tree).output)


# --- the pages -------------------------------------------------------------------------------------------

@pytest.fixture
def translated(tree, tmp_path):
    from hub.pipeline.steps import build

    tree.write("districts/nordby/services/helsestasjon.pl.md", POLISH)
    tree.write("districts/nordby/services/helsestasjon.ar.md", "---\ntitle: مركز صحة الطفل\nsummary: تطعيمات.\n---\nنص.\n")
    tree.write("districts/nordby/pages/om.md", "---\ntitle: Om oss\n---\nTekst.\n")
    build(tree.root, tmp_path / "out", search=False)
    return tmp_path / "out"


def test_a_translated_page_lives_under_its_language_and_nothing_is_made_without_a_translation(translated):
    pl = (translated / "pl/nordby/tjenester/helsestasjon/index.html").read_text("utf-8")
    assert '<html lang="pl">' in pl and "Przychodnia dla dzieci" in pl
    assert "Godziny otwarcia" in pl  # the chrome in Polish: a catalog ships for it
    assert re.search(r"<td>09\.00–16\.00</td>|<td>09:00–16:00</td>", pl)  # the source's hours
    assert not (translated / "pl/nordby/om").exists() and not (translated / "pl/nordby/program").exists()
    assert not (translated / "so").exists()
    ar = (translated / "ar/nordby/tjenester/helsestasjon/index.html").read_text("utf-8")
    assert '<html lang="ar" dir="rtl">' in ar and '<bdi dir="ltr">09:00–16:00</bdi>' in ar


def test_every_version_links_to_every_other_with_hreflang_and_the_sitemap_says_so_too(translated):
    base = "https://test.example.no"
    wanted = {f'<link rel="alternate" hreflang="{code}" href="{base}{path}">' for code, path in (
        ("nb", "/nordby/tjenester/helsestasjon/"), ("pl", "/pl/nordby/tjenester/helsestasjon/"),
        ("ar", "/ar/nordby/tjenester/helsestasjon/"))}
    for page in ("nordby", "pl/nordby", "ar/nordby"):
        html = (translated / page / "tjenester/helsestasjon/index.html").read_text("utf-8")
        assert wanted <= set(re.findall(r'<link rel="alternate" hreflang[^>]*>', html)), page
        nav = re.search(r'<nav class="wrap languages".*?</nav>', html, re.S).group(0)
        assert 'lang="pl" hreflang="pl"' in nav and ">Polski<" in nav and ">العربية<" in nav
        assert ">Norsk bokmål<" in nav and nav.count('aria-current="page"') == 1
    untranslated = (translated / "nordby/om/index.html").read_text("utf-8")
    assert 'hreflang="pl"' not in untranslated.split("<footer")[0]  # no switcher, no alternates
    sitemap = (translated / "sitemap.xml").read_text("utf-8")
    entry = re.search(r"<url><loc>https://test.example.no/pl/nordby/tjenester/helsestasjon/</loc>.*?</url>",
                      sitemap).group(0)
    assert f'<xhtml:link rel="alternate" hreflang="nb" href="{base}/nordby/tjenester/helsestasjon/"/>' in entry


def test_each_language_has_a_page_listing_what_exists_in_it(translated):
    html = (translated / "pl/index.html").read_text("utf-8")
    assert '<html lang="pl">' in html
    assert 'lang="nb">Informasjon på polsk</span>' in html and "Informacje po polsku" in html
    assert 'href="nordby/tjenester/helsestasjon/index.html"' in html
    footer = (translated / "index.html").read_text("utf-8").split("<footer")[1]
    assert re.search(r'<a href="pl/index.html" lang="pl" hreflang="pl">Polski</a>', footer)
    assert re.search(r'<a href="ar/index.html" lang="ar" hreflang="ar" dir="rtl">العربية</a>', footer)


def test_without_a_catalog_the_chrome_stays_norwegian_and_says_so_part_by_part(tree, tmp_path):
    from hub.pipeline.steps import build

    tree.write("districts/nordby/services/helsestasjon.so.md", "---\ntitle: Xarunta caafimaadka\n"
               "summary: Tallaal iyo talo.\n---\nQoraal.\n")
    build(tree.root, tmp_path / "out", search=False)
    html = (tmp_path / "out/so/nordby/tjenester/helsestasjon/index.html").read_text("utf-8")
    assert '<html lang="so">' in html
    assert '<header class="top" lang="nb">' in html and '<footer class="foot" lang="nb">' in html
    assert re.search(r'<main id="main" class="wrap" tabindex="-1" lang="nb"', html)
    assert '<h1 lang="so">Xarunta caafimaadka</h1>' in html and "Åpningstider" in html


def test_a_page_is_the_same_whatever_pages_of_other_languages_were_made_before_it(tree, tmp_path):
    """Work one page does for the next (an hours table made once a build for every page that shows
    the same hours) never carries one language's words, direction or marks into another's page."""
    from hub.pipeline.steps import build, freeze, urls_of

    tree.write("districts/nordby/district.yaml", DISTRICT + "    note: Stengt i fellesferien.\n")  # a note: marked nb elsewhere
    tree.write("districts/nordby/services/helsestasjon.pl.md", POLISH)
    tree.write("districts/nordby/services/helsestasjon.ar.md", "---\ntitle: مركز صحة الطفل\nsummary: تطعيمات.\n---\nنص.\n")
    tree.write("districts/nordby/services/helsestasjon.so.md", "---\ntitle: Xarunta\nsummary: Tallaal.\n---\nQoraal.\n")
    tree.write("districts/nordby/services/jordmor.md", "---\ntitle: Jordmor\ncategory: helse\nsummary: Svangerskap.\n"
               "hours:\n  weekly:\n    wed: \"08:00-12:00\"\n  note: Ring først.\n---\nTekst.\n")
    tree.write("districts/nordby/services/jordmor.so.md", "---\ntitle: Umulisada\nsummary: Uur.\n---\nQoraal.\n")
    build(tree.root, tmp_path / "all", search=False)
    portal = load(tree.root)
    pages = [(ep, v) for ep, v in urls_of(portal, []) if ep in ("district.service", "lang.service", "district.home")]
    assert len(pages) == 7
    for ep, values in reversed(pages):  # each alone, in an app of its own, in the other order
        alone = tmp_path / f"alone-{ep}-{'-'.join(map(str, values.values()))}"
        freeze(portal, alone, urls=[(ep, values)])
        (made,) = [p for p in alone.rglob("index.html")]
        assert made.read_bytes() == (tmp_path / "all" / made.relative_to(alone)).read_bytes(), made


# --- the rules, for any input ---------------------------------------------------------------------------

texts = st.text(min_size=1, max_size=12)
values = st.recursive(st.one_of(texts, st.integers(), st.booleans(), st.none()),
                      lambda inner: st.one_of(st.lists(inner, max_size=3),
                                              st.dictionaries(st.sampled_from(["title", "note", "hours", "step",
                                                                                "date", "steps", "x"]), inner,
                                                              max_size=3)), max_leaves=8)
translations = st.dictionaries(st.sampled_from(["title", "summary", "steps", "documents", "respond", "plan_id",
                                                "hours", "updated", "example", "area", "lang"]), values, max_size=6)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(translations)
def test_whatever_a_translation_holds_only_its_text_reaches_the_page(data):
    """Someone else writes the file: whatever it holds, the fields it may not have are named, and what is
    laid over the source changes nothing but text."""
    source = {"title": "T", "summary": "S", "plan_id": "3301-1", "type": 35, "status": 2,
              "steps": [{"step": "oppstart", "date": "2026-01-01", "note": "n"}, {"step": "vedtak"}],
              "documents": [{"title": "Kart", "kind": "plankart", "file": "k.pdf"}],
              "respond": {"email": "a@b.no", "text": "t"}, "area": {"type": "Polygon"}}
    wrong = structured(data, text_fields(PlanMeta))
    if wrong:
        return
    merged, _ = overlay(source, data)
    allowed = set(text_fields(PlanMeta))
    for key in ("plan_id", "type", "status", "area"):
        assert merged[key] == source[key]
    for i, step in enumerate(source["steps"]):
        if isinstance(merged["steps"], list) and i < len(merged["steps"]):
            assert {k: v for k, v in merged["steps"][i].items() if k != "note"} == {
                k: v for k, v in step.items() if k != "note"}
    assert "lang" not in merged and {"title", "summary"} <= allowed


def test_service_text_fields_and_language_names_come_from_the_models_and_cldr():
    assert text_fields(ServiceMeta) == ("title", "summary", "audience", "keywords")
    assert (own_name("pl"), own_name("ar"), own_name("nb")) == ("Polski", "العربية", "Norsk bokmål")
    assert rtl("ar") and rtl("fa") and rtl("ckb") and not rtl("pl") and not rtl("so")


def test_a_languages_search_is_indexed_again_only_when_its_pages_change(tree, tmp_path, monkeypatch, inode):
    """An edit to a district's Norwegian text leaves the Polish pages as they were: the Polish search
    bundle is kept as published (the same files), the district's is made again; an edit to the
    translation, another Pagefind or ``--full`` makes the Polish one again. The output equals a full build."""
    from hub.pipeline import search
    from hub.pipeline.steps import build

    tree.write("districts/nordby/services/helsestasjon.pl.md", POLISH)
    out = tmp_path / "out"
    build(tree.root, out)

    def entry(folder: str) -> int:
        return inode(out / folder / "pagefind/pagefind-entry.json")

    def equals_a_full_build(name: str) -> bool:
        build(tree.root, tmp_path / name, reuse=False)
        return tree_digest(out) == tree_digest(tmp_path / name)

    pl, nordby = entry("pl"), entry("nordby")
    source = tree.root / "districts/nordby/services/helsestasjon.md"
    tree.write("districts/nordby/services/helsestasjon.md", source.read_text("utf-8") + "Nye vaksiner.\n")
    assert build(tree.root, out).rebuilt == frozenset({"nordby"})
    assert entry("pl") == pl and entry("nordby") != nordby
    assert equals_a_full_build("full-1")

    secret = tmp_path / "secret"  # a link planted in the published bundle brings nothing along
    secret.write_text("nøkkel", "utf-8")
    (out / "pl/pagefind/leak").symlink_to(secret)
    tree.write("districts/nordby/services/helsestasjon.md", source.read_text("utf-8") + "Mer.\n")
    build(tree.root, out)
    assert entry("pl") != pl and not (out / "pl/pagefind/leak").exists()
    assert secret.stat().st_ino not in {f.stat().st_ino for f in out.rglob("*") if f.is_file()}
    assert equals_a_full_build("full-2")

    pl = entry("pl")
    build(tree.root, out, reuse=False)  # --full: every bundle made again
    assert entry("pl") != pl
    pl = entry("pl")

    tree.write("districts/nordby/services/helsestasjon.pl.md", POLISH.replace("Szczepienia", "Nowe szczepienia"))
    build(tree.root, out)
    assert entry("pl") != pl and equals_a_full_build("full-3")

    pl = entry("pl")
    monkeypatch.setattr(search, "pagefind_version", lambda: "0.0.1")  # the bundle's was made by another one
    tree.write("districts/nordby/services/helsestasjon.md", source.read_text("utf-8") + "Enda nyere.\n")
    build(tree.root, out)
    assert entry("pl") != pl


def test_the_incremental_build_equals_a_full_one_when_a_translation_changes(tree, tmp_path, monkeypatch):
    from hub.pipeline.steps import build

    tree.write("districts/nordby/services/helsestasjon.pl.md", POLISH)
    tree.write("districts/sorby/district.yaml", tree.root.joinpath("districts/nordby/district.yaml").read_text(
        "utf-8").replace("Nordby", "Sørby"))
    tree.write("districts/sorby/services/helsestasjon.md", tree.root.joinpath(
        "districts/nordby/services/helsestasjon.md").read_text("utf-8"))
    tree.write("districts/sorby/services/helsestasjon.pl.md", POLISH.replace("dzieci", "dzieci w Sørby"))
    out = tmp_path / "out"
    build(tree.root, out)
    tree.write("districts/nordby/services/helsestasjon.pl.md", POLISH.replace("Szczepienia", "Nowe szczepienia"))
    result = build(tree.root, out)
    assert result.rebuilt == frozenset({"nordby"})
    build(tree.root, tmp_path / "full", reuse=False)
    assert tree_digest(out) == tree_digest(tmp_path / "full")
    assert "Nowe szczepienia" in (out / "pl/nordby/tjenester/helsestasjon/index.html").read_text("utf-8")
    assert (out / "pl/sorby/tjenester/helsestasjon/index.html").is_file()
