"""Spec: weekly sessions, skipped, extra and cancelled dates expand to the right wall-clock occurrences."""

from __future__ import annotations

import datetime as dt

from hub.content.model import EventMeta
from hub.time.programme import occurrence_dates, occurrences


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


def _reference(meta: EventMeta, first: dt.date, last: dt.date) -> list[dt.date]:
    """The rule read literally, day by day: the spec the fast expansion must match."""
    rule = meta.repeat
    week0 = rule.from_ - dt.timedelta(rule.from_.weekday())
    days = [first + dt.timedelta(n) for n in range((last - first).days + 1)]
    found = {d for d in days if rule.from_ <= d and (rule.until is None or d <= rule.until)
             and ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][d.weekday()] in rule.days
             and ((d - week0).days // 7) % rule.interval == 0}
    found |= {d for d in rule.extra if first <= d <= last}
    return sorted(found - set(rule.skip))


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(days=st.sets(st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]), min_size=1),
       interval=st.integers(1, 4), start=st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31)),
       length=st.one_of(st.none(), st.integers(0, 400)), first=st.dates(dt.date(2025, 12, 1), dt.date(2028, 3, 1)),
       span=st.integers(0, 120), skip=st.lists(st.dates(dt.date(2026, 1, 1), dt.date(2028, 1, 1)), max_size=3),
       extra=st.lists(st.dates(dt.date(2026, 1, 1), dt.date(2028, 1, 1)), max_size=3))
def test_weekly_expansion_matches_the_rule_read_day_by_day(days, interval, start, length, first, span, skip, extra):
    until = None if length is None else start + dt.timedelta(length)
    e = event(repeat={"days": sorted(days), "interval": interval, "from": start.isoformat(),
                      **({"until": until.isoformat()} if until else {}),
                      "skip": [d.isoformat() for d in skip], "extra": [d.isoformat() for d in extra]})
    last = first + dt.timedelta(span)
    assert occurrence_dates(e, first, last) == _reference(e, first, last)
