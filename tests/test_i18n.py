"""Spec: every UI string in the templates has a translation in each shipped catalog."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from conftest import ROOT

from hub.i18n import LOCALE_DIR, fmt_date, fmt_time

CATALOGS = sorted(p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/messages.po"))


def template_msgids() -> set[str]:
    found = extract_from_dir(str(ROOT / "themes"), method_map=[("**/templates/**.html", "jinja2")],
                             options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}})
    return {msg[2] if isinstance(msg[2], str) else msg[2][0] for msg in found}


def test_bokmal_is_shipped():
    assert "nb" in CATALOGS


@pytest.mark.parametrize("lang", CATALOGS)
def test_catalog_translates_every_template_string(lang):
    with (LOCALE_DIR / lang / "LC_MESSAGES/messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and m.string}
    wanted = template_msgids()
    assert len(wanted) > 70
    assert sorted(wanted - translated) == []


def test_norwegian_dates_and_times_through_babel():
    assert f"{fmt_date(dt.date(2026, 11, 24), 'nb')} kl. {fmt_time(dt.time(12), 'nb')}" == "tirsdag 24. november kl. 12.00"
    assert fmt_date(dt.date(2026, 11, 24), "nn") == "tysdag 24. november"


@pytest.mark.parametrize("lang, expected", [("nn", ["Opningstider", "Hopp til hovudinnhald", "Kvar"]),
                                            ("en", ["Opening hours", "Skip to main content", "Wednesday 25 November"])])
def test_the_demo_builds_in_nynorsk_and_english(tmp_path, lang, expected):
    import re
    import shutil

    from conftest import DEMO

    from hub.pipeline.steps import build

    content = tmp_path / "content"
    shutil.copytree(DEMO, content)
    for translated in content.rglob(f"*.{lang}.*"):  # a portal in English has no English translations
        translated.unlink()
    site = content / "site.yaml"
    site.write_text(re.sub(r"^language: nb$", f"language: {lang}", site.read_text("utf-8"), flags=re.M), "utf-8")
    build(content, tmp_path / "out", search=False)
    home = (tmp_path / "out/bragernes/index.html").read_text("utf-8")
    event = (tmp_path / "out/bragernes/program/nav-besok/index.html").read_text("utf-8")
    assert f'<html lang="{lang}">' in home
    for text in expected:
        assert text in home + event + (tmp_path / "out/bragernes/program/index.html").read_text("utf-8")


def test_a_page_may_declare_its_own_language(tree, tmp_path):
    from hub.pipeline.steps import build

    tree.write("districts/nordby/pages/english.md", "---\ntitle: Welcome\nlang: en\n---\nThe hub welcomes you.\n")
    build(tree.root, tmp_path / "out")
    html = (tmp_path / "out/nordby/english/index.html").read_text("utf-8")
    assert '<html lang="en">' in html
    entry = (tmp_path / "out/nordby/pagefind/pagefind-entry.json").read_text("utf-8")
    assert '"en"' in entry and '"nb"' in entry  # Pagefind keeps an English index beside the bokmål one


def _catalog(lang):
    with (LOCALE_DIR / lang / "LC_MESSAGES/messages.po").open("rb") as fh:
        return read_po(fh, locale=lang)


@pytest.mark.parametrize("lang", CATALOGS)
def test_every_translation_keeps_its_placeholders(lang):
    """"%(site)s", "{n}" and "%(num)d" come through every catalog as they are, or the page breaks or lies."""
    import re

    marks = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
    for m in _catalog(lang):
        if not m.id:
            continue
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        wanted = set(marks.findall(ids[-1]))
        for s in strings:
            # A plural form may spell out its number ("حي واحد", one district): the others keep it.
            found = set(marks.findall(s))
            assert found <= wanted | set(marks.findall(ids[0])), (lang, m.id, s)
            if isinstance(m.id, str):
                assert found == wanted, (lang, m.id, s)


@pytest.mark.parametrize("lang", ["pl", "ar"])
def test_the_demo_languages_catalogs_say_they_need_a_native_speakers_review(lang):
    catalog = _catalog(lang)
    assert "NEEDS REVIEW BY A NATIVE SPEAKER" in catalog.header_comment
    assert "NEEDS REVIEW BY A NATIVE SPEAKER" in catalog.language_team


def test_dates_and_times_in_polish_and_arabic_carry_no_norwegian_full_stop():
    assert fmt_date(dt.date(2026, 11, 24), "pl") == "wtorek 24 listopada"
    assert fmt_date(dt.date(2026, 11, 24), "ar") == "الثلاثاء 24 نوفمبر"
    assert fmt_time(dt.time(8, 30), "ar") == "08:30"
