"""Street lists from Kartverket's open address data (*Matrikkelen – Adresse*, CSV per municipality).

Each address row names its street, house number, postcode and *grunnkrets* (SSB's basic
statistical unit). The web team keeps ``content/grunnkretser.yaml``, which says which district
each grunnkrets belongs to; together they give each district the streets, and the house-number
ranges of streets that cross a district border. The result is written as plain
``districts/<district>/streets.yaml`` files that coordinators can read and correct.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from hub.content.errors import ErrorLog
from hub.content.names import SLUG_RE
from hub.content.source import parse_yaml, read_text
from hub.content.streets import house_ranges
from hub.i18n import sort_key

#: Columns the importer needs (Kartverket's names; case does not matter, others are ignored).
REQUIRED = ("adressenavn", "nummer", "postnummer", "grunnkretsnummer")
MAX_BYTES = 200 * 1024 * 1024


def read_mapping(path: Path, districts: set[str], log: ErrorLog) -> dict[str, str]:
    """``grunnkretser.yaml`` (district: [grunnkrets numbers]) → grunnkrets → district.

    Numbers are kept as the address file writes them (four digits within the municipality); the
    eight-digit national form (municipality + grunnkrets) is accepted and shortened.
    """
    text = read_text(path, log) if path.is_file() else None
    if text is None:
        if not path.is_file():
            log.add(path, 0, "", "filen mangler: den sier hvilken kommunedel hver grunnkrets hører til, "
                    "én linje per kommunedel: bragernes: [\"0101\", \"0102\"] (se docs/finn.md)")
        return {}
    doc = parse_yaml(text, path, log)
    if doc is None:
        return {}
    if not isinstance(doc.data, dict):
        log.add(path, doc.line(()), "", "forventet kommunedel: [grunnkretsnumre] øverst i filen")
        return {}
    out: dict[str, str] = {}
    for district, numbers in doc.data.items():
        where = doc.line((district,))
        if not isinstance(district, str) or not SLUG_RE.match(district) or district not in districts:
            log.add(path, where, str(district), f"ukjent kommunedel {district!r} (finnes ikke i districts/)")
            continue
        if not isinstance(numbers, list):
            log.add(path, where, district, "forventet en liste med grunnkretsnumre, f.eks. [\"0101\", \"0102\"]")
            continue
        for i, raw in enumerate(numbers):
            number = str(raw).replace(" ", "") if isinstance(raw, str | int) else ""
            if not _number(number, 8) or len(number) not in (4, 8):
                log.add(path, doc.line((district, i)), f"{district}[{i}]", f"{str(raw)[:20]!r} er ikke et "
                        "grunnkretsnummer (fire eller åtte sifre, skriv det i anførselstegn)")
                continue
            number = number[-4:]
            if number in out and out[number] != district:
                log.add(path, doc.line((district, i)), f"{district}[{i}]",
                        f"grunnkrets {number} står også under {out[number]}")
            out[number] = district
    return out


@dataclass
class Streets:
    """What an address file gave: per district its street entries, and what it could not place."""

    by_district: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    addresses: int = 0
    unmapped: dict[str, int] = field(default_factory=dict)  # grunnkrets → addresses without a district


def read_addresses(path: Path, mapping: dict[str, str], log: ErrorLog) -> Streets:
    """Read the CSV (``;``-separated, UTF-8 as Kartverket ships it) and group its street addresses."""
    if not path.is_file():
        log.add(path, 0, "", "filen finnes ikke")
        return Streets()
    if path.stat().st_size > MAX_BYTES:
        log.add(path, 0, "", f"filen er større enn {MAX_BYTES // 2**20} MB; er det riktig fil?")
        return Streets()
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        log.add(path, line, "", "filen er ikke UTF-8 (last ned CSV-filen på nytt fra Geonorge)")
        return Streets()
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _read_rows(path, reader, mapping, log)
    except csv.Error as exc:  # a field longer than any address (the reader's limit), say
        log.add(path, reader.line_num, "", f"kan ikke leses som CSV: {exc}")
        return Streets()


def _number(text: str, digits: int) -> bool:
    """Whole number written with at most ``digits`` of the digits 0–9 (not ², not other scripts')."""
    return text.isascii() and text.isdigit() and len(text) <= digits


MAX_NAME = 200


def _name_problem(name: str, required: bool) -> str | None:
    if required and not name:
        return "mangler gatenavn"
    if len(name) > MAX_NAME:
        return f"navnet er for langt ({len(name)} tegn, høyst {MAX_NAME})"
    if any(not c.isprintable() for c in name):
        return "navnet har kontrolltegn"
    return None


def _read_rows(path: Path, reader: Any, mapping: dict[str, str], log: ErrorLog) -> Streets:
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        log.add(path, 1, "", f"mangler kolonne(r) {', '.join(missing)}; forventet Kartverkets CSV "
                "«Matrikkelen – Adresse» med kolonnene " + ", ".join(REQUIRED))
        return Streets()
    col = {name: header.index(name) for name in header}
    numbers: dict[tuple[str, str], dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    places: dict[tuple[str, str], str] = {}
    unmapped: dict[str, int] = defaultdict(int)
    count = 0
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            log.add(path, line, "", f"raden har {len(row)} felt, overskriften {len(header)}")
            continue
        cells = {name: row[i].strip() for name, i in col.items()}
        if cells.get("adressetype", "vegadresse").lower() != "vegadresse":
            continue  # matrikkeladresser (farm numbers) have no street to list
        street, number, postcode = cells["adressenavn"], cells["nummer"], cells["postnummer"]
        circuit = cells["grunnkretsnummer"]
        bad = False
        for name in ("adressenavn", "poststed"):
            problem = _name_problem(cells.get(name, ""), required=name == "adressenavn")
            if problem:
                log.add(path, line, name, problem)
                bad = True
        if not _number(number, 6):
            log.add(path, line, "nummer", f"{number[:20]!r} er ikke et husnummer")
            bad = True
        if not (_number(postcode, 4) and len(postcode) == 4):
            log.add(path, line, "postnummer", f"{postcode[:20]!r} er ikke et postnummer (fire sifre)")
            bad = True
        circuit = circuit.zfill(4)[-4:] if _number(circuit, 8) else circuit
        if not _number(circuit, 4):
            log.add(path, line, "grunnkretsnummer", f"{circuit[:20]!r} er ikke et grunnkretsnummer")
            bad = True
        if bad:
            continue
        count += 1
        district = mapping.get(circuit)
        if district is None:
            unmapped[circuit] += 1
            continue
        numbers[(street, postcode)][district].add(int(number))
        places.setdefault((street, postcode), cells.get("poststed", "").title())
    result = Streets({}, count, dict(sorted(unmapped.items())))
    for (street, postcode), owners in numbers.items():
        place = places[(street, postcode)] or None
        if len(owners) == 1:
            (district,) = owners
            result.by_district.setdefault(district, []).append(_entry(street, postcode, place))
            continue
        for district, start, end, side in house_ranges(owners):
            result.by_district.setdefault(district, []).append(_entry(street, postcode, place, start, end, side))
    for entries in result.by_district.values():
        entries.sort(key=lambda e: (sort_key(str(e["name"])), e["postcode"], e.get("side") or "", e.get("from", 0)))
    return result


def _entry(street: str, postcode: str, place: str | None, start: int | None = None, end: int | None = None,
           side: str | None = None) -> dict[str, object]:
    e: dict[str, object] = {"name": street, "postcode": postcode}
    if place:
        e["place"] = place
    if start is not None:
        e["from"], e["to"] = start, end
    if side:
        e["side"] = side
    return e


HEADER = """\
# yaml-language-server: $schema=../../../schemas/streets.json
# Gatene i kommunedelen, laget av `knutepunkt import adresser` fra Kartverkets adresser
# ({source}). Du kan rette her; neste import skriver filen på nytt, så meld varige
# rettelser til webteamet (grunnkretser.yaml). from/to: husnumre; side: odd/even (oddetall/partall).
"""


def render(entries: list[dict[str, object]], source: str) -> str:
    body = yaml.safe_dump({"streets": entries}, allow_unicode=True, sort_keys=False, default_flow_style=None,
                          width=120)
    return HEADER.format(source=source) + body
