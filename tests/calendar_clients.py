"""Three independent readers of .ics files, as calendar apps use them, giving occurrences in UTC.

- ical.js (Mozilla's parser: Thunderbird and many web calendars), run by node;
- recurring-ical-events (on python-icalendar);
- ical (the parser Home Assistant uses).

Each gives a Counter of ``(url, start in UTC, cancelled)`` so they can be compared
with each other and with what the programme pages show; an all-day event (a plan's
deadline) starts on a day, given as ``YYYY-MM-DD``.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections import Counter
from pathlib import Path

from tools import npm_package

EXPAND = Path(__file__).parent / "js/expand_ics.mjs"

Occ = tuple[str, str, bool]


def ical_js() -> Path:
    """Mozilla's ical.js, pinned (an ES module)."""
    return npm_package("ical.js", "2.2.1") / "dist/ical.js"


def _utc(value: dt.datetime | dt.date) -> str:
    if not isinstance(value, dt.datetime):  # all day: the date itself
        return value.isoformat()
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")


def with_ical_js(files: list[Path], first: dt.datetime, last: dt.datetime) -> dict[Path, Counter[Occ]]:
    out: dict[Path, Counter[Occ]] = {f: Counter() for f in files}
    r = subprocess.run(["node", str(EXPAND), str(ical_js()), first.isoformat(), last.isoformat(), *map(str, files)],
                       check=True, capture_output=True, text=True, timeout=600)
    for line in r.stdout.splitlines():
        o = json.loads(line)
        start = o["start"] if len(o["start"]) == 10 else _utc(dt.datetime.fromisoformat(o["start"].replace("Z", "+00:00")))
        out[Path(o["file"])][(o["url"], start, o["status"] == "CANCELLED")] += 1
    return out


def with_recurring_ical_events(file: Path, first: dt.datetime, last: dt.datetime) -> Counter[Occ]:
    import icalendar
    import recurring_ical_events

    cal = icalendar.Calendar.from_ical(file.read_bytes())
    return Counter((str(ev["URL"]), _utc(ev.decoded("DTSTART")), str(ev.get("STATUS", "")) == "CANCELLED")
                   for ev in recurring_ical_events.of(cal).between(first, last))


def with_ical(file: Path, first: dt.datetime, last: dt.datetime) -> Counter[Occ]:
    from ical.calendar_stream import IcsCalendarStream
    from ical.event import EventStatus

    cal = IcsCalendarStream.calendar_from_ics(file.read_text("utf-8"))
    def after(start: dt.date) -> bool:
        return start >= first if isinstance(start, dt.datetime) else start >= first.date()

    return Counter((str(ev.url), _utc(ev.dtstart), ev.status == EventStatus.CANCELLED)  # type: ignore[arg-type]
                   for ev in cal.timeline_tz(dt.UTC).overlapping(first, last)
                   if after(ev.dtstart))  # type: ignore[arg-type]


def all_three(files: list[Path], first: dt.datetime, last: dt.datetime) -> dict[Path, Counter[Occ]]:
    """Expand with every reader; fail with the difference when they disagree on any file."""
    js = with_ical_js(files, first, last)
    for f in files:
        rie = with_recurring_ical_events(f, first, last)
        ic = with_ical(f, first, last)
        assert js[f] == rie, (f, "ical.js vs recurring-ical-events", js[f] - rie, rie - js[f])
        assert js[f] == ic, (f, "ical.js vs ical", js[f] - ic, ic - js[f])
    return js
