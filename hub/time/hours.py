"""Opening-hours rules as pure functions, in the site's wall-clock time zone.

Precedence for one day, strongest first: a dated exception, a public holiday
or site-wide closure (where the service closes on them), seasonal hours, the
normal weekly hours. Nothing here knows about Flask or templates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Literal
from zoneinfo import ZoneInfo

from hub.content.model import DAYS, HolidayPolicy, OpeningHours, TimeRange

Reason = Literal["weekly", "season", "exception", "holiday", "closure"]


#: Each year's public holidays, once the library gave them or a build passed them on from its
#: cache (:func:`know_holidays`).
_HOLIDAYS: dict[int, dict[dt.date, str]] = {}


def _public_holidays(year: int) -> dict[dt.date, str]:
    found = _HOLIDAYS.get(year)
    if found is None:
        import holidays  # here: a build given the years it needs never imports it (0.2 s with Norway's rules)

        # include_sundays=False: the library otherwise lists every Sunday as a holiday.
        found = _HOLIDAYS[year] = dict(holidays.country_holidays("NO", years=year, include_sundays=False,
                                                                 language="no"))
    return found


def know_holidays(years: Mapping[int, Mapping[dt.date, str]]) -> None:
    """Take each year's public holidays as an earlier process had them from the library (the same
    version): a build keeps them in its cache."""
    _HOLIDAYS.update((year, dict(days)) for year, days in years.items())


def known_holidays() -> dict[int, dict[dt.date, str]]:
    """The years of public holidays known so far, to be kept for the next process."""
    return {year: dict(days) for year, days in _HOLIDAYS.items()}


@dataclass(frozen=True)
class HolidayCalendar:
    """Public holidays (from ``holidays``) plus the site's extra closures (julaften …)."""

    closed_by_default: bool = True
    extra: tuple[tuple[int, int, str], ...] = ()

    @classmethod
    def from_policy(cls, policy: HolidayPolicy) -> HolidayCalendar:
        extra = tuple((int(c.date[:2]), int(c.date[3:]), c.name) for c in policy.extra_closed)
        return cls(policy.closed, extra)

    def name(self, day: dt.date) -> str | None:
        found = _public_holidays(day.year).get(day)
        if found:
            return found
        for month, mday, name in self.extra:
            if (day.month, day.day) == (month, mday):
                return name
        return None


@dataclass(frozen=True)
class DayHours:
    day: dt.date
    ranges: tuple[TimeRange, ...]
    reason: Reason
    note: str | None = None

    @property
    def is_open(self) -> bool:
        return bool(self.ranges)


def day_hours(hours: OpeningHours, day: dt.date, cal: HolidayCalendar) -> DayHours:
    """The hours that apply on one calendar day."""
    # Single-day exceptions beat spans, so "open 10–14 on the 27th" can sit inside a closure.
    hits = sorted((e for e in hours.exceptions if e.covers(day)), key=lambda e: e.date is None)
    if hits:
        e = hits[0]
        reason: Reason = "closure" if e.last is None else "exception"
        return DayHours(day, () if e.closed else (e.hours or ()), reason, e.note)
    closes = cal.closed_by_default if hours.holidays is None else hours.holidays == "closed"
    if closes:
        name = cal.name(day)
        if name:
            return DayHours(day, (), "holiday", name)
    key = DAYS[day.weekday()]
    for season in hours.seasons:
        if season.from_ <= day <= season.to:
            return DayHours(day, tuple(season.weekly.get(key, ())), "season", season.name)
    return DayHours(day, tuple(hours.weekly.get(key, ())), "weekly", None)


def days(hours: OpeningHours, start: dt.date, count: int, cal: HolidayCalendar) -> list[DayHours]:
    return [day_hours(hours, start + dt.timedelta(n), cal) for n in range(count)]


def _at(day: dt.date, t: dt.time, tz: ZoneInfo) -> dt.datetime:
    if t == dt.time.max:
        return dt.datetime.combine(day + dt.timedelta(1), dt.time(0), tz)
    return dt.datetime.combine(day, t, tz)


@dataclass(frozen=True)
class Status:
    """Open or closed at a moment, and when that changes (None: not within a year)."""

    is_open: bool
    change: dt.datetime | None
    note: str | None = None


HORIZON_DAYS = 400


OSLO = ZoneInfo("Europe/Oslo")


Span = tuple[dt.datetime, dt.datetime]


def spans(hours: OpeningHours, day: dt.date, cal: HolidayCalendar, tz: ZoneInfo) -> list[Span]:
    """The day's ranges as moments; one past midnight ends on the next day (it belongs to its start day)."""
    out = []
    for r in day_hours(hours, day, cal).ranges:
        end = _at(day + dt.timedelta(1), r.end, tz) if r.overnight else _at(day, r.end, tz)
        out.append((dt.datetime.combine(day, r.start, tz), end))
    return out


def status_at(hours: OpeningHours, moment: dt.datetime, cal: HolidayCalendar, tz: ZoneInfo = OSLO) -> Status:
    """Whether ``hours`` are open at ``moment`` and the next opening or closing time.

    Yesterday is looked at first: its range past midnight may still be open now.
    """
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    local = moment.astimezone(tz)
    note = day_hours(hours, local.date(), cal).note
    for n in range(-1, HORIZON_DAYS):
        for start, end in spans(hours, local.date() + dt.timedelta(n), cal, tz):
            if start <= local < end:
                return Status(True, _closing(hours, end, cal, tz), note)
            if start > local:
                return Status(False, start, note)
    return Status(False, None, note)


def _closing(hours: OpeningHours, end: dt.datetime, cal: HolidayCalendar, tz: ZoneInfo) -> dt.datetime:
    """Closing time, following a range into one that starts when it ends (24:00 → 00:00 next day)."""
    for _ in range(HORIZON_DAYS):
        nxt = [e for s, e in spans(hours, end.date(), cal, tz) if s == end]
        if not nxt:
            return end
        end = nxt[0]
    return end


def day_ranges(hours: OpeningHours, start: dt.date, count: int,
               cal: HolidayCalendar) -> dict[str, list[tuple[str, str]]]:
    """Concrete ranges per ISO date, every rule already applied: what the browser and the region read.

    The script then only compares the wall clock with a list; past the last date it shows nothing.
    """
    return {d.day.isoformat(): [(f"{r.start:%H:%M}", r.end_text) for r in d.ranges]
            for d in days(hours, start, count, cal)}


def compact(start: dt.date, zone: str, per_day: Iterable[Sequence[tuple[str, str]]]) -> str:
    """Consecutive days' ranges from ``start``, run-length coded for the page:
    ``2026-11-23 Europe/Oslo 09:00-16:00*5 -*2 10:00-12:00,18:00-20:00`` (``-`` is closed).

    The "open now" badge carries 120 days and a search result 14. As JSON the badge's days were a
    fifth of the demo's HTML bytes; Pagefind holds every page's meta in memory while it indexes
    (docs/benchmarks.md). site.js (``knutepunkt.hours``) reads it back.
    """
    texts = [",".join(f"{a}-{b}" for a, b in ranges) or "-" for ranges in per_day]
    runs = [(text, len(list(same))) for text, same in groupby(texts)]
    return " ".join([start.isoformat(), zone] + [t if n == 1 else f"{t}*{n}" for t, n in runs])


def span_start(day: dt.date, weeks: int, phase: int = 0) -> dt.date:
    """The Monday that starts the run of ``weeks`` weeks holding ``day``, runs counted from Monday
    1 January of year 1 plus ``phase`` weeks (so every build agrees where a run starts): data
    anchored there changes once a run, not every Monday."""
    monday = day.toordinal() - day.weekday()
    return dt.date.fromordinal(monday - (monday - 1 - 7 * phase) % (7 * weeks))


def compact_hours(hours: OpeningHours, start: dt.date, count: int, cal: HolidayCalendar, zone: str) -> str:
    """The next ``count`` days of ``hours`` in :func:`compact` form."""
    return compact(start, zone, day_ranges(hours, start, count, cal).values())
