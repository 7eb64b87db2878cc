"""Spec: times are accepted as Norwegians write them, ambiguous ones are refused, and a night range
(Friday 19.00–01.00) belongs to the day it starts — in the rules, the badge and the calendars."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hub.content.model import OpeningHours, TimeRange
from hub.time.hours import HolidayCalendar, status_at
from hub.time.notation import FORMS, parse_ranges

OSLO = ZoneInfo("Europe/Oslo")
T = dt.time


@pytest.mark.parametrize("text, expected", [
    ("10.00-16.00", [(T(10), T(16))]),                      # Språkrådet: klokka 10.00
    ("10:00–16:00", [(T(10), T(16))]),                      # colon and en dash
    ("kl. 10–16", [(T(10), T(16))]),
    ("klokka 10 - 16", [(T(10), T(16))]),
    ("10-16", [(T(10), T(16))]),
    ("9-16", [(T(9), T(16))]),
    ("10.00 - 16.00", [(T(10), T(16))]),
    ("10–16 og 17–20", [(T(10), T(16)), (T(17), T(20))]),
    ("09:00-11:30, 12:00-16:00", [(T(9), T(11, 30)), (T(12), T(16))]),
    ("9 til 15.30", [(T(9), T(15, 30))]),
    ("08:00-24:00", [(T(8), T.max)]),
    ("19.00-01.00", [(T(19), T(1))]),                       # a night: past midnight
    ("stengt", []),
    ("Stengt", []),
    (["10-12", "13-15"], [(T(10), T(12)), (T(13), T(15))]),
])
def test_every_accepted_notation(text, expected):
    assert parse_ranges(text) == expected


@pytest.mark.parametrize("text, why", [
    ("9-5", "er uklart"),                 # nine to five: a morning start does not run past midnight
    ("12-1", "er uklart"),
    ("1030-1600", "kan ikke leses"),
    ("10.5-12", "kan ikke leses"),
    ("25:00-26:00", "kan ikke leses"),
    ("10", "kan ikke leses"),
    ("10-10", "slutter når det starter"),
    ("24-02", "24:00 kan bare være slutten"),
    ("morgen", "kan ikke leses"),
    ("10-16 stengt", "kan ikke leses"),
])
def test_ambiguous_and_unreadable_times_are_refused_with_the_accepted_forms(text, why):
    with pytest.raises(ValueError) as e:
        parse_ranges(text)
    assert why in str(e.value)
    if "kan ikke leses" in why:
        assert FORMS in str(e.value)


clocks = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@st.composite
def ranges(draw):
    start = draw(clocks)
    end = draw(clocks.filter(lambda e: e != start))
    if end < start and not (start >= T(15) and end <= T(9)):
        start, end = end, start
    return TimeRange(start, end)


@given(ranges(), st.sampled_from(["{s:%H:%M}-{e}", "{s:%H.%M}–{e}", "kl. {s:%H.%M} - {e}"]))
def test_normalised_ranges_print_back_to_a_form_that_parses_to_the_same_value(r, form):
    assert OpeningHours.model_validate({"weekly": {"mon": r.source()}}).weekly["mon"] == (r,)
    text = form.format(s=r.start, e=r.end_text.replace(":", "."))
    assert OpeningHours.model_validate({"weekly": {"mon": text}}).weekly["mon"] == (r,)


def _friday_night() -> OpeningHours:
    return OpeningHours.model_validate({"weekly": {"fri": "19.00-01.00", "sat": "12-16"}, "holidays": "open"})


@pytest.mark.parametrize("when, is_open, change", [
    ("2026-11-27T18:59", False, "2026-11-27T19:00"),   # Friday evening, before
    ("2026-11-27T23:30", True, "2026-11-28T01:00"),    # Friday night
    ("2026-11-28T00:30", True, "2026-11-28T01:00"),    # Saturday 00:30 belongs to Friday night
    ("2026-11-28T01:00", False, "2026-11-28T12:00"),   # closed at one, opens at noon
])
def test_a_night_range_belongs_to_the_day_it_starts(when, is_open, change):
    status = status_at(_friday_night(), dt.datetime.fromisoformat(when).replace(tzinfo=OSLO), HolidayCalendar())
    assert (status.is_open, status.change) == (is_open, dt.datetime.fromisoformat(change).replace(tzinfo=OSLO))


@pytest.fixture
def night_site(tree, tmp_path):
    """A district whose hub is open Friday 19.00–01.00, with a Friday youth-club night in the programme."""
    from conftest import DISTRICT

    from hub.pipeline.steps import build

    tree.write("districts/nordby/district.yaml", DISTRICT.replace('tue: "10:00-18:00"', 'tue: "10:00-18:00"\n'
                                                                  '      fri: "19.00-01.00"'))
    tree.write("districts/nordby/programme/fredagsklubb.md", "---\ntitle: Fredagsklubb\nrepeat:\n  days: [fri]\n"
               "  from: 2026-11-27\n  until: 2027-04-30\nstart: \"19.00\"\nend: \"01.00\"\n---\nUngdomsklubb.\n")
    out = tmp_path / "site"
    build(tree.root, out, search=False)
    return out


@pytest.mark.browser
def test_the_badge_shows_friday_night_open_at_half_past_midnight_on_saturday(browser, night_site):
    from conftest import serve

    url, server = serve(night_site)
    try:
        page = browser.new_page()
        page.clock.set_fixed_time(dt.datetime(2026, 11, 28, 0, 30, tzinfo=OSLO))  # Saturday 00:30
        page.goto(f"{url}/nordby/")
        assert page.locator(".hubcard .badge").inner_text() == "Åpent nå – stenger 01.00"
        page.clock.set_fixed_time(dt.datetime(2026, 11, 28, 1, 0, tzinfo=OSLO))
        page.goto(f"{url}/nordby/")
        assert page.locator(".hubcard .badge").inner_text() == "Stengt – åpner mandag 09.00"
        page.close()
    finally:
        server.shutdown()


def test_ical_js_expands_a_night_session_with_the_right_utc_start_and_end(night_site):
    import json
    import subprocess

    from calendar_clients import EXPAND, ical_js

    feed = night_site / "nordby/program/fredagsklubb.ics"
    r = subprocess.run(["node", str(EXPAND), str(ical_js()), "2026-11-27T00:00:00Z", "2026-12-05T00:00:00Z",
                        str(feed)], check=True, capture_output=True, text=True)
    found = [(o["start"], o["end"]) for o in map(json.loads, r.stdout.splitlines())]
    assert found == [("2026-11-27T18:00:00.000Z", "2026-11-28T00:00:00.000Z"),   # 19:00–01:00 Oslo (UTC+1)
                     ("2026-12-04T18:00:00.000Z", "2026-12-05T00:00:00.000Z")]
    page = (night_site / "nordby/program/index.html").read_text("utf-8")
    assert '<time datetime="2026-11-27T19:00+01:00">19.00</time>–<time datetime="2026-11-28T01:00+01:00">01.00</time>' in page
