"""Spec: calendar feeds show exactly what the programme pages show, and structured data is valid schema.org."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from conftest import DEMO

from hub.content.loader import load

OSLO = ZoneInfo("Europe/Oslo")
OCC = re.compile(r'<li class="occ( cancelled)?">\s*<span class="time"><time datetime="([^"]+)">.*?</span>\s*'
                 r'<a href="([^"]+)">', re.S)


def _event_key(url: str) -> str:
    """``…/bragernes/program/nav-besok/…`` → ``bragernes/nav-besok``, for HTML links and ICS URLs alike."""
    m = re.search(r"([a-z0-9-]+)/program/([a-z0-9-]+)/", url)
    assert m, url
    return f"{m.group(1)}/{m.group(2)}"


def html_occurrences(page: Path) -> Counter[tuple[str, str, bool]]:
    """(event, start, cancelled) for every occurrence listed on a programme page."""
    return Counter((_event_key(page.parent.as_posix() + "/" + href if not href.startswith("..") else
                               (page.parent / href).resolve().as_posix()), start, bool(cancelled))
                   for cancelled, start, href in OCC.findall(page.read_text("utf-8")))


def ics_occurrences(path: Path, first: dt.date, last: dt.date) -> Counter[tuple[str, str, bool]]:
    """The programme's occurrences in a feed (plans' deadlines, all-day events, are compared in test_plans.py)."""
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    start = dt.datetime.combine(first, dt.time(0), OSLO)
    end = dt.datetime.combine(last + dt.timedelta(1), dt.time(0), OSLO)
    return Counter((_event_key(str(ev["URL"])), ev.decoded("DTSTART").astimezone(OSLO).isoformat(timespec="minutes"),
                    str(ev.get("STATUS", "")) == "CANCELLED")
                   for ev in recurring_ical_events.of(cal).between(start, end) if "/planer/" not in str(ev["URL"]))


def test_every_district_calendar_matches_its_programme_page(demo_site):
    portal = load(DEMO)
    first, last = portal.window()
    for d in portal.districts:
        shown = html_occurrences(demo_site / d.slug / "program/index.html")
        assert shown, d.slug
        assert ics_occurrences(demo_site / d.slug / "kalender.ics", first, last) == shown, d.slug


def test_combined_calendar_matches_the_combined_programme(demo_site):
    portal = load(DEMO)
    shown = html_occurrences(demo_site / "program/index.html")
    assert sum(shown.values()) > 150
    assert any(c for _, _, c in shown)  # a cancelled occurrence is part of the comparison
    assert ics_occurrences(demo_site / "kalender.ics", *portal.window()) == shown


def test_single_event_calendar_expands_like_the_event_page(demo_site):
    portal = load(DEMO)
    d = portal.district("bragernes")
    for e in d.events:
        dates = {o.day for x in portal.listings(d) if x.event.slug == e.slug for o in [x.occ]}
        got = {dt.date.fromisoformat(s[:10]) for _, s, _ in ics_occurrences(
            demo_site / f"bragernes/program/{e.slug}.ics", *portal.window())}
        assert got == dates, e.slug


def test_feeds_carry_vtimezone_stable_uids_and_rrules(demo_site):
    cal = icalendar.Calendar.from_ical((demo_site / "kalender.ics").read_bytes())
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Oslo"]
    events = {str(e["UID"]): e for e in cal.walk("VEVENT") if "RECURRENCE-ID" not in e}
    assert "bragernes-nav-besok@knutepunkt.example.no" in events
    nav = events["bragernes-nav-besok@knutepunkt.example.no"]
    assert nav["RRULE"]["FREQ"] == ["WEEKLY"] and "RDATE" not in nav
    extra = events["bragernes-nav-besok-20270104@knutepunkt.example.no"]  # the extra Monday 4 January
    assert extra.decoded("DTSTART").isoformat() == "2027-01-04T09:00:00+01:00" and "RRULE" not in extra
    assert "EXDATE" in events["mjondalen-nav-besok@knutepunkt.example.no"]  # skipped Monday 28 December
    again = icalendar.Calendar.from_ical((demo_site / "kalender.ics").read_bytes())
    assert sorted(str(e["UID"]) for e in again.walk("VEVENT")) == sorted(str(e["UID"]) for e in cal.walk("VEVENT"))


@pytest.mark.parametrize("tree_event, expected", [
    # weekly noon session across spring DST (28 March 2027) and autumn DST (31 October 2027)
    ({"repeat": {"days": ["sun"], "from": "2027-03-21", "until": "2027-11-07"}},
     ["2027-03-21T12:00+01:00", "2027-03-28T12:00+02:00", "2027-10-31T12:00+01:00", "2027-11-07T12:00+01:00"]),
    # across the new year, with a skipped and an extra date
    ({"repeat": {"days": ["thu"], "from": "2026-12-17", "until": "2027-01-14", "skip": ["2026-12-31"],
                 "extra": ["2027-01-02"]}},
     ["2026-12-17T12:00+01:00", "2026-12-24T12:00+01:00", "2027-01-02T12:00+01:00", "2027-01-07T12:00+01:00",
      "2027-01-14T12:00+01:00"]),
])
def test_ics_expansion_across_dst_and_year_boundary(tree, tmp_path, tree_event, expected):
    import yaml

    from hub.pipeline.steps import build

    front = {"title": "Økt", "start": "12:00", "end": "13:00", **tree_event}
    tree.write("districts/nordby/programme/babytreff.md", "---\n" + yaml.safe_dump(front) + "---\n")
    out = tmp_path / "site"
    build(tree.root, out, search=False)
    cal = icalendar.Calendar.from_ical((out / "nordby/program/babytreff.ics").read_bytes())
    got = sorted(ev.decoded("DTSTART").isoformat(timespec="minutes")
           for ev in recurring_ical_events.of(cal).between(dt.date(2026, 12, 1), dt.date(2028, 1, 1)))
    interesting = {s[:10] for s in expected}
    assert [s for s in got if s[:10] in interesting] == expected
    assert "2026-12-31T12:00+01:00" not in got


def _walk(node, found):
    if isinstance(node, dict):
        if "@type" in node:
            found["types"].add(node["@type"])
        for k, v in node.items():
            if not k.startswith("@"):
                found["props"].add(k)
            _walk(v, found)
    elif isinstance(node, list):
        for v in node:
            _walk(v, found)
    elif isinstance(node, str) and node.startswith("https://schema.org/"):
        found["enums"].add(node.removeprefix("https://schema.org/"))


def test_every_json_ld_block_parses_and_uses_schema_org_terms(demo_site):
    found = {"types": set(), "props": set(), "enums": set()}
    blocks = 0
    for page in demo_site.rglob("*.html"):
        for raw in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.read_text("utf-8"), re.S):
            data = json.loads(raw)
            assert data["@context"] == "https://schema.org"
            _walk(data, found)
            blocks += 1
    assert blocks > 150
    from rdflib.namespace import SDO  # here: pytest's collection asks a module's names for attributes,
    # and rdflib's namespace warns about each one it does not define
    vocabulary = set(SDO.__annotations__)
    assert found["types"] >= {"GovernmentService", "CivicStructure", "Event", "OpeningHoursSpecification"}
    assert found["types"] - vocabulary == set()
    assert found["props"] - vocabulary == set()
    assert found["enums"] - vocabulary == set()
    assert "EventCancelled" in found["enums"] and "specialOpeningHoursSpecification" in found["props"]
