"""The Open House programme: expanding one-off events and weekly sessions into dated occurrences.

Times are wall-clock in the site's zone: a weekly 12:00 session is at 12:00
on both sides of a daylight-saving change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hub.content.model import DAYS, EventMeta


@dataclass(frozen=True, order=True)
class Occurrence:
    day: dt.date
    start: dt.time
    end: dt.time
    cancelled: bool

    @property
    def end_day(self) -> dt.date:
        """The day it ends: the next one for an evening that runs past midnight."""
        return end_day(self.day, self.start, self.end)


def end_day(day: dt.date, start: dt.time, end: dt.time) -> dt.date:
    return day + dt.timedelta(1) if end < start else day


def occurrence_dates(meta: EventMeta, first: dt.date, last: dt.date) -> list[dt.date]:
    """Dates of an event's occurrences within [first, last], skipped dates removed."""
    if meta.date is not None:
        return [meta.date] if first <= meta.date <= last else []
    if meta.dates:
        return sorted({d for d in meta.dates if first <= d <= last})
    rule = meta.repeat
    assert rule is not None
    offsets = sorted(DAYS.index(d) for d in rule.days)
    week0 = rule.from_ - dt.timedelta(rule.from_.weekday())
    lo = max(first, rule.from_)
    hi = last if rule.until is None else min(last, rule.until)
    found: set[dt.date] = set()
    # Step whole rule-weeks from the first week of the rule that can reach ``lo``.
    skip_weeks = max(0, (lo - week0).days // 7)
    week = week0 + dt.timedelta(weeks=skip_weeks - skip_weeks % rule.interval)
    while week <= hi:
        for off in offsets:
            day = week + dt.timedelta(off)
            if lo <= day <= hi:
                found.add(day)
        week += dt.timedelta(weeks=rule.interval)
    found.update(d for d in rule.extra if first <= d <= last)
    found.difference_update(rule.skip)
    return sorted(found)


def occurrences(meta: EventMeta, first: dt.date, last: dt.date) -> list[Occurrence]:
    cancelled = set(meta.cancelled_dates)
    return [Occurrence(d, meta.start, meta.end, meta.cancelled or d in cancelled)
            for d in occurrence_dates(meta, first, last)]


def next_occurrence(meta: EventMeta, today: dt.date, horizon_days: int = 400) -> Occurrence | None:
    found = occurrences(meta, today, today + dt.timedelta(horizon_days))
    live = [o for o in found if not o.cancelled]
    return (live or found)[0] if found else None
