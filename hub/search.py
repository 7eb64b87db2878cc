"""Pagefind bundles after the freeze: one per district (works when published alone)
and a small one for the one-door-in pages; the index's search page merges them
in the browser, so no second full index of every district is built.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

BUNDLE = "pagefind"


async def _bundle(site: Path, glob: str, out: Path) -> int:
    config = IndexConfig(output_path=str(out), root_selector="html")
    async with PagefindIndex(config=config) as index:
        result = await index.add_directory(str(site), glob=glob)
        await index.write_files(output_path=str(out))
    return int(result.get("page_count", 0)) if isinstance(result, dict) else 0


async def _all(dest: Path, districts: list[str]) -> dict[str, int]:
    jobs = {slug: _bundle(dest / slug, "**/*.html", dest / slug / BUNDLE) for slug in districts}
    jobs[""] = _bundle(dest, "{index.html,tjenester/**/*.html}", dest / BUNDLE)
    counts = await asyncio.gather(*jobs.values())
    return dict(zip(jobs, counts, strict=True))


def index_site(dest: Path, districts: list[str]) -> dict[str, int]:
    """Write every bundle; returns pages indexed per bundle ("" is the index site)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_all(dest, districts))
    # Called from inside an event loop (an async app, Playwright's sync API): use a thread of our own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _all(dest, districts)).result()
