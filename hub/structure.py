"""The loaded portal: immutable domain objects the views read and never change."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Generic, TypeVar

from .hours import HolidayCalendar
from .model import DistrictConfig, EventMeta, NewsMeta, PageMeta, ServiceMeta, SiteConfig
from .programme import Occurrence, occurrences

M = TypeVar("M")


@dataclass(frozen=True)
class Doc(Generic[M]):
    """One content file: its slug, source path (for messages), validated meta and safe HTML."""

    slug: str
    path: str
    meta: M
    html: str


Service = Doc[ServiceMeta]
Event = Doc[EventMeta]
Page = Doc[PageMeta]
News = Doc[NewsMeta]


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

    @property
    def name(self) -> str:
        return self.config.name

    def service(self, slug: str) -> Service | None:
        return next((s for s in self.services if s.slug == slug), None)


@dataclass(frozen=True)
class Listing:
    """One dated occurrence of an event in a district, for programme pages and feeds."""

    district: District
    event: Event
    occ: Occurrence


@dataclass(frozen=True)
class Portal:
    site: SiteConfig
    districts: tuple[District, ...]
    shared: tuple[Service, ...]
    today: dt.date
    calendar: HolidayCalendar = field(compare=False)
    source: Path | None = field(default=None, compare=False)

    def district(self, slug: str) -> District | None:
        return next((d for d in self.districts if d.slug == slug), None)

    def services_of(self, district: District) -> tuple[Service, ...]:
        """The district's own services followed by the municipality-wide ones."""
        return district.services + self.shared

    @cached_property
    def kinds(self) -> dict[str, list[tuple[District | None, Service]]]:
        """Service kind (``service`` key) → where it is offered, for "which districts offer this"."""
        out: dict[str, list[tuple[District | None, Service]]] = defaultdict(list)
        for d in self.districts:
            for s in d.services:
                out[s.meta.service or s.slug].append((d, s))
        for s in self.shared:
            out[s.meta.service or s.slug].append((None, s))
        return dict(sorted(out.items()))

    def window(self, weeks: int | None = None) -> tuple[dt.date, dt.date]:
        w = self.site.programme_weeks if weeks is None else weeks
        return self.today, self.today + dt.timedelta(days=7 * w - 1)

    def listings(self, district: District | None = None, *, first: dt.date | None = None,
                 last: dt.date | None = None, service: str | None = None) -> list[Listing]:
        lo, hi = self.window()
        lo, hi = first or lo, last or hi
        out = [Listing(d, e, o)
               for d in (self.districts if district is None else (district,))
               for e in d.events if service is None or e.meta.service == service
               for o in occurrences(e.meta, lo, hi)]
        return sorted(out, key=lambda x: (x.occ.day, x.occ.start, x.district.slug, x.event.slug))
