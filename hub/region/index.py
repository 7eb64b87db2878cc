"""The region's own Pagefind bundle: the search page's JavaScript and WebAssembly, and its records.

The region's pages run Pagefind only from the region's own origin, whatever the members publish:
this bundle's ``pagefind.js`` and ``wasm.*.pagefind`` are what the search page loads, and the
members' bundles are data merged into it (``mergeIndex`` fetches their index files, never their
code; docs/region.md).

What it indexes depends on the search mode. Merging every member's bundles in the browser costs
about four requests and 5 KB per bundle on the first query (docs/benchmarks.md: 4,594 requests and
2.0 MB at 357 members). For a large region the build instead indexes what the manifests say —
each district's hub and each service offer, with its municipality as a filter — into this one
bundle (:func:`records`); results link to the members' own pages. A small region merges the
members' bundles and this one holds the region's own pages: its front page and a page per service
kind comparing where and when (:func:`own_records`).
"""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

from hub.pipeline.search import bundle
from hub.region.fetch import Fetched
from hub.site import searchweight


def records(members: list[Fetched]) -> list[dict[str, object]]:
    """A record per district (found for its name and hub) and per service offer (for its title,
    summary and service name; where it is offered counts as body text), as a portal's pages are."""
    out: list[dict[str, object]] = []
    for f in members:
        m = f.manifest
        town = m.municipality.name
        for d in m.districts:
            out.append({"url": d.url, "about": d.hub.name, "content": f"{town}.",
                        "meta": {"title": d.name, "district": town, "summary": f"{d.hub.name}, {d.hub.address}"},
                        "filters": {"municipality": [town], "type": ["Kommunedel"]}})
        districts = {d.slug: d.name for d in m.districts}
        for s in m.services:
            for o in s.offers:
                where = districts.get(o.district or "", town)
                place = f"{o.place.name}, {o.place.address}" if o.place else town
                out.append({"url": o.url, "about": _words(s.kind), "content": f"{place}. {where}, {town}.",
                            "meta": {"title": s.title, "district": f"{town} · {where}", "summary": s.summary},
                            "filters": {"municipality": [town], "type": ["Tjeneste"], "category": [s.category]}})
    return sorted(out, key=lambda r: str(r["url"]))


def _words(kind: str) -> str:
    """A service kind's key as words: the service's name ("nav-veiledning" → "nav veiledning")."""
    return kind.replace("-", " ")


def own_records(region: str, towns: list[str], kinds: list[tuple[str, str, str]]) -> list[dict[str, object]]:
    """The region's own pages: the front page and one per service kind ``(kind, title, summary)``.

    Each record is written at its page's path, so Pagefind's result URL is the region's page."""
    def record(page: str, title: str, summary: str, about: str) -> dict[str, object]:
        return {"page": page + "index.html", "url": page, "about": about, "content": "", "filters": {},
                "meta": {"title": title, "district": region, "summary": summary}}

    return [record("", region, ", ".join(towns), ""),
            *(record(f"tjenester/{kind}/", title, summary, _words(kind)) for kind, title, summary in kinds)]


def _page(r: dict[str, object], language: str) -> str:
    """One record as the smallest page Pagefind indexes: metadata (the member's URL as ``link``) and
    filters, read from attributes so no value needs escaping for Pagefind's own syntax, and its text
    weighted as a portal's pages are (:mod:`hub.site.searchweight`): the title as the heading, the
    summary and the words it is about above the rest."""
    def attr(kind: str, key: str, value: str) -> str:
        return f'<meta data-pagefind-{kind}="{key}[content]" content="{html.escape(value)}">'

    meta = {**r["meta"], "link": r["url"]}  # type: ignore[dict-item]
    tags = [attr("meta", k, str(v)) for k, v in meta.items()]
    tags += [attr("filter", k, v) for k, values in r["filters"].items() for v in values]  # type: ignore[attr-defined]
    text = [f"<h1>{html.escape(str(meta['title']))}</h1>",
            f'<p data-pagefind-weight="{searchweight.SUMMARY}">{html.escape(str(meta["summary"]))}</p>',
            f'<p data-pagefind-weight="{searchweight.ABOUT}">{html.escape(str(r["about"]))}</p>' if r["about"] else "",
            f'<p>{html.escape(str(r["content"]))}</p>' if r["content"] else ""]
    return (f'<!doctype html><html lang="{language}"><head><title>{html.escape(str(meta["title"]))}</title></head>'
            f'<body>{"".join(tags)}{"".join(text)}</body></html>')


def write(found: list[dict[str, object]], folder: Path, language: str) -> int:
    """Index ``found`` (:func:`records` or :func:`own_records`) into ``folder``; returns the number of records.

    The records are written as small pages and indexed by the Pagefind binary in one run, as a
    portal's bundles are: Pagefind's service API answered about ten records a second here.
    """
    with tempfile.TemporaryDirectory(prefix="knutepunkt-region-index-") as tmp:
        for i, r in enumerate(found):
            page = Path(tmp) / str(r.get("page") or f"r/{i}.html")
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(_page(r, language), "utf-8")
        bundle(Path(tmp), "**/*.html", folder)
    return len(found)
