"""The service catalogue as CPSV-AP-NO, the profile data.norge.no harvests for public services.

One ``cpsv:PublicService`` per service *kind* (Helsestasjon is one service of the
municipality, whichever hub offers it); each district that offers it adds a
contact point with that place's opening hours and a channel (the hub, with its
address). The municipality is the competent authority, named by its
organisation number. Opening hours reuse the open-data schedules
(:func:`hub.exports.opendata.schedules`), so the two exports cannot disagree: weekly
hours are ``cv:openingHours``, seasons, exceptions and the coming year's public
holidays ``cv:specialOpeningHoursSpecification``, each a
``schema:OpeningHoursSpecification`` (and ``time:TemporalEntity``, the class the
profile's shapes ask for). Texts carry the page's language tag.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, TIME, XSD
from rdflib.term import Node

from hub.content.address import postal_address
from hub.content.languages import eu_language
from hub.content.model import Lang
from hub.content.structure import District, Portal, Service, service_hours
from hub.exports.opendata import holidays_ahead, schedules
from hub.i18n import translations

CPSV = Namespace("http://purl.org/vocab/cpsv#")
CPSVNO = Namespace("https://data.norge.no/vocabulary/cpsvno#")
CV = Namespace("http://data.europa.eu/m8g/")
DCATNO = Namespace("https://data.norge.no/vocabulary/dcatno#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
SCHEMA = Namespace("https://schema.org/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
CHANNEL_TYPE = Namespace("https://data.norge.no/vocabulary/service-channel-type#")
PREFIXES = {"cpsv": CPSV, "cpsvno": CPSVNO, "cv": CV, "dcat": DCAT, "dcatno": DCATNO, "dct": DCTERMS, "foaf": FOAF,
            "locn": LOCN, "schema": SCHEMA, "skos": SKOS, "time": TIME, "vcard": VCARD, "xsd": XSD}
BRREG = "https://data.brreg.no/enhetsregisteret/api/enheter/"
_DAYS = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday",
         "SA": "Saturday", "SU": "Sunday"}

#: Where a district's service page is: ``(district or None, service) → absolute URL``.
PageOf = Callable[[District | None, Service], str]


def _time(clock: str) -> Literal:
    return Literal("23:59:59" if clock == "24:00" else f"{clock}:00", datatype=XSD.time)


def _hours(g: Triples, owner: str, rows: list[dict[str, Any]], lang: Lang) -> list[tuple[URIRef, URIRef]]:
    """Schedule rows (HSDS shape) as opening-hours specifications named ``owner-1``, ``-2``…

    Returns the (property, specification) pairs that attach them to a contact point.

    Each is a ``schema:OpeningHoursSpecification`` and a ``time:TemporalEntity`` whose
    ``time:inDateTime`` says what unit it repeats in (a week, or a dated day). The profile's
    shapes give three node shapes one IRI (``:TemporalEntityShape`` for TemporalEntity,
    Instant and DateTimeDescription), so a SHACL processor merges them and asks every
    description for an ``inDateTime`` of its own too: it points to itself.
    """
    pairs = []
    for i, row in enumerate(rows, 1):
        node = URIRef(f"{owner}-{i}")
        g.add((node, RDF.type, SCHEMA.OpeningHoursSpecification))
        g.add((node, RDF.type, TIME.TemporalEntity))
        regular = row.get("freq") == "WEEKLY" and "valid_from" not in row
        pairs.append((CV.openingHours if regular else CV.specialOpeningHoursSpecification, node))
        unit = URIRef(f"{node}-tid")
        g.add((node, TIME.inDateTime, unit))
        g.add((unit, RDF.type, TIME.DateTimeDescription))
        g.add((unit, TIME.inDateTime, unit))
        g.add((unit, TIME.unitType, TIME.unitWeek if row.get("freq") == "WEEKLY" else TIME.unitDay))
        for code in row.get("byday", "").split(",") if row.get("byday") else ():
            g.add((node, SCHEMA.dayOfWeek, SCHEMA[_DAYS[code]]))
        if row.get("x_closed"):  # schema.org's way to say closed: opens and closes at midnight
            g.add((node, SCHEMA.opens, _time("00:00")))
            g.add((node, SCHEMA.closes, _time("00:00")))
        elif "opens_at" in row:
            g.add((node, SCHEMA.opens, _time(row["opens_at"])))
            g.add((node, SCHEMA.closes, _time(row["closes_at"])))
        if "valid_from" in row:
            g.add((node, SCHEMA.validFrom, Literal(row["valid_from"], datatype=XSD.date)))
        if "valid_to" in row:
            g.add((node, SCHEMA.validThrough, Literal(row["valid_to"], datatype=XSD.date)))
        if row.get("description"):
            g.add((node, DCTERMS.description, Literal(row["description"], lang=lang)))
    return pairs


def _address(g: Triples, node: URIRef, line: str, postal_code: str | None, city: str | None,
             county: str | None) -> URIRef:
    parts = postal_address(line, postal_code, city)
    g.add((node, RDF.type, VCARD.Address))
    g.add((node, VCARD["street-address"], Literal(parts.street)))
    if parts.postal_code:
        g.add((node, VCARD["postal-code"], Literal(parts.postal_code)))
    if parts.city:
        g.add((node, VCARD.locality, Literal(parts.city)))
    if county:
        g.add((node, VCARD.region, Literal(county)))
    g.add((node, VCARD["country-name"], Literal("Norge", lang="nb")))
    return node


def catalogue(portal: Portal, kind_url: Callable[[str], str], page_of: PageOf, file_url: str) -> Triples:
    """Every service kind of the portal as a CPSV-AP-NO catalogue graph (head and every district's offers)."""
    g = head(portal, kind_url, page_of, file_url)
    g |= offers(portal, None, page_of, file_url)
    for d in portal.districts:
        g |= offers(portal, d, page_of, file_url)
    return g


def offers(portal: Portal, district: District | None, page_of: PageOf, file_url: str) -> Triples:
    """One district's offerings (``None``: the municipality-wide services): contact points with their
    hours, channels and addresses. Nothing in it names another district, so a build keeps each
    district's part (as Turtle blocks, :func:`blocks`) until that district or the days ahead change.
    """
    g = Triples()
    holidays = holidays_ahead(portal)
    lang = portal.site.language
    # The hub's hours are stated once, under the hub's name in this file, and every service held at
    # the hub points to them: copied per service they were nine tenths of the file (issue #15).
    hub_hours: dict[str, tuple[str, list[tuple[URIRef, URIRef]]]] = {}
    if district is not None:
        hub_hours[district.slug] = (f"{file_url}#{district.slug}-apningstid", [])
    for service in district.services if district is not None else portal.shared:
        _offer(g, portal, district, service, page_of(district, service), holidays, lang, hub_hours)
    return g


def head(portal: Portal, kind_url: Callable[[str], str], page_of: PageOf, file_url: str,
         dated: bool = True) -> Triples:
    """The catalogue, its publisher and each service kind, with links to every district's offering.
    Not ``dated``: without the catalogue's date (today), for a build that keeps the rest between
    days and adds the date as a statement of its own (:func:`hub.site.views.cpsv_catalogue`)."""
    site = portal.site
    lang = site.language
    _ = translations(lang).gettext
    g = Triples()
    for unit in (TIME.unitWeek, TIME.unitDay):  # OWL-Time says so; the shapes check it in the data
        g.add((unit, RDF.type, TIME.TemporalUnit))

    org = URIRef(BRREG + site.organization_number) if site.organization_number else URIRef(file_url + "#kommune")
    g.add((org, RDF.type, CV.PublicOrganisation))
    g.add((org, SKOS.prefLabel, Literal(site.name, lang=lang)))
    g.add((org, DCTERMS.identifier, Literal(site.organization_number or site.base_url)))
    g.add((org, FOAF.homepage, URIRef(site.base_url)))
    area = URIRef(file_url + "#omrade")
    g.add((area, RDF.type, DCTERMS.Location))
    g.add((area, LOCN.geographicName, Literal(site.name, lang=lang)))
    g.add((org, DCTERMS.spatial, area))

    cat = URIRef(file_url + "#katalog")
    g.add((cat, RDF.type, DCAT.Catalog))
    g.add((cat, DCTERMS.identifier, Literal(file_url)))
    g.add((cat, DCTERMS.title, Literal(_("Services of %(site)s") % {"site": site.name}, lang=lang)))
    g.add((cat, DCTERMS.description, Literal(_(
        "Local hubs in every district of %(site)s: services, opening hours and the Open House programme."
    ) % {"site": site.name}, lang=lang)))
    g.add((cat, DCTERMS.publisher, org))
    g.add((cat, FOAF.homepage, URIRef(site.base_url)))
    if dated:
        g.add((cat, DCTERMS.modified, Literal(portal.today.isoformat(), datatype=XSD.date)))
    g.add((cat, DCTERMS.spatial, area))
    g.add((cat, DCTERMS.language, URIRef(eu_language(lang))))
    desk = URIRef(file_url + "#kontakt")
    g.add((desk, RDF.type, CV.ContactPoint))
    g.add((desk, CV.contactPage, URIRef(site.base_url)))
    if site.contact.phone:
        g.add((desk, CV.telephone, Literal(site.contact.phone)))
    if site.contact.email:
        g.add((desk, CV.email, Literal(site.contact.email)))
    g.add((cat, CV.contactPoint, desk))

    for kind, offers in portal.kinds.items():
        first = offers[0][1].meta
        text_lang = first.lang or lang
        svc = URIRef(kind_url(kind))
        g.add((cat, DCATNO.containsService, svc))
        g.add((svc, RDF.type, CPSV.PublicService))
        g.add((svc, DCTERMS.identifier, Literal(str(svc))))
        g.add((svc, DCTERMS.title, Literal(first.title, lang=text_lang)))
        g.add((svc, DCTERMS.description, Literal(first.summary, lang=text_lang)))
        g.add((svc, CV.hasCompetentAuthority, org))
        g.add((svc, FOAF.homepage, svc))
        g.add((svc, DCTERMS.spatial, area))
        # The languages the service is given in: its text's, and those its staff speak at any hub.
        for code in dict.fromkeys([text_lang, *(c for _, s in offers for c in s.meta.languages)]):
            g.add((svc, DCTERMS.language, URIRef(eu_language(code))))
        for word in dict.fromkeys(k for _, s in offers for k in s.meta.keywords):
            g.add((svc, DCAT.keyword, Literal(word, lang=text_lang)))
        output = URIRef(str(svc) + "#resultat")
        g.add((output, RDF.type, CPSVNO.PossibleOutput))
        g.add((output, DCTERMS.title, Literal(_("Help from %(service)s") % {"service": first.title}, lang=lang)))
        g.add((output, DCTERMS.description, Literal(first.summary, lang=text_lang)))
        g.add((svc, CPSVNO.hasPossibleOutput, output))
        for district, service in offers:
            page = page_of(district, service)
            g.add((svc, CV.contactPoint, URIRef(page + "#kontaktpunkt")))
            if _has_channel(district, service):
                g.add((svc, CV.hasChannel, URIRef(page + "#oppmote")))
    return g


def _has_channel(district: District | None, service: Service) -> bool:
    return service.meta.location is not None or district is not None


def _offer(g: Triples, portal: Portal, district: District | None, service: Service, page: str,
           holidays: list[tuple[dt.date, str]], lang: Lang,
           hub_hours: dict[str, tuple[str, list[tuple[URIRef, URIRef]]]]) -> None:
    """One district's offering: a contact point with its hours, and a channel at its place (the address)."""
    m = service.meta
    point = URIRef(page + "#kontaktpunkt")
    hours = service_hours(district, service)
    if hours is None:
        attach: list[tuple[URIRef, URIRef]] = []
    elif district is not None and hours is district.config.hub.hours:
        name, attach = hub_hours[district.slug]
        if not attach:
            attach += _hours(g, name, schedules(portal, hours, f"{district.slug}/knutepunkt", holidays), lang)
    else:
        owner = f"{district.slug if district else 'kommune'}/{service.slug}"
        attach = _hours(g, str(point), schedules(portal, hours, owner, holidays), lang)
    g.add((point, RDF.type, CV.ContactPoint))
    g.add((point, CV.contactPage, URIRef(page)))
    contact = m.contact or (district.config.coordinator if district else portal.site.contact)
    if contact.phone:
        g.add((point, CV.telephone, Literal(contact.phone)))
    if contact.email:
        g.add((point, CV.email, Literal(contact.email)))
    for prop, spec in attach:
        g.add((point, prop, spec))
    if not _has_channel(district, service):
        return
    place = m.location
    hub = district.config.hub if district else None
    channel = URIRef(page + "#oppmote")
    g.add((channel, RDF.type, CV.Channel))
    g.add((channel, DCTERMS.identifier, Literal(str(channel))))
    g.add((channel, DCTERMS.type, CHANNEL_TYPE["service-bureau"]))
    name = place.name if place else hub.name if hub else ""
    g.add((channel, DCTERMS.description, Literal(name, lang=lang)))
    if place is not None:
        address = _address(g, URIRef(page + "#adresse"), place.address or place.name, place.postal_code,
                           place.city, portal.site.county)
    else:
        assert hub is not None
        address = _address(g, URIRef(page + "#adresse"), hub.address, hub.postal_code, hub.city, portal.site.county)
    g.add((channel, VCARD.hasAddress, address))


_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
Triple = tuple[Node, Node, Node]


class Triples(set[Triple]):
    """The catalogue's statements, rdflib terms in a plain set.

    Not an rdflib ``Graph``: its store indexes every statement three ways for queries the
    catalogue never makes, a third of the export's time (issue #15). ``Graph(...)`` of the
    written Turtle is the graph, and the tests read it so.
    """


def turtle(graph: Iterable[Triple]) -> bytes:
    """Turtle, one block per subject, everything sorted: the same bytes every build.

    Written here rather than by rdflib's pretty serializer, which spent 8 of a 20-second build
    at 10 districts working out prefixed names (issue #15); every node is named (no blank nodes),
    so a flat subject → predicate → objects listing is complete.
    """
    return document(blocks(graph))


def document(parts: Iterable[tuple[str, str]], pieces: Iterable[Piece] = ()) -> bytes:
    """The Turtle file of subject blocks (from :func:`blocks`, of any number of graphs with no
    subject in common), sorted by subject; ``pieces`` (kept blocks as :func:`read_piece` returns
    them, their subjects in order) are spliced in as runs of their bytes wherever no other block
    sorts between them."""
    out = "\n".join(f"@prefix {p}: <{ns}> ." for p, ns in sorted(PREFIXES.items())).encode()
    loose = sorted(parts)
    kept = list(pieces)
    order = sorted([(subject, -1, i) for i, (subject, _) in enumerate(loose)]
                   + [(subject, p, j) for p, found in enumerate(kept) for j, subject in enumerate(found.subjects)])
    chunks = [out]
    run: list[int] = []  # the piece and the first and last block of the run being spliced

    def splice() -> None:
        if run:
            found = kept[run[0]]
            chunks.append(found.text[found.ends[run[1] - 1] if run[1] else 0:found.ends[run[2]]])
            run.clear()

    for _, p, j in order:
        if p < 0:
            splice()
            chunks.append(f"\n\n{loose[j][1]}".encode())
        elif run and run[0] == p:  # the next block of the run (a piece's blocks are in order)
            run[2] = j
        else:
            splice()
            run.extend((p, j, j))
    splice()
    return b"".join(chunks) + b"\n"


@dataclass(frozen=True)
class Piece:
    """Blocks as a build keeps them (:func:`piece`): their subjects in order, where each block's
    bytes end in ``text``, and the blocks as :func:`document` writes them."""

    subjects: list[str]
    ends: list[int]
    text: bytes


def piece(found: list[tuple[str, str]]) -> bytes:
    """Sorted blocks (:func:`blocks`) as a build keeps them: a line of JSON with their subjects and
    where each ends, then their text. Spliced as it is, an edit on the demo ×22 spent about 40 ms
    less CPU on the catalogue and touched 11,000 fewer pages of memory than reading each of the
    20,000 blocks back as JSON and sorting them all."""
    texts = [f"\n\n{block}".encode() for _, block in found]
    ends = list(itertools.accumulate(len(t) for t in texts))
    return json.dumps({"subjects": [s for s, _ in found], "ends": ends}).encode() + b"\n" + b"".join(texts)


def read_piece(data: bytes) -> Piece:
    """A kept :func:`piece`, refused (ValueError: made again) unless it has that shape: UTF-8 text
    of blocks, each starting with its subject, the subjects sorted (the cache may hold files nobody
    here wrote: text that goes into the catalogue as it is, never run)."""
    line, _, text = data.partition(b"\n")
    found = json.loads(line)
    if not isinstance(found, dict) or set(found) != {"subjects", "ends"}:
        raise ValueError("not kept Turtle blocks")
    subjects, ends = found["subjects"], found["ends"]
    if not (isinstance(subjects, list) and isinstance(ends, list) and len(subjects) == len(ends)
            and all(type(s) is str for s in subjects) and all(type(e) is int for e in ends)):
        raise ValueError("not kept Turtle blocks")
    starts = [0, *ends]
    if not (all(a < b for a, b in itertools.pairwise(subjects)) and all(a < b for a, b in itertools.pairwise(starts))
            and starts[-1] == len(text)
            and all(text.startswith(b"\n\n" + s.encode() + b" ", at) for s, at in zip(subjects, starts, strict=False))):
        raise ValueError("not kept Turtle blocks")
    text.decode("utf-8")  # UnicodeDecodeError is a ValueError
    return Piece(subjects, ends, text)


def blocks(graph: Iterable[Triple]) -> list[tuple[str, str]]:
    """Each subject's Turtle statement, ``(subject, text)``. Terms are written by rdflib (``n3()``,
    which escapes), and a name is shortened to ``prefix:local`` only when the local part is
    plainly safe."""
    prefixes = sorted(((p, str(ns)) for p, ns in PREFIXES.items()), key=lambda pn: -len(pn[1]))

    @functools.cache
    def name(term: URIRef) -> str:
        if term == RDF.type:
            return "a"
        text = str(term)
        for prefix, ns in prefixes:
            if text.startswith(ns) and _LOCAL.fullmatch(text[len(ns):]):
                return f"{prefix}:{text[len(ns):]}"
        return term.n3()

    def node(term: Any) -> str:
        if isinstance(term, URIRef):
            return name(term)
        if isinstance(term, Literal) and term.datatype is not None:
            return f"{term.n3().rsplit('^^', 1)[0]}^^{name(term.datatype)}"
        return str(term.n3())

    subjects: dict[str, dict[str, list[str]]] = {}
    for s, p, o in graph:
        subjects.setdefault(node(s), {}).setdefault(name(p), []).append(node(o))
    out = []
    for subject, by_predicate in subjects.items():
        parts = [p + " " + ",\n        ".join(sorted(objects))
                 for p, objects in sorted(by_predicate.items(), key=lambda kv: (kv[0] != "a", kv[0]))]
        out.append((subject, f"{subject} " + " ;\n    ".join(parts) + " ."))
    return sorted(out)
