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
import functools
import json
import re
from collections import Counter
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    model_validator,
)

from hub.content.address import postal_address
from hub.content.codelists import PLANSTATUS, PLANTYPE
from hub.content.errors import ContentError, ContentErrors
from hub.content.model import (
    DISTRICTS_MAX,
    KINDS_MAX,
    LANGUAGES_MAX,
    OFFERS_MAX,
    PLANS_MAX,
    PROGRAMME_MAX,
    STEPS_MAX,
    TEXT_MAX,
    Capacity,
    PlanStep,
    Slug,
    _code,
    _orgnr,
    _zone,
    too_many,
)
from hub.content.structure import District, Plan, Portal, Service, kind_of, service_hours
from hub.time import hours as hours_rules
from hub.time.programme import end_day

VERSION: Literal[2] = 2
#: The contract versions a region reads: 1 (before plans) and 2.
READABLE = (1, 2)
#: Days of resolved hours per place: today's hours and "opens next" for the region's nightly build.
HOURS_DAYS = 14
V = TypeVar("V")
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
#: Control characters (but tab and line breaks) and lone surrogates: nothing a page can show or a file hold.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
#: An http(s) address whose host is a plain name (letters, digits, dots, hyphens; an optional port):
#: no user part, nothing a browser or a terminal reads otherwise.
_LINK = re.compile(r"^https?://[\w.-]+(:\d{1,5})?(/[^\s<>\"'\x00-\x1f\x7f]*)?$")


def _plain(value: str, info: ValidationInfo) -> str:
    """A region reads manifests as untrusted: text that looks like HTML is refused there. A portal
    writing its own manifest keeps its titles as they are (its pages escape them)."""
    if info.context and info.context.get("untrusted"):
        if _TAG.search(value):
            raise ValueError("HTML er ikke tillatt i tekstfelt")
        if _CONTROL.search(value):
            raise ValueError("kontrolltegn er ikke tillatt i tekstfelt")
    return value


def _link(value: str) -> str:
    if not _LINK.match(value):
        raise ValueError("lenken må være en http(s)-adresse")
    return value


def _portal_rule(check: Callable[[V], object], message: str) -> Callable[[V], V]:
    """One of the portal's own checks (hub.content.model), with a message that does not repeat the value:
    a region prints it in its build log, and the value comes from someone else."""
    def run(value: V) -> V:
        try:
            check(value)
        except ValueError:
            raise ValueError(message) from None
        return value
    return run


@functools.lru_cache(maxsize=4096)  # a manifest's 4,400 offers name the same 14 days (62,000 keys at ×22)
def _real_day(value: str) -> str:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError("ingen virkelig dato") from None
    return value


def _clock_range(value: tuple[str, str]) -> tuple[str, str]:
    """A range may run past midnight (``19:00``–``01:00``), but it starts at a time of the day and lasts."""
    start, end = value
    if start == "24:00" or start == end:
        raise ValueError("et tidsrom begynner før 24:00 og slutter en annen tid enn det begynner")
    return value


Plain = Annotated[str, Field(max_length=TEXT_MAX), AfterValidator(_plain)]
Link = Annotated[str, Field(max_length=TEXT_MAX), AfterValidator(_link)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)


IsoDay = Annotated[str, Field(pattern=r"^\d{4}-\d\d-\d\d$"), AfterValidator(_real_day)]
Clock = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")]
ClockRange = Annotated[tuple[Clock, Clock], AfterValidator(_clock_range)]
#: An IANA time zone, as a portal's site.yaml takes it.
TimeZone = Annotated[str, AfterValidator(_portal_rule(_zone, "ukjent tidssone (bruk et IANA-navn som Europe/Oslo)"))]
#: Nine digits with the register's modulus-11 check digit, as a portal's site.yaml takes it.
OrgNumber = Annotated[str, AfterValidator(_portal_rule(
    _orgnr, "ugyldig organisasjonsnummer (ni sifre med riktig kontrollsiffer, f.eks. 123 456 785)"))]


class Hours(_Model):
    """Resolved wall-clock ranges per date (holidays and exceptions applied), in ``timezone``."""

    days: dict[IsoDay, list[ClockRange]] = Field(max_length=400)


class Place(_Model):
    name: Plain
    address: Plain
    postal_code: Plain | None = None
    city: Plain | None = None
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)


class OfferCapacity(Capacity):
    """A service's capacity as a region reads it: the content model's, with the note as plain text."""

    model_config = ConfigDict(allow_inf_nan=False)
    note: Plain | None = None


_CAPACITY = set(OfferCapacity.model_fields)


#: A language by its ISO 639 code, as the portal's content gives it (``nb``, ``pl``, ``ckb``).
LanguageTag = Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]


class Offer(_Model):
    url: Link
    district: Slug | None = None  # None: the whole municipality
    place: Place | None = None
    hours: Hours | None = None
    capacity: OfferCapacity | None = None
    #: Version 2 on, optional: the languages the staff speak, and whether an interpreter can be booked.
    languages: list[LanguageTag] | None = Field(default=None, max_length=LANGUAGES_MAX)
    interpreter: bool | None = None


class ServiceKind(_Model):
    kind: Slug
    title: Plain
    summary: Plain
    category: Plain
    url: Link
    offers: list[Offer] = Field(max_length=OFFERS_MAX)


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
    start: AwareDatetime  # with its offset: a bare wall-clock time means nothing to another municipality
    end: AwareDatetime
    cancelled: bool = False

    @model_validator(mode="after")
    def _ends_after_start(self) -> Occurrence:
        if self.end < self.start:
            raise ValueError("slutter før den begynner")
        return self


#: A plan's SOSI codes, checked against the national code lists as the portal checks them.
PlanTypeCode = Annotated[int, AfterValidator(_portal_rule(_code(PLANTYPE, "plantype"),
                                                          "ukjent kode i SOSI-kodelisten Plantype"))]
PlanStatusCode = Annotated[int, AfterValidator(_portal_rule(_code(PLANSTATUS, "planstatus"),
                                                            "ukjent kode i SOSI-kodelisten Planstatus"))]


class PlanStage(PlanStep):
    """A step of a plan's process, with the content model's own checks (dates in order, the deadline
    after the hearing starts); its note, if a member sends one, is plain text. Read as untrusted,
    a wrong step is named without its values (they come from someone else)."""

    note: Plain | None = None

    @model_validator(mode="wrap")
    @classmethod
    def _plain_message(cls, data: Any, handler: Any, info: ValidationInfo) -> Any:
        try:
            return handler(data)
        except ValidationError:
            if not (info.context and info.context.get("untrusted")):
                raise
            raise ValueError("trinnet stemmer ikke med kontrakten (trinn, datoer og frister som i "
                             "docs/medvirkning.md)") from None


class PlanEntry(_Model):
    """A plan as a region shows it: what it is, where, and its steps (the region works out what is open
    on its own "today", with the portal's rules: :mod:`hub.time.planning`)."""

    plan_id: Plain
    title: Plain
    summary: Plain
    url: Link
    districts: list[Slug] = Field(max_length=DISTRICTS_MAX)
    type: PlanTypeCode
    status: PlanStatusCode
    steps: list[PlanStage] = Field(min_length=1, max_length=STEPS_MAX)


class Municipality(_Model):
    name: Plain
    organization_number: OrgNumber | None = None
    base_url: Link
    language: Literal["nb", "nn", "en"]
    timezone: TimeZone


class Manifest(_Model):
    """Read a member's with ``Manifest.read(data)``: that treats it as untrusted."""

    manifest_version: Literal[1, 2]
    generated: dt.date
    municipality: Municipality
    districts: list[DistrictEntry] = Field(max_length=DISTRICTS_MAX)
    services: list[ServiceKind] = Field(max_length=KINDS_MAX)
    programme: list[Occurrence] = Field(max_length=PROGRAMME_MAX)
    calendar: Link
    search: list[Link] = Field(max_length=600)  # Pagefind bundles: the root one first
    plans: list[PlanEntry] = Field(default_factory=list, max_length=PLANS_MAX)  # version 2 on

    @model_validator(mode="after")
    def _plans_from_version_2(self) -> Manifest:
        if self.manifest_version < 2 and self.plans:
            raise ValueError("plans hører til kontraktens versjon 2 (manifest_version: 2)")
        if self.manifest_version < 2 and any(o.languages or o.interpreter for s in self.services for o in s.offers):
            raise ValueError("languages og interpreter hører til kontraktens versjon 2 (manifest_version: 2)")
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


def district_part(portal: Portal, d: District, page_of: Callable[[District | None, Service], str],
                  district_url: Callable[[District], str], event_url: Callable[..., str]) -> dict[str, Any]:
    """One district's entry, its offers (by kind) and its programme as JSON data: nothing in it reads
    another district, so a build keeps it between builds (keyed by the district's files, the common
    inputs, what the exports read of the day, and the day).
    Each occurrence comes with its place in the whole programme (:func:`_in_order`)."""
    h = d.config.hub
    entry = DistrictEntry(slug=d.slug, name=d.name, url=district_url(d),
                          hub=_place(h.name, h.address, h.postal_code, h.city, h.coordinates),
                          hours=_hours(portal, h.hours))
    offers: dict[str, list[dict[str, Any]]] = {}
    for s in d.services:  # by kind (as Portal.kinds), in the district's order
        offers.setdefault(kind_of(s), []).append(_data(_offer(portal, d, s, page_of)))
    tz = ZoneInfo(portal.site.timezone)
    programme = [[x.occ.day.isoformat(), x.occ.start.isoformat(), x.event.slug, _data(Occurrence(
        title=x.event.meta.title, district=d.slug, url=event_url(d, x.event),
        start=dt.datetime.combine(x.occ.day, x.occ.start, tz),
        end=dt.datetime.combine(end_day(x.occ.day, x.occ.start, x.occ.end), x.occ.end, tz),
        cancelled=x.occ.cancelled))] for x in portal.listings(d)]
    return {"entry": _data(entry), "offers": offers, "programme": programme}


def _in_order(parts: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Every district's occurrences in the order of the portal's programme (day, start, district, event:
    :meth:`Portal.listings`); ISO days and times sort as text as they do in time."""
    found = [(day, start, slug, event, occurrence) for slug, part in parts.items()
             for day, start, event, occurrence in part["programme"]]
    return [x[4] for x in sorted(found, key=lambda x: x[:4])]


def read_part(data: bytes, d: District, occurrences: int) -> dict[str, Any]:
    """A kept :func:`district_part` of ``d``, if it is what this code writes for it: the same bytes
    written again (no lone surrogate, no NaN), its entry names the district, it has an offer for each
    of the district's services, by kind, and its ``occurrences`` in the programme, each with its place.
    Anything else raises ValueError, and the part is made again. The cache may hold files nobody here
    wrote: what such a part says goes into the manifest as it is, as a kept piece of the open data
    does, but it cannot break the file or the build."""
    part = json.loads(data)
    if _text(part).encode() != data:
        raise ValueError("not a part as this code writes it")
    counts = dict(Counter(kind_of(s) for s in d.services))  # a dict: a Counter would take an empty kind as equal
    if not (isinstance(part, dict) and set(part) == {"entry", "offers", "programme"}
            and isinstance(part["entry"], dict) and part["entry"].get("slug") == d.slug
            and isinstance(part["offers"], dict)
            and {k: len(v) if isinstance(v, list) and all(isinstance(o, dict) for o in v) else -1
                 for k, v in part["offers"].items()} == counts
            and isinstance(part["programme"], list) and len(part["programme"]) == occurrences
            and all(isinstance(x, list) and len(x) == 4 and all(isinstance(t, str) for t in x[:3])
                    and isinstance(x[3], dict) for x in part["programme"])):
        raise ValueError("not this district's part of the manifest")
    return part


def part_text(part: dict[str, Any]) -> bytes:
    """A :func:`district_part` as it is kept (and :func:`read_part` reads it)."""
    return _text(part).encode()


def _text(data: Any) -> str:
    """JSON as the manifest and its parts are written: compact, UTF-8, never NaN."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _limits(whole: dict[str, Any], portal: Portal) -> None:
    """The contract's limits on the lists put in as kept (validating them would check these). ``check``
    refuses content over the limits it can see in the files (hub.content.model's ``*_MAX``); how many
    dates the programme has in the manifest's window is known only here, so it is refused as content is."""
    where = f"{portal.source.name}/districts" if portal.source else "districts"
    over = [(name, too_many(len(whole[name]), what, most, remedy)) for name, what, most, remedy in (
        ("districts", "kommunedeler", DISTRICTS_MAX, ""), ("services", "slags tjenester", KINDS_MAX, ""),
        ("programme", "datoer i programmet", PROGRAMME_MAX, "vis færre uker (programme_weeks i site.yaml)"))
        if len(whole[name]) > most]
    over += [(f"services.{s['kind']}.offers", too_many(len(s["offers"]), "steder med tjenesten", OFFERS_MAX))
             for s in whole["services"] if len(s["offers"]) > OFFERS_MAX]
    if over:
        raise ContentErrors([ContentError(where, 0, f"portal.json: {name}", message) for name, message in over])


def _data(model: BaseModel) -> dict[str, Any]:
    """A model as the manifest writes it: JSON values, the contract's names, no empty fields."""
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


def _offer(portal: Portal, where: District | None, s: Service,
           page_of: Callable[[District | None, Service], str]) -> Offer:
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
    capacity = portal.capacity(where, s)
    return Offer(district=where.slug if where else None, url=page_of(where, s), place=place,
                 hours=_hours(portal, own) if own else None,
                 capacity=OfferCapacity.model_validate(capacity.model_dump(include=_CAPACITY)) if capacity else None,
                 languages=list(s.meta.languages) or None, interpreter=s.meta.interpreter or None)


def build(portal: Portal, calendar: str, page_of: Callable[[District | None, Service], str],
          kind_url: Callable[[str], str], district_url: Callable[[District], str], event_url: Callable[..., str],
          bundles: list[str], plan_url: Callable[[Plan], str] | None = None,
          part: Callable[[District], dict[str, Any]] | None = None) -> str:
    """The manifest of a loaded portal, as the JSON text published; the callables give the pages'
    absolute URLs. ``part`` gives a district's :func:`district_part` (kept from an earlier build, see
    :func:`read_part`); without it, each is made here. The districts' entries, offers and occurrences
    were validated as they were made and go in as they are (validating 1,584 offers and 4,444
    occurrences again was 0.3 s of every edit at 220 districts), within the contract's limits
    (:func:`_limits`); the rest is validated here. A region reads the whole with :meth:`Manifest.read`."""
    site = portal.site
    parts = {d.slug: part(d) if part else district_part(portal, d, page_of, district_url, event_url)
             for d in portal.districts}
    kept = {(slug, kind): iter(offers) for slug, p in parts.items() for kind, offers in p["offers"].items()}
    services = []
    for kind, offered in portal.kinds.items():
        first = offered[0][1].meta
        service = _data(ServiceKind(kind=kind, title=first.title, summary=first.summary, category=first.category,
                                    url=kind_url(kind), offers=[]))
        service["offers"] = [next(kept[(where.slug, kind)]) if where else _data(_offer(portal, where, s, page_of))
                             for where, s in offered]
        services.append(service)
    plans = [PlanEntry(plan_id=p.meta.plan_id, title=p.meta.title, summary=p.meta.summary, url=plan_url(p),
                       districts=list(p.districts), type=p.meta.type, status=p.meta.status,
                       steps=[PlanStage.model_validate(s.model_dump(exclude={"note"})) for s in p.meta.steps])
             for p in portal.all_plans] if plan_url is not None else []
    whole = _data(Manifest(manifest_version=VERSION, generated=portal.today,
                           municipality=Municipality(name=site.name, organization_number=site.organization_number,
                                                     base_url=site.base_url, language=site.language,
                                                     timezone=site.timezone),
                           districts=[], services=[], programme=[],
                           calendar=calendar, search=bundles, plans=plans))
    whole["districts"] = [parts[d.slug]["entry"] for d in portal.districts]
    whole["services"] = services
    whole["programme"] = _in_order(parts)
    _limits(whole, portal)
    return _text(whole)


def schema() -> dict[str, Any]:
    out = Manifest.model_json_schema(by_alias=True)
    out["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    out["title"] = f"Knutepunkt portal manifest, version {VERSION}"
    return out
