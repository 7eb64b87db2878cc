"""The region's one door in, rendered from the members' manifests: municipalities and hubs, services
A–Å across municipalities, one comparison page per service kind, the capacity board, the combined
programme and its calendar, the hearings open across the region, and search over the members' own
Pagefind bundles.

Plain Jinja over validated manifests (no Flask: there is no content to route), written to a
staging folder and swapped in whole, like a municipality's build.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
import jinja2

from hub import i18n
from hub.content.codelists import PLANSTATUS
from hub.content.model import PlanStep
from hub.exports import ical
from hub.exports.manifest import Hours, Manifest, Occurrence, Offer, PlanEntry
from hub.region.config import RegionConfig
from hub.region.fetch import Fetched
from hub.region.reading import origin
from hub.site import csp
from hub.theme import find_theme
from hub.time import planning
from hub.time.hours import compact

CAPACITY_ORDER = {"open": 0, "limited": 1, "closed": 2}
PROGRAMME_DAYS = 28


@dataclass
class Row:
    municipality: str
    manifest: Manifest
    offer: Offer


@dataclass
class Kind:
    kind: str
    title: str
    summary: str
    offers: list[Row] = field(default_factory=list)

    @property
    def municipalities(self) -> int:
        return len({r.municipality for r in self.offers})

    @property
    def with_capacity(self) -> list[Row]:
        return [r for r in self.offers if r.offer.capacity is not None]


@dataclass
class Listing:
    occ: Occurrence
    municipality: str
    local_start: dt.datetime
    local_end: dt.datetime


@dataclass
class Hearing:
    """A plan that takes input on the region's "today", in a member municipality."""

    municipality: str
    plan: PlanEntry
    step: PlanStep
    districts: list[str]


def hearings(members: list[Fetched], today: dt.date) -> list[Hearing]:
    """Open hearings across the members (version 2 manifests), soonest deadline first, by the portal's
    own rule of what is open (:func:`hub.time.planning.open_for_input`) on the region's day."""
    out = []
    for f in members:
        names = {d.slug: d.name for d in f.manifest.districts}
        for p in f.manifest.plans:
            step = planning.open_for_input(p.steps, today)
            if step is not None and step.due is not None:
                out.append(Hearing(f.manifest.municipality.name, p, step, [names.get(s, s) for s in p.districts]))
    return sorted(out, key=lambda h: (h.step.due, h.municipality, h.plan.title))


def kinds(members: list[Fetched], today: dt.date) -> list[Kind]:
    """Service kinds across members, A–Å; in each, places with room for outside applicants first,
    then those open today, then by municipality and place."""
    found: dict[str, Kind] = {}
    for f in members:
        for s in f.manifest.services:
            k = found.setdefault(s.kind, Kind(s.kind, s.title, s.summary))
            k.offers += [Row(f.manifest.municipality.name, f.manifest, o) for o in s.offers]
    for k in found.values():
        k.offers.sort(key=lambda r: (CAPACITY_ORDER.get(r.offer.capacity.status, 3) if r.offer.capacity else 3,
                                     not (r.offer.hours and r.offer.hours.days.get(today.isoformat())),
                                     r.municipality, r.offer.place.name if r.offer.place else ""))
    return sorted(found.values(), key=lambda k: i18n.sort_key(k.title))


def programme(members: list[Fetched], today: dt.date, tzid: str) -> list[Listing]:
    tz = ZoneInfo(tzid)
    last = today + dt.timedelta(PROGRAMME_DAYS)
    out = [Listing(o, f.manifest.municipality.name, o.start.astimezone(tz), o.end.astimezone(tz))
           for f in members for o in f.manifest.programme if today <= o.start.astimezone(tz).date() < last]
    return sorted(out, key=lambda x: (x.local_start, x.municipality, x.occ.title))


def calendar(config: RegionConfig, listings: list[Listing], stamp: dt.datetime) -> bytes:
    """The region's programme as one VEVENT per occurrence (members' own feeds carry the rules)."""
    host = urlsplit(config.base_url).hostname or "region"
    events = []
    for x in listings:
        ev = icalendar.Event()
        ev.add("uid", hashlib.sha256(f"{x.occ.url}|{x.occ.start.isoformat()}".encode()).hexdigest()[:24] + "@" + host)
        ev.add("dtstamp", stamp)
        ev.add("dtstart", x.local_start)
        ev.add("dtend", x.local_end)
        ev.add("summary", x.occ.title)
        ev.add("description", f"{x.occ.title} ({x.municipality})")
        ev.add("location", x.municipality)
        ev.add("url", x.occ.url)
        ev.add("status", "CANCELLED" if x.occ.cancelled else "CONFIRMED")
        events.append(ev)
    return ical.calendar_for(config.timezone, config.name, [ical.serialise(events)],
                             f"Åpent hus-programmet i {config.name}", config.base_url)


def _search(config: RegionConfig, members: list[Fetched]) -> dict[str, Any]:
    """The search page's bundles: the region's own first (its Pagefind code runs the search), then in
    ``members`` mode every member's, labelled with its municipality (data that ``mergeIndex`` reads)."""
    if config.search_mode == "index":
        return {"bundles": ["../pagefind/"], "filters": {}}
    return {"bundles": ["../pagefind/", *(b for f in members for b in f.manifest.search)],
            "filters": {b: f.manifest.municipality.name for f in members for b in f.manifest.search}}


def _csp(members: list[Fetched]) -> str:
    """The portal's policy; search also reads the members' Pagefind bundles from their origins
    (``connect-src`` only: code runs from the region's own origin). A member's bundles are on its
    own origin by then (:func:`hub.region.reading.own_bundles`)."""
    return csp.policy(sorted({origin(b) for f in members for b in f.manifest.search}))


def render(config: RegionConfig, members: list[Fetched], out: Path, today: dt.date, now: dt.datetime,
           theme: str | Path = "default") -> list[Path]:
    """Write the region site into ``out`` (a fresh folder); returns the files written."""
    theme_dir = find_theme(theme)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(theme_dir / "templates"), autoescape=True,
                             extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    lang = config.language
    translations = i18n.translations(lang)
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    tz = config.timezone

    def badge(m: Manifest, hours: Hours) -> str:
        """The member's days from the first it gives, as long as they run on (``hours.compact``)."""
        if not hours.days:
            return ""
        first = day = dt.date.fromisoformat(min(hours.days))
        run = []
        while (ranges := hours.days.get(day.isoformat())) is not None:
            run.append(ranges)
            day += dt.timedelta(days=1)
        return compact(first, m.municipality.timezone, run)

    def today_text(hours: Hours) -> str:
        ranges = hours.days.get(today.isoformat())
        if ranges is None:
            return "–"
        return ", ".join(f"{fmt(a)}–{fmt(b)}" for a, b in ranges) if ranges else translations.gettext("closed")

    def fmt(hm: str) -> str:
        return hm if lang == "en" else hm.replace(":", ".")

    stale = [f for f in members if f.warning]
    policy = _csp(members if config.search_mode == "members" else [])
    env.globals.update(region=config, members=members, lang=lang, csp=policy, stale=stale, badge=badge,
                       today_text=today_text, site={"timezone": tz}, status_name=PLANSTATUS.get,
                       deadline_of=lambda step: planning.deadline(step.due, today),
                       fmt_date=lambda d, p="EEEE d. MMMM": i18n.fmt_date(d, lang, p),
                       fmt_time=lambda t: i18n.fmt_time(t, lang),
                       updated=lambda f: f.fetched.date() if f.warning else f.manifest.generated)
    all_kinds = kinds(members, today)
    listings = programme(members, today, tz)
    pages: dict[str, tuple[str, dict[str, Any]]] = {
        "index.html": ("region/index.html", {}),
        "tjenester/index.html": ("region/services.html", {"kinds": all_kinds}),
        "kapasitet/index.html": ("region/capacity.html", {"kinds": all_kinds}),
        "program/index.html": ("region/programme.html", {
            "days": [(day, list(items)) for day, items in groupby(listings, key=lambda x: x.local_start.date())]}),
        "sok/index.html": ("region/search.html", _search(config, members)),
        "horinger/index.html": ("region/hearings.html", {"hearings": hearings(members, today)}),
    }
    pages.update({f"tjenester/{k.kind}/index.html": ("region/kind.html", {"k": k}) for k in all_kinds})
    written = []
    for path, (template, context) in pages.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        root = "../" * path.count("/")
        target.write_text(env.get_template(template).render(path=path.removesuffix("index.html"), root=root,
                                                            **context), "utf-8")
        written.append(target)
    (out / "kalender.ics").write_bytes(calendar(config, listings, now))
    from hub.region import index

    if config.search_mode == "index":
        index.write(index.records(members), out / "pagefind", lang)
    else:  # the members' language, so the one WebAssembly stemmer suits their bundles too
        towns = [f.manifest.municipality.name for f in members]
        index.write(index.own_records(config.name, towns, [(k.kind, k.title, k.summary) for k in all_kinds]),
                    out / "pagefind", members[0].manifest.municipality.language if members else lang)
    shutil.copytree(theme_dir / "static", out / "static")
    written.append(out / "kalender.ics")
    return written
