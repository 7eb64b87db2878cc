"""Whether each translation is as new as its source: ``check`` warns (never fails) when the source
changed after the translation, so a coordinator knows which texts to look over.

In a git checkout the files' last commits decide; otherwise (or for files not committed yet) their
own ``updated:`` fields, when both have one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from hub.content.errors import ContentError
from hub.content.history import commit_times
from hub.content.structure import Doc, Portal
from hub.i18n import fmt_time


def _line(portal: Portal, path: str, field: str) -> int:
    """Line of a top-level field in a content file (1 if it has none)."""
    if portal.source is None:
        return 1
    try:
        rows = (portal.source.parent / path).read_text("utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((n for n, row in enumerate(rows, start=1) if row.startswith(f"{field}:")), 1)


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _when(source: dt.datetime, translation: dt.datetime, zone: str) -> tuple[str, str]:
    """The two commits' days, with the time of day (in the portal's time zone) when it is the same day:
    "endret 2026-12-04, oversettelsen sist 2026-12-04" would say nothing."""
    a, b = (t.astimezone(ZoneInfo(zone)) for t in (source, translation))
    if a.date() != b.date():
        return a.date().isoformat(), b.date().isoformat()

    seconds = a.replace(second=0) == b.replace(second=0)  # the same minute: the seconds tell them apart

    def stamp(t: dt.datetime) -> str:
        clock = fmt_time(t.time().replace(second=0, microsecond=0), "nb")
        return f"{t.date().isoformat()} kl. {clock}" + (f".{t.second:02d}" if seconds else "")

    return stamp(a), stamp(b)


def stale_translations(portal: Portal, times: dict[str, dt.datetime] | None = None) -> list[ContentError]:
    """A warning for every translation older than its source (``times``: last commit by path, default from git)."""
    times = commit_times(portal.source) if times is None else times
    out: list[ContentError] = []

    def compare(source: str, translation: str, declared: tuple[Any, Any] = (None, None)) -> None:
        src, own = times.get(source), times.get(translation)
        if src is not None and own is not None:
            if src > own:
                changed, last = _when(src, own, portal.site.timezone)
                out.append(ContentError(translation, 1, "", f"oversettelsen er eldre enn originalen: {_name(source)} "
                                        f"ble endret {changed}, oversettelsen sist {last}; se over teksten og "
                                        "oppdater den"))
            return
        if declared[0] is not None and declared[1] is not None and declared[0] > declared[1]:
            out.append(ContentError(translation, _line(portal, translation, "updated"), "updated",
                                    f"oversettelsen er eldre enn originalen: {_name(source)} har updated "
                                    f"{declared[0].isoformat()}, oversettelsen {declared[1].isoformat()}; se over "
                                    "teksten og sett ny dato i 'updated'"))

    docs: list[Doc[Any]] = [*portal.shared, *portal.shared_plans]
    for d in portal.districts:
        docs += d.documents()
        for text in d.translations:
            for path in text.paths:
                compare(f"{d.path}/{'district.yaml' if path.endswith('.yaml') else 'index.md'}", path)
    for doc in docs:
        for t in doc.translations:
            compare(doc.path, t.path, (getattr(doc.meta, "updated", None), getattr(t.meta, "updated", None)))
    return sorted(out)


