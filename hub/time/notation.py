"""Times of day as Norwegians write them: "10.00–16.00", "kl. 10–16", "10-16 og 17-20", "stengt".

Språkrådet's rule is *klokka 10.00*; people also write "10:00", "10-16" and "kl. 10".
Everything here is pure: text in, ``(start, end)`` clock times out, or a ``ValueError``
whose message shows the accepted forms. What stays ambiguous is refused: "9-5" (nine
in the morning to five in the afternoon, or a night?), "1030", "10.5", "25:00".

A range that ends before it starts runs past midnight and belongs to the day it starts
("19.00-01.00" on a Friday is Friday night) — but only from the afternoon into the early
morning (start 15:00 or later, end 09:00 or earlier), so "9-5" is not read as a night.
"""

from __future__ import annotations

import datetime as dt
import re

END_OF_DAY = dt.time.max  # "24:00"
NIGHT_FROM, NIGHT_UNTIL = dt.time(15), dt.time(9)

_CLOCK = r"(?:[01]?\d|2[0-4])(?:[:.][0-5]\d)?"
_KL = r"(?:kl(?:\.|okka|okken)?\s*)?"
_DASH = r"\s*(?:-|–|—|til)\s*"
_RANGE = re.compile(rf"^{_KL}(?P<start>{_CLOCK}){_DASH}{_KL}(?P<end>{_CLOCK})$", re.IGNORECASE)
_SPLIT = re.compile(r"\s*(?:,|;|\bog\b|\band\b)\s*", re.IGNORECASE)
CLOSED = {"stengt", "closed", "lukket"}

FORMS = "09:00-16:00, 9-16, 09.00–16.00, kl. 9–16, «9-12 og 13-16» eller «stengt»"

#: Patterns for editors (JSON Schema, ECMA regex: no inline flags). The parser has the last word.
_KL_ANY_CASE = r"(?:[Kk]l(?:\.|okka|okken)?\s*)?"
RANGE_PATTERN = rf"{_KL_ANY_CASE}{_CLOCK}{_DASH}{_KL_ANY_CASE}{_CLOCK}"
RANGES_PATTERN = (rf"^\s*([Ss]tengt|[Cc]losed|[Ll]ukket|{RANGE_PATTERN}(\s*(,|;|og|and)\s*{RANGE_PATTERN})*)\s*$")
CLOCK_PATTERN = rf"^\s*{_KL_ANY_CASE}{_CLOCK}\s*$"


def parse_clock(text: str, *, end: bool = False) -> dt.time:
    """"10", "10.30", "10:30", "kl. 9" → a time; "24", "24:00" only as an ``end`` (end of the day)."""
    m = re.fullmatch(rf"{_KL}({_CLOCK})", text.strip(), re.IGNORECASE)
    if not m:
        raise ValueError(f"klokkeslett skrives 09:30, 9.30 eller 9 (fikk {text!r})")
    hours, _, minutes = m.group(1).replace(".", ":").partition(":")
    h, mins = int(hours), int(minutes or 0)
    if h == 24:
        if mins or not end:
            raise ValueError(f"24:00 kan bare være slutten av et tidsrom (fikk {text!r})")
        return END_OF_DAY
    return dt.time(h, mins)


def is_overnight(start: dt.time, end: dt.time) -> bool:
    return end != END_OF_DAY and end < start


def parse_range(text: str) -> tuple[dt.time, dt.time]:
    m = _RANGE.fullmatch(text.strip())
    if not m:
        raise ValueError(f"tidsrommet {text!r} kan ikke leses; skriv for eksempel {FORMS}")
    start, end = parse_clock(m["start"]), parse_clock(m["end"], end=True)
    if end == start:
        raise ValueError(f"tidsrommet {text} slutter når det starter")
    if is_overnight(start, end) and not (start >= NIGHT_FROM and end <= NIGHT_UNTIL):
        raise ValueError(f"tidsrommet {text} er uklart: skriv klokkeslett med 24 timer (f.eks. 09:00-17:00); "
                         "et tidsrom over midnatt må starte etter kl. 15 og slutte før kl. 9 (f.eks. 19.00-01.00)")
    return start, end


def parse_ranges(value: object) -> list[tuple[dt.time, dt.time]]:
    """A day's ranges from text ("9-12 og 13-16"), a list of such texts, ``None`` or "stengt"."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    texts = [t for item in items for t in _SPLIT.split(str(item).strip()) if t]
    if len(texts) == 1 and texts[0].lower() in CLOSED:
        return []
    return [parse_range(t) for t in texts]
