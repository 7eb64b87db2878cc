"""The search page's word list: the words the index holds, for correcting typos in the browser.

Pagefind has no fuzzy matching, so the search page corrects typos itself: a query word the
list lacks is corrected to the nearest word of the list (at once when it is clearly the one
meant, else as "Mente du …?"). The list holds every field the pages show, so a word of the
pages is never corrected away. Most frequent words first, so a tie goes to the word people
are likelier to mean.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from hub.content.source import MAX_FILE_BYTES
from hub.content.structure import District, Doc, Portal
from hub.site import compounds

_WORD = re.compile(r"[a-zæøåéü]{3,}")
#: Words as :func:`read_counts` takes them, joined by spaces.
_WORDS = re.compile(r"[a-zæøåéü]{3,}(?: [a-zæøåéü]{3,})*")
#: The same words in sanitised HTML, skipping its tags (a tag matches the empty group).
_HTML_WORD = re.compile(r"<[^>]+>|([a-zæøåéü]{3,})")
#: More than any count of a word could be (a million content files of a million words each).
MAX_COUNT = 10**12
#: The demo holds about 470 distinct words (4 KB); a cap keeps a very large portal's list small.
MAX_WORDS = 10_000


def _words(portal: Portal, district: District) -> Iterator[list[str]]:
    """The words of a district's texts, lower-case: names and fields, and the text of the Markdown bodies."""
    def fields(*texts: object) -> list[str]:
        return _WORD.findall(" ".join(str(t) for t in texts).lower())

    def body(html: str) -> list[str]:
        return [w for w in _HTML_WORD.findall(html.lower()) if w]

    def place(p: Any) -> tuple[str, ...]:
        return (p.name, p.address or "") if p is not None else ()

    d, c = district, district.config
    yield fields(d.name, c.official_name, *c.aliases, *c.areas, c.intro, c.hub.name, c.hub.address,
                 c.hub.directions or "", c.coordinator.name or "")
    yield body(d.html)
    docs: tuple[Doc[Any], ...] = (*portal.services_of(d), *d.events, *d.pages, *d.news)
    for doc in docs:
        m = doc.meta
        contact = getattr(m, "contact", None)
        yield fields(m.title, getattr(m, "summary", None) or "", *getattr(m, "keywords", ()),
                     *getattr(m, "audience", ()), *place(getattr(m, "location", None) or getattr(m, "place", None)),
                     getattr(m, "organiser", None) or "", (contact.name or "") if contact else "")
        yield body(doc.html)


def counts(portal: Portal, district: District) -> Counter[str]:
    """How often each word occurs in one district's texts (its services with the municipality-wide ones)."""
    found: Counter[str] = Counter()
    for words in _words(portal, district):
        found.update(words)
    return found


def counts_text(found: Counter[str]) -> bytes:
    """A district's :func:`counts` as the build keeps them (JSON)."""
    return json.dumps(found, ensure_ascii=False, separators=(",", ":")).encode()


def read_counts(data: bytes) -> dict[str, int]:
    """Kept :func:`counts_text` (see :func:`checked_counts`)."""
    return checked_counts(json.loads(data))


def checked_counts(found: Any) -> dict[str, int]:
    """Word counts as read from the build's cache, or ValueError unless they are words of the list's
    letters, no longer than a content file, each counted a whole number of times, at least once and
    at most :data:`MAX_COUNT` (a sum of huge numbers could not be written as JSON again). The
    cache may hold files nobody here wrote: a planted file can add words to the list or leave some
    out, as a planted split can, but it never breaks the list or runs. Checked in one match and C
    loops: a word at a time took 0.27 s of an edit at 100 districts."""
    joined = " ".join(found) if isinstance(found, dict) else ""
    if not isinstance(found, dict) or found and not (
            _WORDS.fullmatch(joined) and joined.count(" ") == len(found) - 1  # no word with a space in it
            and max(map(len, found)) <= MAX_FILE_BYTES and set(map(type, found.values())) == {int}
            and min(found.values()) > 0 and max(found.values()) <= MAX_COUNT):
        raise ValueError("not a district's word counts")
    return found


def word_list(portal: Portal, district: District | None, found: Counter[str] | None = None) -> dict[str, object]:
    """``{"words": "most frequent first …", "synonyms": {...}, "places": {...}}`` for one district or all;
    ``found``: the words' counts there when known (the build sums every district's kept :func:`counts`)."""
    if found is None:
        found = Counter()
        for d in portal.districts if district is None else (district,):
            found.update(counts(portal, d))
    else:
        found = Counter(found)  # the caller's stay as they are
    found.update(dict.fromkeys(compounds.parts(found).difference(found), 1))
    # Most frequent first, a tie in alphabetical order: a stable sort by count of the sorted words
    # (keys looked up in C, not a Python key function per word: 16,000 words a district at scale).
    ranked = sorted(found)
    ranked.sort(key=found.__getitem__, reverse=True)
    return {"words": " ".join(ranked[:MAX_WORDS]), "synonyms": synonyms(portal), "places": places(portal, district)}


def places(portal: Portal, district: District | None) -> dict[str, str]:
    """What each district is called — name, official name, aliases, areas, hub — and its front page
    from this search page (``../<slug>/`` from the one door in's, ``../`` from the district's own):
    a query that is one of them puts that page first. A name two districts share is left out."""
    found: dict[str, set[str]] = {}
    for d in portal.districts if district is None else (district,):
        c = d.config
        for name in (d.name, c.official_name, *c.aliases, *c.areas, c.hub.name):
            found.setdefault(" ".join(name.lower().split()), set()).add("../" if district else f"../{d.slug}/")
    return {name: next(iter(homes)) for name, homes in sorted(found.items()) if len(homes) == 1}


def synonyms(portal: Portal) -> dict[str, list[str]]:
    return {k.lower(): [v.lower() for v in vs] for k, vs in sorted(portal.site.synonyms.items())}
