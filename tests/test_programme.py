"""Spec: weekly sessions, skipped, extra and cancelled dates expand to the right wall-clock occurrences."""

from __future__ import annotations

import datetime as dt

from hub.model import EventMeta
from hub.programme import occurrence_dates, occurrences


def event(**kw) -> EventMeta:
    return EventMeta.model_validate({"title": "Økt", "start": "12:00", "end": "14:00", **kw})


def test_weekly_session_with_skip_extra_and_until():
    e = event(repeat={"days": ["tue"], "from": "2026-11-01", "until": "2026-12-15",
                      "skip": ["2026-11-24"], "extra": ["2026-12-18"]})
    assert occurrence_dates(e, dt.date(2026, 11, 1), dt.date(2026, 12, 31)) == [
        dt.date(2026, 11, 3), dt.date(2026, 11, 10), dt.date(2026, 11, 17), dt.date(2026, 12, 1),
        dt.date(2026, 12, 8), dt.date(2026, 12, 15), dt.date(2026, 12, 18)]


def test_every_second_week_counts_from_the_start_week():
    e = event(repeat={"days": ["mon", "thu"], "interval": 2, "from": "2026-11-04"})  # a Wednesday
    assert occurrence_dates(e, dt.date(2026, 11, 1), dt.date(2026, 11, 30)) == [
        dt.date(2026, 11, 5), dt.date(2026, 11, 16), dt.date(2026, 11, 19), dt.date(2026, 11, 30)]


def test_cancelled_occurrences_stay_listed_as_cancelled():
    e = event(repeat={"days": ["fri"], "from": "2026-11-01"}, cancelled_dates=["2026-11-13"])
    found = occurrences(e, dt.date(2026, 11, 1), dt.date(2026, 11, 20))
    assert [(o.day.day, o.cancelled) for o in found] == [(6, False), (13, True), (20, False)]


def test_fixed_list_of_dates_and_one_off():
    assert occurrence_dates(event(dates=["2027-03-09", "2026-12-08"]), dt.date(2026, 11, 23), dt.date(2027, 12, 31)) == [
        dt.date(2026, 12, 8), dt.date(2027, 3, 9)]
    assert occurrence_dates(event(date="2026-11-20"), dt.date(2026, 11, 23), dt.date(2026, 12, 31)) == []


def test_weekly_noon_stays_at_noon_across_both_dst_changes():
    e = event(repeat={"days": ["sun"], "from": "2027-03-01", "until": "2027-11-30"})
    found = occurrences(e, dt.date(2027, 3, 21), dt.date(2027, 11, 7))
    by_day = {o.day: o for o in found}
    for day in (dt.date(2027, 3, 21), dt.date(2027, 3, 28), dt.date(2027, 10, 31), dt.date(2027, 11, 7)):
        assert by_day[day].start == dt.time(12)
