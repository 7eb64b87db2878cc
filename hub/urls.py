"""Every URL the portal has, as (endpoint, values): one list for the freezer and the sitemap."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .structure import District, Portal

Url = tuple[str, dict[str, Any]]


def site_urls(portal: Portal) -> Iterator[Url]:
    """The one-door-in pages that summarise all districts."""
    yield "site.index", {}
    yield "site.services", {}
    for kind in portal.kinds:
        yield "site.kind", {"kind": kind}
    yield "site.programme", {}
    yield "site.search", {}
    yield "site.accessibility", {}
    yield "site.calendar_all", {}
    yield "site.not_found_page", {}
    yield "site.sitemap", {}
    yield "site.robots", {}


def district_urls(portal: Portal, d: District) -> Iterator[Url]:
    v = {"district": d.slug}
    yield "district.home", v
    for s in portal.services_of(d):
        yield "district.service", {**v, "service": s.slug}
    yield "district.district_programme", v
    for e in d.events:
        yield "district.event", {**v, "event": e.slug}
        yield "district.event_ics", {**v, "event": e.slug}
    yield "district.district_calendar", v
    for n in d.news:
        yield "district.news", {**v, "news": n.slug}
    yield "district.district_search", v
    for p in d.pages:
        yield "district.page", {**v, "page": p.slug}


def static_files(static_dir: Path) -> list[str]:
    return sorted(p.relative_to(static_dir).as_posix() for p in static_dir.rglob("*") if p.is_file())


def html_pages(portal: Portal) -> Iterator[Url]:
    """Pages worth listing in the sitemap (HTML, not feeds or the 404 page)."""
    for ep, v in site_urls(portal):
        if ep not in {"site.calendar_all", "site.not_found_page", "site.sitemap", "site.robots"}:
            yield ep, v
    for d in portal.districts:
        for ep, v in district_urls(portal, d):
            if not ep.endswith(("_ics", "_calendar")):
                yield ep, v
