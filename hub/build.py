"""The build: load → freeze → index → atomic publish.

The new site is written to a staging folder beside the output and swapped in
only when complete, so a failed build leaves the published site untouched.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from flask_frozen import Freezer, MissingURLGeneratorWarning

from .app import create_app, find_theme
from .errors import ContentError, ContentErrors
from .loader import load, today_from_env
from .search import index_site
from .structure import Portal
from .urls import district_urls, site_urls, static_files


@dataclass(frozen=True)
class BuildResult:
    out: Path
    pages: int
    indexed: dict[str, int]
    unchanged: bool = False
    seconds: dict[str, float] = field(default_factory=dict)  # load, freeze, index


SITE = ""  # the part name of the one-door-in pages, beside the district slugs


def freeze(portal: Portal, dest: Path, theme: str | Path = "default", *, standalone: str | None = None,
           parts: frozenset[str] | None = None) -> int:
    """Render every URL of the portal into ``dest``; returns the number of files.

    With ``standalone``, only that district is rendered, and its links to the
    rest of the portal point to ``base_url``: the folder is a site of its own.
    ``parts`` limits the work to some districts (and ``SITE``), for parallel builds.
    """
    app = create_app(portal, theme)
    app.config.update(
        FREEZER_DESTINATION=str(dest), FREEZER_RELATIVE_URLS=False, RELATIVE_URLS=True, STANDALONE=standalone,
        FREEZER_REMOVE_EXTRA_FILES=False, FREEZER_IGNORE_404_NOT_FOUND=False,
        FREEZER_SKIP_EXISTING=False, FREEZER_IGNORE_MIMETYPE_WARNINGS=True)
    freezer = Freezer(app, with_static_files=False, with_no_argument_rules=False, log_url_for=False)
    statics = static_files(app.config["THEME_STATIC"])

    @freezer.register_generator
    def _urls():  # type: ignore[no-untyped-def]
        if standalone is None and (parts is None or SITE in parts):
            yield from site_urls(portal)
            for name in statics:
                yield "static", {"filename": name}
        for d in portal.districts:
            if standalone not in (None, d.slug) or (parts is not None and d.slug not in parts):
                continue
            yield from district_urls(portal, d)
            for name in statics:
                yield "district.static", {"district": d.slug, "filename": name}

    with warnings.catch_warnings():  # endpoints left out on purpose (standalone, preview-only) are no error
        warnings.simplefilter("ignore", MissingURLGeneratorWarning)
        return len(freezer.freeze())


_FORKED: tuple[Portal, Path, str | Path] | None = None


def _freeze_part(parts: frozenset[str]) -> int:
    assert _FORKED is not None
    portal, dest, theme = _FORKED
    return freeze(portal, dest, theme, parts=parts)


Progress = Callable[[str, int, int], None]  # phase, done, total


def freeze_parallel(portal: Portal, dest: Path, theme: str | Path, jobs: int, progress: Progress | None = None) -> int:
    """Freeze districts in ``jobs`` forked processes; the portal is loaded once and shared copy-on-write.

    Every part writes its own files, so the result is the same bytes as :func:`freeze`.
    Work is cut into about four groups per process, for balance and for progress.
    """
    global _FORKED
    weights = {SITE: len(portal.kinds) + 10} | {
        d.slug: len(portal.services_of(d)) + 2 * len(d.events) + len(d.pages) + len(d.news) + 5
        for d in portal.districts}
    count = min(len(weights), jobs * 4)
    groups: list[set[str]] = [set() for _ in range(count)]
    loads = [0] * count
    for part in sorted(weights, key=lambda k: (-weights[k], k)):  # largest first, to the least loaded
        i = loads.index(min(loads))
        groups[i].add(part)
        loads[i] += weights[part]
    _FORKED = (portal, dest, theme)
    work = [frozenset(g) for g in groups if g]
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            total = 0
            for done, future in enumerate(as_completed([pool.submit(_freeze_part, g) for g in work]), start=1):
                total += future.result()
                if progress:
                    progress("freeze", done, len(work))
            return total
    finally:
        _FORKED = None


def fingerprint(content: Path, theme: str | Path, *, search: bool, district: str | None, today: str) -> str:
    """Hash of everything a build reads: content, theme, code version, options and "today"."""
    from . import __version__

    theme_dir = find_theme(theme)
    h = hashlib.sha256(f"{__version__}|{search}|{district}|{today}".encode())
    code = Path(__file__).parent
    for root in (content, theme_dir, code):
        for p in sorted(root.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                h.update(p.relative_to(root).as_posix().encode() + b"\0")
                h.update(p.read_bytes() + b"\0")
    return h.hexdigest()


MANIFEST = ".knutepunkt-build"


def publish(staging: Path, out: Path) -> None:
    """Swap the finished staging folder in place of ``out``."""
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
        staging.rename(out)
        shutil.rmtree(old)
    else:
        staging.rename(out)


def build(content: Path, out: Path, theme: str | Path = "default", *, search: bool = True,
          district: str | None = None, jobs: int = 1, progress: Progress | None = None) -> BuildResult:
    """Build the whole portal from ``content`` into ``out`` (raises ContentErrors on bad content).

    With ``district``, build only that district portal, as the root of ``out``,
    for publishing on a host of its own. ``jobs`` > 1 freezes in forked
    processes (only from a process without other threads, such as the CLI).
    If nothing the build reads has changed since the build in ``out``, nothing
    is written at all.
    """
    out = out.resolve()
    stamp = fingerprint(content, theme, search=search, district=district, today=str(today_from_env()))
    manifest = out / MANIFEST
    if manifest.is_file() and manifest.read_text("utf-8").strip() == stamp:
        return BuildResult(out, 0, {}, unchanged=True)
    clock = time.perf_counter()
    seconds: dict[str, float] = {}
    if progress:
        progress("load", 0, 1)
    portal = load(content, jobs=jobs)
    seconds["load"] = time.perf_counter() - clock
    if progress:
        progress("load", 1, 1)
    if district is not None and portal.district(district) is None:
        raise ContentErrors([ContentError(str(content), 0, "", f"ukjent kommunedel {district!r}")])
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    if staging.exists():
        shutil.rmtree(staging)
    try:
        clock = time.perf_counter()
        if jobs > 1 and district is None and len(portal.districts) > 1:
            pages = freeze_parallel(portal, staging, theme, jobs, progress)
        else:
            pages = freeze(portal, staging, theme, standalone=district)
            if progress:
                progress("freeze", 1, 1)
        seconds["freeze"] = time.perf_counter() - clock
        clock = time.perf_counter()
        if district is not None:  # the district folder becomes the site root
            inner = staging.with_name(staging.name + "-inner")
            (staging / district).rename(inner)
            shutil.rmtree(staging)
            inner.rename(staging)
            indexed = index_site(staging, [], root_glob="**/*.html", progress=progress) if search else {}
        else:
            indexed = index_site(staging, [d.slug for d in portal.districts], progress=progress) if search else {}
        seconds["index"] = time.perf_counter() - clock
        (staging / MANIFEST).write_text(stamp + "\n", "utf-8")
        publish(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BuildResult(out, pages, indexed, seconds=seconds)
