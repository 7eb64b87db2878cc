"""The portal manifest (``apne-data/portal.json``): the contract between a municipality and its region.

What a region portal needs from a member, in one file: the municipality, its districts and hubs
with coordinates and resolved opening hours, its services by kind with their pages, places,
hours and capacity for applicants from other municipalities, the coming programme, the calendar
and the Pagefind bundles; from version 2, its plans and hearings. ``manifest_version`` names the
contract; readers refuse a version they do not know, and read version 1 (which has no plans) still.
The same models validate what a region reads (:mod:`hub.region`), so a hostile or broken manifest —
HTML in a text field, a ``javascript:`` link, a wrong shape — is refused there with a message, and
never reaches a page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from hub.content.address import postal_address
from hub.content.model import Capacity, PlanStatusCode, PlanStep, PlanTypeCode, Slug
from hub.content.structure import District, Plan, Portal, Service, service_hours
from hub.time import hours as hours_rules
from hub.time.programme import end_day

VERSION: Literal[2] = 2
#: The contract versions a region reads: 1 (before plans) and 2.
READABLE = (1, 2)
#: Days of resolved hours per place: today's hours and "opens next" for the region's nightly build.
HOURS_DAYS = 14
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!?]")


def _plain(value: str, info: ValidationInfo) -> str:
    """A region reads manifests as untrusted: text that looks like HTML is refused there. A portal
    writing its own manifest keeps its titles as they are (its pages escape them)."""
    if info.context and info.context.get("untrusted") and _TAG.search(value):
        raise ValueError("HTML er ikke tillatt i tekstfelt")
    return value


def _link(value: str) -> str:
    if not re.match(r"^https?://[^\s<>\"']+$", value):
        raise ValueError("lenken må være en http(s)-adresse")
    return value


Plain = Annotated[str, Field(max_length=2000), AfterValidator(_plain)]
Link = Annotated[str, Field(max_length=2000), AfterValidator(_link)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


IsoDay = Annotated[str, Field(pattern=r"^\d{4}-\d\d-\d\d$")]
Clock = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")]


class Hours(_Model):
    """Resolved wall-clock ranges per date (holidays and exceptions applied), in ``timezone``."""

    days: dict[IsoDay, list[tuple[Clock, Clock]]] = Field(max_length=400)


class Place(_Model):
    name: Plain
    address: Plain
    postal_code: Plain | None = None
    city: Plain | None = None
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)


class Offer(_Model):
    url: Link
    district: Slug | None = None  # None: the whole municipality
    place: Place | None = None
    hours: Hours | None = None
    capacity: Capacity | None = None


class ServiceKind(_Model):
    kind: Slug
    title: Plain
    summary: Plain
    category: Plain
    url: Link
    offers: list[Offer] = Field(max_length=2000)


class DistrictEntry(_Model):
    slug: Slug
    name: Plain
    url: Link
    hub: Place
    hours: Hours


class Occurrence(_Model):
    title: Plain
    district: Slug
    url: Link
    start: dt.datetime
    end: dt.datetime
    cancelled: bool = False


class PlanStage(PlanStep):
    """A step of a plan's process, with the content model's own checks (dates in order, the deadline
    after the hearing starts); its note, if a member sends one, is plain text."""

    note: Plain | None = None


class PlanEntry(_Model):
    """A plan as a region shows it: what it is, where, and its steps (the region works out what is open
    on its own "today", with the portal's rules: :mod:`hub.time.planning`)."""

    plan_id: Plain
    title: Plain
    summary: Plain
    url: Link
    districts: list[Slug] = Field(max_length=500)
    type: PlanTypeCode
    status: PlanStatusCode
    steps: list[PlanStage] = Field(min_length=1, max_length=50)


class Municipality(_Model):
    name: Plain
    organization_number: Plain | None = None
    base_url: Link
    language: Literal["nb", "nn", "en"]
    timezone: Plain


class Manifest(_Model):
    """Read a member's with ``Manifest.read(data)``: that treats it as untrusted."""

    manifest_version: Literal[1, 2]
    generated: dt.date
    municipality: Municipality
    districts: list[DistrictEntry] = Field(max_length=500)
    services: list[ServiceKind] = Field(max_length=2000)
    programme: list[Occurrence] = Field(max_length=50_000)
    calendar: Link
    search: list[Link] = Field(max_length=600)  # Pagefind bundles: the root one first
    plans: list[PlanEntry] = Field(default_factory=list, max_length=5000)  # version 2 on

    @model_validator(mode="after")
    def _plans_from_version_2(self) -> Manifest:
        if self.manifest_version < 2 and self.plans:
            raise ValueError("plans hører til kontraktens versjon 2 (manifest_version: 2)")
        return self

    @classmethod
    def read(cls, data: object) -> Manifest:
        return cls.model_validate(data, context={"untrusted": True})


def _place(name: str, line: str, postal_code: str | None, city: str | None, coordinates: Any,
           default_city: str | None = None) -> Place:
    parts = postal_address(line, postal_code, city, default_city)
    return Place(name=name, address=line, postal_code=parts.postal_code, city=parts.city,
                 lat=coordinates.lat if coordinates else None, lon=coordinates.lon if coordinates else None)


def _hours(portal: Portal, hours: Any) -> Hours:
    return Hours(days=hours_rules.day_ranges(hours, portal.today, HOURS_DAYS, portal.calendar))


def build(portal: Portal, calendar: str, page_of: Callable[[District | None, Service], str],
          kind_url: Callable[[str], str], district_url: Callable[[District], str], event_url: Callable[..., str],
          bundles: list[str], plan_url: Callable[[Plan], str] | None = None) -> Manifest:
    """The manifest of a loaded portal; the callables give the pages' absolute URLs."""
    from zoneinfo import ZoneInfo

    site = portal.site
    districts = []
    for d in portal.districts:
        h = d.config.hub
        districts.append(DistrictEntry(slug=d.slug, name=d.name, url=district_url(d),
                                       hub=_place(h.name, h.address, h.postal_code, h.city, h.coordinates),
                                       hours=_hours(portal, h.hours)))
    services = []
    for kind, offers in portal.kinds.items():
        first = offers[0][1].meta
        out = []
        for where, s in offers:
            p = s.meta.location
            hub = where.config.hub if where else None
            if p is not None:
                hub_city = postal_address(hub.address, hub.postal_code, hub.city).city if hub else None
                place = _place(p.name, p.address or p.name, p.postal_code, p.city, p.coordinates, hub_city)
            elif hub is not None:
                place = _place(hub.name, hub.address, hub.postal_code, hub.city, hub.coordinates)
            else:
                place = None
            own = service_hours(where, s)
            out.append(Offer(district=where.slug if where else None, url=page_of(where, s), place=place,
                             hours=_hours(portal, own) if own else None, capacity=portal.capacity(where, s)))
        services.append(ServiceKind(kind=kind, title=first.title, summary=first.summary, category=first.category,
                                    url=kind_url(kind), offers=out))
    tz = ZoneInfo(site.timezone)
    programme = [Occurrence(title=x.event.meta.title, district=x.district.slug,
                            url=event_url(x.district, x.event),
                            start=dt.datetime.combine(x.occ.day, x.occ.start, tz),
                            end=dt.datetime.combine(end_day(x.occ.day, x.occ.start, x.occ.end), x.occ.end, tz),
                            cancelled=x.occ.cancelled) for x in portal.listings()]
    plans = [PlanEntry(plan_id=p.meta.plan_id, title=p.meta.title, summary=p.meta.summary, url=plan_url(p),
                       districts=list(p.districts), type=p.meta.type, status=p.meta.status,
                       steps=[PlanStage.model_validate(s.model_dump(exclude={"note"})) for s in p.meta.steps])
             for p in portal.all_plans] if plan_url is not None else []
    return Manifest(manifest_version=VERSION, generated=portal.today,
                    municipality=Municipality(name=site.name, organization_number=site.organization_number,
                                              base_url=site.base_url, language=site.language,
                                              timezone=site.timezone),
                    districts=districts, services=services, programme=programme,
                    calendar=calendar, search=bundles, plans=plans)


def schema() -> dict[str, Any]:
    out = Manifest.model_json_schema(by_alias=True)
    out["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    out["title"] = f"Knutepunkt portal manifest, version {VERSION}"
    return out
