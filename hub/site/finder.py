""""Finn ditt knutepunkt": the names people look their district up by, as pages and as one JSON file.

Streets (with their house-number ranges), place names (a district's name, ``aliases`` and
``areas``) and postcodes. Without JavaScript the A–Å letter pages and the postcode pages answer;
with it, the combobox on the front page and on ``/finn/`` reads ``finn/steder.json``.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from hub.content.streets import normalise, postcodes
from hub.content.structure import Portal
from hub.i18n import sort_key

#: Letters of the A–Å index and their URL segments (æ, ø, å spelled out, as in a slug).
LETTER_SLUGS = {"æ": "ae", "ø": "oe", "å": "aa"}


@dataclass
class Part:
    district: str
    postcode: str = ""
    place: str = ""
    numbers: str = ""  # "1–39, oddetall"
    range: tuple[int | None, int | None, str | None] = (None, None, None)


@dataclass
class Name:
    """One name and the districts it leads to."""

    name: str
    kind: str  # "street" | "place"
    parts: list[Part] = field(default_factory=list)

    @property
    def districts(self) -> list[str]:
        return sorted({p.district for p in self.parts})


def letter(name: str) -> str:
    first = name.strip()[:1].lower()
    if first in LETTER_SLUGS:
        return first
    base = unicodedata.normalize("NFKD", first)[:1]
    return base if base.isalpha() else "#"


def letter_slug(ch: str) -> str:
    return LETTER_SLUGS.get(ch, ch if ch.isalpha() else "0")


def numbers_text(start: int | None, end: int | None, side: str | None, odd: str, even: str) -> str:
    if start is None and end is None:
        return ""
    span = f"{start if start is not None else ''}–{end if end is not None else ''}"
    return f"{span}, {odd if side == 'odd' else even}" if side else span


def names(portal: Portal, odd: str = "oddetall", even: str = "partall") -> list[Name]:
    """Every street and place name in the content, A–Å; a street in several districts is one name."""
    found: dict[tuple[str, str], Name] = {}
    for d in portal.districts:
        for s in d.streets:
            n = found.setdefault(("street", normalise(s.name)), Name(s.name, "street"))
            n.parts.append(Part(d.slug, s.postcode, s.place or "", numbers_text(s.from_, s.to, s.side, odd, even),
                                (s.from_, s.to, s.side)))
        for place in (d.config.name, *d.config.aliases, *d.config.areas):
            n = found.setdefault(("place", normalise(place)), Name(place, "place"))
            if all(p.district != d.slug for p in n.parts):
                n.parts.append(Part(d.slug))
    for n in found.values():
        n.parts.sort(key=lambda p: (p.postcode, p.range[2] or "", p.range[0] or 0, p.district))
    return sorted(found.values(), key=lambda n: (sort_key(n.name), n.kind))


def by_letter(items: list[Name]) -> list[tuple[str, str, list[Name]]]:
    """(letter, URL segment, names) in A–Å order, letters without names left out."""
    groups: dict[str, list[Name]] = defaultdict(list)
    for n in items:
        groups[letter(n.name)].append(n)
    return [(ch, letter_slug(ch), groups[ch]) for ch in sorted(groups, key=sort_key)]


def index_json(portal: Portal, items: list[Name]) -> dict[str, Any]:
    """What the combobox needs: district names, names with their parts (district, postcode, from, to,
    side, numbers as text) and postcodes. The answer cards are in the page, one template per district."""
    return {
        "districts": {d.slug: d.name for d in portal.districts},
        "names": [{"n": n.name, "k": n.kind,
                   "p": [[p.district, p.postcode, p.range[0], p.range[1], p.range[2], p.numbers] for p in n.parts]}
                  for n in items],
        "postcodes": postcodes(portal.districts),
    }
