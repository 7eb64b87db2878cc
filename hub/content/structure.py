"""The loaded portal: immutable domain objects the views read and never change."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Generic, TypeVar

from hub.content import markup
from hub.content.codelists import STATUS_ORDER
from hub.content.model import (
    Capacity,
    CapacityEntry,
    DistrictConfig,
    EventMeta,
    NewsMeta,
    OpeningHours,
    PageMeta,
    PlanMeta,
    PlanStep,
    ServiceMeta,
    SiteConfig,
    Street,
)
from hub.time import planning
from hub.time.hours import HolidayCalendar
from hub.time.programme import Occurrence, occurrences

M = TypeVar("M")
DocT = TypeVar("DocT", bound="Doc[Any]")


class Body:
    """A content file's Markdown, converted to safe HTML when first read, then only the HTML kept.

    The build converts every body while it loads, in processes that share that work; the
    preview and ``knutepunkt check`` leave it until a page shows the body, so a preview of
    ten thousand files starts without converting them. One slot, read once: two threads that
    ask at the same time both convert it, and neither sees it half done.
    """

    __slots__ = ("_value",)

    def __init__(self, markdown: str, *, now: bool = False) -> None:
        self._value: str | tuple[str] = markup.render(markdown) if now else (markdown,)

    @property
    def html(self) -> str:
        value = self._value
        if isinstance(value, tuple):
            value = self._value = markup.render(value[0])
        return value

    def says(self, sentence: str) -> bool:
        """Whether the body holds this sentence, without converting a body not yet converted (``check``
        looks for the starting files' sentences). Only for a sentence written the same in Markdown and
        in HTML: no ``&``, ``<``, ``>``, quotes or Markdown marks."""
        value = self._value
        return sentence in (value[0] if isinstance(value, tuple) else value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Body) and self.html == other.html

    def __hash__(self) -> int:
        return hash(self.html)

    def __getstate__(self) -> str | tuple[str]:
        return self._value

    def __setstate__(self, value: str | tuple[str]) -> None:
        self._value = value


@dataclass(frozen=True)
class Doc(Generic[M]):
    """One content file: its slug, source path (for messages), validated meta and body.

    A translation (``helsestasjon.pl.md``) is a Doc too: ``lang`` is its language, its ``meta`` the
    source's with the translation's text (:func:`hub.content.languages.overlay`). A source lists its
    translations in ``translations``, by language code.
    """

    slug: str
    path: str
    meta: M
    body: Body
    lang: str | None = None
    translations: tuple[Doc[M], ...] = ()

    @property
    def html(self) -> str:
        return self.body.html

    def translation(self, lang: str) -> Doc[M] | None:
        return next((t for t in self.translations if t.lang == lang), None)

    def translated(self: DocT, path: str, meta: M, body: Body, lang: str) -> DocT:
        """This document in another language: the file's own path, text and body; the rest (a plan's
        district and files, the slug) stays the source's."""
        return dataclasses.replace(self, path=path, meta=meta, body=body, lang=lang, translations=())


Service = Doc[ServiceMeta]
Event = Doc[EventMeta]
Page = Doc[PageMeta]
News = Doc[NewsMeta]


def kind_of(service: Service) -> str:
    """The kind of service a file offers (its page in services A–Å): its ``service:`` field, else its
    own name, so a district's ``helsestasjon.md`` is the kind ``helsestasjon`` without saying so."""
    return service.meta.service or service.slug


@dataclass(frozen=True)
class Attachment:
    """A plan document's file in the content folder: its name, where it is (relative to the content
    folder's parent, as messages name files) and its size in bytes."""

    name: str
    source: str
    size: int


@dataclass(frozen=True)
class Plan(Doc[PlanMeta]):
    """A plan: in a district folder (``district`` its slug), or municipality-wide in ``content/planer/``
    (``district`` None, the districts it touches in ``meta.districts``); ``files`` are its documents' files."""

    district: str | None = None
    files: tuple[Attachment, ...] = ()

    @property
    def districts(self) -> tuple[str, ...]:
        return (self.district,) if self.district else self.meta.districts

    def attachment(self, name: str) -> Attachment | None:
        return next((f for f in self.files if f.name == name), None)

    def open_step(self, today: dt.date) -> PlanStep | None:
        """The step taking input now, if any (see :func:`hub.time.planning.open_for_input`)."""
        return planning.open_for_input(self.meta.steps, today)


def plan_order(plans: list[Plan], today: dt.date) -> list[Plan]:
    """Plans open for input first, soonest deadline first; then the others by status, in the order
    a plan passes through them (see :data:`hub.content.codelists.STATUS_ORDER`); then by title."""
    def key(p: Plan) -> tuple[int, str, int, str]:
        step = p.open_step(today)
        if step is not None and step.due is not None:
            return (0, step.due.isoformat(), 0, p.meta.title)
        return (1, "", STATUS_ORDER.index(p.meta.status), p.meta.title)
    return sorted(plans, key=key)


@dataclass(frozen=True)
class DistrictText:
    """A district's front page in another language: ``district.<lang>.yaml`` (the intro, the way to the
    hub) over ``district.yaml``, and ``index.<lang>.md``; ``paths`` are the files it is read from."""

    lang: str
    config: DistrictConfig
    html: str
    paths: tuple[str, ...]


@dataclass(frozen=True)
class District:
    slug: str
    path: str
    config: DistrictConfig
    html: str
    services: tuple[Service, ...]
    events: tuple[Event, ...]
    pages: tuple[Page, ...]
    news: tuple[News, ...]
    streets: tuple[Street, ...] = ()
    plans: tuple[Plan, ...] = ()
    translations: tuple[DistrictText, ...] = ()

    @property
    def name(self) -> str:
        return self.config.name

    def translation(self, lang: str) -> DistrictText | None:
        return next((t for t in self.translations if t.lang == lang), None)

    def documents(self) -> tuple[Doc[Any], ...]:
        """Every content file of the district that may have translations."""
        return (*self.services, *self.events, *self.pages, *self.news, *self.plans)

    def service(self, slug: str) -> Service | None:
        return next((s for s in self.services if s.slug == slug), None)


def service_hours(district: District | None, service: Service) -> OpeningHours | None:
    """A service's own hours, else its hub's when it is at the hub (no ``location`` of its own)."""
    if service.meta.hours is not None:
        return service.meta.hours
    if district is not None and service.meta.location is None:
        return district.config.hub.hours
    return None


@dataclass(frozen=True)
class Listing:
    """One dated occurrence of an event in a district, for programme pages and feeds."""

    district: District
    event: Event
    occ: Occurrence


#: A service page stays small however many districts there are: the service's
#: all-districts page has the complete lists.
MAX_ELSEWHERE, MAX_VISITS = 12, 10


@dataclass(frozen=True)
class CrossDistrict:
    """What a district's service page shows from other districts: where else, and when."""

    elsewhere: list[tuple[District, Service]]
    more_elsewhere: bool
    visits: list[Listing]
    more_visits: bool


#: ``search_index: auto`` gives the one door in the light bundle from this many districts on.
LIGHT_SEARCH_FROM = 20


@dataclass(frozen=True)
class Portal:
    site: SiteConfig
    districts: tuple[District, ...]
    shared: tuple[Service, ...]
    today: dt.date
    calendar: HolidayCalendar = field(compare=False)
    source: Path | None = field(default=None, compare=False)
    #: From ``content/capacity.yaml``; they win over a service's own ``capacity:``.
    capacities: tuple[CapacityEntry, ...] = field(default=(), compare=False)
    #: District areas from ``content/districts.geojson`` (GeoJSON geometries by district), for the map.
    areas: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False)
    #: Municipality-wide plans (``content/planer/``), each shown in the districts it names.
    shared_plans: tuple[Plan, ...] = field(default=(), compare=False)
    #: File names in ``content/media/`` (pictures and files uploaded in the browser editor), published at ``/media/``.
    media: tuple[str, ...] = field(default=(), compare=False)

    def absolute(self, path: str) -> str:
        """A site path ("/bragernes/") as a full URL under ``base_url``, for feeds and links out."""
        return self.site.base_url.rstrip("/") + path

    def district(self, slug: str) -> District | None:
        return self._by_slug.get(slug)

    @cached_property
    def _by_slug(self) -> dict[str, District]:
        return {d.slug: d for d in self.districts}

    def position(self, slug: str) -> int:
        """The district's place among the portal's districts (sorted by folder name), from 0 (0 for
        one it does not have: the preview may swap the portal while a page is made)."""
        return self._positions.get(slug, 0)

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {d.slug: i for i, d in enumerate(self.districts)}

    @cached_property
    def languages(self) -> tuple[str, ...]:
        """Every language the portal has translations in, sorted by code."""
        found = {t.lang for d in self.districts for t in d.translations}
        docs: list[Doc[Any]] = [*self.shared, *self.shared_plans, *(x for d in self.districts for x in d.documents())]
        found |= {t.lang for doc in docs for t in doc.translations if t.lang}
        return tuple(sorted(found))

    @property
    def light_search(self) -> bool:
        """Whether the one door in searches one light bundle instead of merging every district's
        (``search_index`` in site.yaml; ``auto``: from :data:`LIGHT_SEARCH_FROM` districts on, where a
        merged first query costs some 70 requests and 0.5 MB; docs/search.md)."""
        mode = self.site.search_index
        return mode == "light" or (mode == "auto" and len(self.districts) >= LIGHT_SEARCH_FROM)

    def capacity(self, district: District | None, service: Service) -> Capacity | None:
        """Capacity for applicants from other municipalities: the daily file's entry for this
        district, else its entry for every district, else the service file's own."""
        kind = kind_of(service)
        slug = district.slug if district else None
        for wanted in (slug, None):
            found = next((e for e in self.capacities if e.service == kind and e.district == wanted), None)
            if found is not None:
                return found
        return service.meta.capacity

    @cached_property
    def all_plans(self) -> tuple[Plan, ...]:
        """Every plan once: the districts' own, then the municipality-wide ones."""
        return tuple(p for d in self.districts for p in d.plans) + self.shared_plans

    def plans_of(self, district: District) -> list[Plan]:
        """The district's plans and the municipality-wide plans that touch it, in listing order."""
        shared = [p for p in self.shared_plans if district.slug in p.meta.districts]
        return plan_order([*district.plans, *shared], self.today)

    def plan_of(self, district: District, slug: str) -> Plan | None:
        """The plan an event's ``plan:`` names: the district's own, else a municipality-wide one."""
        return next((p for p in district.plans if p.slug == slug), None) or next(
            (p for p in self.shared_plans if p.slug == slug), None)

    def meetings(self, plan: Plan) -> list[tuple[District, Event]]:
        """The events about a plan (``plan:`` on an event): in its own district, or anywhere for a
        municipality-wide plan."""
        where = [d for d in self.districts if plan.district in (None, d.slug)]
        return [(d, e) for d in where for e in d.events
                if e.meta.plan == plan.slug and self.plan_of(d, plan.slug) is plan]

    def services_of(self, district: District) -> tuple[Service, ...]:
        """The district's own services followed by the municipality-wide ones."""
        return district.services + self.shared

    @cached_property
    def kinds(self) -> dict[str, list[tuple[District | None, Service]]]:
        """Service kind (``service`` key) → where it is offered, for "which districts offer this"."""
        out: dict[str, list[tuple[District | None, Service]]] = defaultdict(list)
        for d in self.districts:
            for s in d.services:
                out[kind_of(s)].append((d, s))
        for s in self.shared:
            out[kind_of(s)].append((None, s))
        return dict(sorted(out.items()))

    @property
    def week_start(self) -> dt.date:
        """The Monday of "today"'s week. A district's pages show spans of days from there (hours this
        week and next, the programme from this week), so they change once a week rather than every
        night; the browser marks today and hides the days that have passed (``data-day``)."""
        return self.today - dt.timedelta(days=self.today.weekday())

    def window(self, weeks: int | None = None) -> tuple[dt.date, dt.date]:
        """The programme's days: this week from Monday and ``programme_weeks`` more, so that at least
        that many weeks lie ahead on any day of the week."""
        w = self.site.programme_weeks if weeks is None else weeks
        return self.week_start, self.week_start + dt.timedelta(days=7 * (w + 1) - 1)

    @cached_property
    def _programme(self) -> tuple[Listing, ...]:
        """Every occurrence in the programme window, expanded once (pages filter this)."""
        lo, hi = self.window()
        out = [Listing(d, e, o) for d in self.districts for e in d.events for o in occurrences(e.meta, lo, hi)]
        return tuple(sorted(out, key=lambda x: (x.occ.day, x.occ.start, x.district.slug, x.event.slug)))

    @cached_property
    def _by_district(self) -> dict[str, list[Listing]]:
        out: dict[str, list[Listing]] = defaultdict(list)
        for x in self._programme:
            out[x.district.slug].append(x)
        return out

    @cached_property
    def _by_service(self) -> dict[str, list[Listing]]:
        out: dict[str, list[Listing]] = defaultdict(list)
        for x in self._programme:
            if x.event.meta.service:
                out[x.event.meta.service].append(x)
        return out

    def listings(self, district: District | None = None, *, last: dt.date | None = None,
                 service: str | None = None, first: dt.date | None = None) -> list[Listing]:
        """Occurrences in the programme window (from ``first``, up to ``last``), for one district or
        service, in order."""
        if service is not None:
            found = self._by_service.get(service, [])
            found = [x for x in found if district is None or x.district.slug == district.slug]
        elif district is not None:
            found = self._by_district.get(district.slug, [])
        else:
            found = list(self._programme)
        return [x for x in found if (last is None or x.occ.day <= last) and (first is None or first <= x.occ.day)]


def cross_district(portal: Portal, district: District, kind: str) -> CrossDistrict:
    """Other districts offering ``kind``, and its drop-in times at every hub, both capped."""
    elsewhere = [(od, s) for od, s in portal.kinds.get(kind, []) if od is not None and od.slug != district.slug]
    visits = portal.listings(service=kind)
    return CrossDistrict(elsewhere[:MAX_ELSEWHERE], len(elsewhere) > MAX_ELSEWHERE,
                         visits[:MAX_VISITS], len(visits) > MAX_VISITS)
