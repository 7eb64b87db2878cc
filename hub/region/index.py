"""A region-level search index made from the members' manifests: one bundle, whatever the member count.

Merging every member's Pagefind bundles in the browser costs about four requests and 5 KB per
bundle on the first query (docs/benchmarks.md: 4,594 requests and 2.0 MB at 357 members). For a
large region the build instead indexes what the manifests say — each district's hub and each
service offer, with its municipality as a filter — into one bundle of its own, served from the
region's origin. Results link to the members' own pages.
"""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

from hub.pipeline.search import bundle
from hub.region.fetch import Fetched


def records(members: list[Fetched]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for f in members:
        m = f.manifest
        town = m.municipality.name
        for d in m.districts:
            out.append({"url": d.url, "content": f"{d.name}. {d.hub.name}, {d.hub.address}. {town}.",
                        "meta": {"title": d.name, "district": town, "summary": f"{d.hub.name}, {d.hub.address}"},
                        "filters": {"municipality": [town], "type": ["Kommunedel"]}})
        districts = {d.slug: d.name for d in m.districts}
        for s in m.services:
            for o in s.offers:
                where = districts.get(o.district or "", town)
                place = f"{o.place.name}, {o.place.address}" if o.place else town
                out.append({"url": o.url, "content": f"{s.title}. {s.summary} {place}. {where}, {town}.",
                            "meta": {"title": s.title, "district": f"{town} · {where}", "summary": s.summary},
                            "filters": {"municipality": [town], "type": ["Tjeneste"], "category": [s.category]}})
    return sorted(out, key=lambda r: str(r["url"]))


def _page(r: dict[str, object], language: str) -> str:
    """One record as the smallest page Pagefind indexes: text, metadata (the member's URL as ``link``)
    and filters, read from attributes so no value needs escaping for Pagefind's own syntax."""
    def attr(kind: str, key: str, value: str) -> str:
        return f'<meta data-pagefind-{kind}="{key}[content]" content="{html.escape(value)}">'

    meta = {**r["meta"], "link": r["url"]}  # type: ignore[dict-item]
    tags = [attr("meta", k, str(v)) for k, v in meta.items()]
    tags += [attr("filter", k, v) for k, values in r["filters"].items() for v in values]  # type: ignore[attr-defined]
    return (f'<!doctype html><html lang="{language}"><head><title>{html.escape(str(meta["title"]))}</title></head>'
            f'<body>{"".join(tags)}<p>{html.escape(str(r["content"]))}</p></body></html>')


def write(members: list[Fetched], folder: Path, language: str) -> int:
    """Index the members' districts and service offers into ``folder``; returns the number of records.

    The records are written as small pages and indexed by the Pagefind binary in one run, as a
    portal's bundles are: Pagefind's service API answered about ten records a second here.
    """
    found = records(members)
    with tempfile.TemporaryDirectory(prefix="knutepunkt-region-index-") as tmp:
        pages = Path(tmp) / "r"
        pages.mkdir()
        for i, r in enumerate(found):
            (pages / f"{i}.html").write_text(_page(r, language), "utf-8")
        bundle(Path(tmp), "r/*.html", folder)
    return len(found)
