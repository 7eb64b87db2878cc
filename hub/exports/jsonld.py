"""schema.org JSON-LD for hubs, services, events and plans, so search engines and apps read the facts.

A plan is a ``Legislation`` (a zoning plan binds once adopted: ``legislationLegalForce``), with its
area as a ``GeoShape``, its documents as parts, and the open deadline for input as a
``CommentAction`` whose ``endTime`` is the end of the deadline day.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup

from hub.content import markup
from hub.content.address import postal_address
from hub.content.codelists import IN_FORCE, PLANSTATUS, PLANTYPE
from hub.content.languages import name_in
from hub.content.model import DAYS, DOCUMENT_TYPES, OpeningHours, Place
from hub.content.structure import District, Event, Plan, Portal, Service, service_hours
from hub.time.programme import end_day

_DAY_URI = {d: f"https://schema.org/{n}" for d, n in zip(DAYS, (
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), strict=True)}


AVAILABILITY = {"open": "https://schema.org/InStock", "limited": "https://schema.org/LimitedAvailability",
                "closed": "https://schema.org/OutOfStock"}


def _hm(t: dt.time) -> str:
    return "23:59" if t == dt.time.max else t.strftime("%H:%M")


def opening_specs(hours: OpeningHours) -> dict[str, list[dict[str, Any]]]:
    regular = [{"@type": "OpeningHoursSpecification", "dayOfWeek": _DAY_URI[day],
                "opens": _hm(r.start), "closes": _hm(r.end)}
               for day in DAYS for r in hours.weekly.get(day, ())]
    special: list[dict[str, Any]] = []
    for season in hours.seasons:
        for day in DAYS:
            for r in season.weekly.get(day, ()):
                special.append({"@type": "OpeningHoursSpecification", "dayOfWeek": _DAY_URI[day],
                                "opens": _hm(r.start), "closes": _hm(r.end),
                                "validFrom": season.from_.isoformat(), "validThrough": season.to.isoformat()})
    for e in hours.exceptions:
        spec: dict[str, Any] = {"@type": "OpeningHoursSpecification", "validFrom": e.first.isoformat()}
        if e.last:
            spec["validThrough"] = e.last.isoformat()
        if e.closed:
            special.append({**spec, "opens": "00:00", "closes": "00:00"})
        for r in e.hours or ():
            special.append({**spec, "opens": _hm(r.start), "closes": _hm(r.end)})
    return {"openingHoursSpecification": regular, "specialOpeningHoursSpecification": special}


def _address(line: str, postal_code: str | None, city: str | None, default_city: str | None = None) -> dict[str, Any]:
    parts = postal_address(line, postal_code, city, default_city)
    out = {"@type": "PostalAddress", "streetAddress": parts.street, "postalCode": parts.postal_code,
           "addressLocality": parts.city, "addressCountry": parts.country}
    return {k: v for k, v in out.items() if v}


def _place(p: Place | None, district: District) -> dict[str, Any]:
    hub = district.config.hub
    if p is None:
        out: dict[str, Any] = {"@type": "CivicStructure", "name": hub.name,
                               "address": _address(hub.address, hub.postal_code, hub.city)}
        if hub.coordinates:
            out["geo"] = {"@type": "GeoCoordinates", "latitude": hub.coordinates.lat,
                          "longitude": hub.coordinates.lon}
        return out
    hub_city = postal_address(hub.address, hub.postal_code, hub.city).city
    place: dict[str, Any] = {"@type": "Place", "name": p.name,
                             "address": _address(p.address or p.name, p.postal_code, p.city, hub_city)}
    if p.coordinates:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": p.coordinates.lat, "longitude": p.coordinates.lon}
    return place


def hub(portal: Portal, district: District, url: str) -> dict[str, Any]:
    h = district.config.hub
    return {"@context": "https://schema.org", **_place(None, district), "url": url, "@id": url,
            "containedInPlace": {"@type": "AdministrativeArea", "name": district.config.official_name},
            **opening_specs(h.hours)}


def service(portal: Portal, district: District, svc: Service, url: str) -> dict[str, Any]:
    loc = _place(svc.meta.location, district)
    hours = service_hours(district, svc)
    if hours:
        loc.update(opening_specs(hours))
    channel: dict[str, Any] = {"@type": "ServiceChannel", "serviceLocation": loc}
    if svc.meta.languages:  # the languages the staff speak, as IETF BCP 47 codes
        channel["availableLanguage"] = [{"@type": "Language", "alternateName": code, "name": name_in(code, "en")}
                                        for code in svc.meta.languages]
    out = {"@context": "https://schema.org", "@type": "GovernmentService", "name": svc.meta.title,
            "description": svc.meta.summary, "url": url, "@id": url,
            "provider": {"@type": "GovernmentOrganization", "name": portal.site.name},
            "areaServed": {"@type": "AdministrativeArea", "name": district.config.official_name},
            "availableChannel": channel}
    cap = portal.capacity(district, svc)
    if cap is not None:  # room for applicants from other municipalities, as schema.org says availability
        offer: dict[str, Any] = {"@type": "Offer", "availability": AVAILABILITY[cap.status],
                                 "description": cap.note or None,
                                 "availabilityStarts": cap.from_.isoformat() if cap.from_ else None,
                                 "availabilityEnds": cap.to.isoformat() if cap.to else None}
        out["offers"] = {k: v for k, v in offer.items() if v is not None}
    return out


def event(portal: Portal, district: District, ev: Event, day: dt.date, cancelled: bool, url: str,
          image: str | None = None) -> dict[str, Any]:
    """An Event with what Google's Event documentation asks for (required and recommended)."""
    tz = ZoneInfo(portal.site.timezone)
    out: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Event", "@id": url, "name": ev.meta.title, "url": url,
        "description": ev.meta.summary or markup.excerpt(ev.html) or ev.meta.title,
        "startDate": dt.datetime.combine(day, ev.meta.start, tz).isoformat(),
        "endDate": dt.datetime.combine(end_day(day, ev.meta.start, ev.meta.end), ev.meta.end, tz).isoformat(),
        "eventStatus": "https://schema.org/EventCancelled" if cancelled else "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": _place(ev.meta.place, district),
        "organizer": {"@type": "Organization", "name": ev.meta.organiser or portal.site.name,
                      "url": portal.site.base_url},
        "isAccessibleForFree": True,
        "inLanguage": ev.lang or ev.meta.lang or portal.site.language,
    }
    if image:
        out["image"] = [image]
    return out


def plan(portal: Portal, p: Plan, url: str, documents: list[tuple[str, str]], due: dt.date | None = None,
         respond: str | None = None) -> dict[str, Any]:
    """A plan as ``Legislation``; ``documents`` are (title, absolute URL) in the plan's order; ``due`` and
    ``respond`` (a mailto: or form link) give the open deadline for input."""
    m = p.meta
    out: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Legislation", "@id": url, "url": url, "name": m.title,
        "description": m.summary, "identifier": m.plan_id, "legislationIdentifier": m.plan_id,
        "legislationType": PLANTYPE[m.type], "creativeWorkStatus": PLANSTATUS[m.status],
        "legislationJurisdiction": {"@type": "AdministrativeArea", "name": portal.site.name},
        "legislationLegalForce": "https://schema.org/InForce" if m.status in IN_FORCE else "https://schema.org/NotInForce",
        "inLanguage": p.lang or m.lang or portal.site.language,
    }
    adopted = next((s.date for s in m.steps if s.step == "vedtak" and s.date and s.date <= portal.today), None)
    if adopted:
        out["legislationDate"] = adopted.isoformat()
    if m.area:
        ring = m.area["coordinates"][0] if m.area["type"] == "Polygon" else m.area["coordinates"][0][0]
        polygon = " ".join(f"{lat} {lon}" for lon, lat, *_ in ring)  # a third number, the height, left out
        out["spatialCoverage"] = {"@type": "Place", "geo": {"@type": "GeoShape", "polygon": polygon}}
    parts = []
    for (title, link), d in zip(documents, m.documents, strict=True):
        part: dict[str, Any] = {"@type": "DigitalDocument", "name": title, "url": link}
        if d.extension in DOCUMENT_TYPES:
            part["encodingFormat"] = DOCUMENT_TYPES[d.extension][1]
        parts.append(part)
    if parts:
        out["hasPart"] = parts
    if due and respond:
        end = dt.datetime.combine(due, dt.time(23, 59), ZoneInfo(portal.site.timezone))
        out["potentialAction"] = {"@type": "CommentAction", "endTime": end.isoformat(), "target": respond}
    return out


def script(data: dict[str, Any] | list[dict[str, Any]]) -> Markup:
    """A JSON-LD script element; ``<`` is escaped so content cannot close the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    return Markup(f'<script type="application/ld+json">{text}</script>')
