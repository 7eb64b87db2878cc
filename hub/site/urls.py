"""Every URL the portal has, as (endpoint, values): one list for the freezer and the sitemap."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from hub.content.streets import postcodes
from hub.content.structure import District, Doc, Portal
from hub.exports import HSDS_TABLES
from hub.site import finder

Url = tuple[str, dict[str, Any]]

#: Pages that may have translations: the page's endpoint → its translated twin (under ``/<lang>/``)
#: and the value that names its content file (None: the district's front page).
TRANSLATABLE: dict[str, tuple[str, str | None]] = {
    "district.home": ("lang.home", None), "district.service": ("lang.service", "service"),
    "district.event": ("lang.event", "event"), "district.news": ("lang.news", "news"),
    "district.page": ("lang.page", "page"), "district.plan": ("lang.plan", "plan"),
    "site.shared_plan": ("lang.shared_plan", "plan")}
SOURCE_OF = {twin: ep for ep, (twin, _) in TRANSLATABLE.items()}


def document(portal: Portal, endpoint: str, values: dict[str, Any]) -> Doc[Any] | None:
    """The content file behind a page that may have translations (not the front page: see :func:`languages_of`)."""
    endpoint = SOURCE_OF.get(endpoint, endpoint)
    if endpoint == "site.shared_plan":
        plans: tuple[Doc[Any], ...] = portal.shared_plans
        return next((p for p in plans if p.slug == values.get("plan")), None)
    d = portal.district(values.get("district", ""))
    key = TRANSLATABLE.get(endpoint, ("", None))[1]
    if d is None or key is None:
        return None
    docs: dict[str, tuple[Doc[Any], ...]] = {"service": portal.services_of(d), "event": d.events, "news": d.news,
                                             "page": d.pages, "plan": d.plans}
    return next((x for x in docs[key] if x.slug == values.get(key)), None)


def languages_of(portal: Portal, endpoint: str, values: dict[str, Any]) -> tuple[str, ...]:
    """The languages a page is translated into (its own not counted)."""
    if SOURCE_OF.get(endpoint, endpoint) == "district.home":
        d = portal.district(values.get("district", ""))
        return tuple(t.lang for t in d.translations) if d else ()
    doc = document(portal, endpoint, values)
    return tuple(t.lang for t in doc.translations if t.lang) if doc is not None else ()


def source_language(portal: Portal, endpoint: str, values: dict[str, Any]) -> str:
    doc = document(portal, endpoint, values)
    return (getattr(doc.meta, "lang", None) if doc is not None else None) or portal.site.language


def versions_of(portal: Portal, endpoint: str, values: dict[str, Any]) -> list[tuple[str, Url]]:
    """Every language version of a page, its source first, as (language, URL); empty if it has no translation."""
    source = SOURCE_OF.get(endpoint, endpoint)
    if source not in TRANSLATABLE:
        return []
    plain = {k: v for k, v in values.items() if k != "lang"}
    langs = languages_of(portal, source, plain)
    if not langs:
        return []
    twin = TRANSLATABLE[source][0]
    return [(source_language(portal, source, plain), (source, plain)),
            *((code, (twin, {**plain, "lang": code})) for code in langs)]


def translation_urls(portal: Portal, d: District) -> Iterator[Url]:
    """A district's translated pages, each under its language (``/pl/bragernes/tjenester/helsestasjon/``)."""
    for text in d.translations:
        yield "lang.home", {"lang": text.lang, "district": d.slug}
    for key, docs in (("service", portal.services_of(d)), ("event", d.events), ("news", d.news), ("page", d.pages),
                      ("plan", d.plans)):
        for doc in docs:
            for t in doc.translations:
                yield f"lang.{key}", {"lang": t.lang, "district": d.slug, key: doc.slug}


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
    for table in HSDS_TABLES:
        yield "site.hsds_table", {"table": table}
    yield "site.calendar_all", {}
    yield from plan_urls(portal)
    for code in portal.languages:
        yield "lang.index", {"lang": code}
        yield "lang.search", {"lang": code}
    for plan in portal.shared_plans:
        for t in plan.translations:
            yield "lang.shared_plan", {"lang": t.lang, "plan": plan.slug}
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
    yield "district.district_plans", v
    yield "district.plans_atom", v
    for plan in d.plans:
        yield "district.plan", {**v, "plan": plan.slug}
        yield "district.plan_calendar", {**v, "plan": plan.slug}
        for f in plan.files:
            yield "district.plan_document", {**v, "plan": plan.slug, "name": f.name}
    yield from translation_urls(portal, d)


def plan_urls(portal: Portal) -> Iterator[Url]:
    """The one door in's plans: the list and a page per district and status filter (and both), the
    municipality-wide plans, the feed and the open data."""
    plans = portal.all_plans
    touched = [d.slug for d in portal.districts if any(d.slug in p.districts for p in plans)]
    statuses = sorted({p.meta.status for p in plans})
    yield "site.plans", {}
    for where in touched:
        yield "site.plans", {"where": where}
    for status in statuses:
        yield "site.plans", {"status": status}
        for where in touched:
            yield "site.plans", {"where": where, "status": status}
    for plan in portal.shared_plans:
        yield "site.shared_plan", {"plan": plan.slug}
        yield "site.shared_plan_calendar", {"plan": plan.slug}
        for f in plan.files:
            yield "site.shared_plan_document", {"plan": plan.slug, "name": f.name}
    yield "site.all_plans_atom", {}
    yield "site.plans_json", {}
    yield "site.plans_csv", {}
    yield "site.plans_schema", {}


def _look(blueprint: str, values: dict[str, str], portal: Portal) -> Iterator[Url]:
    """The municipality's logo and colour stylesheet, where ``site.yaml`` sets them."""
    if portal.site.logo is not None:
        yield f"{blueprint}.logo", {**values, "ext": portal.site.logo.kind}
    if portal.site.primary_color is not None:
        yield f"{blueprint}.colours", values


def source_of(portal: Portal, endpoint: str, values: dict[str, Any]) -> tuple[str, dt.date | None] | None:
    """The content file behind a page and its declared date, for the sitemap's lastmod."""
    if endpoint in SOURCE_OF:  # a translation: its own file and date
        lang = values.get("lang", "")
        if endpoint == "lang.home":
            d = portal.district(values.get("district", ""))
            text = d.translation(lang) if d else None
            return (text.paths[0], None) if text else None
        doc = document(portal, endpoint, values)
        found = doc.translation(lang) if doc is not None else None
        return (found.path, getattr(found.meta, "updated", None)) if found is not None else None
    d = portal.district(values.get("district", ""))
    if d is None:
        return None
    if endpoint == "district.home":
        return f"{d.path}/district.yaml", None
    for key, docs in (("service", portal.services_of(d)), ("event", d.events), ("page", d.pages), ("news", d.news),
                      ("plan", d.plans)):
        if endpoint == f"district.{key}":
            doc = next(x for x in docs if x.slug == values[key])
            meta = doc.meta
            declared = getattr(meta, "updated", None) or (getattr(meta, "date", None) if key == "news" else None)
            return doc.path, declared
    return None


#: The one-door-in files that are not pages (feeds, data, pictures, the 404 page): not in the sitemap.
NOT_PAGES = frozenset({
    "site.calendar_all", "site.not_found_page", "site.sitemap", "site.robots", "site.hsds", "site.hsds_schema",
    "site.hsds_table", "site.cpsv_catalogue", "site.favicon", "site.portal_manifest", "site.portal_manifest_schema",
    "site.share_card", "site.search_word_list", "find.data", "site.logo", "site.colours",
    "site.shared_plan_calendar", "site.shared_plan_document", "site.all_plans_atom", "site.plans_json",
    "site.plans_csv", "site.plans_schema"})


def site_pages(portal: Portal) -> Iterator[Url]:
    """The one-door-in pages worth listing in the sitemap (HTML, not feeds or the 404 page)."""
    for ep, v in site_urls(portal):
        if ep not in NOT_PAGES and not (ep == "site.plans" and v):
            yield ep, v


def district_pages(portal: Portal, d: District) -> Iterator[Url]:
    """A district's pages worth listing in the sitemap: which they are depends on its files and the
    common inputs alone, so the sitemap keeps them as a piece per district."""
    for ep, v in district_urls(portal, d):
        if not ep.endswith(("_ics", "_calendar", ".atom", ".favicon", ".share_card", ".search_word_list",
                            ".poster", ".logo", ".colours", ".plans_atom", ".plan_document")):
            yield ep, v
