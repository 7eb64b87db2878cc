"""The search page's word list: the words the index holds, for "Mente du …?" in the browser.

Pagefind has no fuzzy matching, so the search page corrects typos itself: it asks
for this list only when a query finds little, and suggests the nearest known word.
Most frequent words first, so a tie goes to the word people are likelier to mean.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from hub.content import markup
from hub.content.structure import District, Doc, Portal
from hub.site import compounds

_WORD = re.compile(r"[a-zæøåéü]{3,}")
#: The demo holds about 470 distinct words (4 KB); a cap keeps a very large portal's list small.
MAX_WORDS = 10_000


def _texts(portal: Portal, district: District | None) -> Iterator[str]:
    districts = portal.districts if district is None else (district,)
    for d in districts:
        c = d.config
        yield " ".join((d.name, c.official_name, *c.aliases, c.intro, c.hub.name, c.hub.address))
        yield markup.plain(d.html)
        docs: tuple[Doc[Any], ...] = (*portal.services_of(d), *d.events, *d.pages, *d.news)
        for doc in docs:
            m = doc.meta
            yield " ".join(str(v) for v in (m.title, getattr(m, "summary", None) or "",
                                           *getattr(m, "keywords", ()), *getattr(m, "audience", ())))
            yield markup.plain(doc.html)


def word_list(portal: Portal, district: District | None) -> dict[str, object]:
    """``{"words": "most frequent first …", "synonyms": {...}}`` for one district or all of them."""
    counts: Counter[str] = Counter()
    for text in _texts(portal, district):
        counts.update(_WORD.findall(text.lower()))
    counts.update({p: 1 for p in compounds.search_words(counts) if p not in counts})
    words = sorted(counts, key=lambda w: (-counts[w], w))[:MAX_WORDS]
    return {"words": " ".join(words), "synonyms": synonyms(portal)}


def synonyms(portal: Portal) -> dict[str, list[str]]:
    return {k.lower(): [v.lower() for v in vs] for k, vs in sorted(portal.site.synonyms.items())}
