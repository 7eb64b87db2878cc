"""Postal addresses in parts, as open data and search engines want them ("Storgata 1", "3017", "Drammen").

Coordinators write one line, the way Norwegians do: "Bragernes torg 2, 3017
Drammen". The parts come from that line, or from ``postal_code``/``city`` given
beside it when the line does not end in a postcode and a place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE = re.compile(r"^(?P<street>.*?)[,\s]+(?P<code>\d{4})\s+(?P<city>\D.*?)\s*$")


@dataclass(frozen=True)
class PostalAddress:
    street: str
    postal_code: str | None
    city: str | None
    country: str = "NO"


def postal_address(line: str, postal_code: str | None = None, city: str | None = None,
                   default_city: str | None = None) -> PostalAddress:
    """The parts of an address line; given parts win, ``default_city`` fills a missing place name."""
    m = _LINE.match(line.strip())
    if m and m["street"]:
        street, code, place = m["street"].strip(" ,"), m["code"], m["city"]
    else:
        street, code, place = line.strip(), None, None
    return PostalAddress(street, postal_code or code, city or place or default_city)
