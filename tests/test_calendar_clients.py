"""Spec: every calendar feed reads the same in ical.js, recurring-ical-events and ical, and as the pages show.

The feeds are what citizens subscribe to in Thunderbird, Outlook, Google, Apple
and Home Assistant; each reader here stands in for a family of those apps, and
the Outlook rules (MS-OXCICAL) are linted on the bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from calendar_clients import Occ, all_three, with_ical_js
from test_calendars import OCC, _event_key

from hub.pipeline.steps import build
from hub.time.vtimezone import vtimezone

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
UTC = dt.UTC
FIRST = dt.datetime(2026, 11, 23, tzinfo=UTC)
LAST = dt.datetime(2027, 12, 31, tzinfo=UTC)


def keyed(found: Counter[Occ]) -> Counter[Occ]:
    """``(event key, start, cancelled)`` of the programme: ICS URLs are absolute, page links relative.
    (Plans' deadlines are compared in test_plans.py.)"""
    return Counter({(_event_key(url), start, c): n for (url, start, c), n in found.items() if "/planer/" not in url})


def page_occurrences(page: Path) -> Counter[Occ]:
    """What a programme page lists, start times in UTC."""
    out: Counter[Occ] = Counter()
    for cancelled, start, href in OCC.findall(page.read_text("utf-8")):
        when = dt.datetime.fromisoformat(start).astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")
        out[(_event_key((page.parent / href).resolve().as_posix()), when, bool(cancelled))] += 1
    return out


def test_every_feed_of_the_demo_reads_the_same_in_three_parsers_and_as_the_pages_show(demo_site):
    feeds = sorted(demo_site.rglob("*.ics"))
    assert len(feeds) > 40
    found = all_three(feeds, FIRST, LAST)
    # The programme pages show the coming weeks: the feeds, cut to the same days, say the same.
    for page, feed in [(demo_site / "program/index.html", demo_site / "kalender.ics"),
                       *[(p, p.parent.parent / "kalender.ics") for p in demo_site.glob("*/program/index.html")]]:
        shown = page_occurrences(page)
        assert shown, page
        days = {start[:10] for _, start, _ in shown}
        window_end = max(days)
        in_window = Counter({k: n for k, n in keyed(found[feed]).items() if k[1][:10] <= window_end})
        assert in_window == shown, (page, in_window - shown, shown - in_window)


SESSIONS = {
    # weekly at noon across spring (28 March 2027) and autumn (31 October 2027) DST changes
    "sondagstreff": {"repeat": {"days": ["sun"], "from": "2027-03-21", "until": "2027-11-07"}},
    # every other Tuesday, with a skipped and a cancelled date
    "annenhver": {"repeat": {"days": ["tue"], "interval": 2, "from": "2026-11-24", "until": "2027-01-19",
                             "skip": ["2026-12-22"]}, "cancelled_dates": ["2027-01-05"]},
    # across the new year, with a skipped, an extra and a cancelled date
    "nyttar": {"repeat": {"days": ["thu"], "from": "2026-12-17", "until": "2027-01-14", "skip": ["2026-12-31"],
                          "extra": ["2027-01-02"]}, "cancelled_dates": ["2027-01-07"]},
    # a list of dates, one of them in summer time and one cancelled
    "datoer": {"dates": ["2026-12-08", "2027-04-13", "2027-05-11"], "cancelled_dates": ["2027-05-11"]},
    # a single date in summer time
    "enkelt": {"date": "2027-06-05"},
}

EXPECTED = {  # noon Oslo time in UTC: 11:00Z in winter, 10:00Z in summer
    "sondagstreff": [("2027-03-21T11:00Z", False), ("2027-03-28T10:00Z", False)]
                    + [(f"{d}T10:00Z", False) for d in (
                        "2027-04-04", "2027-04-11", "2027-04-18", "2027-04-25", "2027-05-02", "2027-05-09",
                        "2027-05-16", "2027-05-23", "2027-05-30", "2027-06-06", "2027-06-13", "2027-06-20",
                        "2027-06-27", "2027-07-04", "2027-07-11", "2027-07-18", "2027-07-25", "2027-08-01",
                        "2027-08-08", "2027-08-15", "2027-08-22", "2027-08-29", "2027-09-05", "2027-09-12",
                        "2027-09-19", "2027-09-26", "2027-10-03", "2027-10-10", "2027-10-17", "2027-10-24")]
                    + [("2027-10-31T11:00Z", False), ("2027-11-07T11:00Z", False)],
    "annenhver": [("2026-11-24T11:00Z", False), ("2026-12-08T11:00Z", False), ("2027-01-05T11:00Z", True),
                  ("2027-01-19T11:00Z", False)],
    "nyttar": [("2026-12-17T11:00Z", False), ("2026-12-24T11:00Z", False), ("2027-01-02T11:00Z", False),
               ("2027-01-07T11:00Z", True), ("2027-01-14T11:00Z", False)],
    "datoer": [("2026-12-08T11:00Z", False), ("2027-04-13T10:00Z", False), ("2027-05-11T10:00Z", True)],
    "enkelt": [("2027-06-05T10:00Z", False)],
}


@pytest.fixture(scope="module")
def sessions_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import EPOCH, SITE, Tree

    root = tmp_path_factory.mktemp("sessions")
    tree = Tree(root / "content")
    tree.write("site.yaml", SITE + "programme_weeks: 52\n")
    tree.write("districts/nordby/district.yaml", (Path(__file__).parent / "conftest.py").read_text("utf-8")
               .split('DISTRICT = """', 1)[1].split('"""', 1)[0])
    for slug, when in SESSIONS.items():
        front = {"title": slug.capitalize(), "start": "12:00", "end": "13:00", **when}
        tree.write(f"districts/nordby/programme/{slug}.md", "---\n" + yaml.safe_dump(front) + "---\nTekst.\n")
    out = root / "site"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build(tree.root, out, search=False)
    return out


def test_weekly_fortnightly_skipped_cancelled_dated_and_single_sessions_agree_everywhere(sessions_site):
    feeds = [sessions_site / "nordby/kalender.ics", *(sessions_site / f"nordby/program/{s}.ics" for s in SESSIONS)]
    found = all_three(feeds, FIRST, LAST)
    district = keyed(found[feeds[0]])
    for slug, expected in EXPECTED.items():
        got = sorted((start, c) for (key, start, c), n in district.items() for _ in range(n)
                     if key == f"nordby/{slug}")
        assert got == expected, slug
        assert keyed(found[sessions_site / f"nordby/program/{slug}.ics"]) == Counter(
            {k: n for k, n in district.items() if k[0] == f"nordby/{slug}"})
    assert keyed(found[feeds[0]]) == page_occurrences(sessions_site / "nordby/program/index.html")


def _unfolded(raw: bytes) -> list[str]:
    return raw.decode("utf-8").replace("\r\n ", "").split("\r\n")


def test_feeds_follow_outlooks_rules(demo_site, sessions_site):
    """MS-OXCICAL: no RDATE, RRULE only with a zoned DTSTART; RFC 5545: CRLF, lines of at most 75 octets."""
    feeds = [*demo_site.rglob("*.ics"), *sessions_site.rglob("*.ics")]
    for feed in feeds:
        raw = feed.read_bytes()
        assert raw.count(b"\n") == raw.count(b"\r\n"), feed
        assert all(len(line) <= 75 for line in raw.split(b"\r\n")), feed
        lines = _unfolded(raw)
        assert not any(re.match(r"RDATE[;:]", line) for line in lines), feed
        events = "\n".join(lines).split("BEGIN:VEVENT")[1:]
        for ev in events:
            if "\nRRULE:" in ev:
                assert re.search(r"\nDTSTART;TZID=[A-Za-z_/]+:\d{8}T\d{6}\n", ev), (feed, ev)
            assert "\nUID:" in ev and "\nDTSTAMP:" in ev and "\nURL:" in ev and "\nDESCRIPTION:" in ev
        head = "\n".join(lines).split("BEGIN:VTIMEZONE")[0]
        for prop in ("NAME:", "X-WR-CALNAME:", "REFRESH-INTERVAL;VALUE=DURATION:PT12H", "X-PUBLISHED-TTL:PT12H"):
            assert f"\n{prop}" in head, (feed, prop)


def test_uids_are_stable_and_dated_sessions_are_events_of_their_own(sessions_site):
    text = "\n".join(_unfolded((sessions_site / "nordby/kalender.ics").read_bytes()))
    uids = re.findall(r"\nUID:(.+)", text)
    assert "nordby-datoer-20261208@test.example.no" in uids
    assert "nordby-nyttar-20270102@test.example.no" in uids  # the extra date of a weekly rule
    assert uids.count("nordby-nyttar@test.example.no") == 2  # the rule and its cancelled 7 January
    assert "\nEXDATE;TZID=Europe/Oslo:20261231T120000" in text


@pytest.mark.parametrize("tzid", ["Europe/Oslo", "America/New_York", "Australia/Sydney", "Asia/Jerusalem",
                                  "America/Nuuk", "America/Santiago", "Pacific/Chatham", "Asia/Tokyo"])
def test_vtimezone_puts_every_hour_of_the_coming_years_where_the_tz_database_does(tmp_path, tzid):
    """ical.js applies our VTIMEZONE (renamed, so it cannot fall back on a zone it knows) like zoneinfo."""
    zone = ZoneInfo(tzid)
    starts = []
    day = dt.date(2026, 1, 1)
    while day < dt.date(2031, 1, 1):
        for hour in (0, 1, 2, 3, 4, 12, 22, 23):
            starts.append(dt.datetime.combine(day, dt.time(hour)))
        day += dt.timedelta(3)
    # Leave out wall times that do not exist (spring gap) or exist twice (autumn fold): apps differ there.
    starts = [s for s in starts if s.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None) == s
              and s.replace(tzinfo=zone, fold=0).utcoffset() == s.replace(tzinfo=zone, fold=1).utcoffset()]
    fake = "Test/Zone"
    body = "".join(f"BEGIN:VEVENT\r\nUID:{i}@t\r\nDTSTAMP:20260101T000000Z\r\nURL:{s:%Y%m%dT%H%M}\r\n"
                   f"DTSTART;TZID={fake}:{s:%Y%m%dT%H%M%S}\r\nEND:VEVENT\r\n" for i, s in enumerate(starts))
    ics = tmp_path / "zone.ics"
    ics.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
                    + vtimezone(tzid).replace(f"TZID:{tzid}".encode(), f"TZID:{fake}".encode())
                    + body.encode() + b"END:VCALENDAR\r\n")
    got = with_ical_js([ics], dt.datetime(2025, 1, 1, tzinfo=UTC), dt.datetime(2032, 1, 1, tzinfo=UTC))[ics]
    want = Counter((f"{s:%Y%m%dT%H%M}", s.replace(tzinfo=zone).astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ"), False)
                   for s in starts)
    assert got == want, sorted(set(got) ^ set(want))[:6]
