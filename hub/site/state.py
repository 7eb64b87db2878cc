"""The portal the views read, and the memo they share: one app's state, read through Flask.

Kept apart from :mod:`hub.site.app` so that the views import it, not the app factory that
imports the views.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from flask import current_app, g

from hub import i18n
from hub.content.errors import ContentError
from hub.content.structure import Portal

T = TypeVar("T")


@dataclass
class PortalState:
    """What the views read; ``errors`` is set instead of a new portal when content is broken."""

    portal: Portal | None
    errors: list[ContentError] = field(default_factory=list)
    version: int = 0
    preview: bool = False
    search_dir: Path | None = None
    #: Work derived from ``portal`` and reused across pages (hours tables, URLs, exports).
    cache: dict[Any, Any] = field(default_factory=dict)

    def swap(self, portal: Portal | None, errors: list[ContentError]) -> None:
        self.portal, self.errors = portal, errors
        self.cache.clear()
        self.version += 1


def cached(key: Any, make: Any) -> Any:
    """Per-portal memo: pages of one build share hub hours, URLs and exports."""
    store = state().cache
    if key not in store:
        store[key] = make()
    return store[key]


def fragment(name: str, district: str, make: Callable[[], bytes], read: Callable[[bytes], T], daily: bool = False,
             lasting: bool = False, plain: bool = False) -> T:
    """A district's piece of a one-door-in file, from the build's fragment store when it has one, as
    ``read`` turns it into what the page uses (and refuses, with ValueError, what this code would not make).

    The store (:class:`hub.pipeline.incremental.Fragments`) keeps pieces between builds,
    keyed by everything they are made from; without it (preview), just make it.
    """
    store = current_app.config.get("FRAGMENTS")
    return store.get(name, district, make, read, daily, lasting, plain) if store is not None else read(make())


def fragment_sum(name: str, slugs: Iterable[str], make: Callable[[str], bytes],
                 check: Callable[[Any], dict[str, int]]) -> Counter[str]:
    """The sum of the districts' lasting pieces ``name`` (counts: ``make`` writes a district's, see
    :func:`fragment`), kept by the build's store with what it adds up
    (:meth:`hub.pipeline.incremental.Fragments.total`); without it, added up here."""
    store = current_app.config.get("FRAGMENTS")
    if store is not None:
        found: Counter[str] = store.total(name, slugs, make, check)
        return found
    found = Counter()
    for slug in slugs:
        found.update(check(json.loads(make(slug))))
    return found


def shared_fragment(name: str, make: Callable[[], bytes], read: Callable[[bytes], T]) -> T:
    """A piece every district's pages share, from the build's fragment store when it has one."""
    store = current_app.config.get("FRAGMENTS")
    return store.shared(name, make, read) if store is not None else read(make())


def portal_fragment(name: str, make: Callable[[], bytes], read: Callable[[bytes], T]) -> T:
    """A piece made from every district but not the day, from the build's fragment store when it has one."""
    store = current_app.config.get("FRAGMENTS")
    return store.whole(name, make, read) if store is not None else read(make())


def state() -> PortalState:
    st: PortalState = current_app.extensions["knutepunkt"]
    return st


def portal() -> Portal:
    p = state().portal
    if p is None:  # only in preview, where broken content is shown before any view runs
        raise RuntimeError("no valid content loaded")
    return p


def page_language() -> str:
    """The language of the page being made: its translation's (``/pl/…``), else the portal's."""
    lang: str | None = g.get("lang")
    return lang or portal().site.language


def chrome_language() -> str:
    """The language of the page's own words (menus, labels): the page's where a catalog ships for it,
    else the portal's (and those parts are then marked with their language)."""
    lang = page_language()
    return lang if i18n.has_catalog(lang) else portal().site.language
