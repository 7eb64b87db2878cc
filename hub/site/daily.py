"""What a district's pages show that depends on the build's "today", as values.

A nightly build with nothing edited renders again only the pages whose values here moved
(:mod:`hub.pipeline.incremental`): they are the same values the views and templates read.
Spans of days start on Monday (:attr:`Portal.week_start`: hours this week and next, the
programme, the calendars' DTSTAMP, an empty feed's date), so they move once a week; the rest
moves on the days something happens: a notice starts or ends, a plan enters a step or its
deadline comes or passes, an event's next date passes. A district's text pages show only the
notices in force (:func:`text_facts`), a service's all-districts page the week and the municipality's
notices (:func:`kind_facts`), services A–Å those notices alone (:func:`site_notices`). The other
one-door-in pages (today's hours, "this week") are rendered on every build and need no facts here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from hub.content.model import Notice
from hub.content.structure import District, Plan, Portal


def _digest(rows: Iterable[object]) -> str:
    return hashlib.sha256("\n".join(repr(r) for r in rows).encode()).hexdigest()


def _in_force(portal: Portal, notices: Iterable[Notice]) -> list[int]:
    """Which of these notices are in force today, by their place in the list."""
    return [i for i, n in enumerate(notices) if n.active(portal.today)]


def _side(day: dt.date | None, today: dt.date) -> int | None:
    """Where a date lies from today: -1 before, 0 on it, 1 after (every comparison a page makes)."""
    return None if day is None else (day > today) - (day < today)


def plan_facts(plan: Plan, today: dt.date) -> tuple[object, ...]:
    """A plan's step states as of ``today``: which of its dates have come, are today or lie ahead (a
    deadline's count of days left is the browser's, see ``macros.html``)."""
    sides = [tuple(_side(d, today) for d in (s.date, s.from_, s.to, s.deadline, s.start, s.due))
             for s in plan.meta.steps]
    return plan.district, plan.slug, tuple(sides)


def district_facts(portal: Portal, district: District) -> str:
    """Everything a district's pages (and their translations) show that depends on the day, but an
    event's next date (:func:`event_facts`): a change re-renders and re-indexes the district."""
    today = portal.today
    plans = {(p.district or "", p.slug): p for p in (*portal.plans_of(district), *district.plans)}
    return _digest([portal.week_start, text_facts(portal, district),
                    *(plan_facts(p, today) for _, p in sorted(plans.items()))])


def text_facts(portal: Portal, district: District) -> str:
    """What a district's text pages (its pages and news, and their translations) show of the day: the
    notices in force, the municipality's and the district's. A Monday that moves nothing else of theirs
    carries them over while the rest of the district is made again."""
    return _digest(_in_force(portal, (*portal.site.notices, *district.config.notices)))


def event_facts(portal: Portal, district: District) -> dict[str, str]:
    """Per event of the district, its page's one fact of the day: its next date, as the page's
    description and structured data give it (the list of dates goes by the week). A change
    re-renders that page alone: the next date is not in the search index."""
    first: dict[str, tuple[dt.date, bool]] = {}
    for x in portal.listings(district, first=portal.today):
        first.setdefault(x.event.slug, (x.occ.day, x.occ.cancelled))
    return {e.slug: _digest([first.get(e.slug)]) for e in district.events}


def site_notices(portal: Portal) -> str:
    """The notices for the whole municipality in force: every page shows them (a district's also its own)."""
    return _digest(_in_force(portal, portal.site.notices))


def kind_facts(portal: Portal) -> str:
    """What a service's all-districts page shows of the day: the week (its drop-in times from Monday,
    each offer's hours as the days for the browser to find today in) and the site's notices in force."""
    return _digest([portal.week_start, site_notices(portal)])


def export_facts(portal: Portal) -> str:
    """What the districts' pieces of the one door in's open data and calendars read of the day: the
    week (the calendars' DTSTAMP and horizon), the year (HSDS's UTC offset) and the public holidays
    ahead (:func:`hub.exports.opendata.services_of`); and the time zone's rules as the calendars
    write them (the system's time-zone data, which an upgrade may change on any day). A piece kept
    from an earlier build with the same facts is the piece this build would make."""
    from hub.exports import opendata
    from hub.time.vtimezone import vtimezone

    zone = vtimezone(portal.site.timezone).decode()
    return _digest([portal.week_start, portal.today.year, opendata.holidays_ahead(portal), zone])
