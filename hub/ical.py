"""iCalendar feeds of the programme: one VEVENT per event, weekly sessions as RRULE.

Skipped dates become EXDATE, extra dates RDATE, and cancelled occurrences an
override with STATUS:CANCELLED, so calendar apps show the same dates as the
HTML programme. UIDs are stable (district/event slug + host); DTSTAMP is the
build's "today", so the same content gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar

from .model import DAYS
from .programme import occurrence_dates
from .structure import District, Event, Portal

_BYDAY = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}


def _place(district: District, event: Event) -> str:
    p = event.meta.place
    if p is None:
        return f"{district.config.hub.name}, {district.config.hub.address}"
    return ", ".join(x for x in (p.name, p.address) if x)


def _uid(portal: Portal, district: District, event: Event, day: dt.date | None = None) -> str:
    host = urlsplit(portal.site.base_url).hostname or "knutepunkt"
    return f"{district.slug}-{event.slug}@{host}"


def vevents(portal: Portal, district: District, event: Event, url: str) -> list[icalendar.Event]:
    tz = ZoneInfo(portal.site.timezone)
    m = event.meta
    stamp = dt.datetime.combine(portal.today, dt.time(0), dt.UTC)

    def base(day: dt.date) -> icalendar.Event:
        ev = icalendar.Event()
        ev.add("uid", _uid(portal, district, event))
        ev.add("dtstamp", stamp)
        ev.add("dtstart", dt.datetime.combine(day, m.start, tz))
        ev.add("dtend", dt.datetime.combine(day, m.end, tz))
        ev.add("summary", m.title)
        ev.add("location", _place(district, event))
        if m.summary:
            ev.add("description", m.summary)
        ev.add("url", url)
        return ev

    if m.date is not None:
        ev = base(m.date)
        ev.add("status", "CANCELLED" if m.cancelled else "CONFIRMED")
        return [ev]
    rule = m.repeat
    if rule is None:  # a list of fixed dates: DTSTART is the first, RDATE the rest
        dates = sorted(set(m.dates))
        ruled: list[dt.date] = []
    else:
        horizon = rule.until or (portal.today + dt.timedelta(days=366 * 2))
        bare = m.model_copy(update={"repeat": rule.model_copy(update={"extra": (), "skip": ()})})
        ruled = occurrence_dates(bare, rule.from_, horizon)
        dates = occurrence_dates(m, rule.from_, horizon)
    if not ruled and not dates:
        return []
    first = ruled[0] if ruled else dates[0]
    ev = base(first)
    if ruled and rule is not None:
        rr: dict[str, object] = {"freq": "weekly", "interval": rule.interval, "wkst": "MO",
                                 "byday": [_BYDAY[d] for d in DAYS if d in rule.days]}
        if rule.until:
            rr["until"] = dt.datetime.combine(rule.until, dt.time(23, 59, 59), tz).astimezone(dt.UTC)
        ev.add("rrule", rr)
    for d in sorted(set(rule.skip if rule else ()) & set(ruled)):
        ev.add("exdate", dt.datetime.combine(d, m.start, tz))
    for d in sorted(set(dates) - set(ruled) - {first}):
        ev.add("rdate", dt.datetime.combine(d, m.start, tz))
    ev.add("status", "CANCELLED" if m.cancelled else "CONFIRMED")
    out = [ev]
    for d in sorted(set(m.cancelled_dates) & set(dates)):
        if m.cancelled:
            break
        o = base(d)
        o.add("recurrence-id", dt.datetime.combine(d, m.start, tz))
        o.add("status", "CANCELLED")
        out.append(o)
    return out


def calendar(portal: Portal, name: str, events: Iterable[bytes]) -> bytes:
    """A VCALENDAR of serialised VEVENTs (see :func:`serialise`) with the site's VTIMEZONE.

    Events arrive as bytes so that a calendar of every district can be put
    together from pieces kept between builds; icalendar writes a component's
    lines the same alone as inside its calendar.
    """
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Knutepunkt//knutepunkt//NO")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", portal.site.timezone)
    head = bytes(cal.to_ical())
    body = b"".join(events)
    if not body:
        return head
    end = b"END:VCALENDAR\r\n"
    assert head.endswith(end)
    return head[:-len(end)] + _vtimezone(portal.site.timezone) + body + end


def serialise(events: Iterable[icalendar.Event]) -> bytes:
    return b"".join(bytes(ev.to_ical()) for ev in events)


@lru_cache(maxsize=8)
def _vtimezone(tzid: str) -> bytes:
    """VTIMEZONE for a zone, made once: icalendar computes every transition from 1970 to 2038."""
    cal = icalendar.Calendar()
    ev = icalendar.Event()
    ev.add("dtstart", dt.datetime(2026, 1, 1, tzinfo=ZoneInfo(tzid)))
    cal.add_component(ev)
    cal.add_missing_timezones()
    return bytes(cal.walk("VTIMEZONE")[0].to_ical())
