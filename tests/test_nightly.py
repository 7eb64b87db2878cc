"""Spec: the nightly build. A new day with nothing edited renders again only what the day changes
on a district's pages, and its output is the bytes a full build of that day makes, search included.

District pages show spans of days from Monday (hours this week and next, the programme), so a
district is made again when the week turns, a plan's or notice's date comes, or (one page) an
event's next date passes; the one-door-in pages are made every night. Speed: benchmarks/run.py.
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from conftest import SERVICE, forget_map_labels, tree_digest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.pipeline.steps import build

SYDBY = """
name: Sydby
official_name: Sydby
intro: Knutepunktet i Sydby.
notices:
  - {text: "Stengt for maling", from: 2026-12-08, to: 2026-12-09}
hub:
  name: Sydby knutepunkt
  address: Torget 2, 3000 Sydby
  hours:
    weekly: {mon: "10:00-15:00", tue: "10:00-15:00", wed: "10:00-15:00", thu: "10:00-15:00", fri: "10:00-15:00"}
    seasons:
      - name: Julehandel
        from: 2026-12-02
        to: 2026-12-20
        weekly: {mon: "09:00-20:00", tue: "09:00-20:00", wed: "09:00-20:00", thu: "09:00-20:00", sat: "10:00-16:00"}
"""

MARKET = """---
title: Julemarked
date: 2026-11-25
start: "17:00"
end: "20:00"
---
Boder og gløgg på torget.
"""


def oslo_noon(day: str) -> str:
    """``SOURCE_DATE_EPOCH`` for noon in Oslo on ``day`` (ISO date)."""
    noon = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(12), ZoneInfo("Europe/Oslo"))
    return str(int(noon.timestamp()))


def at_noon(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", oslo_noon(day))


@pytest.fixture
def two_districts(tree):
    """Nordby (the shared tree: a weekly Tuesday session) and Sydby (a season from Wednesday
    2 December, a notice on 8–9 December, a Christmas market on Wednesday 25 November)."""
    tree.write("districts/sydby/district.yaml", SYDBY)
    tree.write("districts/sydby/programme/julemarked.md", MARKET)
    return tree


NIGHTS = [
    # the night before → the night, the districts made again, why
    ("2026-11-29", "2026-11-30", {"nordby", "sydby"}, "Sunday → Monday: a new week on every district page"),
    ("2026-12-23", "2026-12-24", set(), "the day before a public holiday (1. juledag): the week's table has it"),
    ("2026-12-25", "2026-12-26", set(), "the day after it: the open data's holidays ahead move, no page does"),
    ("2026-12-01", "2026-12-02", set(), "the day a season starts: this week's table showed it from Monday"),
    ("2026-11-25", "2026-11-26", set(), "the day after an event: its page alone loses its next date"),
    ("2026-11-24", "2026-11-25", set(), "a weekly session passed: its page moves to next week's date"),
    ("2026-12-07", "2026-12-08", {"sydby"}, "a notice starts: every page of its district shows it"),
]


@pytest.mark.parametrize("before, day, rebuilt, why", NIGHTS, ids=[n[3].split(":")[0] for n in NIGHTS])
def test_the_next_nights_build_equals_a_full_build_of_that_day(two_districts, tmp_path, monkeypatch,
                                                                before, day, rebuilt, why):
    out = tmp_path / "site"
    at_noon(monkeypatch, before)
    build(two_districts.root, out)
    at_noon(monkeypatch, day)
    result = build(two_districts.root, out)
    assert result.rebuilt == frozenset(rebuilt), why
    full = build(two_districts.root, tmp_path / "full", reuse=False)
    assert full.rebuilt is None
    assert tree_digest(out) == tree_digest(tmp_path / "full"), why


def test_a_week_of_nights_makes_the_districts_again_only_when_something_of_theirs_moves(two_districts, tmp_path,
                                                                                        monkeypatch):
    """Tuesday to Monday: the market passes Wednesday (one page), the week turns on Monday."""
    out = tmp_path / "site"
    at_noon(monkeypatch, "2026-11-24")
    build(two_districts.root, out)
    made = {}
    for n in range(1, 8):
        day = (dt.date(2026, 11, 24) + dt.timedelta(n)).isoformat()
        at_noon(monkeypatch, day)
        made[day] = build(two_districts.root, out).rebuilt
    assert made == {"2026-11-25": frozenset(), "2026-11-26": frozenset(), "2026-11-27": frozenset(),
                    "2026-11-28": frozenset(), "2026-11-29": frozenset(),
                    "2026-11-30": frozenset({"nordby", "sydby"}), "2026-12-01": frozenset()}
    build(two_districts.root, tmp_path / "full", reuse=False)
    assert tree_digest(out) == tree_digest(tmp_path / "full")


def test_without_javascript_a_page_never_names_a_wrong_today(two_districts, tmp_path, monkeypatch):
    """Built on Wednesday, read any day of the next week: the hours table lists dated days from
    Monday and marks none as today (the browser does), and the season shows from its first day."""
    at_noon(monkeypatch, "2026-12-02")
    build(two_districts.root, tmp_path / "site", search=False)
    home = (tmp_path / "site/sydby/index.html").read_text("utf-8")
    table = home.split('<table class="week"')[1].split("</table>")[0]
    assert 'class="today"' not in table and "I dag" not in table
    assert "Åpningstider denne uka og neste" in table
    days = [part.split('"')[0] for part in table.split('data-day="')[1:]]
    assert days == [(dt.date(2026, 11, 30) + dt.timedelta(n)).isoformat() for n in range(14)]
    assert ">mandag 30. nov.</th>" in table and "10.00–15.00" in table.split("tirsdag 1. des.")[1].split("</tr>")[0]
    assert "09.00–20.00" in table.split("onsdag 2. des.")[1].split("</tr>")[0]  # the season's first day


def test_with_the_light_search_a_night_that_changes_no_record_keeps_the_bundle(two_districts, tmp_path, monkeypatch,
                                                                                inode):
    """The one door in's light bundle is made from a record of every page: a night that changes no
    record keeps the live bundle (the same files), a Monday too (a result's hours are the days of a
    run of four weeks), and the first Monday of the next run, which changes them, indexes again."""
    from conftest import SITE

    two_districts.write("site.yaml", SITE + "search_index: light\n")
    out = tmp_path / "site"
    at_noon(monkeypatch, "2026-11-27")
    build(two_districts.root, out)
    entry = out / "pagefind/pagefind-entry.json"
    made = inode(entry)
    for day, kept in [("2026-11-28", True), ("2026-11-29", True), ("2026-11-30", True), ("2026-12-07", False)]:
        at_noon(monkeypatch, day)
        build(two_districts.root, out)
        assert (inode(entry) == made) == kept, day
        made = inode(entry)
        build(two_districts.root, tmp_path / day, reuse=False)
        assert tree_digest(out) == tree_digest(tmp_path / day), day


@pytest.mark.parametrize("index", ["merged", "light"])
def test_a_monday_indexes_again_only_the_districts_whose_run_of_search_hours_starts(
        two_districts, tmp_path, monkeypatch, inode, index):
    """Monday makes every district page again (the hours tables, the programme), yet what Pagefind
    reads of them stays: the tables are not indexed and a result's hours are the days of a run of
    four weeks. The districts take turns to start their run, so no Monday indexes them all: on 30
    November neither, on 7 December Nordby (first by name, with the one door in and the Polish pages
    of both, whose one bundle keeps the first run), on 14 December Sydby. The published bundles of
    the others stand. The one door in's own bundle (merged search) holds no result's hours and
    stands every Monday; the light search's, one over every page's record, is indexed again with
    each district whose run starts (when they all started on one Monday, that Monday at 100
    districts took as long as a cold build). Each night's output is a full build's of that day."""
    from conftest import SITE
    from test_translations import POLISH

    two_districts.write("site.yaml", SITE + f"search_index: {index}\n")
    for slug in ("nordby", "sydby"):
        two_districts.write(f"districts/{slug}/services/helsestasjon.pl.md", POLISH)
    two_districts.write("districts/sydby/services/helsestasjon.md", SERVICE)
    out = tmp_path / "site"
    bundles = {slug: out / slug / "pagefind/pagefind-entry.json" for slug in ("nordby", "sydby", "pl")}
    bundles["root"] = out / "pagefind/pagefind-entry.json"
    light = {"root"} if index == "light" else set()
    page = out / "sydby/index.html"
    for sunday, monday, indexed in [("2026-11-29", "2026-11-30", set()),
                                    ("2026-12-06", "2026-12-07", {"nordby", "pl"} | light),
                                    ("2026-12-13", "2026-12-14", {"sydby"} | light)]:
        at_noon(monkeypatch, sunday)
        build(two_districts.root, out)
        made = {slug: inode(entry) for slug, entry in bundles.items()}
        table = page.read_text("utf-8").split('<table class="week"')[1]
        at_noon(monkeypatch, monday)
        assert build(two_districts.root, out).rebuilt == {"nordby", "sydby"}
        assert page.read_text("utf-8").split('<table class="week"')[1] != table, monday  # the page moved
        assert {slug for slug, entry in bundles.items() if inode(entry) != made[slug]} == indexed, monday
        build(two_districts.root, tmp_path / monday, reuse=False)
        assert tree_digest(out) == tree_digest(tmp_path / monday), monday


def test_a_notices_first_and_last_day_leave_the_search_bundle_as_it_is(two_districts, tmp_path, monkeypatch,
                                                                        inode):
    """Sydby's notice (8–9 December) shows on every page of the district, outside what is indexed:
    the district is made again the day it comes and the day after it goes, its bundle stays."""
    out = tmp_path / "site"
    entry = out / "sydby/pagefind/pagefind-entry.json"
    at_noon(monkeypatch, "2026-12-07")
    build(two_districts.root, out)
    for day in ("2026-12-08", "2026-12-10"):
        made = inode(entry)
        at_noon(monkeypatch, day)
        assert build(two_districts.root, out).rebuilt == {"sydby"}, day
        assert ("Stengt for maling" in (out / "sydby/index.html").read_text("utf-8")) is (day == "2026-12-08")
        assert inode(entry) == made, day
        build(two_districts.root, tmp_path / day, reuse=False)
        assert tree_digest(out) == tree_digest(tmp_path / day), day

def _searchable(out) -> int:
    return sum(b"data-pagefind-body" in p.read_bytes() for p in out.rglob("*.html") if "pagefind" not in p.parts)


@pytest.mark.parametrize("index", ["merged", "light"])
@pytest.mark.parametrize("translated", [False, True])
def test_the_build_counts_the_pages_its_search_finds_not_only_those_it_indexed(two_districts, tmp_path,
                                                                            monkeypatch, index, translated):
    """The summary's "N sider i søket" is what a reader can find, the same after a night that indexes
    nothing (the bundles stand) as after a full build; with the light bundle, which holds every
    district's pages, they are counted once, and a language's pages (a bundle of their own) too."""
    from conftest import SITE

    two_districts.write("site.yaml", SITE + f"search_index: {index}\n")
    if translated:
        two_districts.write("districts/nordby/services/helsestasjon.pl.md",
                            "---\ntitle: Przychodnia\nsummary: Szczepienia.\n---\nPrzychodnia.\n")
    out = tmp_path / "site"
    at_noon(monkeypatch, "2026-11-25")
    cold = build(two_districts.root, out)
    pages = _searchable(out)
    assert cold.searchable == pages > 0
    assert (out / "pl/pagefind").is_dir() is translated
    at_noon(monkeypatch, "2026-11-27")
    night = build(two_districts.root, out)
    assert night.rebuilt == frozenset() and set(night.indexed) <= {"", "pl"}
    assert night.searchable == pages


def test_a_district_built_alone_counts_its_own_pages(two_districts, tmp_path):
    out = tmp_path / "sydby"
    result = build(two_districts.root, out, district="sydby")
    assert result.searchable == _searchable(out) > 0


PAGE = ('<!doctype html><html lang="nb"><head><title>T</title></head><body><nav>Meny</nav>{outside}'
        '<main data-pagefind-body><h1 id="t">Helsestasjon</h1><p>Vaksiner og{inline}veiing.</p>{ignored}'
        '<span hidden data-pagefind-ignore data-pagefind-meta="hours">{meta}</span><p>Slutt.</p></main></body></html>')
BASE = {"outside": "", "inline": " ", "ignored": '<section data-pagefind-ignore><h2 id="h">Uke 48</h2></section>',
        "meta": "2026-11-09"}
NOTICE = '<section class="notices" data-pagefind-ignore><div class="notice"><p>Stengt i dag.</p></div></section>'


@pytest.mark.parametrize("change, alike", [
    ({"ignored": '<section class="hours" aria-labelledby="h" data-pagefind-ignore><h2 id="h">Uke 49</h2>'
                 '<table><tr data-day="2026-11-30"><th>mandag</th><td>09.00</td></tr></table></section>'}, True),
    ({"ignored": '<section data-pagefind-ignore><h2 id="h">Uke 49</h2><section><p id="x">tirsdag '
                 '<a href="/a/">lenke</a></p></section></section>'}, True),
    ({"outside": NOTICE}, True),  # a notice's banner comes (or goes)
    ({"inline": " <span data-pagefind-ignore>(ny)</span>"}, True),
    ({"ignored": '<section data-pagefind-ignore><p data-pagefind-filter="type">Kurs</p></section>'}, False),
    ({"ignored": '<section data-pagefind-ignore><img src="/kart.png" alt="Kart"></section>'}, False),  # the image
    ({"ignored": NOTICE.replace(" data-pagefind-ignore", "")}, False),  # a notice in the page's text
    ({"meta": "2026-12-07"}, False),
    ({"ignored": "<p>Uke 49</p>"}, False),
])
def test_pages_alike_but_for_what_pagefind_leaves_out_make_the_same_bundle(tmp_path, change, alike):
    """What a kept bundle's check compares (``search.indexed``), against the real Pagefind: pages that
    differ inside ``data-pagefind-ignore`` elements holding nothing Pagefind reads there all the same
    index to the same bytes; a filter, meta or image inside one, or a change elsewhere, is a page to
    index again."""
    from hub.pipeline import search

    base, other = PAGE.format(**BASE), PAGE.format(**{**BASE, **change})
    assert (search.indexed(base.encode()) == search.indexed(other.encode())) is alike
    bundles = []
    for name, text in [("a", base), ("b", other)]:
        (tmp_path / name / "side").mkdir(parents=True)
        (tmp_path / name / "side/index.html").write_text(text, "utf-8")
        search.bundle(tmp_path / name, "**/*.html", tmp_path / name / "pagefind")
        bundles.append(tree_digest(tmp_path / name / "pagefind"))
    assert (bundles[0] == bundles[1]) is alike


class Readable(HTMLParser):
    """What Pagefind may read of a page (``indexed`` keeps it whole): the text outside ignored elements
    and the <head> (tag by tag), every data-pagefind- attribute, the title's text, and every <h1> and
    <img> anywhere."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ignored, self.title, self.seen = 0, False, []

    def handle_starttag(self, tag, attrs):
        self.title = tag == "title"
        if self.title:
            return
        if self.ignored or tag == "head" or any(k == "data-pagefind-ignore" for k, _ in attrs):
            self.ignored += 1
        self.seen += [(tag, k, v) for k, v in attrs if k.startswith("data-pagefind-") and k != "data-pagefind-ignore"]
        self.seen += [(tag, None, None)] if tag in ("h1", "img") or not self.ignored else []

    def handle_endtag(self, tag):
        self.title = False
        if tag != "title":
            self.seen += [("/" + tag, None, None)] if not self.ignored else []
            self.ignored = max(self.ignored - 1, 0)

    def handle_data(self, data):
        if self.ignored and not self.title:
            return
        if self.seen and self.seen[-1][0] == "":  # text on both sides of an ignored element is one text,
            self.seen[-1] = ("", None, self.seen[-1][2] + data)  # as Pagefind reads it ("og<div …>x</div>veiing")
        else:
            self.seen.append(("", None, data))


def readable(page: bytes) -> list:
    parser = Readable()
    parser.feed(page.decode())
    return parser.seen


_TAG = st.sampled_from(["div", "section", "span", "p", "ul", "DIV", "div-x", "h1", "h2", "img"])
_TEXT = st.sampled_from(["tekst", "<!-- <div> -->", "<script>var s = '</div>';</script>", "a &amp; b", ""])


@st.composite
def html(draw, depth=0):
    """Well-formed element trees of the kinds a template writes, some elements ignored, some with a
    meta, some with what hides a tag (a comment, a script)."""
    if depth > 3 or draw(st.booleans()):
        return draw(_TEXT)
    tag = draw(_TAG)
    attrs = draw(st.sampled_from(["", " data-pagefind-ignore", ' class="x" data-pagefind-ignore',
                                  ' data-pagefind-meta="m"', ' id="a"']))
    if tag == "img":
        return f'<img src="x.png"{attrs}>'
    inner = "".join(draw(st.lists(html(depth + 1), max_size=3)))
    return f"<{tag}{attrs}>{inner}</{tag}>"


@settings(max_examples=300, deadline=None)
@given(st.lists(html(), min_size=1, max_size=4))
def test_what_pagefind_may_read_of_a_page_is_never_left_out(parts):
    """``search.indexed`` leaves out ignored elements only: whatever the page, what Pagefind may read
    of it (text outside them, its attributes, titles and images) is the same after."""
    from hub.pipeline import search

    page = f'<html lang="nb"><head><title>T</title></head><body><main data-pagefind-body>{"".join(parts)}</main></body></html>'
    assert readable(search.indexed(page.encode())) == readable(page.encode())


def test_the_weeks_table_has_the_public_holiday_before_it_comes(two_districts, tmp_path, monkeypatch):
    """Built on any day of Christmas week, the hours table shows the Norwegian public holidays closed
    (the `holidays` library's, as every hours rule): the day before one changes nothing on the page."""
    pages = []
    for day in ("2026-12-23", "2026-12-24"):
        at_noon(monkeypatch, day)
        build(two_districts.root, tmp_path / day, search=False)
        pages.append((tmp_path / day / "sydby/index.html").read_bytes())
    assert pages[0] == pages[1]
    table = pages[1].decode().split('<table class="week"')[1].split("</table>")[0]
    assert "Stengt <span class=\"note\">(Første juledag)</span>" in table.split('data-day="2026-12-25"')[1]
    assert "10.00–15.00" in table.split('data-day="2026-12-24"')[1].split("</tr>")[0]


def test_a_stored_piece_of_the_exports_that_the_build_would_not_make_is_made_again(two_districts, tmp_path):
    """The one door in's exports are put together from each district's kept pieces; the cache may
    hold files nobody on this machine wrote, so a piece that is not what the build makes (not the
    JSON the export splices in, not calendar entries alone) is made again, never a traceback."""
    out = tmp_path / "site"
    build(two_districts.root, out, search=False)
    pieces = tmp_path / ".knutepunkt-cache/site/fragments"
    planted = {"hsds": b'{"id": "x"}', "csv": b"not json", "cpsv": b'[[1, "x"]]',
               "manifest": b'{"entry": {"slug": "sydby"}, "offers": {}}',  # another district's, or no offers
               "ics": b"BEGIN:VEVENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\n",
               "sitemap": b'[["https://test.example.no/nordby/\\u000b\\ud800", null, null, []]]'}
    for name, data in planted.items():
        (piece,) = (pieces / name).glob("nordby.*")
        piece.write_bytes(data)
    sydby = two_districts.root / "districts/sydby/district.yaml"  # another district's edit: Nordby's pieces are read
    sydby.write_text(sydby.read_text("utf-8").replace("Torget 2", "Torget 4"), "utf-8")
    assert build(two_districts.root, out, search=False).rebuilt == {"sydby"}
    for name, data in planted.items():
        assert next((pieces / name).glob("nordby.*")).read_bytes() != data  # made again
    forget_map_labels()
    build(two_districts.root, tmp_path / "full", reuse=False, search=False)
    assert tree_digest(out) == tree_digest(tmp_path / "full")


def _bent(part: dict, how: str) -> bytes:
    """Nordby's kept part of the manifest, changed as a file nobody here wrote might be."""
    import json

    if how == "surrogate":  # valid JSON and UTF-8, but a lone surrogate once read
        part["programme"][0][3]["title"] = "SURROGATE"
        return json.dumps(part, ensure_ascii=False, separators=(",", ":")).replace("SURROGATE", "\\ud800").encode()
    if how == "nan":
        part["entry"]["hub"]["lat"] = float("nan")
    elif how == "three":
        part["programme"][0] = part["programme"][0][:3]
    elif how == "fewer":
        part["programme"] = part["programme"][1:]
    elif how == "spaced":
        return json.dumps(part, ensure_ascii=False).encode()
    else:  # "escaped": "ø" written as \u00f8
        part["entry"]["name"] = "Nørdby"
        return json.dumps(part, separators=(",", ":")).encode()
    return json.dumps(part, ensure_ascii=False, separators=(",", ":")).encode()


@pytest.mark.parametrize("how", ["surrogate", "nan", "three", "fewer", "spaced", "escaped"])
def test_a_kept_part_of_the_manifest_that_the_build_would_not_write_is_made_again(two_districts, tmp_path, how):
    """A district's part is put into portal.json as kept; it is read back only if it is the bytes this
    code writes, with an occurrence for each of the district's, so it can break neither the file nor
    the build (a lone surrogate stopped it with a traceback)."""
    import json

    out = tmp_path / "site"
    build(two_districts.root, out, search=False)
    (piece,) = (tmp_path / ".knutepunkt-cache/site/fragments/manifest").glob("nordby.*")
    planted = _bent(json.loads(piece.read_bytes()), how)
    piece.write_bytes(planted)
    sydby = two_districts.root / "districts/sydby/district.yaml"  # another district's edit: Nordby's part is read
    sydby.write_text(sydby.read_text("utf-8").replace("Torget 2", "Torget 4"), "utf-8")
    assert build(two_districts.root, out, search=False).rebuilt == {"sydby"}
    assert piece.read_bytes() != planted
    forget_map_labels()
    build(two_districts.root, tmp_path / "full", reuse=False, search=False)
    assert tree_digest(out) == tree_digest(tmp_path / "full")


@pytest.mark.parametrize("name, planted", [
    ("cpsv", b"@prefix dct: <http://purl.org/dc/terms/> .\n"),  # Turtle, but without the date put in
    ("cpsv", b'dct:modified "0001-01-01"^^xsd:date <https://evil.example/> .\n'),
    ("ics", b"BEGIN:VCALENDAR\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"),
    ("ics", b"BEGIN:VEVENT\r\nEND:VEVENT\r\n"),
])
def test_a_kept_catalogue_or_calendar_that_the_build_would_not_make_is_made_again(two_districts, tmp_path,
                                                                                   monkeypatch, name, planted):
    """The whole files a night writes out as they were kept are read back only as what the build
    makes: a service catalogue with one date to put in, one calendar."""
    out = tmp_path / "site"
    at_noon(monkeypatch, "2026-11-24")
    build(two_districts.root, out, search=False)
    (piece,) = (tmp_path / ".knutepunkt-cache/site/fragments" / name).glob("_whole.*")
    piece.write_bytes(planted)
    at_noon(monkeypatch, "2026-11-25")
    build(two_districts.root, out, search=False)
    assert piece.read_bytes() != planted  # made again
    build(two_districts.root, tmp_path / "full", reuse=False, search=False)
    assert tree_digest(out) == tree_digest(tmp_path / "full")


def test_a_new_week_makes_the_posters_again_but_reads_their_qr_codes_and_the_share_cards_back(
        two_districts, tmp_path, monkeypatch):
    """Sunday → Monday every district page is made again, yet a poster's QR codes and a district's
    share card read nothing of the day: they are kept while the district's files are."""
    out = tmp_path / "site"
    at_noon(monkeypatch, "2026-11-29")
    build(two_districts.root, out, search=False)
    pieces = tmp_path / ".knutepunkt-cache/site/fragments"

    def kept() -> dict[str, int]:
        return {f"{p.parent.name}/{p.name}": p.stat().st_ino for name in ("qr-nb", "share-card")
                for p in (pieces / name).iterdir()}

    made = kept()
    assert sorted(k.split(".")[0] for k in made) == ["qr-nb/nordby", "qr-nb/sydby",
                                                     "share-card/nordby", "share-card/sydby"]
    at_noon(monkeypatch, "2026-11-30")
    assert build(two_districts.root, out, search=False).rebuilt == {"nordby", "sydby"}
    assert kept() == made  # read back, not made again
    poster = (out / "nordby/plakat/index.html").read_text("utf-8")
    assert poster.count('<svg role="img" aria-label="QR-kode: ') == 2
    sydby = two_districts.root / "districts/sydby/district.yaml"
    sydby.write_text(sydby.read_text("utf-8").replace("Torget 2", "Torget 4"), "utf-8")
    build(two_districts.root, out, search=False)
    assert {k for k in kept() if k.startswith("share-card/sydby")} != {k for k in made if k.startswith("share-card/sydby")}
    # The cache folder may hold files nobody on this machine wrote (a restored CI cache): a stored
    # piece that is not one the build makes is made again, never shown as it is.
    planted = next((pieces / "qr-nb").glob("nordby.*"))
    planted.write_text('["<svg onload=alert(1)>", "<script>alert(2)</script>"]', "utf-8")
    card = next((pieces / "share-card").glob("nordby.*"))
    card.write_bytes(b"<html>")
    at_noon(monkeypatch, "2026-12-07")  # the next week: the posters are made again
    build(two_districts.root, out, search=False)
    assert "alert(" not in (out / "nordby/plakat/index.html").read_text("utf-8")
    assert (out / "nordby/deling.png").read_bytes().startswith(b"\x89PNG")
    forget_map_labels()
    build(two_districts.root, tmp_path / "full", reuse=False, search=False)
    assert tree_digest(out) == tree_digest(tmp_path / "full")


def test_a_services_all_districts_page_is_made_once_a_week(two_districts, tmp_path, monkeypatch, inode):
    """Its hours and drop-in times go from Monday (the browser finds today), so a night leaves the
    page as it is, Monday makes it again, and so does a notice for the whole municipality coming
    into force (every page shows it)."""
    from conftest import SITE

    two_districts.write("site.yaml", SITE + 'notices:\n  - {text: "Strømbrudd", from: 2026-11-27, to: 2026-11-27}\n')
    out = tmp_path / "site"
    at_noon(monkeypatch, "2026-11-24")
    build(two_districts.root, out, search=False)
    page = out / "tjenester/helsestasjon/index.html"
    assert 'class="today-hours"' in page.read_text("utf-8")
    made = {}
    for day in ("2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28", "2026-11-30"):
        before = inode(page)
        at_noon(monkeypatch, day)
        build(two_districts.root, out, search=False)
        made[day] = inode(page) != before
        build(two_districts.root, tmp_path / day, reuse=False, search=False)
        assert tree_digest(out) == tree_digest(tmp_path / day), day
    assert made == {"2026-11-25": False, "2026-11-26": False, "2026-11-27": True, "2026-11-28": True,
                    "2026-11-30": True}


def test_with_templates_of_the_sites_own_a_services_all_districts_page_is_made_every_night(
        two_districts, tmp_path, monkeypatch):
    """Only the default templates are known to show days from Monday there: a template of the site's
    own may show today, so the page is made again each night (and equals a full build)."""
    two_districts.write("theme/templates/kind.html", '{% extends "default/kind.html" %}\n'
                        "{% block main %}<p>{{ fmt_date(today) }}</p>{{ super() }}{% endblock %}\n")
    out = tmp_path / "site"
    at_noon(monkeypatch, "2026-11-24")
    build(two_districts.root, out, search=False)
    at_noon(monkeypatch, "2026-11-25")
    build(two_districts.root, out, search=False)
    assert "<p>onsdag 25. november</p>" in (out / "tjenester/helsestasjon/index.html").read_text("utf-8")
    build(two_districts.root, tmp_path / "full", reuse=False, search=False)
    assert tree_digest(out) == tree_digest(tmp_path / "full")


def test_on_monday_a_districts_pages_and_news_are_carried_over_unless_a_notice_moves(two_districts, tmp_path,
                                                                                      monkeypatch, inode):
    """A new week makes every district page again but its text pages and news (and their
    translations): they show nothing of the day but the notices in force, so a notice starting on a
    Monday makes them again too. Either way the output is a full build's of that day."""
    for slug in ("nordby", "sydby"):
        two_districts.write(f"districts/{slug}/pages/om.md", "---\ntitle: Om oss\n---\nOm knutepunktet.\n")
        two_districts.write(f"districts/{slug}/pages/om.pl.md", "---\ntitle: O nas\n---\nO punkcie.\n")
        two_districts.write(f"districts/{slug}/news/apner.md",
                            "---\ntitle: Vi åpner\ndate: 2026-11-02\nsummary: Nå åpner vi.\n---\nVelkommen.\n")
        two_districts.write(f"districts/{slug}/news/apner.pl.md",
                            "---\ntitle: Otwieramy\nsummary: Otwieramy.\n---\nWitamy.\n")
    sydby = two_districts.root / "districts/sydby/district.yaml"  # its notice starts on Monday 7 December
    sydby.write_text(sydby.read_text("utf-8").replace("from: 2026-12-08", "from: 2026-12-07"), "utf-8")
    files = [f"{lang}{slug}/{page}/index.html" for lang in ("", "pl/") for slug in ("nordby", "sydby")
             for page in ("om", "nyheter/apner")]
    out = tmp_path / "site"

    def inodes() -> dict[str, int]:
        return {f: inode(out / f) for f in files}

    for before, monday, made in [("2026-11-29", "2026-11-30", set()), ("2026-12-06", "2026-12-07", {"sydby"})]:
        at_noon(monkeypatch, before)
        build(two_districts.root, out)
        kept = inodes()
        at_noon(monkeypatch, monday)
        assert build(two_districts.root, out).rebuilt == {"nordby", "sydby"}
        assert {f.removeprefix("pl/").split("/")[0] for f, ino in inodes().items() if ino != kept[f]} == made, monday
        build(two_districts.root, tmp_path / monday, reuse=False)
        assert tree_digest(out) == tree_digest(tmp_path / monday), monday


def test_the_one_door_ins_files_around_its_pages_are_kept_on_a_night_unless_a_notice_for_all_moves(
        two_districts, tmp_path, monkeypatch, inode):
    """Its stylesheets, icons, share card and schemas, and its search, accessibility and 404 pages show
    nothing of the day but the municipality's notices in force: a night lends them, a notice's first
    day makes them again with it."""
    from conftest import SITE

    two_districts.write("site.yaml", SITE + 'notices:\n  - {text: "Strømbrudd", from: 2026-11-27, to: 2026-11-27}\n')
    out = tmp_path / "site"
    files = ["static/css/site.css", "favicon.ico", "deling.png", "apne-data/schema.json", "sok/index.html",
             "tilgjengelighet/index.html", "404.html"]
    made = {}
    for day in ("2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"):
        at_noon(monkeypatch, day)
        build(two_districts.root, out)
        made[day] = {f: inode(out / f) for f in files}
    assert made["2026-11-25"] == made["2026-11-24"] == made["2026-11-26"]
    assert all(made["2026-11-27"][f] != made["2026-11-26"][f] for f in files)
    assert "Strømbrudd" in (out / "404.html").read_text("utf-8")
    build(two_districts.root, tmp_path / "full", reuse=False)
    assert tree_digest(out) == tree_digest(tmp_path / "full")


def test_the_searchs_word_list_is_made_again_only_when_a_text_changes(two_districts, tmp_path, monkeypatch):
    """The one door in's word list ("Mente du …?") holds the words of every district's texts and
    nothing of the day: a night keeps it, an edit anywhere makes it again."""
    out = tmp_path / "site"
    words = out / "sok/ordliste.json"
    at_noon(monkeypatch, "2026-11-24")
    build(two_districts.root, out)
    made = words.stat().st_ino
    at_noon(monkeypatch, "2026-11-25")
    build(two_districts.root, out)
    assert words.stat().st_ino == made
    two_districts.write("districts/sydby/pages/om.md", "---\ntitle: Om oss\n---\nSnekkerverksted hver tirsdag.\n")
    build(two_districts.root, out)
    assert "snekkerverksted" in words.read_text("utf-8")
    build(two_districts.root, tmp_path / "full", reuse=False)
    assert tree_digest(out) == tree_digest(tmp_path / "full")


def test_an_edit_counts_the_words_of_its_own_district_alone(two_districts, tmp_path, monkeypatch):
    """The word lists are made of each district's word counts, kept while its files are: an edit counts
    the words of the district it is in, not every district's, and a kept count that is not what this
    code writes (planted, cut short) is counted again. The lists are those a full build makes."""
    from hub.site import wordlist

    out = tmp_path / "site"
    at_noon(monkeypatch, "2026-11-24")
    build(two_districts.root, out)
    counted: list[str] = []
    count = wordlist.counts
    monkeypatch.setattr(wordlist, "counts", lambda portal, d: counted.append(d.slug) or count(portal, d))
    two_districts.write("districts/sydby/pages/om.md", "---\ntitle: Om oss\n---\nSnekkerverksted hver tirsdag.\n")
    build(two_districts.root, out)
    assert counted == ["sydby"]  # for its own list and the one door in's
    assert "snekkerverksted" in (out / "sok/ordliste.json").read_text("utf-8")
    assert "snekkerverksted" in (out / "sydby/sok/ordliste.json").read_text("utf-8")

    for kept in (tmp_path / ".knutepunkt-cache").glob("*/fragments/words/[_n]*"):  # nordby's counts, and the sum
        kept.write_bytes(kept.read_bytes()[:-1])
    two_districts.write("districts/sydby/pages/om.md", "---\ntitle: Om oss\n---\nSnekkerverksted hver onsdag.\n")
    counted.clear()
    build(two_districts.root, out)
    assert sorted(counted) == ["nordby", "sydby"]
    monkeypatch.undo()
    at_noon(monkeypatch, "2026-11-24")
    build(two_districts.root, tmp_path / "full", reuse=False)
    assert tree_digest(out) == tree_digest(tmp_path / "full")


def test_the_one_door_ins_word_list_adds_up_only_what_an_edit_changed(two_districts, tmp_path, monkeypatch):
    """The one door in's word counts are kept summed: an edit takes the sum of the build before and
    the edited district's difference, without reading the other districts' counts. A kept sum cut
    short, or an old count gone, and every district's counts are added up again: the same list."""
    from hub.pipeline import incremental

    out, full = tmp_path / "site", tmp_path / "full"
    at_noon(monkeypatch, "2026-11-24")
    build(two_districts.root, out)
    words = next((tmp_path / ".knutepunkt-cache").glob("*/fragments/words"))
    read: list[str] = []
    read_kept = incremental.read_kept
    monkeypatch.setattr(incremental, "read_kept", lambda p: (read.append(p.name) if p.parent == words else None)
                        or read_kept(p))

    def edit(weekday: str) -> None:
        two_districts.write("districts/sydby/pages/om.md", f"---\ntitle: Om oss\n---\nSnekkerverksted {weekday}.\n")
        read.clear()
        build(two_districts.root, out)
        build(two_districts.root, full, reuse=False)
        assert tree_digest(out) == tree_digest(full)
        assert weekday in (out / "sok/ordliste.json").read_text("utf-8")

    edit("tirsdag")
    assert not [name for name in read if name.startswith("nordby.")]
    assert any(name.startswith("_sum.") for name in read)
    (kept,) = words.glob("_sum.*")
    kept.write_bytes(kept.read_bytes()[:-1])
    edit("onsdag")
    assert [name for name in read if name.startswith("nordby.")]  # added up again
    for old in words.glob("sydby.*"):
        old.unlink()
    edit("torsdag")
    assert [name for name in read if name.startswith("nordby.")]
    edit("fredag")
    assert not [name for name in read if name.startswith("nordby.")]


def test_a_night_reads_the_catalogue_the_calendar_and_the_words_parts_back(two_districts, tmp_path, monkeypatch):
    """The service catalogue and the calendar of every district read nothing of the day but the week
    and the holidays ahead: a night makes neither again (the catalogue is dated today all the same).
    The pages it makes again, in forked processes as a build with more than one job makes them, split
    their words with the parts kept from the night before, without reading the 200,000-word list."""
    from hub.exports import cpsv, ical
    from hub.site import compounds

    out = tmp_path / "site"
    at_noon(monkeypatch, "2026-11-25")
    build(two_districts.root, out, jobs=2)
    (kept,) = (tmp_path / ".knutepunkt-cache").glob("splits-*.txt")
    assert "\njulemarked jul" in "\n" + kept.read_text("utf-8")  # split in a forked process, kept by the build

    def refuse(*args, **kwargs):
        raise AssertionError("made again on a night")

    for module, name in ((cpsv, "head"), (cpsv, "offers"), (ical, "calendar"), (compounds, "load_vocabulary")):
        monkeypatch.setattr(module, name, refuse)
    for name, value in (("_VOCABULARY", None), ("_KEPT", None), ("_MADE", {})):  # as in a process of its own
        monkeypatch.setattr(compounds, name, value)
    at_noon(monkeypatch, "2026-11-26")
    assert build(two_districts.root, out, jobs=2).rebuilt == frozenset()  # the market's page alone is made again
    assert 'dct:modified "2026-11-26"^^xsd:date' in (out / "apne-data/tjenester.ttl").read_text("utf-8")
    monkeypatch.undo()
    at_noon(monkeypatch, "2026-11-26")
    build(two_districts.root, tmp_path / "full", reuse=False)
    assert tree_digest(out) == tree_digest(tmp_path / "full")


def test_the_pagefind_version_bundles_are_kept_by_is_the_binarys_own(monkeypatch):
    """A night keeps a bundle only if this Pagefind made it. The version comes from the wheel that
    ships the binary, without starting it (35 ms of a night at one district): it must be what the
    binary says, and a binary from elsewhere (PAGEFIND_BINARY_PATH) is asked."""
    import re
    import subprocess

    from pagefind.service import get_executable

    from hub.pipeline import search

    exe = get_executable()
    assert exe is not None
    said = re.search(r"\d+\.\d+\.\d+\S*", subprocess.run([str(exe), "--version"], capture_output=True,
                                                          text=True, check=True).stdout)
    assert said is not None
    search.pagefind_version.cache_clear()
    assert search.pagefind_version() == said.group(0)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(exe))
    calls: list[list[str]] = []
    real = subprocess.run
    monkeypatch.setattr(subprocess, "run", lambda cmd, **kw: calls.append(cmd) or real(cmd, **kw))
    search.pagefind_version.cache_clear()
    try:
        assert search.pagefind_version() == said.group(0) and calls == [[str(exe), "--version"]]
    finally:
        search.pagefind_version.cache_clear()
