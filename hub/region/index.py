"""A region-level search index made from the members' manifests: one bundle, whatever the member count.

Merging every member's Pagefind bundles in the browser costs about four requests and 5 KB per
bundle on the first query (docs/benchmarks.md: 4,603 requests and 2 MB at 357 members). For a
large region the build instead indexes what the manifests say — each district's hub and each
service offer, with its municipality as a filter — into one bundle of its own, served from the
region's origin. Results link to the members' own pages.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from hub.build.search import canonicalise
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


async def _write(found: list[dict[str, object]], folder: Path, language: str) -> None:
    from pagefind.index import PagefindIndex

    async with PagefindIndex() as index:
        for r in found:
            await index.add_custom_record(url=str(r["url"]), content=str(r["content"]), language=language,
                                          meta=r["meta"], filters=r["filters"])  # type: ignore[arg-type]
        await index.write_files(output_path=str(folder))


def write(members: list[Fetched], folder: Path, language: str) -> int:
    """Index the members' districts and service offers into ``folder``; returns the number of records."""
    found = records(members)
    asyncio.run(_write(found, folder, language))
    canonicalise(folder)
    return len(found)
