"""The build: load → freeze → index → atomic publish.

The new site is written to a staging folder beside the output and swapped in
only when complete, so a failed build leaves the published site untouched.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from flask_frozen import Freezer, MissingURLGeneratorWarning

from hub.build import incremental
from hub.build.incremental import MANIFEST
from hub.build.search import index_site, light_records
from hub.content.errors import ContentError, ContentErrors
from hub.content.loader import load
from hub.content.structure import Portal
from hub.site import compounds
from hub.site.app import BYTECODE, compile_theme, create_app, find_theme
from hub.site.urls import Url, district_urls, site_urls, static_files


@dataclass(frozen=True)
class BuildResult:
    out: Path
    pages: int
    indexed: dict[str, int]
    unchanged: bool = False
    seconds: dict[str, float] = field(default_factory=dict)  # inputs, load, plan, freeze, index, publish, cache
    rebuilt: frozenset[str] | None = None  # the districts an incremental build redid; None: all


SITE = ""  # the part name of the one-door-in pages, beside the district slugs


def urls_of(portal: Portal, statics: list[str], *, standalone: str | None = None,
            parts: frozenset[str] | None = None, kinds: frozenset[str] | None = None) -> list[Url]:
    """The URLs to render: everything, or only ``parts`` (district slugs and ``SITE``).

    With ``standalone``, only that district. ``kinds`` limits the all-districts
    service pages to those kinds (the others are carried over).
    """
    urls: list[Url] = []
    if standalone is None and (parts is None or SITE in parts):
        urls += [(ep, v) for ep, v in site_urls(portal) if kinds is None or ep != "site.kind" or v["kind"] in kinds]
        urls += [("static", {"filename": name}) for name in statics]
    for d in portal.districts:
        if standalone not in (None, d.slug) or (parts is not None and d.slug not in parts):
            continue
        urls += district_urls(portal, d)
        urls += [("district.static", {"district": d.slug, "filename": name}) for name in statics]
    return urls


def freeze(portal: Portal, dest: Path, theme: str | Path = "default", *, standalone: str | None = None,
           urls: list[Url] | None = None, fragments: incremental.Fragments | None = None) -> int:
    """Render the portal's URLs (default: all of them) into ``dest``; returns the number of files.

    With ``standalone``, only that district is rendered, and its links to the
    rest of the portal point to ``base_url``: the folder is a site of its own.
    ``fragments`` lends districts' pieces of the one-door-in files from earlier builds.
    """
    app = create_app(portal, theme)
    app.config.update(
        FREEZER_DESTINATION=str(dest), FREEZER_RELATIVE_URLS=False, RELATIVE_URLS=True, STANDALONE=standalone,
        FREEZER_REMOVE_EXTRA_FILES=False, FREEZER_IGNORE_404_NOT_FOUND=False,
        FREEZER_SKIP_EXISTING=False, FREEZER_IGNORE_MIMETYPE_WARNINGS=True, FRAGMENTS=fragments)
    freezer = Freezer(app, with_static_files=False, with_no_argument_rules=False, log_url_for=False)
    todo = urls if urls is not None else urls_of(portal, static_files(app.config["THEME_STATIC"]),
                                                 standalone=standalone)
    freezer.register_generator(lambda: iter(todo))
    with warnings.catch_warnings():  # endpoints left out on purpose (standalone, preview-only) are no error
        warnings.simplefilter("ignore", MissingURLGeneratorWarning)
        return len(freezer.freeze())


_FORKED: tuple[Portal, Path, str | Path, incremental.Fragments | None] | None = None


def _freeze_part(urls: list[Url]) -> int:
    assert _FORKED is not None
    portal, dest, theme, fragments = _FORKED
    return freeze(portal, dest, theme, urls=urls, fragments=fragments)


Progress = Callable[[str, int, int], None]  # phase, done, total

#: One-door-in pages that each take as long as a district at scale: each is a unit of work of its own.
HEAVY = ("site.hsds", "site.calendar_all", "site.programme", "site.index", "site.sitemap")


def work_units(portal: Portal, urls: list[Url], jobs: int) -> list[list[Url]]:
    """Cut the URLs into units for ``jobs`` processes, biggest first: the heavy summary pages one
    each, the open-data tables with their source, and the rest in about four groups per process,
    by district where possible so each process renders a district's pages together."""
    heavy: dict[str, list[Url]] = {ep: [] for ep in HEAVY}
    groups: dict[str, list[Url]] = {}
    for ep, v in urls:
        if ep in heavy:
            heavy[ep].append((ep, v))
        elif ep == "site.hsds_table":
            heavy["site.hsds"].append((ep, v))
        else:
            groups.setdefault(v.get("district", SITE), []).append((ep, v))
    count = max(1, min(len(groups), jobs * 4))
    bins: list[list[Url]] = [[] for _ in range(count)]
    for key in sorted(groups, key=lambda k: (-len(groups[k]), k)):  # largest first, to the least loaded
        min(bins, key=len).extend(groups[key])
    return [u for u in heavy.values() if u] + sorted((b for b in bins if b), key=len, reverse=True)


def freeze_parallel(portal: Portal, dest: Path, theme: str | Path, jobs: int, progress: Progress | None = None,
                    urls: list[Url] | None = None, fragments: incremental.Fragments | None = None) -> int:
    """Freeze in ``jobs`` forked processes; the portal is loaded once and shared copy-on-write.

    Every unit writes its own files, so the result is the same bytes as :func:`freeze`.
    """
    global _FORKED
    if urls is None:
        urls = urls_of(portal, static_files(find_theme(theme) / "static"))
    # Computed once here and shared by the forked processes: the programme index, the
    # word list for compound splitting, and the compiled theme.
    portal.listings()
    compounds.load_vocabulary()
    compile_theme(create_app(portal, theme))
    work = work_units(portal, urls, jobs)
    _FORKED = (portal, dest, theme, fragments)
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            total = 0
            for done, future in enumerate(as_completed([pool.submit(_freeze_part, w) for w in work]), start=1):
                total += future.result()
                if progress:
                    progress("freeze", done, len(work))
            return total
    finally:
        _FORKED = None


def publish(staging: Path, out: Path) -> None:
    """Swap the finished staging folder in place of ``out``."""
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
        staging.rename(out)
        shutil.rmtree(old)
    else:
        staging.rename(out)


@dataclass(frozen=True)
class Plan:
    """What one build renders, indexes and carries over: all of it, or what changed (incremental)."""

    urls: list[Url]
    standalone: str | None  # one district as the root of the output
    fragments: incremental.Fragments | None  # districts' pieces of one-door-in files kept from earlier builds
    index: list[str]  # district bundles to index (the root bundle always)
    borrowed: list[str] = field(default_factory=list)  # unchanged pages linked in from the old output
    carried: list[str] = field(default_factory=list)  # unchanged district folders moved over at publish
    rebuilt: frozenset[str] | None = None  # the districts an incremental build redoes; None: all
    light: bool = False  # the one door in's search is one light bundle over every page (site.yaml)


def make_plan(portal: Portal, theme: str | Path, todo: incremental.Changes | None, district: str | None,
              fragments: incremental.Fragments | None) -> Plan:
    statics = static_files(find_theme(theme) / "static")
    if district is not None:
        return Plan(urls_of(portal, statics, standalone=district), district, None, [])
    light = portal.site.search_index == "light"
    if todo is None:
        return Plan(urls_of(portal, statics), None, fragments, [d.slug for d in portal.districts], light=light)
    return Plan(urls_of(portal, statics, parts=todo.districts | {SITE}, kinds=todo.kinds) + list(todo.pages),
                None, fragments, index=[d.slug for d in portal.districts if d.slug in todo.districts],
                borrowed=[f"tjenester/{k}/index.html" for k in portal.kinds if k not in todo.kinds],
                carried=[d.slug for d in portal.districts if d.slug not in todo.districts],
                rebuilt=todo.districts, light=light)


def render(portal: Portal, plan: Plan, staging: Path, theme: str | Path, jobs: int,
           progress: Progress | None, admin: Path | None = None) -> int:
    """Freeze the plan's URLs into ``staging``; a standalone district becomes the folder's root.

    ``admin`` (Decap's page, see ``knutepunkt cms``) is copied to ``/admin/`` as it is.
    """
    if jobs > 1 and plan.standalone is None and len(portal.districts) > 1:
        count = freeze_parallel(portal, staging, theme, jobs, progress, plan.urls, plan.fragments)
    else:
        count = freeze(portal, staging, theme, standalone=plan.standalone, urls=plan.urls, fragments=plan.fragments)
        if progress:
            progress("freeze", 1, 1)
    if plan.standalone is not None:
        inner = staging.with_name(staging.name + "-inner")
        (staging / plan.standalone).rename(inner)
        shutil.rmtree(staging)
        inner.rename(staging)
    elif admin is not None:
        shutil.copytree(admin, staging / "admin")
    return count


def index(plan: Plan, staging: Path, out: Path, progress: Progress | None) -> dict[str, int]:
    """Pagefind bundles for the rendered districts and the root (borrowed pages count for the root)."""
    if plan.standalone is not None:
        return index_site(staging, [], root_glob="**/*.html", progress=progress)
    incremental.link_files(out, staging, plan.borrowed)
    if not plan.light:
        return index_site(staging, plan.index, progress=progress)
    records = Path(tempfile.mkdtemp(prefix=".records-", dir=staging.parent))
    try:  # every page: the ones just rendered, and those of the districts carried over unchanged
        light_records([(staging, ".")] + [(out / slug, slug) for slug in plan.carried], records)
        return index_site(staging, plan.index, progress=progress, light=records)
    finally:
        shutil.rmtree(records, ignore_errors=True)


def build(content: Path, out: Path, theme: str | Path = "default", *, search: bool = True,
          district: str | None = None, jobs: int = 1, progress: Progress | None = None,
          reuse: bool = True, inputs: incremental.Inputs | None = None, admin: Path | None = None) -> BuildResult:
    """Build the whole portal from ``content`` into ``out`` (raises ContentErrors on bad content).

    With ``district``, build only that district portal, as the root of ``out``,
    for publishing on a host of its own. ``jobs`` > 1 freezes in forked
    processes (only from a process without other threads, such as the CLI).
    If nothing the build reads has changed since the build in ``out``, nothing
    is written at all; if only some district folders changed, the plan holds only
    what they touch (see :mod:`hub.build.incremental`) and the rest is carried over.
    ``reuse=False`` rebuilds everything. ``inputs`` saves hashing them again
    when the caller already did (see :func:`hub.build.incremental.inputs_for`).
    """
    out, content = out.resolve(), Path(content)
    timer = _Timer()
    now = inputs or incremental.inputs_for(content, theme, search=search, district=district, admin=admin)
    previous = incremental.published(out)
    if reuse and previous == now.stamp:
        return BuildResult(out, 0, {}, unchanged=True)
    cache = incremental.Cache(out)
    timer.lap("inputs")
    if progress:
        progress("load", 0, 1)
    portal = load(content, jobs=jobs, reuse=cache.districts(now) if reuse else None)
    if progress:
        progress("load", 1, 1)
    if district is not None and portal.district(district) is None:
        raise ContentErrors([ContentError(str(content), 0, "", f"ukjent kommunedel {district!r}")])
    timer.lap("load")
    digests = incremental.Digests.of(portal, now)
    incremental_ok = reuse and district is None
    todo = incremental.changes(cache.state(previous), now, portal, digests) if incremental_ok else None
    plan = make_plan(portal, theme, todo, district, cache.fragments(now) if incremental_ok else None)
    timer.lap("plan")
    out.parent.mkdir(parents=True, exist_ok=True)
    compounds.load_vocabulary(cache.root)
    BYTECODE.folder = cache.root / f"jinja-{now.code[:16]}"
    staging = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    if staging.exists():
        shutil.rmtree(staging)
    try:
        count = render(portal, plan, staging, theme, jobs, progress, admin)
        timer.lap("freeze")
        indexed = index(plan, staging, out, progress) if search else {}
        timer.lap("index")
        (staging / MANIFEST).write_text(now.stamp + "\n", "utf-8")
        if plan.carried:  # the old output lends its folders: until the swap, trust neither it nor the state
            cache.forget()
            (out / MANIFEST).unlink()
            incremental.carry_over(out, staging, plan.carried)
        publish(staging, out)
        timer.lap("publish")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        BYTECODE.folder = None
    cache.save(now, digests, portal.districts)
    timer.lap("cache")
    return BuildResult(out, count, indexed, seconds=timer.seconds, rebuilt=plan.rebuilt)


class _Timer:
    """Seconds per build phase, for ``--timings`` and the benchmark."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.seconds[phase] = now - self._last
        self._last = now
