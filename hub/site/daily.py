"""What a district's pages show that depends on the build's "today", as values.

A nightly build with nothing edited renders again only the pages whose values here moved
(:mod:`hub.pipeline.incremental`): they are the same values the views and templates read.
Spans of days start on Monday (:attr:`Portal.week_start`: hours this week and next, the
programme, the calendars' DTSTAMP, an empty feed's date), so they move once a week; the rest
moves on the days something happens: a notice starts or ends, a plan enters a step or its
deadline draws nearer, an event's next date passes. The one-door-in pages (today's hours,
"this week") are rendered on every build and need no facts here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from hub.content.structure import District, Plan, Portal
from hub.time import planning


def _digest(rows: Iterable[object]) -> str:
    return hashlib.sha256("\n".join(repr(r) for r in rows).encode()).hexdigest()


def _side(day: dt.date | None, today: dt.date) -> int | None:
    """Where a date lies from today: -1 before, 0 on it, 1 after (every comparison a page makes)."""
    return None if day is None else (day > today) - (day < today)


def plan_facts(plan: Plan, today: dt.date) -> tuple[object, ...]:
    """A plan's step states as of ``today``, and the days left to the deadlines it counts down to
    ("23 dager igjen")."""
    sides = [tuple(_side(d, today) for d in (s.date, s.from_, s.to, s.deadline, s.start, s.due))
             for s in plan.meta.steps]
    # The deadline a page counts down to: the step open for input, or the current step's (to appeal).
    left = tuple((s.due - today).days if s is not None and s.due is not None and s.due >= today else None
                 for s in (plan.open_step(today), planning.current_step(plan.meta.steps, today)))
    return plan.district, plan.slug, tuple(sides), left


def district_facts(portal: Portal, district: District) -> str:
    """Everything a district's pages (and their translations) show that depends on the day, but an
    event's next date (:func:`event_facts`): a change re-renders and re-indexes the district."""
    today = portal.today
    notices = [i for i, n in enumerate((*portal.site.notices, *district.config.notices)) if n.active(today)]
    plans = {(p.district or "", p.slug): p for p in (*portal.plans_of(district), *district.plans)}
    return _digest([portal.week_start, notices, *(plan_facts(p, today) for _, p in sorted(plans.items()))])


def event_facts(portal: Portal, district: District) -> dict[str, str]:
    """Per event of the district, its page's one fact of the day: its next date, as the page's
    description and structured data give it (the list of dates goes by the week). A change
    re-renders that page alone: the next date is not in the search index."""
    first: dict[str, tuple[dt.date, bool]] = {}
    for x in portal.listings(district, first=portal.today):
        first.setdefault(x.event.slug, (x.occ.day, x.occ.cancelled))
    return {e.slug: _digest([first.get(e.slug)]) for e in district.events}
