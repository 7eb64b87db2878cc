"""Spec: opening hours are right on every day, at every moment, across holidays, DST and new year."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from hub.content.model import DAYS, OpeningHours, TimeRange
from hub.time.hours import HolidayCalendar, compact_hours, day_hours, day_ranges, status_at

OSLO = ZoneInfo("Europe/Oslo")
CAL = HolidayCalendar(closed_by_default=True, extra=((12, 24, "Julaften"), (12, 31, "Nyttårsaften")))
SPLIT = OpeningHours.model_validate({"weekly": {
    "mon": "09:00-16:00", "tue": "10:00-18:00", "wed": "09:00-16:00", "thu": "10:00-18:00", "fri": "09:00-16:00"}})


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=OSLO)


# --- strategies -------------------------------------------------------------

@st.composite
def ranges_of_a_day(draw: st.DrawFn) -> list[str]:
    """0–3 non-overlapping ranges between 06:00 and 23:00 (hubs do not open in the DST gap)."""
    marks = sorted(draw(st.sets(st.integers(6 * 4, 23 * 4), max_size=6)))
    marks = marks[: len(marks) // 2 * 2]
    return [f"{a // 4:02d}:{a % 4 * 15:02d}-{b // 4:02d}:{b % 4 * 15:02d}" for a, b in zip(marks[::2], marks[1::2], strict=True)]


weekly = st.dictionaries(st.sampled_from(DAYS), ranges_of_a_day())
moments = st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2028, 12, 31),
                       timezones=st.just(dt.UTC)).map(lambda m: m.replace(second=0, microsecond=0))
days_ = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2028, 12, 31))


def contains(ranges: tuple[TimeRange, ...], t: dt.time) -> bool:
    return any(r.start <= t < r.end for r in ranges)


# --- properties -------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(weekly, moments)
def test_status_agrees_with_the_weekly_table(week, moment):
    hours = OpeningHours.model_validate({"weekly": week, "holidays": "open"})
    local = moment.astimezone(OSLO)
    expected = contains(hours.weekly.get(DAYS[local.weekday()], ()), local.time())
    assert status_at(hours, moment, CAL).is_open == expected


@settings(max_examples=300, deadline=None)
@given(weekly, moments)
def test_next_change_is_the_first_moment_the_state_flips(week, moment):
    hours = OpeningHours.model_validate({"weekly": week})
    now = status_at(hours, moment, CAL)
    if now.change is None:
        assert not now.is_open and not any(week.values())
        return
    assert now.change > moment
    assert status_at(hours, now.change, CAL).is_open != now.is_open
    assert status_at(hours, now.change - dt.timedelta(minutes=1), CAL).is_open == now.is_open


@settings(max_examples=200, deadline=None)
@given(weekly, days_, st.one_of(st.none(), ranges_of_a_day()), st.sampled_from(["closed", "open", None]))
def test_dated_exceptions_win_over_weekly_hours_and_holidays(week, day, ranges, policy):
    exc = {"date": day.isoformat(), "closed": True} if not ranges else {"date": day.isoformat(), "hours": ranges}
    hours = OpeningHours.model_validate({"weekly": week, "exceptions": [exc], "holidays": policy})
    got = day_hours(hours, day, CAL)
    assert got.reason == "exception"
    assert [str(r) for r in got.ranges] == [r.replace("-", "–") for r in (ranges or [])]


HOLIDAYS_2027 = [dt.date(2027, 1, 1), dt.date(2027, 3, 25), dt.date(2027, 3, 26), dt.date(2027, 3, 28),
                 dt.date(2027, 3, 29), dt.date(2027, 5, 1), dt.date(2027, 5, 6), dt.date(2027, 5, 16),
                 dt.date(2027, 5, 17), dt.date(2027, 5, 17), dt.date(2027, 12, 25), dt.date(2027, 12, 26)]


@settings(max_examples=100, deadline=None)
@given(weekly, st.sampled_from(HOLIDAYS_2027))
def test_holidays_close_where_configured_and_not_elsewhere(week, day):
    closed = OpeningHours.model_validate({"weekly": week})
    opened = OpeningHours.model_validate({"weekly": week, "holidays": "open"})
    assert day_hours(closed, day, CAL).ranges == ()
    assert day_hours(closed, day, CAL).reason == "holiday"
    assert day_hours(opened, day, CAL).ranges == opened.weekly.get(DAYS[day.weekday()], ())


@settings(max_examples=100, deadline=None)
@given(weekly, days_)
def test_the_days_for_the_browser_match_the_rules_day_by_day(week, start):
    hours = OpeningHours.model_validate({"weekly": week, "exceptions": [{"from": start.isoformat(), "to": (
        start + dt.timedelta(3)).isoformat(), "closed": True}]})
    data = day_ranges(hours, start, 14, CAL)
    for n in range(14):
        d = start + dt.timedelta(n)
        assert data[d.isoformat()] == [(f"{r.start:%H:%M}", f"{r.end:%H:%M}") for r in day_hours(hours, d, CAL).ranges]


# --- examples: holidays, seasons, closures ----------------------------------

def test_easter_and_national_day_2027_are_closed_with_their_names():
    assert day_hours(SPLIT, dt.date(2027, 3, 25), CAL).note == "Skjærtorsdag"
    assert day_hours(SPLIT, dt.date(2027, 3, 29), CAL).note == "Andre påskedag"
    assert day_hours(SPLIT, dt.date(2027, 5, 17), CAL).note == "Andre pinsedag; Grunnlovsdag"  # same day in 2027
    assert day_hours(SPLIT, dt.date(2027, 3, 24), CAL).ranges == SPLIT.weekly["wed"]


def test_julaften_is_a_site_wide_closure_only_when_configured():
    assert day_hours(SPLIT, dt.date(2026, 12, 24), CAL).note == "Julaften"
    assert day_hours(SPLIT, dt.date(2026, 12, 24), HolidayCalendar(True, ())).ranges == SPLIT.weekly["thu"]


def test_sundays_are_not_holidays():
    sunday_open = OpeningHours.model_validate({"weekly": {"sun": "12:00-16:00"}})
    assert day_hours(sunday_open, dt.date(2026, 11, 22), CAL).ranges  # the library lists Sundays unless told not to


def test_seasonal_hours_apply_between_their_dates_only():
    hours = OpeningHours.model_validate({"weekly": {"mon": "09:00-16:00"}, "seasons": [
        {"name": "Sommertid", "from": "2027-06-21", "to": "2027-08-15", "weekly": {"mon": "10:00-14:00"}}]})
    assert str(day_hours(hours, dt.date(2027, 6, 14), CAL).ranges[0]) == "09:00–16:00"
    summer = day_hours(hours, dt.date(2027, 6, 21), CAL)
    assert (str(summer.ranges[0]), summer.note) == ("10:00–14:00", "Sommertid")
    assert str(day_hours(hours, dt.date(2027, 8, 16), CAL).ranges[0]) == "09:00–16:00"


def test_closed_until_further_notice():
    hours = OpeningHours.model_validate({"weekly": {d: "10:00-15:00" for d in DAYS[:5]}, "exceptions": [
        {"from": "2026-11-02", "closed": True, "note": "Stengt inntil videre"}]})
    s = status_at(hours, at("2026-11-23T12:00"), CAL)
    assert (s.is_open, s.change, s.note) == (False, None, "Stengt inntil videre")
    assert day_hours(hours, dt.date(2030, 1, 7), CAL).reason == "closure"


def test_single_day_exception_inside_a_closed_span():
    hours = OpeningHours.model_validate({"weekly": {"tue": "09:00-16:00"}, "exceptions": [
        {"from": "2026-12-21", "to": "2027-01-03", "closed": True, "note": "Juleferie"},
        {"date": "2026-12-29", "hours": "10:00-12:00", "note": "Åpent for timeavtaler"}]})
    assert str(day_hours(hours, dt.date(2026, 12, 29), CAL).ranges[0]) == "10:00–12:00"
    assert day_hours(hours, dt.date(2026, 12, 22), CAL).ranges == ()


# --- status text inputs: "stenger 16.00", "åpner tirsdag 10.00" --------------

def test_open_now_and_closing_time():
    s = status_at(SPLIT, at("2026-11-23T10:00"), CAL)
    assert s.is_open and s.change == at("2026-11-23T16:00")


def test_closed_now_and_next_opening_day():
    s = status_at(SPLIT, at("2026-11-23T16:00"), CAL)
    assert not s.is_open and s.change == at("2026-11-24T10:00")


def test_across_the_year_boundary_with_holidays_and_closures():
    hours = OpeningHours.model_validate({**SPLIT.model_dump(by_alias=True), "exceptions": [
        {"from": "2026-12-28", "to": "2026-12-30", "closed": True, "note": "Stengt i romjulen"},
        {"date": "2027-01-02", "hours": "10:00-14:00"}]})
    s = status_at(hours, at("2026-12-23T17:00"), CAL)  # Wed evening; 24 julaften, 25–26 holidays, 28–30 romjul,
    assert s.change == at("2027-01-02T10:00")           # 31 nyttårsaften, 1 January: first opening is 2 January
    assert status_at(hours, at("2027-01-02T13:59"), CAL).change == at("2027-01-02T14:00")


def test_status_across_spring_dst_change():
    # Sunday 28 March 2027 clocks go 02:00 → 03:00; Easter makes Thu–Mon closed.
    s = status_at(SPLIT, at("2027-03-24T17:00"), CAL)
    assert s.change == at("2027-03-30T10:00")
    assert s.change.utcoffset() == dt.timedelta(hours=2)
    assert status_at(SPLIT, dt.datetime(2027, 3, 30, 8, 30, tzinfo=dt.UTC), CAL).is_open  # 10:30 local, CEST


def test_status_across_autumn_dst_change():
    # Sunday 31 October 2027 clocks go 03:00 → 02:00.
    s = status_at(SPLIT, at("2027-10-29T16:30"), CAL)
    assert s.change == at("2027-11-01T09:00") and s.change.utcoffset() == dt.timedelta(hours=1)
    assert not status_at(SPLIT, dt.datetime(2027, 11, 1, 7, 30, tzinfo=dt.UTC), CAL).is_open  # 08:30 local
    assert status_at(SPLIT, dt.datetime(2027, 11, 1, 8, 0, tzinfo=dt.UTC), CAL).is_open  # 09:00 local


def test_round_the_clock_service_stays_open_across_midnight():
    always = OpeningHours.model_validate({"weekly": {d: "00:00-24:00" for d in DAYS}, "holidays": "open"})
    s = status_at(always, at("2026-11-23T23:30"), CAL)
    assert s.is_open and s.change is None or s.change > at("2027-11-01T00:00")


def test_badges_and_search_results_get_their_days_in_runs_of_equal_days():
    hours = OpeningHours.model_validate({"weekly": {
        "mon": "09:00-16:00", "tue": "09:00-16:00", "wed": ["09:00-11:30", "12:00-16:00"], "sat": "22:00-02:00"}})
    text = compact_hours(hours, dt.date(2026, 12, 21), 14, CAL, "Europe/Oslo")
    # Mon 21, Tue 22 open; Wed 23 split; Thu 24 … Sun 27 closed (Sat 26 is a public holiday); Mon 28, Tue 29
    # open; Wed 30 split; Thu 31 and Fri 1 (New Year's Day) closed; Sat 2 past midnight; Sun 3 closed.
    assert text == ("2026-12-21 Europe/Oslo 09:00-16:00*2 09:00-11:30,12:00-16:00 -*4 09:00-16:00*2 "
                    "09:00-11:30,12:00-16:00 -*2 22:00-02:00 -")


@given(weekly, days_)
@settings(max_examples=60, deadline=None)
def test_the_compact_runs_say_what_the_rules_say(week, start):
    """Expanded again, the compact runs give each day's ranges exactly as the rules resolve them."""
    hours = OpeningHours.model_validate({"weekly": week})
    first, zone, *runs = compact_hours(hours, start, 120, CAL, "Europe/Oslo").split(" ")
    expanded = []
    for run in runs:
        text, _, count = run.partition("*")
        expanded += [[] if text == "-" else [tuple(r.split("-")) for r in text.split(",")]] * int(count or 1)
    assert first == start.isoformat() and zone == "Europe/Oslo"
    assert expanded == list(day_ranges(hours, start, 120, CAL).values())


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)), st.integers(1, 13), st.data())
def test_a_run_of_weeks_starts_on_a_monday_every_build_agrees_on(day, weeks, data):
    """``span_start``: the Monday starting the run of ``weeks`` weeks that holds ``day``. Every day of
    the run gives the same Monday, the day after the run the next one. Runs of ``phase`` start
    ``phase`` weeks after those of phase 0: districts of different phases never start on one Monday."""
    from hub.time.hours import span_start

    phase = data.draw(st.integers(0, weeks - 1))
    start = span_start(day, weeks, phase)
    assert start.weekday() == 0 and start <= day < start + dt.timedelta(weeks=weeks)
    assert {span_start(start + dt.timedelta(n), weeks, phase) for n in range(7 * weeks)} == {start}
    assert span_start(start + dt.timedelta(weeks=weeks), weeks, phase) == start + dt.timedelta(weeks=weeks)
    assert (start - span_start(start, weeks)).days == 7 * phase
