"""VTIMEZONE in the form every calendar client reads: one STANDARD and one DAYLIGHT with yearly RRULEs.

python-icalendar writes a zone as long RDATE lists (every transition 1970–2038).
Mozilla's ical.js (Thunderbird, many web calendars) does not apply those
observances, so summer-time events came out an hour late there. Outlook,
Google and tzurl.org's "zoneinfo-outlook" files use the conventional form
instead, which is exactly the rule the IANA database keeps for the present and
future: the POSIX TZ string at the end of the zone's TZif file
(``CET-1CEST,M3.5.0,M10.5.0/3``). This module turns that string into a
VTIMEZONE. Only future events are published, so past rules do not matter.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import re
import zoneinfo
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_CODES = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")  # POSIX day 0 is Sunday
_NAME = r"(?:<[^>]+>|[A-Za-z]{3,})"
_OFFSET = r"[+-]?\d{1,2}(?::\d{2}){0,2}"
_POSIX = re.compile(rf"^(?P<std>{_NAME})(?P<stdoff>{_OFFSET})"
                    rf"(?:(?P<dst>{_NAME})(?P<dstoff>{_OFFSET})?,(?P<start>[^,]+),(?P<end>[^,]+))?$")
_RULE = re.compile(rf"^M(?P<month>\d{{1,2}})\.(?P<week>[1-5])\.(?P<day>[0-6])(?:/(?P<time>{_OFFSET}))?$")


class ZoneRuleError(ValueError):
    """The zone's current rule cannot be written as a yearly RRULE (e.g. Julian-day rules)."""


def _seconds(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    parts = [int(p) for p in text.lstrip("+-").split(":")] + [0, 0]
    return sign * (parts[0] * 3600 + parts[1] * 60 + parts[2])


def _utc_offset(seconds: int) -> str:
    sign = "-" if seconds < 0 else "+"
    h, rest = divmod(abs(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{sign}{h:02d}{m:02d}" + (f"{s:02d}" if s else "")


@dataclass(frozen=True)
class Transition:
    """A yearly change of offset, as the iCalendar RRULE and the first (1970) DTSTART of it."""

    rrule: str
    dtstart: dt.datetime


def _transition(rule: str) -> Transition:
    m = _RULE.match(rule)
    if not m:
        raise ZoneRuleError(f"the rule {rule!r} is not of the form Mm.w.d[/time]")
    month, week, day = int(m["month"]), int(m["week"]), int(m["day"])
    days_shift, secs = divmod(_seconds(m["time"] or "2"), 86400)  # -1:00 → the day before at 23:00
    weekday = _CODES[(day + days_shift) % 7]
    if days_shift == 0:
        byday = f"BYDAY={'-1' if week == 5 else week}{weekday}"
    else:  # the day moves: name the seven month days it can fall on (ical.js misreads negative ones)
        if week == 5:
            if month == 2 or days_shift > 0:
                raise ZoneRuleError(f"the rule {rule!r} has no fixed days in the month")
            first = _MONTH_DAYS[month - 1] - 6 + days_shift  # e.g. the Saturday before the last Sunday
        else:
            first = 7 * (week - 1) + 1 + days_shift
        if first < 1:
            raise ZoneRuleError(f"the rule {rule!r} moves the first week into the previous month")
        byday = f"BYDAY={weekday};BYMONTHDAY={','.join(str(d) for d in range(first, first + 7))}"
    # The first such day in 1970, for DTSTART: the n-th (or last) weekday of the month, shifted.
    if week == 5:
        last = dt.date(1970 + month // 12, month % 12 + 1, 1) - dt.timedelta(1)
        base = last - dt.timedelta((last.isoweekday() % 7 - day) % 7)
    else:
        first_of = dt.date(1970, month, 1)
        base = first_of + dt.timedelta((day - first_of.isoweekday() % 7) % 7 + 7 * (week - 1))
    start = dt.datetime.combine(base + dt.timedelta(days_shift), dt.time(0)) + dt.timedelta(seconds=secs)
    return Transition(f"FREQ=YEARLY;BYMONTH={month};{byday}", start)


def _footer(tzid: str) -> str:
    """The POSIX TZ string of a zone, read from the same TZif file :mod:`zoneinfo` uses."""
    for folder in zoneinfo.TZPATH:
        path = Path(folder) / tzid
        if path.is_file():
            data = path.read_bytes()
            break
    else:
        data = importlib.resources.files("tzdata.zoneinfo").joinpath(*tzid.split("/")).read_bytes()
    if not data.startswith(b"TZif") or data[4:5] < b"2":
        raise ZoneRuleError(f"{tzid}: the zone file has no rule for the future (TZif version 1)")
    return data.rstrip(b"\n").rsplit(b"\n", 1)[-1].decode("ascii")


def _component(kind: str, name: str, frm: int, to: int, start: dt.datetime, rrule: str | None) -> list[str]:
    lines = [f"BEGIN:{kind}", f"TZNAME:{name.strip('<>')}", f"TZOFFSETFROM:{_utc_offset(frm)}",
             f"TZOFFSETTO:{_utc_offset(to)}", f"DTSTART:{start:%Y%m%dT%H%M%S}"]
    if rrule:
        lines.append(f"RRULE:{rrule}")
    return [*lines, f"END:{kind}"]


def posix_vtimezone(tzid: str, posix: str) -> bytes:
    """A VTIMEZONE for ``tzid`` from its POSIX TZ string (pure; see :func:`vtimezone`)."""
    m = _POSIX.match(posix)
    if not m:
        raise ZoneRuleError(f"{tzid}: cannot read the zone rule {posix!r}")
    std = -_seconds(m["stdoff"])  # POSIX offsets are west-positive
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}", f"X-LIC-LOCATION:{tzid}"]
    if m["dst"] is None:
        lines += _component("STANDARD", m["std"], std, std, dt.datetime(1970, 1, 1), None)
    else:
        dst = -_seconds(m["dstoff"]) if m["dstoff"] else std + 3600
        to_dst, to_std = _transition(m["start"]), _transition(m["end"])
        lines += _component("DAYLIGHT", m["dst"], std, dst, to_dst.dtstart, to_dst.rrule)
        lines += _component("STANDARD", m["std"], dst, std, to_std.dtstart, to_std.rrule)
    lines.append("END:VTIMEZONE")
    return "".join(line + "\r\n" for line in lines).encode("ascii")


@lru_cache(maxsize=16)
def vtimezone(tzid: str) -> bytes:
    """The VTIMEZONE of an IANA zone in RRULE form, from the zone's current rule."""
    return posix_vtimezone(tzid, _footer(tzid))
