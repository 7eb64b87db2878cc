"""A parsed :class:`District` as plain JSON and back, for the caches that keep parsed districts.

JSON, never pickle: a cache folder can hold a file nobody on this machine wrote (a committed
file, a restored CI cache), and unpickling runs whatever such a file says. Reading back
validates every field with the content models, so a stored district is either exactly one
the loader made, or refused (and the folder parsed again).
"""

from __future__ import annotations

import json
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from hub.content.model import DistrictConfig, EventMeta, NewsMeta, PageMeta, PlanMeta, ServiceMeta, Street
from hub.content.structure import Attachment, Body, District, Doc, Plan

M = TypeVar("M")


class _Plain(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Body(_Plain):
    html: str | None = None  # converted already (a build converts while it loads)
    markdown: str | None = None  # not yet (the preview converts when a page shows it)


class _Doc(_Plain, Generic[M]):
    slug: str
    path: str
    meta: M
    body: _Body


class _Attachment(_Plain):
    name: str
    source: str
    size: int


class _Plan(_Doc[PlanMeta]):
    district: str | None
    files: tuple[_Attachment, ...]


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


_ADAPTER = TypeAdapter(_District)


def dump(district: District) -> bytes:
    """The district as JSON (bodies as HTML, or as Markdown where not converted yet)."""
    def doc(d: Doc[Any]) -> dict[str, object]:
        state = d.body.__getstate__()
        body = {"markdown": state[0]} if isinstance(state, tuple) else {"html": state}
        return {"slug": d.slug, "path": d.path, "meta": d.meta.model_dump(mode="json"), "body": body}

    return json.dumps({
        "slug": district.slug, "path": district.path, "config": district.config.model_dump(mode="json"),
        "html": district.html, "services": [doc(s) for s in district.services],
        "events": [doc(e) for e in district.events], "pages": [doc(p) for p in district.pages],
        "news": [doc(n) for n in district.news], "streets": [s.model_dump(mode="json") for s in district.streets],
        "plans": [{**doc(p), "district": p.district, "files": [vars(f) for f in p.files]} for p in district.plans],
    }, ensure_ascii=False, separators=(",", ":")).encode()


def load(data: bytes) -> District | None:
    """The district stored in ``data``, or None if it is not one (any flaw at all)."""
    try:
        d = _ADAPTER.validate_json(data)
    except (ValidationError, ValueError, RecursionError):
        return None
    bodies: list[_Body] = [x.body for docs in (d.services, d.events, d.pages, d.news, d.plans) for x in docs]
    if any((b.html is None) == (b.markdown is None) for b in bodies):
        return None
    plans = tuple(Plan(p.slug, p.path, p.meta, _body(p.body), p.district,
                       tuple(Attachment(f.name, f.source, f.size) for f in p.files)) for p in d.plans)
    return District(d.slug, d.path, d.config, d.html, _docs(d.services), _docs(d.events), _docs(d.pages),
                    _docs(d.news), d.streets, plans)


def _docs(stored: tuple[_Doc[M], ...]) -> tuple[Doc[M], ...]:
    return tuple(Doc(x.slug, x.path, x.meta, _body(x.body)) for x in stored)


def _body(stored: _Body) -> Body:
    body = Body.__new__(Body)
    body.__setstate__(stored.html if stored.html is not None else (stored.markdown or "",))
    return body
