"""Which district an address, street, postcode or place name belongs to.

Pure rules over the loaded districts, shared by the finder pages, their JSON and the importer, so
"Konnerudgata 12" gives the same answer on a static page, in the combobox and in a test.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from hub.content.model import Street
from hub.content.structure import District

_ADDRESS = re.compile(r"^\s*(?P<name>.*?\D)\s*(?P<number>\d+)\s*(?P<letter>[A-Za-zÆØÅæøå])?\s*(?:,.*)?$")


def normalise(name: str) -> str:
    """Case, spacing and the common abbreviation "gt." do not matter when people type a street."""
    text = " ".join(name.lower().replace("gt.", "gata").split())
    return text.rstrip(" ,.")


def parse_address(text: str) -> tuple[str, int | None]:
    """ "Konnerudgata 12 B, 3045 Drammen" → ("konnerudgata", 12); "Tangen" → ("tangen", None)."""
    head = text.split(",", 1)[0]
    m = _ADDRESS.match(head)
    if m and m["name"].strip():
        return normalise(m["name"]), int(m["number"])
    return normalise(head), None


def covers(street: Street, number: int | None) -> bool:
    """Whether a street entry includes a house number (an entry without numbers covers the whole street)."""
    if number is None:
        return True
    if street.from_ is not None and number < street.from_:
        return False
    if street.to is not None and number > street.to:
        return False
    return street.side is None or (number % 2 == 1) == (street.side == "odd")


@dataclass(frozen=True)
class Match:
    district: str
    street: Street


def resolve(districts: Iterable[District], text: str) -> list[Match]:
    """The districts a typed address belongs to: all parts of the street when no number is given, the
    part whose numbers include it when one is; a number in no listed range gives every part."""
    name, number = parse_address(text)
    parts = [Match(d.slug, s) for d in districts for s in d.streets if normalise(s.name) == name]
    exact = [p for p in parts if covers(p.street, number)]
    return exact or parts


def postcodes(districts: Iterable[District]) -> dict[str, list[str]]:
    """Postcode → the districts it covers, from the street lists and the hubs' own addresses."""
    found: dict[str, set[str]] = defaultdict(set)
    for d in districts:
        for s in d.streets:
            found[s.postcode].add(d.slug)
        if d.config.hub.postal_code:
            found[d.config.hub.postal_code].add(d.slug)
    return {code: sorted(found[code]) for code in sorted(found)}


def house_ranges(numbers: Mapping[str, Iterable[int]]) -> list[tuple[str, int, int, str | None]]:
    """Split one street's house numbers between districts into as few ranges as possible.

    ``numbers`` maps a district to the house numbers of the street that lie in it. Two candidate
    splits are made — runs along the street, and runs along each side (odd, even) when a district
    border follows the street itself — and the one with fewer ranges wins. Returns
    (district, from, to, side) sorted by side and number.
    """
    owner: dict[int, set[str]] = defaultdict(set)
    for district, nums in numbers.items():
        for n in nums:
            owner[n].add(district)

    def runs(nums: list[int], side: str | None) -> list[tuple[str, int, int, str | None]]:
        out: list[tuple[str, int, int, str | None]] = []
        for i, n in enumerate(nums):
            ds = sorted(owner[n])
            if len(ds) == 1 and out and out[-1][0] == ds[0] and i and out[-1][2] == nums[i - 1]:
                out[-1] = (ds[0], out[-1][1], n, side)  # the run goes on from its neighbour
            else:
                out += [(d, n, n, side) for d in ds]
        return out

    every = sorted(owner)
    along = runs(every, None)
    by_side = runs([n for n in every if n % 2], "odd") + runs([n for n in every if not n % 2], "even")
    return along if len(along) <= len(by_side) else by_side

