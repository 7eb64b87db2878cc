"""The content schema: what coordinators may write, as immutable pydantic models.

Every model forbids unknown fields (a typo is an error, not silently ignored)
and is frozen once loaded. The JSON Schema for editors comes from these too.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
    model_validator,
)

from hub.content.codelists import PLANSTATUS, PLANTYPE, listing
from hub.content.names import SLUG_RE
from hub.time import notation
from hub.time.vtimezone import ZoneRuleError, vtimezone

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAYS: tuple[Day, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Lang = Literal["nb", "nn", "en"]


def _language(value: str) -> str:
    from hub.content.languages import EXAMPLES, known

    if not known(value):
        raise ValueError(f"ukjent språkkode {value!r}; bruk en språkkode fra ISO 639 som CLDR kjenner, "
                         f"f.eks. {EXAMPLES}")
    return value


#: A language people may speak with a service's staff: any plain code CLDR knows (``nb``, ``pl``, ``ar``).
LanguageCode = Annotated[str, AfterValidator(_language),
                         WithJsonSchema({"type": "string", "pattern": "^[a-z]{2,3}$"})]

@dataclass(frozen=True, order=True)
class TimeRange:
    """A wall-clock range in the site's zone. ``end`` may be 24:00 (``time.max``), or earlier than
    ``start``: then the range runs past midnight and belongs to the day it starts (see :mod:`hub.time.notation`)."""

    start: dt.time
    end: dt.time

    def __str__(self) -> str:
        return f"{_hhmm(self.start)}–{self.end_text}"

    @property
    def end_text(self) -> str:
        return "24:00" if self.end == dt.time.max else _hhmm(self.end)

    @property
    def overnight(self) -> bool:
        return notation.is_overnight(self.start, self.end)

    def source(self) -> str:
        """As written in content files ("09:00-16:00"), so models dump back to valid input."""
        return f"{_hhmm(self.start)}-{self.end_text}"


def _clock(value: Any) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if not isinstance(value, str | int):
        raise ValueError(f"klokkeslett skrives 09:30, 9.30 eller 9 (fikk {value!r})")
    return notation.parse_clock(str(value))


def _hhmm(t: dt.time) -> str:
    """"09:30": as ``strftime("%H:%M")`` writes it, in a third of the time (the one door in's digests and
    open data write 21,000 of them an edit at 220 districts)."""
    return f"{t.hour:02d}:{t.minute:02d}"


def _ranges(value: Any) -> tuple[TimeRange, ...]:
    """A day's ranges as people write them ("09:00-16:00", "9-12 og 13-16", "kl. 10–16", "stengt").

    Text, or a list of texts, is read once (per process, the last 1,024 texts) however often it is
    written: a portal's hours repeat a dozen texts (5,500 reads of 12 texts reading back 219 districts
    took 0.02 s)."""
    if isinstance(value, str):
        return _read_ranges(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return _read_ranges(tuple(value))
    return _parsed_ranges(value)


@functools.lru_cache(maxsize=1024)
def _read_ranges(texts: str | tuple[str, ...]) -> tuple[TimeRange, ...]:
    return _parsed_ranges(list(texts) if isinstance(texts, tuple) else texts)


def _parsed_ranges(value: Any) -> tuple[TimeRange, ...]:
    out = sorted(TimeRange(start, end) for start, end in notation.parse_ranges(value))
    for a, b in zip(out, out[1:], strict=False):
        if a.overnight:
            raise ValueError(f"tidsrommet {a} går over midnatt og må være dagens siste")
        if b.start < a.end:
            raise ValueError(f"tidsrommene {a} og {b} overlapper")
    return tuple(out)


@functools.lru_cache(maxsize=1024)
def _range_texts(ranges: tuple[TimeRange, ...]) -> tuple[str, ...]:
    """A day's ranges as written, once per day's hours (per process, the last 1,024): the digests and
    open data write a portal's dozen texts 10,000 times an edit at 220 districts."""
    return tuple(r.source() for r in ranges)


Clock = Annotated[dt.time, PlainValidator(_clock), PlainSerializer(_hhmm, return_type=str),
                  WithJsonSchema({"type": "string", "pattern": notation.CLOCK_PATTERN})]

Ranges = Annotated[
    tuple[TimeRange, ...], PlainValidator(_ranges),
    PlainSerializer(lambda v: list(_range_texts(v) if isinstance(v, tuple) else (r.source() for r in v)),
                    return_type=list[str]),
    WithJsonSchema({"anyOf": [
        {"type": "string", "pattern": notation.RANGES_PATTERN},
        {"type": "array", "items": {"type": "string", "pattern": notation.RANGES_PATTERN}},
        {"type": "null"}]}),
]


def _safe_url(value: str) -> str:
    v = value.strip()
    if not re.match(r"^(https?://[^\s<>\"]+|mailto:[^\s<>\"]+|tel:\+?[0-9 ]+)$", v, re.I):
        raise ValueError("lenken må begynne med https://, http://, mailto: eller tel:")
    return v


Url = Annotated[str, AfterValidator(_safe_url),
                WithJsonSchema({"type": "string", "pattern": "^(https?://|mailto:|tel:)"})]


def _slug(value: str) -> str:
    if not SLUG_RE.match(value):
        raise ValueError("bruk bare små bokstaver a–z, tall og bindestrek (f.eks. helsestasjon)")
    return value


Slug = Annotated[str, AfterValidator(_slug),
                 WithJsonSchema({"type": "string", "pattern": SLUG_RE.pattern})]
Text = Annotated[str, Field(min_length=1)]
#: The longest text any one field may hold (``str_max_length`` below): the portal manifest's limit
#: (``hub.exports.manifest``), so what ``check`` passes the manifest a region reads can hold. A field is
#: a line or a few; longer text is written under the fields, in Markdown.
TEXT_MAX = 2000
#: The most languages one service may list, and steps one plan may have (the manifest's limits, as ``TEXT_MAX``).
LANGUAGES_MAX = 50
STEPS_MAX = 50
#: The most districts, kinds of service, plans, places a kind is offered and dates in the programme one
#: portal may have (the manifest's limits, as ``TEXT_MAX``).
DISTRICTS_MAX = 500
KINDS_MAX = 2000
PLANS_MAX = 5000
OFFERS_MAX = 2000
PROGRAMME_MAX = 50_000


def too_many(count: int, what: str, most: int, remedy: str = "") -> str:
    """The one wording for a portal beyond the open data's limits (``check``, and the build's manifest)."""
    said = f"{count} {what}, flere enn åpne data (portal.json) kan bære: høyst {most}"
    return f"{said}; {remedy}" if remedy else said


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              str_strip_whitespace=True, str_max_length=TEXT_MAX)


class Contact(Model):
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    url: Url | None = None
    office_hours: str | None = None


class Coordinates(Model):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


PostalCode = Annotated[str, Field(pattern=r"^\d{4}$"), WithJsonSchema({"type": "string", "pattern": r"^\d{4}$"})]


class Place(Model):
    name: Text
    address: str | None = None
    #: Given apart when the address does not end in "0000 Sted" (open data and search engines need them).
    postal_code: PostalCode | None = None
    city: str | None = None
    coordinates: Coordinates | None = None


Weekly = dict[Day, Ranges]


class DatedHours(Model):
    """A dated exception: one day (``date``) or a span (``from``/``to``); no ``to`` = until further notice."""

    date: dt.date | None = None
    from_: dt.date | None = Field(None, alias="from")
    to: dt.date | None = None
    closed: bool = False
    hours: Ranges | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> DatedHours:
        if (self.date is None) == (self.from_ is None):
            raise ValueError("oppgi enten 'date' (én dag) eller 'from' (og gjerne 'to')")
        if self.date is not None and self.to is not None:
            raise ValueError("'to' hører sammen med 'from', ikke med 'date'")
        if self.from_ and self.to and self.to < self.from_:
            raise ValueError("'to' er før 'from'")
        if self.closed == (self.hours is not None):
            raise ValueError("oppgi enten 'closed: true' eller 'hours'")
        if self.from_ and self.to is None and not self.closed:
            raise ValueError("et unntak uten sluttdato ('to') må være 'closed: true' (stengt inntil videre)")
        return self

    @property
    def first(self) -> dt.date:
        return self.date or self.from_  # type: ignore[return-value]

    @property
    def last(self) -> dt.date | None:
        return self.date or self.to

    def covers(self, day: dt.date) -> bool:
        last = self.last
        return self.first <= day and (last is None or day <= last)


class Season(Model):
    """Weekly hours that replace the normal ones between two dates (e.g. summer hours)."""

    name: Text
    from_: dt.date = Field(alias="from")
    to: dt.date
    weekly: Weekly

    @model_validator(mode="after")
    def _order(self) -> Season:
        if self.to < self.from_:
            raise ValueError("'to' er før 'from'")
        return self


class OpeningHours(Model):
    weekly: Weekly = Field(default_factory=dict)
    seasons: tuple[Season, ...] = ()
    exceptions: tuple[DatedHours, ...] = ()
    holidays: Literal["closed", "open"] | None = None
    note: str | None = None


class Notice(Model):
    text: Text
    from_: dt.date | None = Field(None, alias="from")
    to: dt.date | None = None
    level: Literal["info", "warning"] = "warning"
    url: Url | None = None

    @model_validator(mode="after")
    def _order(self) -> Notice:
        if self.from_ and self.to and self.to < self.from_:  # a typo would hide the notice on every day
            raise ValueError("'to' er før 'from': meldingen ville aldri vises")
        return self

    def active(self, today: dt.date) -> bool:
        return (self.from_ is None or self.from_ <= today) and (self.to is None or today <= self.to)


class Category(Model):
    slug: Slug
    name: Text
    description: str | None = None


class ExtraClosure(Model):
    date: Annotated[str, Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")]
    name: Text


class HolidayPolicy(Model):
    closed: bool = True
    extra_closed: tuple[ExtraClosure, ...] = ()


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"ukjent tidssone {value!r}") from None
    try:
        vtimezone(value)
    except ZoneRuleError as e:
        raise ValueError(f"tidssonen {value!r} kan ikke skrives i kalenderfilene ({e}); velg en annen") from None
    return value


def _orgnr(value: str) -> str:
    """Nine digits with the register's modulus-11 check digit (spaces allowed: "948 263 977")."""
    digits = value.replace(" ", "")
    if not re.fullmatch(r"\d{9}", digits):
        raise ValueError("organisasjonsnummeret har ni sifre, f.eks. 123 456 785")
    rest = 11 - sum(int(d) * w for d, w in zip(digits, (3, 2, 7, 6, 5, 4, 3, 2), strict=False)) % 11
    if (0 if rest == 11 else rest) != int(digits[8]):
        raise ValueError(f"organisasjonsnummeret {value} har feil kontrollsiffer (sjekk at det er skrevet riktig)")
    return digits


OrgNumber = Annotated[str, AfterValidator(_orgnr),
                      WithJsonSchema({"type": "string", "pattern": r"^\d{3} ?\d{3} ?\d{3}$"})]


def _logo_file(value: str) -> str:
    """A file inside the content folder, written relative to it (``logo.svg``, ``bilder/logo.png``)."""
    parts = value.replace("\\", "/").split("/")
    if value.startswith("/") or ".." in parts or ":" in value:
        raise ValueError("skriv stien til logoen fra innholdsmappen, f.eks. logo.svg (filen må ligge i mappen)")
    if not value.lower().endswith((".svg", ".png")):
        raise ValueError("logoen må være en SVG- eller PNG-fil (.svg eller .png)")
    return "/".join(parts)


class Logo(Model):
    """The municipality's logo or coat of arms, shown in every page's header."""

    file: Annotated[str, AfterValidator(_logo_file)]
    #: What the picture says, for those who cannot see it ("Nordvik kommunes våpen").
    alt: Text

    @property
    def kind(self) -> Literal["svg", "png"]:
        return "svg" if self.file.lower().endswith(".svg") else "png"


class FooterLink(Model):
    text: Text
    url: Url


def _hex_colour(value: str) -> str:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}", value):
        raise ValueError(f"skriv fargen som heksadesimal kode, f.eks. \"#0b4f8a\" (fikk {value!r})")
    digits = value[1:].lower()
    return "#" + (digits if len(digits) == 6 else "".join(c * 2 for c in digits))


HexColour = Annotated[str, AfterValidator(_hex_colour),
                      WithJsonSchema({"type": "string", "pattern": "^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"})]


class PlainLanguage(Model):
    """The limits of ``knutepunkt check``'s plain-language advice (hub.content.readability): it warns
    when a Norwegian text's LIX is above ``lix``, or a sentence has more than ``sentence_words`` words."""

    lix: int = Field(default=45, ge=20, le=80)
    sentence_words: int = Field(default=25, ge=10, le=80)


class SiteConfig(Model):
    name: Text
    #: Short enough that every page's address under it stays within the manifest's links (``TEXT_MAX``).
    base_url: Annotated[Url, Field(max_length=300)]
    language: Lang = "nb"
    timezone: Annotated[str, AfterValidator(_zone)] = "Europe/Oslo"
    contact: Contact = Field(default_factory=Contact)
    accessibility_statement: Url
    categories: tuple[Category, ...] = Field(min_length=1)
    audiences: tuple[Text, ...] = ()
    holidays: HolidayPolicy = Field(default_factory=HolidayPolicy)
    notices: tuple[Notice, ...] = ()
    programme_weeks: int = Field(4, ge=1, le=52)
    #: The municipality in the register of legal entities (Enhetsregisteret), for data.norge.no.
    organization_number: OrgNumber | None = None
    county: str | None = None
    description: str | None = None
    #: Words citizens search for → the words the pages use ("helsesøster" → helsesykepleier, helsestasjon).
    synonyms: dict[Annotated[str, Field(min_length=2)], tuple[Text, ...]] = Field(default_factory=dict)
    #: The one door in's search: ``merged`` (every district's full-text bundle, merged in the browser),
    #: ``light`` (one bundle of every page's title, summary, keywords and filters: a first query
    #: costs the same at any size; body text is searched on the district portals; docs/search.md),
    #: or ``auto``: merged below 20 districts, light from 20.
    search_index: Literal["auto", "merged", "light"] = "auto"
    #: The municipality's own look (docs/publishing.md): its logo, its colour, links in the footer.
    logo: Logo | None = None
    primary_color: HexColour | None = None
    footer_links: tuple[FooterLink, ...] = ()
    #: Plain Norwegian (klarspråk): when ``check`` advises a coordinator to write more simply.
    plain_language: PlainLanguage = PlainLanguage()

    def category_name(self, slug: str) -> str:
        """A category's name for pages and search filters (the slug if the site does not list it)."""
        return next((c.name for c in self.categories if c.slug == slug), slug)


class Hub(Model):
    TEXT_FIELDS: ClassVar[tuple[str, ...]] = ("directions",)

    name: Text
    address: Text
    postal_code: PostalCode | None = None
    city: str | None = None
    coordinates: Coordinates | None = None
    #: How to get there, in words ("Buss 101 til Konnerud kirke, to minutter å gå").
    directions: Text | None = None
    hours: OpeningHours = Field(default_factory=OpeningHours)


class DistrictConfig(Model):
    TEXT_FIELDS: ClassVar[tuple[str, ...]] = ("intro",)

    name: Text
    official_name: Text
    aliases: tuple[Text, ...] = ()
    #: Places and neighbourhoods in the district, as people name them (Åssiden, Tangen, Konnerud).
    areas: tuple[Text, ...] = ()
    intro: Text
    hub: Hub
    coordinator: Contact = Field(default_factory=Contact)
    notices: tuple[Notice, ...] = ()
    example: bool = False


class Street(Model):
    """A street (or part of one) in a district: ``from``/``to`` limit the house numbers, ``side`` to one side."""

    name: Text
    postcode: PostalCode
    place: str | None = None  # the postal place (poststed)
    from_: int | None = Field(None, alias="from", ge=0)
    to: int | None = Field(None, ge=0)
    side: Literal["odd", "even"] | None = None

    @model_validator(mode="after")
    def _order(self) -> Street:
        if self.from_ is not None and self.to is not None and self.to < self.from_:
            raise ValueError("'to' er mindre enn 'from'")
        return self


class StreetsFile(Model):
    """``districts/<district>/streets.yaml``: made by ``knutepunkt import adresser``, corrected by hand."""

    streets: tuple[Street, ...] = ()


class Capacity(Model):
    """Whether a service takes applicants from other municipalities, and for which period."""

    status: Literal["open", "limited", "closed"]
    from_: dt.date | None = Field(None, alias="from")
    to: dt.date | None = None
    note: str | None = None
    updated: dt.date

    @model_validator(mode="after")
    def _order(self) -> Capacity:
        if self.from_ and self.to and self.to < self.from_:
            raise ValueError("'to' er før 'from'")
        return self


class CapacityEntry(Capacity):
    service: Slug  # the service kind (the ``service:`` key)
    district: Slug | None = None  # None: every district that offers it


class CapacityFile(Model):
    """``content/capacity.yaml``: capacity a web team regenerates daily from a case system export."""

    services: tuple[CapacityEntry, ...] = ()


class ServiceMeta(Model):
    TEXT_FIELDS: ClassVar[tuple[str, ...]] = ("title", "summary", "audience", "keywords")

    title: Text
    service: Slug | None = None
    category: Slug
    summary: Text
    location: Place | None = None  # None: at the district's hub
    hours: OpeningHours | None = None
    contact: Contact | None = None
    booking_url: Url | None = None
    audience: tuple[Text, ...] = ()
    keywords: tuple[Text, ...] = ()
    capacity: Capacity | None = None
    #: Languages the staff speak with visitors (``[nb, en, pl]``), and whether an interpreter is offered.
    languages: tuple[LanguageCode, ...] = Field(default=(), max_length=LANGUAGES_MAX)
    interpreter: bool = False
    lang: Lang | None = None
    example: bool = False
    updated: dt.date | None = None


class Repeat(Model):
    """A weekly rule: every ``interval`` weeks on ``days`` from ``from`` until ``until``."""

    days: tuple[Day, ...] = Field(min_length=1)
    interval: int = Field(1, ge=1, le=8)
    from_: dt.date = Field(alias="from")
    until: dt.date | None = None
    skip: tuple[dt.date, ...] = ()
    extra: tuple[dt.date, ...] = ()

    @model_validator(mode="after")
    def _order(self) -> Repeat:
        if self.until and self.until < self.from_:
            raise ValueError("'until' er før 'from'")
        return self


class EventMeta(Model):
    TEXT_FIELDS: ClassVar[tuple[str, ...]] = ("title", "summary", "audience")

    title: Text
    summary: str | None = None
    date: dt.date | None = None
    dates: tuple[dt.date, ...] = ()
    repeat: Repeat | None = None
    start: Clock
    end: Clock
    place: Place | None = None  # None: at the district's hub
    audience: tuple[Text, ...] = ()
    organiser: str | None = None
    service: Slug | None = None
    category: Slug | None = None
    #: A public meeting about a plan (``planer/<slug>.md`` of this district, or a municipality-wide one).
    plan: Slug | None = None
    cancelled: bool = False
    cancelled_dates: tuple[dt.date, ...] = ()
    booking_url: Url | None = None
    lang: Lang | None = None
    example: bool = False
    updated: dt.date | None = None

    @model_validator(mode="after")
    def _shape(self) -> EventMeta:
        if sum((self.date is not None, bool(self.dates), self.repeat is not None)) != 1:
            raise ValueError("oppgi nøyaktig én av 'date' (én dag), 'dates' (liste av dager) "
                             "eller 'repeat' (fast ukentlig økt)")
        if self.end == self.start:
            raise ValueError("'end' må være etter 'start'")
        if notation.is_overnight(self.start, self.end) and not (
                self.start >= notation.NIGHT_FROM and self.end <= notation.NIGHT_UNTIL):
            raise ValueError("'end' er før 'start': et arrangement over midnatt må starte etter kl. 15 og "
                             "slutte før kl. 9 neste dag (f.eks. start 19.00, end 01.00)")
        return self


class PageMeta(Model):
    TEXT_FIELDS: ClassVar[tuple[str, ...]] = ("title", "summary")

    title: Text
    summary: str | None = None
    order: int = 100
    lang: Lang | None = None
    example: bool = False
    updated: dt.date | None = None


class NewsMeta(Model):
    TEXT_FIELDS: ClassVar[tuple[str, ...]] = ("title", "summary")

    title: Text
    date: dt.date
    summary: Text
    lang: Lang | None = None
    example: bool = False
    updated: dt.date | None = None


# A content file's fields are of two sorts. Prose — what a translation replaces — is named in each
# model's ``TEXT_FIELDS`` (and :func:`text_fields` lists them for a whole file); everything else is
# structured (hours, places, contacts, capacity, codes, dates, files, the area) and the same in every
# language (:mod:`hub.content.languages`).

Loc = tuple[str | int, ...]


def text_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The prose fields of a content model, nested ones as ``steps[].note``, from ``TEXT_FIELDS``."""
    out: list[str] = list(getattr(model, "TEXT_FIELDS", ()))
    for name, info in model.model_fields.items():
        key = info.alias or name
        inner = info.annotation
        many = getattr(inner, "__origin__", None) is tuple
        for arg in getattr(inner, "__args__", (inner,)):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                out += [f"{key}{'[]' if many else ''}.{f}" for f in text_fields(arg)]
    return tuple(out)


# --- plans and hearings (plan- og bygningsloven) ------------------------------------------------

def _code(codes: dict[int, str], what: str) -> Any:
    def check(value: int) -> int:
        if value not in codes:
            raise ValueError(f"ukjent {what} {value}; bruk en av {listing(codes)}")
        return value
    return check


def _code_schema(codes: dict[int, str]) -> dict[str, Any]:
    return {"type": "integer", "oneOf": [{"const": k, "title": v} for k, v in codes.items()]}



PlanTypeCode = Annotated[int, AfterValidator(_code(PLANTYPE, "plantype")), WithJsonSchema(_code_schema(PLANTYPE))]
PlanStatusCode = Annotated[int, AfterValidator(_code(PLANSTATUS, "planstatus")),
                           WithJsonSchema(_code_schema(PLANSTATUS))]

PLAN_ID_RE = r"^\d{4}-[0-9A-Za-z_.]{1,16}$"
PlanId = Annotated[str, Field(pattern=PLAN_ID_RE), WithJsonSchema({"type": "string", "pattern": PLAN_ID_RE})]
EMAIL_RE = r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$"
Email = Annotated[str, Field(pattern=EMAIL_RE), WithJsonSchema({"type": "string", "pattern": EMAIL_RE})]

#: Kinds of process step, in the order of the law: notice of start (pbl. § 12-8), consultation and
#: public inspection (§ 12-10, may be held more than once), adoption (§ 12-12), announcement.
StepKind = Literal["oppstart", "horing", "vedtak", "kunngjoring"]
STEP_KINDS: tuple[StepKind, ...] = ("oppstart", "horing", "vedtak", "kunngjoring")
#: Forvaltningsloven § 29: three weeks to appeal, from the announcement.
APPEAL_DAYS = 21


class PlanStep(Model):
    """One step of the process. ``horing`` runs ``from``–``to`` (``to`` is the deadline for input);
    the others happen on ``date``; ``oppstart`` may set a ``deadline`` for input, ``kunngjoring`` the
    appeal deadline (three weeks after ``date`` unless given). A step without dates is still to come."""

    TEXT_FIELDS: ClassVar[tuple[str, ...]] = ("note",)

    step: StepKind
    date: dt.date | None = None
    from_: dt.date | None = Field(None, alias="from")
    to: dt.date | None = None
    deadline: dt.date | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> PlanStep:
        if self.step == "horing":
            if self.date is not None or self.deadline is not None:
                raise ValueError("'date' og 'deadline' hører ikke til en høring: den har 'from' og 'to' "
                                 "(fristen for innspill)")
            if (self.from_ is None) != (self.to is None):
                raise ValueError("en høring trenger både 'from' og 'to' (fristen for innspill)")
            if self.from_ and self.to and self.to < self.from_:
                raise ValueError(f"fristen for innspill ('to' {self.to}) er før høringen starter ('from' {self.from_})")
            return self
        if self.from_ is not None or self.to is not None:
            raise ValueError(f"'from' og 'to' hører til en høring: trinnet '{self.step}' har 'date'")
        if self.deadline is not None and self.step == "vedtak":
            raise ValueError("et vedtak har ingen frist; klagefristen står på kunngjøringen")
        if self.deadline is not None and self.date is None:
            raise ValueError("en frist ('deadline') trenger datoen trinnet starter ('date')")
        if self.deadline and self.date and self.deadline < self.date:
            raise ValueError(f"fristen ('deadline' {self.deadline}) er før trinnet starter ('date' {self.date})")
        return self

    @property
    def start(self) -> dt.date | None:
        return self.from_ or self.date

    @property
    def due(self) -> dt.date | None:
        """The step's deadline: for input (``oppstart``, ``horing``) or to appeal (``kunngjoring``)."""
        if self.step == "horing":
            return self.to
        if self.step == "kunngjoring" and self.date is not None:
            return self.deadline or self.date + dt.timedelta(days=APPEAL_DAYS)
        return self.deadline

    @property
    def end(self) -> dt.date | None:
        return self.due or self.start

    @property
    def invites_input(self) -> bool:
        """Whether the deadline is one for input (an appeal deadline is not)."""
        return self.step in ("oppstart", "horing")


DocumentKind = Literal["plankart", "planbeskrivelse", "bestemmelser", "ros", "innspill", "varsel", "planprogram",
                       "saksframlegg", "illustrasjon", "annet"]
#: File types a plan document may have in the content folder, and what the page calls them.
DOCUMENT_TYPES: dict[str, tuple[str, str]] = {
    "pdf": ("PDF", "application/pdf"),
    "docx": ("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "odt": ("ODT", "application/vnd.oasis.opendocument.text"),
    "xlsx": ("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ods": ("ODS", "application/vnd.oasis.opendocument.spreadsheet"),
    "csv": ("CSV", "text/csv"),
    "txt": ("TXT", "text/plain"),
    "png": ("PNG", "image/png"),
    "jpg": ("JPEG", "image/jpeg"),
    "geojson": ("GeoJSON", "application/geo+json"),
    "gml": ("GML", "application/gml+xml"),
    "sos": ("SOSI", "text/vnd.sosi"),
    "zip": ("ZIP", "application/zip"),
}
FILE_RE = r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9_-]+)*\.(" + "|".join(DOCUMENT_TYPES) + r")$"


def _file_name(value: str) -> str:
    if not re.match(FILE_RE, value):
        raise ValueError("filnavnet skrives med små bokstaver a–z, tall og bindestrek, og slutter på en av "
                         f"{', '.join('.' + e for e in DOCUMENT_TYPES)} (f.eks. plankart.pdf)")
    return value


FileName = Annotated[str, AfterValidator(_file_name), WithJsonSchema({"type": "string", "pattern": FILE_RE})]


def _web(value: str) -> str:
    if not value.lower().startswith(("https://", "http://")):
        raise ValueError("lenken må begynne med https:// eller http://")
    return value


WebUrl = Annotated[str, AfterValidator(_safe_url), AfterValidator(_web),
                   WithJsonSchema({"type": "string", "pattern": "^https?://"})]


class PlanDocument(Model):
    """A plan document: a ``file`` in ``planer/<plan>/`` beside the plan file, or a ``url``."""

    TEXT_FIELDS: ClassVar[tuple[str, ...]] = ("title",)

    title: Text
    kind: DocumentKind
    date: dt.date | None = None
    file: FileName | None = None
    url: WebUrl | None = None

    @model_validator(mode="after")
    def _one(self) -> PlanDocument:
        if (self.file is None) == (self.url is None):
            raise ValueError("oppgi enten 'file' (en fil i planens mappe) eller 'url'")
        return self

    @property
    def extension(self) -> str:
        from urllib.parse import urlsplit

        name = self.file or urlsplit(self.url or "").path
        return name.rsplit(".", 1)[-1].lower() if "." in name.rsplit("/", 1)[-1] else ""


def _area(value: Any) -> dict[str, Any]:
    from hub.content.geo import polygon_problem

    problem = polygon_problem(value)
    if problem:
        raise ValueError(problem)
    return dict(value)


#: The plan area: a GeoJSON Polygon or MultiPolygon in longitude/latitude (WGS 84).
Area = Annotated[dict[str, Any], AfterValidator(_area), WithJsonSchema({
    "type": "object", "required": ["type", "coordinates"], "additionalProperties": False,
    "properties": {"type": {"enum": ["Polygon", "MultiPolygon"]}, "coordinates": {"type": "array"}}})]


class Respond(Model):
    """How to give input: an e-mail address (the page writes the subject) and/or the municipality's form."""

    TEXT_FIELDS: ClassVar[tuple[str, ...]] = ("text",)

    email: Email | None = None
    form_url: WebUrl | None = None
    text: str | None = None

    @model_validator(mode="after")
    def _some(self) -> Respond:
        if self.email is None and self.form_url is None:
            raise ValueError("oppgi 'email' og/eller 'form_url' (kommunens skjema)")
        return self


class PlanMeta(Model):
    """``planer/<slug>.md``: a plan and its process, in a district folder or (touching several
    districts, with ``districts:``) in ``content/planer/``."""

    TEXT_FIELDS: ClassVar[tuple[str, ...]] = ("title", "summary")

    title: Text
    summary: Text
    plan_id: PlanId
    type: PlanTypeCode
    status: PlanStatusCode
    case_number: str | None = None
    districts: tuple[Slug, ...] = ()
    steps: tuple[PlanStep, ...] = Field(min_length=1, max_length=STEPS_MAX)
    documents: tuple[PlanDocument, ...] = ()
    area: Area | None = None
    contact: Contact | None = None
    respond: Respond | None = None
    lang: Lang | None = None
    example: bool = False
    updated: dt.date | None = None

    def problems(self) -> list[tuple[Loc, str]]:
        """Steps out of order or overlapping, as (location, message): kinds in the law's order, a
        dated step never after one still to come, and each step starting when the one before ends."""
        out: list[tuple[Loc, str]] = []
        rank = {k: i for i, k in enumerate(STEP_KINDS)}
        seen: set[str] = set()
        prev: PlanStep | None = None
        undated = False
        for i, s in enumerate(self.steps):
            if s.step in seen and s.step != "horing":
                out.append((("steps", i, "step"), f"trinnet '{s.step}' står to ganger (bare høringer kan gjentas)"))
            seen.add(s.step)
            if prev is not None and rank[s.step] < rank[prev.step]:
                out.append((("steps", i, "step"), f"trinnet '{s.step}' står etter '{prev.step}'; trinnene kommer i "
                            f"rekkefølgen {', '.join(STEP_KINDS)}"))
            if s.start is None:
                undated = True
            elif undated:
                out.append((("steps", i), "et trinn med dato står etter et trinn uten dato (et trinn som ikke er "
                            "fastsatt ennå); sett datoene i rekkefølge"))
            elif prev is not None and prev.end is not None and s.start < prev.end:
                field = "from" if s.step == "horing" else "date"
                out.append((("steps", i, field), f"trinnet starter {s.start}, før trinnet foran er ferdig "
                            f"({prev.end}); trinnene kan ikke overlappe"))
            prev = s
        return out
