"""iCalendar feeds of the programme, written for the calendar apps people use.

Weekly sessions are one VEVENT with an RRULE; every other date (a ``dates:``
list, a repeat's ``extra:`` days) is a VEVENT of its own with a stable UID,
because Outlook ignores RDATE without an RRULE and Google hides RDATEs after
an RRULE's UNTIL. Skipped dates are EXDATE, cancelled ones an override (or
the dated VEVENT itself) with STATUS:CANCELLED, so calendar apps show the same
dates as the HTML programme. The zone is a conventional RRULE-form VTIMEZONE
(:mod:`hub.time.vtimezone`). DTSTAMP is the Monday of the build's week, so the same
content gives the same bytes and a nightly build rewrites a calendar once a week, not every
night. A plan's deadlines (for input, to appeal) are all-day events that take no time in the
calendar (``TRANSP:TRANSPARENT``); public meetings about it are ordinary events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from hub.content import markup
from hub.content.model import DAYS, PlanStep
from hub.content.structure import District, Event, Plan, Portal
from hub.time.programme import end_day, occurrence_dates
from hub.time.vtimezone import vtimezone

if TYPE_CHECKING:  # imported where a calendar is made: a night that keeps every calendar never loads it
    import icalendar

_BYDAY = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}
#: How often subscribed calendars should fetch the feed again (RFC 7986 and Outlook's name for it).
REFRESH = "PT12H"
_DESCRIPTION_CHARS = 500


def _place(district: District, event: Event) -> str:
    p = event.meta.place
    if p is None:
        return f"{district.config.hub.name}, {district.config.hub.address}"
    return ", ".join(x for x in (p.name, p.address) if x)


def _uid(portal: Portal, district: District, event: Event, day: dt.date | None = None) -> str:
    host = urlsplit(portal.site.base_url).hostname or "knutepunkt"
    dated = f"-{day:%Y%m%d}" if day else ""
    return f"{district.slug}-{event.slug}{dated}@{host}"


def _description(event: Event) -> str:
    """The summary, else the start of the text: calendar apps show it under the title."""
    return event.meta.summary or markup.excerpt(event.html, _DESCRIPTION_CHARS) or event.meta.title


def vevents(portal: Portal, district: District, event: Event, url: str) -> list[icalendar.Event]:
    import icalendar

    tz = ZoneInfo(portal.site.timezone)
    m = event.meta
    stamp = dt.datetime.combine(portal.week_start, dt.time(0), dt.UTC)
    cancelled = set(m.cancelled_dates)

    def base(day: dt.date, uid_day: dt.date | None = None) -> icalendar.Event:
        ev = icalendar.Event()
        ev.add("uid", _uid(portal, district, event, uid_day))
        ev.add("dtstamp", stamp)
        ev.add("dtstart", dt.datetime.combine(day, m.start, tz))
        ev.add("dtend", dt.datetime.combine(end_day(day, m.start, m.end), m.end, tz))
        ev.add("summary", m.title)
        ev.add("location", _place(district, event))
        ev.add("description", _description(event))
        ev.add("url", url)
        return ev

    def dated(day: dt.date, own_uid: bool) -> icalendar.Event:
        ev = base(day, day if own_uid else None)
        ev.add("status", "CANCELLED" if m.cancelled or day in cancelled else "CONFIRMED")
        return ev

    if m.date is not None:
        return [dated(m.date, own_uid=False)]
    rule = m.repeat
    if rule is None:  # a list of fixed dates: each its own VEVENT
        return [dated(d, own_uid=True) for d in sorted(set(m.dates))]
    horizon = rule.until or (portal.week_start + dt.timedelta(days=366 * 2))
    bare = m.model_copy(update={"repeat": rule.model_copy(update={"extra": (), "skip": ()})})
    ruled = occurrence_dates(bare, rule.from_, horizon)
    extra = sorted(set(occurrence_dates(m, rule.from_, horizon)) - set(ruled))
    out: list[icalendar.Event] = []
    if ruled:
        ev = base(ruled[0])
        rr: dict[str, object] = {"freq": "weekly", "interval": rule.interval, "wkst": "MO",
                                 "byday": [_BYDAY[d] for d in DAYS if d in rule.days]}
        if rule.until:
            rr["until"] = dt.datetime.combine(rule.until, dt.time(23, 59, 59), tz).astimezone(dt.UTC)
        ev.add("rrule", rr)
        for d in sorted(set(rule.skip) & set(ruled)):
            ev.add("exdate", dt.datetime.combine(d, m.start, tz))
        ev.add("status", "CANCELLED" if m.cancelled else "CONFIRMED")
        out.append(ev)
        for d in [] if m.cancelled else sorted(cancelled & (set(ruled) - set(rule.skip))):
            o = base(d)
            o.add("recurrence-id", dt.datetime.combine(d, m.start, tz))
            o.add("status", "CANCELLED")
            out.append(o)
    return out + [dated(d, own_uid=True) for d in extra]


def deadline_vevents(portal: Portal, plan: Plan, url: str, label: Callable[[PlanStep], str]) -> list[icalendar.Event]:
    """Each dated deadline of a plan as an all-day event on its day, titled ``label(step)``."""
    import icalendar

    host = urlsplit(portal.site.base_url).hostname or "knutepunkt"
    owner = plan.district or "kommunen"
    stamp = dt.datetime.combine(portal.week_start, dt.time(0), dt.UTC)
    out = []
    for i, step in enumerate(plan.meta.steps):
        if step.due is None:
            continue
        ev = icalendar.Event()
        ev.add("uid", f"plan-{owner}-{plan.slug}-{i + 1}-frist@{host}")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", step.due)
        ev.add("dtend", step.due + dt.timedelta(days=1))
        ev.add("summary", f"{label(step)}: {plan.meta.title}")
        ev.add("description", f"{plan.meta.summary} ({plan.meta.plan_id})")
        ev.add("url", url)
        ev.add("transp", "TRANSPARENT")
        ev.add("status", "CONFIRMED")
        out.append(ev)
    return out


def calendar(portal: Portal, name: str, events: Iterable[bytes], description: str | None = None,
             url: str | None = None) -> bytes:
    """A VCALENDAR of the portal's events in the site's zone (see :func:`calendar_for`)."""
    return calendar_for(portal.site.timezone, name, events, description, url)


def calendar_for(tzid: str, name: str, events: Iterable[bytes], description: str | None = None,
                 url: str | None = None) -> bytes:
    """A VCALENDAR of serialised VEVENTs (see :func:`serialise`) with the site's VTIMEZONE.

    Events arrive as bytes so that a calendar of every district can be put
    together from pieces kept between builds; icalendar writes a component's
    lines the same alone as inside its calendar. ``NAME`` and the refresh
    interval are RFC 7986; ``X-WR-CALNAME`` and ``X-PUBLISHED-TTL`` say the
    same to Apple's and Microsoft's clients.
    """
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", "-//Knutepunkt//knutepunkt//NO")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    if description:
        cal.add("description", description)
        cal.add("x-wr-caldesc", description)
    if url:
        cal.add("url", url)
    cal.add("refresh-interval", icalendar.vDuration.from_ical(REFRESH), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", REFRESH)
    cal.add("x-wr-timezone", tzid)
    head = bytes(cal.to_ical())
    body = b"".join(events)
    if not body:
        return head
    end = b"END:VCALENDAR\r\n"
    assert head.endswith(end)
    return head[:-len(end)] + vtimezone(tzid) + body + end


def serialise(events: Iterable[icalendar.Event]) -> bytes:
    return b"".join(bytes(ev.to_ical()) for ev in events)
