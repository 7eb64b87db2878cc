"""Every URL the portal has, as (endpoint, values): one list for the freezer and the sitemap."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hub.content.streets import postcodes
from hub.content.structure import District, Portal
from hub.site import finder

Url = tuple[str, dict[str, Any]]


def site_urls(portal: Portal) -> Iterator[Url]:
    """The one-door-in pages that summarise all districts."""
    yield "site.index", {}
    yield "site.services", {}
    for kind in portal.kinds:
        yield "site.kind", {"kind": kind}
    yield "site.programme", {}
    yield "site.search", {}
    yield "site.search_word_list", {}
    yield "site.accessibility", {}
    yield "find.index", {}
    yield "find.data", {}
    names = finder.names(portal)
    for _, slug, _ in finder.by_letter(names):
        yield "find.letter", {"letter": slug}
    for code in postcodes(portal.districts):
        yield "find.postcode", {"code": code}
    yield "site.hsds", {}
    yield "site.hsds_schema", {}
    yield "site.cpsv_catalogue", {}
    yield "site.portal_manifest", {}
    yield "site.portal_manifest_schema", {}
    for table in ("organizations", "services", "locations", "addresses", "service_at_locations", "schedules"):
        yield "site.hsds_table", {"table": table}
    yield "site.calendar_all", {}
    yield "site.not_found_page", {}
    yield "site.sitemap", {}
    yield "site.robots", {}
    yield "site.favicon", {}
    yield "site.share_card", {}
    yield from _look("site", {}, portal)
    for name in portal.media:
        yield "site.media", {"filename": name}


def district_urls(portal: Portal, d: District) -> Iterator[Url]:
    v = {"district": d.slug}
    yield "district.home", v
    for s in portal.services_of(d):
        yield "district.service", {**v, "service": s.slug}
    yield "district.district_programme", v
    yield "district.poster", {**v, "span": "week"}
    yield "district.poster", {**v, "span": "month"}
    for e in d.events:
        yield "district.event", {**v, "event": e.slug}
        yield "district.event_ics", {**v, "event": e.slug}
    yield "district.district_calendar", v
    for n in d.news:
        yield "district.news", {**v, "news": n.slug}
    yield "district.atom", v
    yield "district.district_search", v
    yield "district.search_word_list", v
    yield "district.favicon", v
    yield "district.share_card", v
    yield from _look("district", v, portal)
    for p in d.pages:
        yield "district.page", {**v, "page": p.slug}


def _look(blueprint: str, values: dict[str, str], portal: Portal) -> Iterator[Url]:
    """The municipality's logo and colour stylesheet, where ``site.yaml`` sets them."""
    if portal.site.logo is not None:
        yield f"{blueprint}.logo", {**values, "ext": portal.site.logo.kind}
    if portal.site.primary_color is not None:
        yield f"{blueprint}.colours", values


def source_of(portal: Portal, endpoint: str, values: dict[str, Any]) -> tuple[str, dt.date | None] | None:
    """The content file behind a page and its declared date, for the sitemap's lastmod."""
    d = portal.district(values.get("district", ""))
    if d is None:
        return None
    if endpoint == "district.home":
        return f"{d.path}/district.yaml", None
    for key, docs in (("service", portal.services_of(d)), ("event", d.events), ("page", d.pages), ("news", d.news)):
        if endpoint == f"district.{key}":
            doc = next(x for x in docs if x.slug == values[key])
            meta = doc.meta
            declared = getattr(meta, "updated", None) or (getattr(meta, "date", None) if key == "news" else None)
            return doc.path, declared
    return None


def git_dates(source: Path | None) -> dict[str, dt.date]:
    """Last commit date of every file under the content folder (empty outside a git checkout)."""
    if source is None:
        return {}
    try:
        log = subprocess.run(["git", "-C", str(source.parent), "log", "--relative", "--format=%x00%cs", "--name-only",
                              "--", source.name], capture_output=True, text=True, timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[str, dt.date] = {}
    for block in log.split("\0")[1:]:
        lines = [x for x in block.splitlines() if x.strip()]
        if lines:
            day = dt.date.fromisoformat(lines[0])
            for name in lines[1:]:
                dates.setdefault(name, day)  # newest commit first
    return dates


def html_pages(portal: Portal) -> Iterator[Url]:
    """Pages worth listing in the sitemap (HTML, not feeds or the 404 page)."""
    for ep, v in site_urls(portal):
        if ep not in {"site.calendar_all", "site.not_found_page", "site.sitemap", "site.robots", "site.hsds",
                      "site.hsds_schema", "site.hsds_table", "site.cpsv_catalogue", "site.favicon",
                      "site.portal_manifest", "site.portal_manifest_schema",
                      "site.share_card", "site.search_word_list", "find.data", "site.logo", "site.colours"}:
            yield ep, v
    for d in portal.districts:
        for ep, v in district_urls(portal, d):
            if not ep.endswith(("_ics", "_calendar", ".atom", ".favicon", ".share_card", ".search_word_list",
                                ".poster", ".logo", ".colours")):
                yield ep, v
