"""A parsed :class:`District` as plain JSON and back, for the caches that keep parsed districts.

JSON, never pickle: a cache folder can hold a file nobody on this machine wrote (a committed
file, a restored CI cache), and unpickling runs whatever such a file says. Reading back
validates every field with the content models, so a stored district is either exactly one
the loader made, or refused (and the folder parsed again).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Collection
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from hub.content import markup
from hub.content.model import DistrictConfig, EventMeta, NewsMeta, PageMeta, PlanMeta, ServiceMeta, Street
from hub.content.structure import Attachment, Body, District, DistrictText, Doc, Plan

M = TypeVar("M")


class _Plain(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Body(_Plain):
    html: str | None = None  # converted already (a build converts while it loads)
    markdown: str | None = None  # not yet (the preview converts when a page shows it)


class _Text(_Plain, Generic[M]):
    """A translation of a document: everything else is its source's."""

    path: str
    lang: str
    meta: M
    body: _Body


class _Doc(_Plain, Generic[M]):
    slug: str
    path: str
    meta: M
    body: _Body
    translations: tuple[_Text[M], ...] = ()


class _Attachment(_Plain):
    name: str
    source: str
    size: int


class _Plan(_Doc[PlanMeta]):
    district: str | None
    files: tuple[_Attachment, ...]


class _DistrictText(_Plain):
    lang: str
    config: DistrictConfig
    html: str
    paths: tuple[str, ...]


class _District(_Plain):
    slug: str
    path: str
    config: DistrictConfig
    html: str
    services: tuple[_Doc[ServiceMeta], ...]
    events: tuple[_Doc[EventMeta], ...]
    pages: tuple[_Doc[PageMeta], ...]
    news: tuple[_Doc[NewsMeta], ...]
    streets: tuple[Street, ...]
    plans: tuple[_Plan, ...]
    translations: tuple[_DistrictText, ...] = ()


_ADAPTER = TypeAdapter(_District)


def dump(district: District) -> bytes:
    """The district as JSON (bodies as HTML, or as Markdown where not converted yet)."""
    def body(b: Body) -> dict[str, str]:
        state = b.__getstate__()
        return {"markdown": state[0]} if isinstance(state, tuple) else {"html": state}

    def doc(d: Doc[Any]) -> dict[str, object]:
        texts = [{"path": t.path, "lang": t.lang, "meta": t.meta.model_dump(mode="json"), "body": body(t.body)}
                 for t in d.translations]
        return {"slug": d.slug, "path": d.path, "meta": d.meta.model_dump(mode="json"), "body": body(d.body),
                **({"translations": texts} if texts else {})}

    return json.dumps({
        "slug": district.slug, "path": district.path, "config": district.config.model_dump(mode="json"),
        "html": district.html, "services": [doc(s) for s in district.services],
        "events": [doc(e) for e in district.events], "pages": [doc(p) for p in district.pages],
        "news": [doc(n) for n in district.news], "streets": [s.model_dump(mode="json") for s in district.streets],
        "plans": [{**doc(p), "district": p.district, "files": [vars(f) for f in p.files]} for p in district.plans],
        "translations": [{"lang": t.lang, "config": t.config.model_dump(mode="json"), "html": t.html,
                          "paths": list(t.paths)} for t in district.translations],
    }, ensure_ascii=False, separators=(",", ":")).encode()


def load(data: bytes, folder: str, files: Collection[str]) -> District | None:
    """The district stored in ``data``, or None if it is not one the loader could have made of
    ``folder`` (as the loader names it, e.g. ``content/districts/bragernes``) with these ``files``
    (relative to it, symbolic links left out: the loader refuses them): any flaw at all. Beyond the
    models' validation, the paths a build reads or names must be that folder's files (a plan's
    documents, which the plan names, are copied into the site from them), and converted HTML must
    be exactly what the sanitiser leaves (pages show it as it is)."""
    try:
        d = _ADAPTER.validate_json(data)
    except (ValidationError, ValueError, RecursionError):
        return None
    bodies: list[_Body] = [b for docs in (d.services, d.events, d.pages, d.news, d.plans) for x in docs
                           for b in (x.body, *(t.body for t in x.translations))]
    if any((b.html is None) == (b.markdown is None) for b in bodies):
        return None
    docs: list[_Doc[Any]] = [x for group in (d.services, d.events, d.pages, d.news, d.plans) for x in group]
    paths = [*(x.path for x in docs), *(t.path for x in docs for t in x.translations),
             *(p for t in d.translations for p in t.paths),
             *(f.source for p in d.plans for f in p.files)]
    own = {f"{folder}/{rel}" for rel in files}
    if (d.path != folder or any(p not in own for p in paths)
            or any(f.source != f"{p.path.removesuffix('.md')}/{f.name}"
                   or f.name not in {x.file for x in p.meta.documents} for p in d.plans for f in p.files)):
        return None
    html = [d.html, *(t.html for t in d.translations), *(b.html for b in bodies if b.html is not None)]
    if not all(markup.is_sanitised(h) for h in html):
        return None
    plans = tuple(_translated(Plan(p.slug, p.path, p.meta, _body(p.body), district=p.district,
                                   files=tuple(Attachment(f.name, f.source, f.size) for f in p.files)), p)
                  for p in d.plans)
    texts = tuple(DistrictText(t.lang, t.config, t.html, t.paths) for t in d.translations)
    return District(d.slug, d.path, d.config, d.html, _docs(d.services), _docs(d.events), _docs(d.pages),
                    _docs(d.news), d.streets, plans, texts)


def _docs(stored: tuple[_Doc[M], ...]) -> tuple[Doc[M], ...]:
    return tuple(_translated(Doc(x.slug, x.path, x.meta, _body(x.body)), x) for x in stored)


D = TypeVar("D", bound=Doc[Any])


def _translated(doc: D, stored: _Doc[Any]) -> D:
    """The document with its translations, made from it as the loader makes them (:meth:`Doc.translated`)."""
    if not stored.translations:
        return doc
    return dataclasses.replace(doc, translations=tuple(doc.translated(t.path, t.meta, _body(t.body), t.lang)
                                                       for t in stored.translations))


def _body(stored: _Body) -> Body:
    body = Body.__new__(Body)
    body.__setstate__(stored.html if stored.html is not None else (stored.markdown or "",))
    return body
