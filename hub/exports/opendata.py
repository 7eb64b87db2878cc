"""Open data: the service directory of every district as Open Referral HSDS 3.0.

Services are exported "compiled" (with their organization, locations and
schedules nested), plus flat CSV tables; both validate against the official
HSDS 3.0 schemas (fields are left out rather than ``null``). Schedules carry
HSDS's numeric ``timezone`` (the standard offset) and, since that cannot
express summer time, the IANA zone name in ``x_timezone``; weekly rules as
``freq: WEEKLY`` with ``byday``, seasons and exceptions as ``valid_from``/
``valid_to`` windows, and the coming year's public-holiday closures as dated
entries, so a reader needs no Norwegian holiday rules. :func:`hours_from`
reads schedules back; the tests use it to prove the export round-trips.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import uuid
from collections import defaultdict
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from hub.content.address import postal_address
from hub.content.languages import name_in
from hub.content.model import DAYS, Capacity, DatedHours, OpeningHours, Season, TimeRange
from hub.content.structure import District, Portal, Service, service_hours
from hub.time.hours import HolidayCalendar

BYDAY = dict(zip(DAYS, ("MO", "TU", "WE", "TH", "FR", "SA", "SU"), strict=True))
HOLIDAY_DAYS = 365


def _id(portal: Portal, *parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, portal.site.base_url + "/".join(parts)))


def _clock(t: dt.time) -> str:
    return "24:00" if t == dt.time.max else t.strftime("%H:%M")


def _weekly_rows(weekly: Mapping[Any, tuple[TimeRange, ...]]) -> list[dict[str, Any]]:
    """One row per distinct range, with every weekday that has it."""
    by_range: dict[TimeRange, list[str]] = defaultdict(list)
    for day in DAYS:
        for r in weekly.get(day, ()):
            by_range[r].append(BYDAY[day])
    return [{"freq": "WEEKLY", "wkst": "MO", "interval": 1, "byday": ",".join(days),
             "opens_at": _clock(r.start), "closes_at": _clock(r.end)} for r, days in sorted(by_range.items())]


def holidays_ahead(portal: Portal) -> list[tuple[dt.date, str]]:
    return list(_holidays_ahead(portal.calendar, portal.today))


@functools.lru_cache(maxsize=8)  # each district's open data asks (16 ms each, 220 districts a night)
def _holidays_ahead(calendar: HolidayCalendar, today: dt.date) -> tuple[tuple[dt.date, str], ...]:
    days = (today + dt.timedelta(n) for n in range(HOLIDAY_DAYS))
    return tuple((d, name) for d in days if (name := calendar.name(d)))


def _utc_offset_hours(tzid: str, year: int) -> float:
    """HSDS 3.0's ``timezone``: the zone's standard offset in hours (summer time is in ``x_timezone``)."""
    zone = ZoneInfo(tzid)
    winter = dt.datetime(year, 1, 1, 12, tzinfo=zone)
    summer = dt.datetime(year, 7, 1, 12, tzinfo=zone)
    standard = min(winter.utcoffset() or dt.timedelta(), summer.utcoffset() or dt.timedelta())
    return standard.total_seconds() / 3600


def _present(row: dict[str, Any]) -> dict[str, Any]:
    """HSDS 3.0 leaves a field out rather than write ``null``."""
    return {k: v for k, v in row.items() if v is not None}


def schedules(portal: Portal, hours: OpeningHours, owner: str,
              holidays: list[tuple[dt.date, str]] | None = None) -> list[dict[str, Any]]:
    tz = portal.site.timezone
    rows: list[dict[str, Any]] = []
    rows += [{**r, "description": hours.note} for r in _weekly_rows(hours.weekly)]
    for s in hours.seasons:
        rows += [{**r, "valid_from": s.from_.isoformat(), "valid_to": s.to.isoformat(), "description": s.name}
                 for r in _weekly_rows(s.weekly)]
    dated = list(hours.exceptions)
    closes = portal.calendar.closed_by_default if hours.holidays is None else hours.holidays == "closed"
    if closes:
        for day, name in holidays_ahead(portal) if holidays is None else holidays:
            if not any(e.covers(day) for e in hours.exceptions):
                dated.append(DatedHours.model_validate({"date": day, "closed": True, "note": name}))
    for e in dated:  # dated entries have no ``freq``: they hold on every day from valid_from to valid_to
        base = {"valid_from": e.first.isoformat(), "valid_to": e.last.isoformat() if e.last else None,
                "description": e.note}
        if e.closed:
            rows.append({**base, "x_closed": True})
        rows += [{**base, "opens_at": _clock(r.start), "closes_at": _clock(r.end)} for r in e.hours or ()]
    offset = _utc_offset_hours(tz, portal.today.year)
    return [_present({**row, "id": _id(portal, owner, "schedule", str(i)), "timezone": offset, "x_timezone": tz})
            for i, row in enumerate(rows)]


def _ranges(rows: list[dict[str, Any]]) -> tuple[str, ...]:
    return tuple(f"{r['opens_at']}-{r['closes_at']}" for r in rows if r.get("opens_at"))


def hours_from(rows: list[dict[str, Any]]) -> OpeningHours:
    """Opening hours from exported schedules (holiday closures come back as dated exceptions)."""
    weekly: dict[str, list[str]] = defaultdict(list)
    seasons: dict[tuple[str, str, str | None], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    dated: dict[tuple[str, str | None], list[dict[str, Any]]] = defaultdict(list)
    note = None
    code_to_day = {v: k for k, v in BYDAY.items()}
    for r in rows:
        if r.get("freq") == "WEEKLY":
            season = "valid_from" in r
            target = seasons[(r["valid_from"], r["valid_to"], r.get("description"))] if season else weekly
            note = note if season else r.get("description")
            for code in r["byday"].split(","):
                target[code_to_day[code]].append(f"{r['opens_at']}-{r['closes_at']}")
        else:
            dated[(r["valid_from"], r.get("valid_to"))].append(r)
    exceptions = []
    for (start, end), group in dated.items():
        ranges = _ranges(group)
        exceptions.append({"from": start, **({"to": end} if end else {}), "note": group[0].get("description"),
                           **({"hours": list(ranges)} if ranges else {"closed": True})})
    return OpeningHours.model_validate({
        "weekly": {d: ", ".join(v) for d, v in weekly.items()}, "note": note, "holidays": "open",
        "seasons": [Season.model_validate({"name": n, "from": f, "to": t,
                                           "weekly": {d: ", ".join(v) for d, v in w.items()}})
                    for (f, t, n), w in seasons.items()],
        "exceptions": exceptions})


def _address(portal: Portal, owner: str, line: str, postal_code: str | None, city: str | None,
             default_city: str | None) -> dict[str, Any]:
    parts = postal_address(line, postal_code, city, default_city)
    return {"id": _id(portal, owner, "address"), "address_1": parts.street, "city": parts.city or "",
            "state_province": portal.site.county or "", "postal_code": parts.postal_code or "",
            "country": parts.country, "address_type": "physical"}


def _location(portal: Portal, district: District | None, svc: Service | None) -> dict[str, Any] | None:
    place = svc.meta.location if svc else None
    hub = district.config.hub if district is not None else None
    hub_city = postal_address(hub.address, hub.postal_code, hub.city).city if hub else None
    if place is None and district is not None and hub is not None:
        loc_id, owner = _id(portal, district.slug, "hub"), f"{district.slug}/hub"
        name, coordinates = hub.name, hub.coordinates
        address = _address(portal, owner, hub.address, hub.postal_code, hub.city, None)
    elif place is not None:
        owner = f"{district.slug if district else 'kommune'}/{svc.slug if svc else ''}"
        loc_id = _id(portal, owner, "location")
        name, coordinates = place.name, place.coordinates
        address = _address(portal, owner, place.address or place.name, place.postal_code, place.city, hub_city)
    else:
        return None
    return _present({"id": loc_id, "name": name, "location_type": "physical", "addresses": [address],
                     "latitude": coordinates.lat if coordinates else None,
                     "longitude": coordinates.lon if coordinates else None})


def _interpreter(portal: Portal) -> str:
    from hub.i18n import translations

    return translations(portal.site.language).gettext("Interpreter can be booked")


def _organization(portal: Portal) -> dict[str, Any]:
    from hub.i18n import translations

    about = portal.site.description or translations(portal.site.language).gettext(
        "Local hubs in every district of %(site)s: services, opening hours and the Open House programme."
    ) % {"site": portal.site.name}
    return _present({"id": _id(portal, "organization"), "name": portal.site.name, "description": about,
                     "email": portal.site.contact.email, "website": portal.site.base_url,
                     "x_organization_number": portal.site.organization_number})


def services_of(portal: Portal, district: District | None) -> list[dict[str, Any]]:
    """The compiled HSDS services of one district (``None``: the municipality-wide ones).

    One district at a time, so an incremental build can keep the others' from the last build.
    """
    org_id = _organization(portal)["id"]
    holidays = holidays_ahead(portal)
    services = []
    for svc in district.services if district else portal.shared:
        owner = f"{district.slug if district else 'kommune'}/{svc.slug}"
        m = svc.meta
        hours = service_hours(district, svc)
        loc = _location(portal, district, svc)
        sal = []
        if loc is not None:
            sal.append({"id": _id(portal, owner, "at"), "location": loc,
                        "schedules": schedules(portal, hours, owner, holidays) if hours else []})
        phone = m.contact.phone if m.contact else None
        phones = [{"id": _id(portal, owner, "phone"), "number": phone}] if phone else []
        # HSDS's languages are those the staff speak ("not ... only with interpretation"): an interpreter
        # is said apart, in interpretation_services.
        spoken = [{"id": _id(portal, owner, "language", code), "service_id": _id(portal, owner),
                   "name": name_in(code, portal.site.language), "code": code} for code in m.languages]
        interpreter = _interpreter(portal) if m.interpreter else None
        services.append(_present({
            "id": _id(portal, owner), "organization_id": org_id, "name": m.title, "description": m.summary,
            "status": "active", "url": m.booking_url, "email": m.contact.email if m.contact else None,
            "phones": phones, "x_service_key": m.service or svc.slug, "x_category": m.category,
            "x_district": district.slug if district else None, "service_at_locations": sal,
            "x_capacity": _capacity(portal.capacity(district, svc)), "languages": spoken or None,
            "interpretation_services": interpreter}))
    return services


def _capacity(cap: Capacity | None) -> dict[str, Any] | None:
    """Room for applicants from other municipalities (HSDS has no field for it): open, limited, closed."""
    if cap is None:
        return None
    return _present({"status": cap.status, "from": cap.from_.isoformat() if cap.from_ else None,
                     "to": cap.to.isoformat() if cap.to else None, "note": cap.note,
                     "updated": cap.updated.isoformat()})


def export(portal: Portal, services: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The whole directory: every district's services, then the municipality-wide ones."""
    if services is None:
        services = [s for d in [*portal.districts, None] for s in services_of(portal, d)]
    return {"hsds_version": "3.0", "x_timezone": portal.site.timezone, "x_generated": portal.today.isoformat(),
            "organizations": [_organization(portal)], "services": services}


#: The CSV tables and their columns, fixed so that each district's rows can be written on their own.
COLUMNS = {
    "organizations": ("id", "name", "description", "email", "website", "x_organization_number"),
    "services": ("id", "organization_id", "name", "description", "status", "url", "email", "x_service_key",
                 "x_category", "x_district", "phone", "interpretation_services", "x_capacity_status", "x_capacity_from",
                 "x_capacity_to", "x_capacity_note", "x_capacity_updated"),
    "languages": ("id", "service_id", "name", "code"),
    "locations": ("id", "name", "location_type", "latitude", "longitude"),
    "addresses": ("id", "location_id", "address_1", "city", "state_province", "postal_code", "country",
                  "address_type"),
    "service_at_locations": ("id", "service_id", "location_id"),
    "schedules": ("service_at_location_id", "freq", "wkst", "interval", "byday", "opens_at", "closes_at",
                  "valid_from", "valid_to", "description", "x_closed", "id", "timezone", "x_timezone"),
}


def table_rows(services: list[dict[str, Any]]) -> dict[str, str]:
    """CSV rows (no header) of compiled services for every table but organizations.

    Location ids carry their district, so one district's rows never repeat another's.
    """
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in COLUMNS if name != "organizations"}
    seen: set[str] = set()
    for s in services:
        cap = s.get("x_capacity", {})
        out["services"].append({k: v for k, v in s.items()
                                if k not in ("phones", "service_at_locations", "x_capacity", "languages")}
                               | {"phone": s["phones"][0]["number"] if s["phones"] else None}
                               | {f"x_capacity_{k}": v for k, v in cap.items()})
        out["languages"] += s.get("languages", [])
        for sal in s["service_at_locations"]:
            loc = sal["location"]
            if loc["id"] not in seen:
                seen.add(loc["id"])
                out["locations"].append({k: v for k, v in loc.items() if k != "addresses"})
                out["addresses"] += [{**a, "location_id": loc["id"]} for a in loc["addresses"]]
            out["service_at_locations"].append({"id": sal["id"], "service_id": s["id"], "location_id": loc["id"]})
            out["schedules"] += [{"service_at_location_id": sal["id"], **r} for r in sal["schedules"]]
    return {name: _csv(name, rows) for name, rows in out.items()}


def _csv(name: str, rows: list[dict[str, Any]], header: bool = False) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS[name], lineterminator="\n")
    if header:
        writer.writeheader()
    writer.writerows({k: as_text(v) for k, v in row.items()} for row in rows)
    return buf.getvalue()


#: What makes a spreadsheet read a cell as a formula (OWASP: CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_text(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, with a leading ``'``: shown as text.

    Only text is changed, never a number the export computed itself (a longitude of -8.5 stays a
    number): text is what someone typed. A phone number such as "+47 32 04 00 00" is text too, and
    gets the ``'`` (a spreadsheet would otherwise read it as a sum, or an error).
    """
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def tables(data: dict[str, Any], pieces: list[dict[str, str]] | None = None) -> dict[str, str]:
    """Flat CSV tables (organizations, services, locations, service_at_locations, schedules).

    ``pieces`` are :func:`table_rows` of parts of ``data["services"]`` made earlier (one per
    district); without them the rows are made here.
    """
    if pieces is None:
        pieces = [table_rows(data["services"])]
    result = {"organizations": _csv("organizations", data["organizations"], header=True)}
    for name in COLUMNS:
        if name != "organizations":
            result[name] = _csv(name, [], header=True) + "".join(p[name] for p in pieces)
    return result


_CLOCK = {"type": "string", "pattern": "^([01][0-9]|2[0-4]):[0-5][0-9]$"}
SCHEDULE = {"type": "object", "required": ["id", "timezone", "x_timezone"],
            "properties": {"id": {"type": "string", "format": "uuid"}, "freq": {"enum": ["WEEKLY"]},
                           "wkst": {"enum": ["MO"]}, "interval": {"type": "integer", "minimum": 1},
                           "byday": {"type": "string", "pattern": "^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*$"},
                           "timezone": {"type": "number"},
                           "x_timezone": {"type": "string", "pattern": "^[A-Za-z]+(/[A-Za-z_+-]+)*$"},
                           "valid_from": {"type": "string", "format": "date"},
                           "valid_to": {"type": "string", "format": "date"},
                           "opens_at": _CLOCK, "closes_at": _CLOCK,
                           "x_closed": {"const": True}, "description": {"type": "string"}},
            "additionalProperties": False}
ADDRESS = {"type": "object", "required": ["id", "address_1", "city", "state_province", "postal_code", "country",
                                          "address_type"],
           "properties": {"postal_code": {"type": "string", "pattern": "^([0-9]{4})?$"}, "country": {"const": "NO"}}}
LOCATION = {"type": "object", "required": ["id", "name", "location_type", "addresses"],
            "properties": {"id": {"type": "string", "format": "uuid"}, "name": {"type": "string"},
                           "location_type": {"enum": ["physical", "virtual", "postal"]},
                           "latitude": {"type": "number"}, "longitude": {"type": "number"},
                           "addresses": {"type": "array", "items": ADDRESS}}}
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Knutepunkt service directory (Open Referral HSDS 3.0; IANA time zones in x_timezone)",
    "type": "object", "required": ["hsds_version", "organizations", "services"],
    "properties": {
        "hsds_version": {"const": "3.0"},
        "organizations": {"type": "array", "minItems": 1,
                          "items": {"type": "object", "required": ["id", "name", "description"]}},
        "services": {"type": "array", "items": {
            "type": "object", "required": ["id", "organization_id", "name", "status", "service_at_locations"],
            "properties": {"id": {"type": "string", "format": "uuid"}, "name": {"type": "string", "minLength": 1},
                           "status": {"enum": ["active", "inactive", "defunct", "temporarily closed"]},
                           "url": {"type": "string", "pattern": "^(https?://|mailto:|tel:)"},
                           "phones": {"type": "array", "items": {"type": "object", "required": ["id", "number"]}},
                           "service_at_locations": {"type": "array", "items": {
                               "type": "object", "required": ["id", "location", "schedules"],
                               "properties": {"location": LOCATION,
                                              "schedules": {"type": "array", "items": SCHEDULE}}}}}}},
    },
}


def rows_of(service: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for sal in service["service_at_locations"] for r in sal["schedules"]]
