"""Pagefind bundles after the freeze: one per district (works when published alone)
and a small one for the one-door-in pages; the index's search page merges them
in the browser, so no second full index of every district is built.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import cbor2
from pagefind.index import IndexConfig, PagefindIndex

BUNDLE = "pagefind"


class BundleError(RuntimeError):
    """Pagefind wrote an incomplete bundle twice in a row."""


def _complete(bundle: Path) -> bool:
    """Every file written and non-empty (seen once under load: a zero-byte wasm file)."""
    files = [p for p in bundle.rglob("*") if p.is_file()]
    return bool(files) and (bundle / "pagefind.js").is_file() and all(p.stat().st_size > 0 for p in files)


async def _bundle(site: Path, glob: str, out: Path) -> int:
    config = IndexConfig(output_path=str(out), root_selector="html")
    for _attempt in range(2):
        async with PagefindIndex(config=config) as index:  # writes the bundle once, on leaving
            result = await index.add_directory(str(site), glob=glob)
        if _complete(out):
            canonicalise(out)
            return int(result.get("page_count", 0)) if isinstance(result, dict) else 0
        shutil.rmtree(out, ignore_errors=True)
    raise BundleError(f"Pagefind wrote an incomplete search bundle in {out}")


_MAGIC = b"pagefind_dcd"


def _read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_MAGIC):
        raise ValueError(f"{path}: not a Pagefind data file")
    return cbor2.loads(data[len(_MAGIC):])


def _write(folder: Path, prefix: str, stem_len: int, suffix: str, value: Any) -> str:
    """Write gzip(magic + CBOR) under a name derived from the content; returns the hash part of the name."""
    payload = gzip.compress(_MAGIC + cbor2.dumps(value, canonical=True), compresslevel=9, mtime=0)
    name = f"{prefix}_{hashlib.sha256(payload).hexdigest()[:stem_len]}"
    (folder / f"{suffix.format(name)}").write_bytes(payload)
    return name


def canonicalise(bundle: Path) -> None:
    """Make a Pagefind bundle byte-for-byte reproducible.

    Pagefind 1.5 writes its filter indexes and the bundle metadata in hash-map
    order, so they differ between runs of the same input (Pagefind issue #638;
    index chunks and fragments are already stable). Sort them, and name the
    files after their new content.
    """
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text("utf-8"))
    for lang, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        filters = []
        for name, old in meta[3]:
            old_path = bundle / "filter" / f"{old}.pf_filter"
            fname, values = _read(old_path)
            new = _write(bundle / "filter", lang, 7, "{}.pf_filter",
                         [fname, sorted(([v, sorted(pages)] for v, pages in values), key=lambda x: x[0])])
            if new != old:
                old_path.unlink()
            filters.append([name, new])
        meta[3] = sorted(filters)
        meta_path.unlink()
        info["hash"] = _write(bundle, lang, 10, "pagefind.{}.pf_meta", meta)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")


ROOT_GLOB = "{index.html,tjenester/**/*.html}"


async def _all(dest: Path, districts: list[str], root_glob: str) -> dict[str, int]:
    jobs = {slug: _bundle(dest / slug, "**/*.html", dest / slug / BUNDLE) for slug in districts}
    jobs[""] = _bundle(dest, root_glob, dest / BUNDLE)
    counts = await asyncio.gather(*jobs.values())
    return dict(zip(jobs, counts, strict=True))


def index_site(dest: Path, districts: list[str], root_glob: str = ROOT_GLOB) -> dict[str, int]:
    """Write every bundle; returns pages indexed per bundle ("" is the site root's own)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_all(dest, districts, root_glob))
    # Called from inside an event loop (an async app, Playwright's sync API): use a thread of our own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _all(dest, districts, root_glob)).result()
