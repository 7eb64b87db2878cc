"""Spec: every content error is reported as path:line: field: message, all in one run."""

from __future__ import annotations

import re
import time

import conftest
import pytest
from conftest import DISTRICT, EVENT, SERVICE, SITE
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hub.content.loader import load


def errors_of(tree) -> list[str]:
    return conftest.errors_of(tree.root)


def test_valid_tree_loads(tree):
    portal = load(tree.root)
    (d,) = portal.districts
    assert d.slug == "nordby"
    assert d.services[0].meta.title == "Helsestasjon"
    assert "<strong>vaksine</strong>" in d.services[0].html


def test_invalid_yaml_names_file_and_line(tree):
    tree.write("districts/nordby/district.yaml", "name: Nordby\nintro: [unclosed\nhub: {}\n")
    (err,) = errors_of(tree)
    assert err.startswith("content/districts/nordby/district.yaml:2: ugyldig YAML: listen lukkes ikke")  # where it opens


def test_unknown_field_is_reported_with_its_line(tree):
    tree.write("districts/nordby/services/helsestasjon.md",
               "---\ntitle: Helsestasjon\ncategory: helse\nsummary: x\ntitel: skrivefeil\n---\n")
    assert errors_of(tree) == [
        "content/districts/nordby/services/helsestasjon.md:5: titel: ukjent felt (sjekk stavemåten)"]


def test_a_misspelt_field_is_told_the_field_it_meant(tree):
    """A coordinator who writes ``sumary`` or ``kategori`` learns the right name, also inside a group."""
    tree.write("districts/nordby/services/helsestasjon.md", "---\ntitle: Helsestasjon\nkategori: helse\nsumary: x\n---\n")
    tree.write("districts/nordby/district.yaml", DISTRICT.replace("  address:", "  adresse:"))
    assert errors_of(tree) == [
        "content/districts/nordby/district.yaml:4: hub.address: mangler (feltet er påkrevd)",
        "content/districts/nordby/district.yaml:6: hub.adresse: ukjent felt (mente du «address»?)",
        "content/districts/nordby/services/helsestasjon.md:2: category: mangler (feltet er påkrevd)",
        "content/districts/nordby/services/helsestasjon.md:2: summary: mangler (feltet er påkrevd)",
        "content/districts/nordby/services/helsestasjon.md:3: kategori: ukjent felt (mente du «category»?)",
        "content/districts/nordby/services/helsestasjon.md:4: sumary: ukjent felt (mente du «summary»?)"]


def _service_fields() -> list[str]:
    from hub.content.model import ServiceMeta

    return sorted(info.alias or name for name, info in ServiceMeta.model_fields.items())


@st.composite
def _typo(draw: st.DrawFn) -> str:
    """A field name with one letter dropped, doubled or changed, as a coordinator's fingers make them."""
    word = draw(st.sampled_from(_service_fields()))
    i = draw(st.integers(0, len(word) - 1))
    edit = draw(st.sampled_from(["drop", "double", "change"]))
    if edit == "drop":
        return word[:i] + word[i + 1:] or "x"
    if edit == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + draw(st.sampled_from("aeiouyæøå")) + word[i + 1:]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.one_of(_typo(), st.from_regex(r"[a-zæøå][a-zæøå_]{0,14}", fullmatch=True)))
def test_an_unknown_field_is_only_ever_told_a_real_field_the_file_has_not_used(tree, key):
    """Whatever a file calls a field: one message for it, and a suggestion (if any) that is a field of
    its kind of file and not one the file has already."""
    fields = set(_service_fields())
    assume(key not in fields | {"null", "true", "false"})  # YAML reads those as null and true or false, not as names
    tree.write("districts/nordby/services/helsestasjon.md", SERVICE.replace("summary:", f"{key}: x\nsummary:"))
    (err,) = errors_of(tree)
    prefix = f"content/districts/nordby/services/helsestasjon.md:5: {key}: ukjent felt ("
    assert err.startswith(prefix)
    hint = err.removeprefix(prefix)
    if hint != "sjekk stavemåten)":
        meant = re.fullmatch(r"mente du «([a-z_]+)»\?\)", hint)
        assert meant and meant[1] in fields - {"title", "service", "category", "summary"}


def test_missing_field_names_the_field(tree):
    tree.write("districts/nordby/services/helsestasjon.md", "---\ntitle: Helsestasjon\ncategory: helse\n---\n")
    assert errors_of(tree) == ["content/districts/nordby/services/helsestasjon.md:2: summary: mangler (feltet er påkrevd)"]


def test_wrong_type(tree):
    tree.write("districts/nordby/services/helsestasjon.md",
               "---\ntitle: Helsestasjon\ncategory: helse\nsummary: x\nkeywords: {a: 1}\n---\n")
    assert errors_of(tree) == ["content/districts/nordby/services/helsestasjon.md:5: keywords: må være en liste"]


def test_ambiguous_unreadable_and_overlapping_time_ranges(tree):
    tree.write("districts/nordby/district.yaml", """
name: Nordby
official_name: Nordby
intro: x
hub:
  name: Hub
  address: Gata 1
  hours:
    weekly:
      mon: "9-5"
      tue: "1030-1600"
      fri: "09:00-12:00, 11:00-15:00"
      sat: "19.00-01.00, 20-22"
""")
    errs = errors_of(tree)
    assert errs[0] == ("content/districts/nordby/district.yaml:9: hub.hours.weekly.mon: tidsrommet 9-5 er uklart: "
                       "skriv klokkeslett med 24 timer (f.eks. 09:00-17:00); et tidsrom over midnatt må starte "
                       "etter kl. 15 og slutte før kl. 9 (f.eks. 19.00-01.00)")
    assert errs[1] == ("content/districts/nordby/district.yaml:10: hub.hours.weekly.tue: tidsrommet '1030-1600' kan "
                       "ikke leses; skriv for eksempel 09:00-16:00, 9-16, 09.00–16.00, kl. 9–16, «9-12 og 13-16» "
                       "eller «stengt»")
    assert errs[2].startswith("content/districts/nordby/district.yaml:11: hub.hours.weekly.fri: tidsrommene")
    assert "overlapper" in errs[2]
    assert errs[3] == ("content/districts/nordby/district.yaml:12: hub.hours.weekly.sat: tidsrommet 19:00–01:00 går "
                       "over midnatt og må være dagens siste")
    assert len(errs) == 4


def test_unknown_category_and_service_reference(tree):
    tree.write("districts/nordby/services/helsestasjon.md",
               "---\ntitle: Helsestasjon\ncategory: helsa\nsummary: x\n---\n")
    tree.write("districts/nordby/programme/babytreff.md",
               '---\ntitle: T\ndate: 2026-12-01\nstart: "12:00"\nend: "13:00"\nservice: tannlege\n---\n')
    assert errors_of(tree) == [
        "content/districts/nordby/programme/babytreff.md:6: service: ukjent tjeneste 'tannlege'; "
        "bruk 'service'-nøkkelen til en tjeneste",
        "content/districts/nordby/services/helsestasjon.md:3: category: ukjent kategori 'helsa'; kjente: helse, kultur",
    ]


def test_an_unknown_category_is_named_in_the_same_run_as_the_files_other_errors(tree):
    """A wrong category is not left for the run after the file's (or its district's) other mistakes."""
    tree.write("districts/nordby/services/helsestasjon.md",
               "---\ntitle: Helsestasjon\ncategory: helsa\nsummary: x\naudience: Barn\n---\n")
    tree.write("districts/sorby/district.yaml", "name: Sørby\n")
    tree.write("districts/sorby/services/bibliotek.md", "---\ntitle: Bibliotek\ncategory: kulture\nsummary: x\n---\n")
    errs = errors_of(tree)
    assert "content/districts/nordby/services/helsestasjon.md:5: audience: må være en liste" in errs
    assert "content/districts/sorby/district.yaml:1: hub: mangler (feltet er påkrevd)" in errs
    assert [e for e in errs if "category" in e] == [
        "content/districts/nordby/services/helsestasjon.md:3: category: ukjent kategori 'helsa'; kjente: helse, kultur",
        "content/districts/sorby/services/bibliotek.md:3: category: ukjent kategori 'kulture'; kjente: helse, kultur",
    ]


def test_duplicate_slugs(tree):
    tree.write("districts/nordby/services/helse.md",
               "---\ntitle: Helsestasjon 2\nservice: helsestasjon\ncategory: helse\nsummary: x\n---\n")
    tree.write("districts/nordby/pages/program.md", "---\ntitle: Program\n---\nTekst\n")
    assert errors_of(tree) == [
        "content/districts/nordby/pages/program.md:2: title: sidenavnet 'program' er reservert; gi filen et annet navn",
        "content/districts/nordby/services/helsestasjon.md:3: service: tjenesten 'helsestasjon' finnes allerede i denne "
        "kommunedelen (content/districts/nordby/services/helse.md)",
    ]


def test_non_utf8_empty_and_unclosed_front_matter_all_in_one_run(tree):
    tree.write("districts/nordby/pages/latin1.md", "---\ntitle: Åpent\n---\n".encode("latin-1"))
    tree.write("districts/nordby/pages/tom.md", "   \n")
    tree.write("districts/nordby/pages/apen.md", "---\ntitle: Uten slutt\n\nTekst\n")
    assert errors_of(tree) == [
        "content/districts/nordby/pages/apen.md:1: front matter er ikke lukket: legg til en linje med '---' etter feltene",
        "content/districts/nordby/pages/latin1.md:2: filen er ikke UTF-8 (byte 0xc5); lagre den som UTF-8",
        "content/districts/nordby/pages/tom.md:1: filen er tom",
    ]


def test_norway_problem_and_clock_values_stay_strings(tree):
    tree.write("districts/nordby/pages/no.md", "---\ntitle: no\nsummary: 12:00\n---\n")
    page = load(tree.root).districts[0].pages[0]
    assert (page.meta.title, page.meta.summary) == ("no", "12:00")


def test_windows_file_with_bom_and_crlf_works(tree):
    text = "---\r\ntitle: Frivillighet\r\nsummary: Bli med\r\n---\r\nTekst her.\r\n"
    tree.write("districts/nordby/pages/frivillighet.md", b"\xef\xbb\xbf" + text.encode())
    page = load(tree.root).districts[0].pages[0]
    assert page.meta.title == "Frivillighet" and page.html == "<p>Tekst her.</p>"


def test_tabs_in_indentation(tree):
    tree.write("districts/nordby/district.yaml", "name: Nordby\nhub:\n\tname: x\n")
    assert errors_of(tree) == ["content/districts/nordby/district.yaml:3: tabulator brukt som innrykk; bruk mellomrom"]


def test_alias_bomb_fails_fast(tree):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20))
    tree.write("districts/nordby/district.yaml", bomb)
    started = time.perf_counter()
    errs = errors_of(tree)
    assert time.perf_counter() - started < 5
    assert "YAML-ankere og -aliaser" in errs[0]


def test_symlink_and_bad_folder_names(tree, tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text("---\ntitle: Hemmelig\n---\n")
    (tree.root / "districts/nordby/pages").mkdir(parents=True, exist_ok=True)
    (tree.root / "districts/nordby/pages/lenke.md").symlink_to(outside)
    (tree.root / "districts/Store Bokstaver").mkdir()
    (tree.root / "districts/Østbyen").mkdir()  # the name as new would write it is offered
    (tree.root / "districts/nordby/pages/Åpent hus.md").write_text("---\ntitle: Åpent hus\n---\n", "utf-8")
    (tree.root / "districts/nordby/pages/Åpent hus.en.md").write_text("---\ntitle: Open house\n---\n", "utf-8")
    (tree.root / "districts/***").mkdir()  # no name to offer: an example instead
    (tree.root / "districts/Media").mkdir()  # nor a name the portal keeps for itself
    (tree.root / "districts/Nordby").mkdir()  # nor one another folder has
    for taken in ("apne-data", "media", "sok"):  # where the one door in's open data, pictures, search are
        (tree.root / f"districts/{taken}").mkdir()
    assert errors_of(tree) == [
        "content/districts/***: mappenavnet '***' er ikke en gyldig kortadresse: bruk små bokstaver a–z, tall og "
        "bindestrek (f.eks. bragernes)",
        "content/districts/Media: mappenavnet 'Media' er ikke en gyldig kortadresse: bruk små bokstaver a–z, tall og "
        "bindestrek (f.eks. bragernes)",
        "content/districts/Nordby: mappenavnet 'Nordby' er ikke en gyldig kortadresse: bruk små bokstaver a–z, tall og "
        "bindestrek (f.eks. bragernes)",
        "content/districts/Store Bokstaver: mappenavnet 'Store Bokstaver' er ikke en gyldig kortadresse: bruk små "
        "bokstaver a–z, tall og bindestrek (gi mappen navnet store-bokstaver)",
        "content/districts/apne-data: mappenavnet 'apne-data' er en av fellesportalens egne adresser "
        "(/apne-data/); gi kommunedelen et annet mappenavn",
        "content/districts/media: mappenavnet 'media' er en av fellesportalens egne adresser (/media/); gi "
        "kommunedelen et annet mappenavn",
        "content/districts/nordby/pages/lenke.md: symbolske lenker er ikke tillatt i innholdsmappen",
        "content/districts/nordby/pages/Åpent hus.en.md: filnavnet 'Åpent hus.en' er ikke gyldig: bruk små bokstaver "
        "a–z, tall og bindestrek (gi filen navnet apent-hus.en.md; en oversettelse: apent-hus.pl.md)",
        "content/districts/nordby/pages/Åpent hus.md: filnavnet 'Åpent hus' er ikke gyldig: bruk små bokstaver a–z, "
        "tall og bindestrek (gi filen navnet apent-hus.md; en oversettelse: apent-hus.pl.md)",
        "content/districts/sok: mappenavnet 'sok' er en av fellesportalens egne adresser (/sok/); gi kommunedelen "
        "et annet mappenavn",
        "content/districts/Østbyen: mappenavnet 'Østbyen' er ikke en gyldig kortadresse: bruk små bokstaver a–z, "
        "tall og bindestrek (gi mappen navnet ostbyen)",
    ]


def test_event_must_have_exactly_one_kind_of_date(tree):
    tree.write("districts/nordby/programme/babytreff.md",
               '---\ntitle: T\ndate: 2026-12-01\ndates: [2026-12-02]\nstart: "14:00"\nend: "13:00"\n---\n')
    errs = errors_of(tree)
    # the rule is over three fields: the message names the first of them the file has, on its line
    assert errs[0].startswith("content/districts/nordby/programme/babytreff.md:3: date: oppgi nøyaktig én av")


def test_a_rule_over_several_fields_names_the_one_the_entry_has_on_its_line(tree):
    """An event with a date and a weekly repeat, and a season that ends before it starts: the
    coordinator is sent to the line to change, not to the top of the file."""
    tree.write("districts/nordby/programme/kafe.md", '---\ntitle: Kafé\nstart: "10:00"\nend: "12:00"\n'
               "repeat:\n  days: [tue]\n  from: 2026-11-01\ndate: 2026-12-01\n---\n")
    tree.write("districts/nordby/programme/tom.md", '---\ntitle: Uten dag\nstart: "10:00"\nend: "12:00"\n---\n')
    errs = errors_of(tree)
    assert any(e.startswith("content/districts/nordby/programme/kafe.md:8: date: oppgi nøyaktig én av") for e in errs)
    # none of them given: the rule names no field, and the message says which to give
    assert any(re.match(r"content/districts/nordby/programme/tom\.md:\d+: oppgi nøyaktig én av 'date'", e) for e in errs)


def test_duplicate_category_points_at_its_line_whatever_the_folder_is_called(tmp_path):
    from conftest import DISTRICT, Tree

    t = Tree(tmp_path / "innhold")
    t.write("site.yaml", "name: K\nbase_url: https://k.example.no/\naccessibility_statement: https://u.no/e\n"
                         "categories:\n  - {slug: helse, name: Helse}\n  - {slug: helse, name: Helse igjen}\n")
    t.write("districts/nordby/district.yaml", DISTRICT)
    assert errors_of(t) == ["innhold/site.yaml:4: categories: kategorien 'helse' står 2 ganger"]


def test_a_date_that_does_not_exist_names_its_field_beside_the_files_other_errors(tree):
    """2026-13-10 and 2026-02-30 look like dates and are none: each is a field error in Norwegian,
    and the same file's other mistakes come in the same run."""
    tree.write("districts/nordby/programme/mote.md", """
        ---
        title: Folkemøte
        date: 2026-13-10
        start: "18:00"
        slutt: "20:00"
        ---
        """)
    tree.write("districts/nordby/programme/babytreff.md", EVENT.replace("until: 2026-12-31",
                                                                         "until: 2026-12-31\n  skip: [2026-02-30]"))
    assert errors_of(tree) == [
        "content/districts/nordby/programme/babytreff.md:7: repeat.skip[0]: må være en dato på formen ÅÅÅÅ-MM-DD "
        "(fikk '2026-02-30')",
        "content/districts/nordby/programme/mote.md:2: end: mangler (feltet er påkrevd)",
        "content/districts/nordby/programme/mote.md:3: date: må være en dato på formen ÅÅÅÅ-MM-DD (fikk '2026-13-10')",
        "content/districts/nordby/programme/mote.md:5: slutt: ukjent felt (sjekk stavemåten)",
    ]


@pytest.mark.parametrize(("text", "line", "says"), [
    ("summary: Lek og prat: for små barn\n", 1, "et kolon (:) midt i en verdi"),
    ("intro: Velkommen\n  hub: x\n", 2, "et kolon (:) midt i en verdi"),
    ("areas: [Sentrum, Havna\nintro: x\n", 1, "listen lukkes ikke: den mangler ']'"),
    ("coordinates: {lat: 1, lon: 2\nintro: x\n", 1, "gruppen lukkes ikke: den mangler '}'"),
    ('intro: "Velkommen\nname: x\n', 1, "anførselstegnet lukkes ikke"),
    ("hub:\n  name: x\n address: y\n", 3, "feil innrykk eller tekst etter en verdi"),
    ('intro: "Velkommen" til oss\n', 1, "feil innrykk eller tekst etter en verdi"),
    ("name: x\nbare tekst\nintro: y\n", 3, "linjen mangler ':' mellom feltnavnet og verdien"),
    ("intro: @knutepunkt på Instagram\n", 1, "en verdi kan ikke begynne med @, ` eller %"),
    ("areas:\n  - Sentrum\n  name: x\n", 3, "et felt midt i en liste"),
    ('intro: "C:\\mappe"\n', 1, "ukjent tegn etter \\ i tekst i doble anførselstegn"),
])
def test_a_yaml_mistake_is_explained_in_norwegian(tree, text, line, says):
    """The usual slips in a YAML file get a message that says what to do, not PyYAML's English."""
    tree.write("districts/nordby/district.yaml", text)
    (err,) = errors_of(tree)
    assert err.startswith(f"content/districts/nordby/district.yaml:{line}: ugyldig YAML: {says}"), err


def test_a_picture_without_alt_text_is_named_even_when_the_files_fields_are_wrong(tree):
    """The body's mistakes come in the same run as the front matter's, in a translation too (whose
    source failing says nothing about the translation's own body)."""
    tree.write("media/lekerom.png", b"\x89PNG\r\n\x1a\n")
    tree.write("districts/nordby/services/helsestasjon.md",
               SERVICE.replace("category: helse", "category: helse\naudience: Barn") + "![](/media/lekerom.png)\n")
    tree.write("districts/nordby/services/helsestasjon.pl.md",
               "---\ntitle: Przychodnia\n---\nTekst.\n\n![](/media/lekerom.png)\n")
    assert errors_of(tree) == [
        "content/districts/nordby/services/helsestasjon.md:5: audience: må være en liste",
        "content/districts/nordby/services/helsestasjon.md:9: bildet /media/lekerom.png mangler alternativ tekst: "
        "skriv hva bildet viser mellom [ ]",
        "content/districts/nordby/services/helsestasjon.pl.md:6: bildet /media/lekerom.png mangler alternativ tekst: "
        "skriv hva bildet viser mellom [ ]",
    ]


def test_a_value_outside_its_choices_lists_them_in_norwegian(tree):
    tree.write("site.yaml", SITE + "language: se\n")
    assert errors_of(tree) == ["content/site.yaml:7: language: må være en av: 'nb', 'nn' eller 'en' (fikk 'se')"]


def test_a_number_out_of_bounds_says_the_bound_in_norwegian(tree):
    tree.write("districts/nordby/programme/babytreff.md", EVENT.replace("  days: [tue]", "  days: [tue]\n  interval: 0"))
    tree.write("districts/nordby/district.yaml", DISTRICT.replace("hub:\n", "hub:\n  coordinates: {lat: 95, lon: 10}\n"))
    assert errors_of(tree) == [
        "content/districts/nordby/district.yaml:5: hub.coordinates.lat: kan være høyst 90 (fikk 95)",
        "content/districts/nordby/programme/babytreff.md:5: repeat.interval: må være minst 1 (fikk 0)",
    ]


def test_a_postal_code_or_phone_number_written_as_a_number_says_to_quote_it(tree):
    """YAML reads a bare 0301 as the number 301: the message says how to write it as text."""
    tree.write("districts/nordby/services/helsestasjon.md", SERVICE.replace(
        "category: helse", "category: helse\ncontact: {phone: 32040000}\nlocation: {name: X, address: Y, postal_code: 0301}"))
    quote = "må være tekst: skriv verdien i anførselstegn, slik den skal stå (\"0301\"; uten dem blir det tallet 301)"
    assert errors_of(tree) == [f"content/districts/nordby/services/helsestasjon.md:5: contact.phone: {quote}",
                               f"content/districts/nordby/services/helsestasjon.md:6: location.postal_code: {quote}"]


def test_a_notice_that_ends_before_it_starts_is_refused_rather_than_never_shown(tree):
    tree.write("districts/nordby/district.yaml", DISTRICT + "notices:\n  - {text: Stengt, from: 2026-12-10, to: 2026-12-01}\n")
    assert errors_of(tree) == [
        "content/districts/nordby/district.yaml:12: notices[0].to: 'to' er før 'from': meldingen ville aldri vises"]


def test_a_wrong_day_is_one_message_not_also_an_empty_list(tree):
    tree.write("districts/nordby/programme/babytreff.md", EVENT.replace("days: [tue]", "days: [tirsdag]"))
    assert errors_of(tree) == [
        "content/districts/nordby/programme/babytreff.md:4: repeat.days[0]: må være en av: 'mon', 'tue', 'wed', "
        "'thu', 'fri', 'sat' eller 'sun' (fikk 'tirsdag')"]


def test_a_wrong_field_in_site_yaml_does_not_hide_the_checks_made_against_it(tree):
    """A misspelt language leaves the rest of site.yaml to check against: the unknown category and the
    missing logo come in the same run."""
    tree.write("site.yaml", SITE + "language: se\nlogo: {file: vapen.svg, alt: Kommunevåpenet}\n")
    tree.write("districts/nordby/services/helsestasjon.md", SERVICE.replace("category: helse", "category: helsa"))
    errs = errors_of(tree)
    assert errs[0] == "content/districts/nordby/services/helsestasjon.md:4: category: ukjent kategori 'helsa'; " \
                      "kjente: helse, kultur"
    assert errs[1] == "content/site.yaml:7: language: må være en av: 'nb', 'nn' eller 'en' (fikk 'se')"
    assert errs[2].startswith("content/site.yaml:8: logo.file: ") and len(errs) == 3
