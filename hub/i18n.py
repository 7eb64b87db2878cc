"""UI language: gettext catalogs and Babel formatting of dates and times.

Catalogs live as ``.po`` under ``hub/locale``; they are compiled in memory at
start-up, so no binary ``.mo`` file is committed or needs a build step.
"""

from __future__ import annotations

import datetime as dt
import gettext
from collections.abc import Iterable
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path

from babel import localedata
from babel.dates import format_date, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

LOCALE_DIR = Path(__file__).parent / "locale"
#: The languages a portal's own UI may be in (``language`` in site.yaml).
LANGS = ("nb", "nn", "en")
NORWEGIAN = ("nb", "nn", "no")


@cache
def has_catalog(lang: str) -> bool:
    """Whether the page chrome can be in this language (a catalog ships for it: nb, nn, en, pl, ar …)."""
    return (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").is_file()


@cache
def translations(lang: str, domain: str = "messages") -> gettext.NullTranslations:
    """A catalog: ``messages`` holds the pages' words, ``cli`` the command line's help (bokmål only)."""
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
    if not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buf = BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf, domain=domain)


def warm(langs: Iterable[str]) -> None:
    """Read these languages' catalogs and Babel's locale data now, e.g. once before the build forks its
    processes: each process read them again for its first pages (0.06–0.09 s of CPU each)."""
    for lang in langs:
        if has_catalog(lang):
            translations(lang)
        if localedata.exists(lang):
            localedata.load(lang)


@lru_cache(maxsize=4096)  # pages show the same few dates and times thousands of times
def fmt_date(day: dt.date, lang: str, pattern: str = "EEEE d. MMMM") -> str:
    """Babel-formatted date, e.g. "tirsdag 24. november" ("Tuesday 24 November" in English, "wtorek 24
    listopada" in Polish: the day's full stop is Norwegian)."""
    if lang not in NORWEGIAN:
        pattern = pattern.replace("d. ", "d ")
    return format_date(day, pattern, locale=lang)


@lru_cache(maxsize=4096)
def fmt_time(t: dt.time, lang: str) -> str:
    """Clock time the Norwegian way ("12.00"; Språkrådet), "12:00" in other languages."""
    sep = "." if lang in NORWEGIAN else ":"
    if t == dt.time.max:
        return f"24{sep}00"
    return format_time(t, f"HH{sep}mm", locale=lang)


def fmt_size(size: int, lang: str) -> str:
    """A file size as people read it: "784 byte", "12 kB", "3,4 MB" (decimal comma in Norwegian)."""
    if size < 1000:
        return f"{size} byte" if lang in NORWEGIAN else f"{size} bytes" if lang == "en" else f"{size} B"
    if size < 1000 * 1000:
        return f"{format_decimal(round(size / 1000), locale=lang)} kB"
    return f"{format_decimal(round(size / 1000 / 1000, 1), format='#,##0.#', locale=lang)} MB"


_ORDER = "abcdefghijklmnopqrstuvwxyzæøå"


def sort_key(text: str) -> list[int]:
    """Norwegian alphabetical order (æ, ø, å after z) for lists A–Å."""
    return [_ORDER.index(c) if c in _ORDER else ord(c) + 100 for c in text.lower()]
