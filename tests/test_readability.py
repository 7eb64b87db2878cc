"""Spec: plain Norwegian (klarspråk) — check advises coordinators, with file and line, and never fails.

LIX = words / sentences + 100 × long words / words (Björnsson 1968; a long word has more than six
letters). The texts below are built so that each value can be counted by hand.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import example, given
from hypothesis import strategies as st

from hub.cli import main
from hub.content.readability import Limits, advise, lix, sentences

HARD = (
    # 9 words, 7 long (all but "og", "for")
    "Kommunens helsestasjonstjeneste gjennomfører systematiske helseundersøkelser og vaksinasjoner for "
    "småbarnsfamilier. "
    # 16 words, 12 long (all but "med", "og", "og", "mulig")
    "Tjenestetilbudet koordineres tverrfaglig med fastlegeordningen og spesialisthelsetjenesten, og eventuelle "
    "utviklingsavvik identifiseres tidligst mulig gjennom standardiserte kartleggingsverktøy.")


@pytest.mark.parametrize("text, words, sentences_, long_words, value", [
    ("Barn leker ute. Mor lager mat.", 6, 2, 0, 3.0),                      # 6/2 + 0
    ("Vi har åpent i dag. Helsestasjonen holder stengt.", 8, 2, 1, 16.5),  # 8/2 + 100·1/8; "stengt" has six letters
    ("Kommunens helsestasjonstjeneste gjennomfører undersøkelser.", 4, 1, 4, 104.0),  # 4/1 + 100·4/4
    (HARD, 25, 2, 19, 88.5),                                                # 25/2 + 100·19/25
    ("Vi åpner 17. mai kl. 10. Ta med f.eks. mat!", 9, 2, 0, 4.5),         # ordinals and abbreviations end nothing
    ("Bragernes-kvartal er åpent: kom innom", 5, 2, 1, 22.5),               # a colon ends one; the hyphen joins
])
def test_lix_of_texts_counted_by_hand(text, words, sentences_, long_words, value):
    found = lix([text])
    assert (found.words, found.sentences, found.long_words) == (words, sentences_, long_words)
    assert found.value == pytest.approx(value)


def test_the_usual_reading_of_the_value():
    assert [lix([t]).reading for t in ("Barn leker ute.", HARD)] == ["svært lett", "svært vanskelig"]


def test_every_heading_paragraph_and_list_item_ends_a_sentence():
    found = lix(["Åpningstider", "Mandag til fredag", "Ta med legitimasjon"])
    assert (found.words, found.sentences) == (7, 3)


def page(body: str, summary: str = "Slik kan du påvirke nærmiljøet.") -> str:
    return f"---\ntitle: Om oss\nsummary: {summary}\n---\n{body}"


def warnings(tree, *args: str) -> list[dict]:
    result = CliRunner().invoke(main, ["check", "--content", str(tree.root), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return [w for w in json.loads(result.output) if "klarspråk" in w["message"]]


def test_a_deliberately_hard_text_gets_its_lix_with_file_and_line_and_the_build_still_passes(tree):
    tree.write("districts/nordby/pages/om.md", page("Innledning på én linje.\n\n" + HARD + "\n"))
    found = warnings(tree)
    (w,) = [w for w in found if "LIX" in w["message"]]
    # With the summary ("Slik kan du påvirke nærmiljøet.": 5 words, 2 long) and the first paragraph
    # ("Innledning på én linje.": 4 words, 1 long): 34 words, 4 sentences, 22 long → 34/4 + 100·22/34 = 73.2
    # so the advice says so, on the line where the measured text starts: the summary's.
    assert w["message"].startswith("klarspråk: sammendraget og teksten har LIX 73 (svært vanskelig; grensen er 45): "
                                   "34 ord, 4 setninger, 22 lange ord")
    assert (w["path"], w["line"], w["level"]) == ("content/districts/nordby/pages/om.md", 3, "warning")


def test_a_hard_text_without_a_summary_is_named_on_its_first_line(tree):
    tree.write("districts/nordby/pages/om.md", "---\ntitle: Om oss\n---\n\n" + HARD + "\n")
    (w,) = [w for w in warnings(tree) if "LIX" in w["message"]]
    assert w["message"].startswith("klarspråk: teksten har LIX ")
    assert w["line"] == 5


def test_a_hard_summary_with_no_text_under_it_is_named_as_the_summary(tree):
    tree.write("districts/nordby/pages/om.md", page("", summary=HARD))
    (w,) = [w for w in warnings(tree) if "LIX" in w["message"]]
    assert w["message"].startswith("klarspråk: sammendraget har LIX 89 ") and w["line"] == 3


def test_a_summary_written_as_a_yaml_block_is_read_as_yaml_reads_it(tree):
    # "summary: >-" and the text on the lines under it: 25 words measured with the body's, not ">-"
    block = "\n".join(f"  {row}" for row in HARD.split(". "))
    tree.write("districts/nordby/pages/om.md", f"---\ntitle: Om oss\nsummary: >-\n{block}\n---\n\nKort tekst.\n")
    (w,) = [w for w in warnings(tree) if "LIX" in w["message"]]
    assert w["message"].startswith("klarspråk: sammendraget og teksten har LIX ") and " 27 ord" in w["message"]
    assert w["line"] == 3


def test_the_limit_is_the_sites_own(tree):
    tree.write("districts/nordby/pages/om.md", page(HARD + "\n"))
    tree.write("site.yaml", tree.root.joinpath("site.yaml").read_text("utf-8") + "plain_language: {lix: 80}\n")
    assert [w for w in warnings(tree) if "LIX" in w["message"]] == []


def test_long_sentences_empty_link_texts_bare_addresses_skipped_headings_and_images_without_alt(tree):
    long = " ".join(["ord"] * 30) + "."
    tree.write("media/kart.png", b"\x89PNG\r\n\x1a\n")
    tree.write("districts/nordby/pages/om.md", page(
        f"{long}\n\n"                                   # line 5
        "Søk om plass: [klikk her](https://x.no).\n\n"  # line 7
        "Se <https://www.drammen.kommune.no>.\n\n"      # line 9
        "#### Åpningstider\n\n"                         # line 11: h4 straight after the title
        '<img src="/media/kart.png">\n'))               # line 13
    found = {(w["line"], w["message"].split(":")[1].strip()[:25]) for w in warnings(tree)}
    assert found == {(5, "setningen har 30 ord (anb"), (7, "lenketeksten «klikk her» "),
                     (9, "lenketeksten er en nettad"), (11, "overskriften hopper over "),
                     (13, "bildet mangler alternativ")}


def test_a_long_summary_is_named_by_its_field(tree):
    tree.write("districts/nordby/pages/om.md", page("Kort tekst.\n", summary=" ".join(["ord"] * 27) + "."))
    (w,) = warnings(tree)
    assert (w["line"], w["field"]) == (3, "summary")


def test_github_and_gitlab_carry_the_advice_as_warnings(tree):
    tree.write("districts/nordby/pages/om.md", page(HARD + "\n"))
    github = CliRunner().invoke(main, ["check", "--content", str(tree.root), "--format", "github"]).output
    assert ("::warning file=content/districts/nordby/pages/om.md,line=3::klarspråk: sammendraget og teksten har LIX"
            in github)
    gitlab = json.loads(CliRunner().invoke(main, ["check", "--content", str(tree.root), "--format", "gitlab"]).output)
    assert any(i["severity"] == "minor" and "LIX" in i["description"] for i in gitlab)


def test_a_polish_translation_is_not_measured_by_a_norwegian_yardstick():
    assert advise(HARD, 1, "pl", Limits()) == []
    assert advise("[klikk her](https://x.no)", 1, "pl", Limits()) == []
    assert [a.line for a in advise("[https://x.no](https://x.no)", 1, "pl", Limits())] == [1]


SUMMARIES = st.sampled_from([
    f"summary: {HARD}", f'summary: "{HARD}"', "summary: >-\n  " + HARD.replace(". ", ".\n  "), "summary: |\n  Kort.",
    "summary: 12", "summary: [a, b]", "summary:", 'summary: "uavsluttet', "summary: '' ", "\tsummary: x",
    "summary: &a x\nalias: *a", "summary: !!python/object x", "---", "..."])


@example(front=["summary: [a, b]"], noise="", body="Tekst.", closed=True)
@example(front=["summary: 12"], noise="", body=HARD, closed=True)
@given(st.lists(SUMMARIES, max_size=3), st.text(max_size=60) | st.just(""), st.text(max_size=300),
       st.booleans() | st.just(True))
def test_any_content_file_gives_advice_within_it_never_an_error(tmp_path_factory, front, noise, body, closed):
    """Coordinators write the front matter too: whatever it holds (a summary in any YAML form, broken
    YAML, no end), the advice is computed, or none is given, and names a line of the file."""
    from hub.content.readability import file_advice

    text = "---\ntitle: Om oss\n" + "\n".join([*front, noise]) + ("\n---\n" if closed else "\n") + body
    path = tmp_path_factory.mktemp("advice") / "om.md"
    path.write_text(text, "utf-8")
    for a in file_advice(path, "nb", Limits()):
        assert 1 <= a.line <= text.count("\n") + 1 and a.message.startswith("klarspråk: ")


@given(st.text(max_size=400))
def test_any_text_gives_advice_or_none_never_an_error(text):
    """Coordinators paste anything: the advice is computed, and a sentence's words are the text's."""
    for a in advise(text, 1, "nb", Limits()):
        assert a.line >= 1 and a.message.startswith("klarspråk: ")
    for _, s in sentences(text):
        assert s.strip() and s in text
