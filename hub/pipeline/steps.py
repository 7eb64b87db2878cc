"""The build: load → freeze → index → atomic publish.

The new site is written to a staging folder beside the output and swapped in
only when complete (:mod:`hub.publish`), so a failed or killed build leaves the
published site untouched, and readers see the old site or the new one, whole.
"""

from __future__ import annotations

import gc
import multiprocessing
import shutil
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import cast

from flask import Flask
from flask_frozen import Freezer, MissingURLGeneratorWarning

from hub import i18n
from hub.content import geo
from hub.content.errors import ContentError, ContentErrors, unknown_district
from hub.content.loader import load
from hub.content.source import symlinks_in
from hub.content.structure import District, Portal
from hub.pipeline import incremental
from hub.pipeline.client import FreezeClient
from hub.pipeline.search import Records, index_site, searchable
from hub.publish import MARKER, check_output, staging_folder, swap_in, tidy
from hub.site import compounds
from hub.site.app import BYTECODE, bytecode_folder, compile_theme, create_app, district_map
from hub.site.urls import Url, district_urls, site_urls, translation_urls
from hub.theme import Theme, template_names
from hub.time import hours


@dataclass(frozen=True)
class BuildResult:
    out: Path
    pages: int
    indexed: dict[str, int]  # pages per bundle this build planned (made or kept as published; "" the root's)
    unchanged: bool = False
    seconds: dict[str, float] = field(default_factory=dict)  # inputs, load, plan, freeze, index, publish, cache
    rebuilt: frozenset[str] | None = None  # the districts an incremental build redid; None: all
    searchable: int = 0  # pages the published search finds, in the bundles kept as well as those made


SITE = ""  # the part name of the one-door-in pages, beside the district slugs


def urls_of(portal: Portal, statics: list[str], *, standalone: str | None = None,
            parts: frozenset[str] | None = None, kinds: frozenset[str] | None = None,
            fronts: frozenset[str] | None = None, steady: frozenset[str] = frozenset()) -> list[Url]:
    """The URLs to render: everything, or only ``parts`` (district slugs and ``SITE``).

    With ``standalone``, only that district. ``kinds`` limits the all-districts
    service pages to those kinds, ``fronts`` the :data:`~hub.pipeline.incremental.FRONT_PAGES`
    to those (the others are carried over), and of the ``steady`` districts the text pages are left out.
    """
    urls: list[Url] = []
    if standalone is None and (parts is None or SITE in parts):
        kept = {ep for group, (eps, _) in incremental.FRONT_PAGES.items() if fronts is not None and group not in fronts
                for ep in eps}
        urls += [(ep, v) for ep, v in site_urls(portal) if (kinds is None or ep != "site.kind" or v["kind"] in kinds)
                 and ep not in kept]
        urls += [("static", {"filename": name}) for name in statics if "static" not in kept]
    for d in portal.districts:
        if standalone not in (None, d.slug) or (parts is not None and d.slug not in parts):
            continue
        # A district published alone links to its translations on the main portal (outside its folder).
        urls += [(ep, v) for ep, v in district_urls(portal, d) if (standalone is None or not ep.startswith("lang."))
                 and not (d.slug in steady and ep in incremental.TEXT_PAGES)]
        urls += [("district.static", {"district": d.slug, "filename": name}) for name in statics]
    return urls


def freezing_app(portal: Portal, dest: Path, theme: str | Path = "default", *, standalone: str | None = None,
                 fragments: incremental.Fragments | None = None) -> Flask:
    """The app configured to write into ``dest`` (see :func:`freeze`)."""
    app = create_app(portal, theme)
    app.test_client_class = FreezeClient
    # An error while a page is made reaches freeze_urls as it is (not as a bare "500" from Frozen-Flask).
    app.config["PROPAGATE_EXCEPTIONS"] = True
    app.config.update(
        FREEZER_DESTINATION=str(dest), FREEZER_RELATIVE_URLS=False, RELATIVE_URLS=True, STANDALONE=standalone,
        FREEZER_REMOVE_EXTRA_FILES=False, FREEZER_IGNORE_404_NOT_FOUND=False,
        FREEZER_SKIP_EXISTING=False, FREEZER_IGNORE_MIMETYPE_WARNINGS=True, FRAGMENTS=fragments)
    return app


def freeze_urls(app: Flask, urls: list[Url]) -> int:
    """Render ``urls`` with Frozen-Flask into the app's destination; returns the number of files."""
    freezer = Freezer(app, with_static_files=False, with_no_argument_rules=False, log_url_for=False)
    freezer.register_generator(lambda: iter(urls))
    try:
        with warnings.catch_warnings():  # endpoints left out on purpose (standalone, preview-only) are no error
            warnings.simplefilter("ignore", MissingURLGeneratorWarning)
            return len(freezer.freeze())
    except Exception as exc:
        found = app.config["THEME"].template_error(exc, app.extensions["knutepunkt"].portal.source)
        if found is None:
            raise
        raise ContentErrors([found]) from None


def freeze(portal: Portal, dest: Path, theme: str | Path = "default", *, standalone: str | None = None,
           urls: list[Url] | None = None, fragments: incremental.Fragments | None = None) -> int:
    """Render the portal's URLs (default: all of them) into ``dest``; returns the number of files.

    With ``standalone``, only that district is rendered, and its links to the
    rest of the portal point to ``base_url``: the folder is a site of its own.
    ``fragments`` lends districts' pieces of the one-door-in files from earlier builds.
    """
    app = freezing_app(portal, dest, theme, standalone=standalone, fragments=fragments)
    todo = urls if urls is not None else urls_of(portal, app.config["THEME"].static_files(), standalone=standalone)
    return freeze_urls(app, todo)


_FORKED: Flask | None = None  # the app the forked processes inherit, its templates compiled


def _freeze_part(urls: list[Url], answer: Connection) -> None:
    """In a forked process: render one unit of work, send back the file count or the error."""
    assert _FORKED is not None
    try:
        count = freeze_urls(_FORKED, urls)
        answer.send((True, (count, compounds.made_here())))  # its words' parts, kept for the next build
    except BaseException as exc:  # handed to the parent, which raises it
        answer.send((False, exc))
    finally:
        answer.close()


def _forked(work: list[list[Url]], jobs: int, progress: Progress | None) -> int:
    """Run every unit in a fresh fork, ``jobs`` at a time; the sum of their file counts.

    A fresh process per unit (not a pool's long-lived workers): what one unit built up, such as the
    open-data files' tables, goes back to the system with it. A process that dies without an
    answer (killed for memory, say) fails the build instead of hanging it.
    """
    ctx = multiprocessing.get_context("fork")
    todo, total = list(work), 0
    running: dict[Connection, BaseProcess] = {}
    while todo or running:
        while todo and len(running) < jobs:
            receive, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_freeze_part, args=(todo.pop(0), send))
            proc.start()
            send.close()
            running[receive] = proc
        for ready in wait(list(running)):  # an answer, or the end of a process that gave none
            receive = cast(Connection, ready)
            ended = running.pop(receive)
            try:
                ok, value = receive.recv()
            except EOFError:  # it died without an answer
                ok, value = False, None
            ended.join()
            receive.close()
            if not ok:
                for other in running.values():
                    other.kill()
                raise value or RuntimeError(
                    f"a build process ended without finishing its pages (exit code {ended.exitcode})")
            count, splits = value
            total += count
            compounds.add_made(splits)
            if progress:
                progress("freeze", len(work) - len(todo) - len(running), len(work))
    return total


class Answer:
    """A yes or no worked out ``beside`` the build, in a forked process, and waited for when asked
    (once); or, not beside it (one process, or a system that cannot fork), when asked. A question
    that fails, or a process that ends without answering, says no."""

    def __init__(self, question: Callable[[], bool], beside: bool = True) -> None:
        self._question = question
        self._said: bool | None = None
        self._process: BaseProcess | None = None
        if beside and "fork" in multiprocessing.get_all_start_methods():
            ctx = multiprocessing.get_context("fork")
            self._receive, send = ctx.Pipe(duplex=False)
            self._process = ctx.Process(target=_answer, args=(question, send))
            self._process.start()
            send.close()

    def __call__(self) -> bool:
        if self._said is None:
            if self._process is None:
                self._said = _asked(self._question)
            else:
                try:
                    self._said = self._receive.recv() is True
                except (EOFError, OSError):
                    self._said = False
                self._process.join()
                self._receive.close()
        return self._said


def _asked(question: Callable[[], bool]) -> bool:
    try:
        return bool(question())
    except Exception:  # noqa: BLE001 - a question that fails is answered no: the build goes the long way
        return False


def _answer(question: Callable[[], bool], send: Connection) -> None:
    send.send(_asked(question))
    send.close()


Progress = Callable[[str, int, int], None]  # phase, done, total

#: One-door-in files that each take a second or more, or 100 MB or more, at 100 districts: each is a
#: unit of work of its own, and its memory goes back to the system with its process. In the order
#: they run, the costliest first (the other one-door-in pages, a unit together, come after the first).
HEAVY = ("site.cpsv_catalogue", "site.hsds", "site.portal_manifest", "site.calendar_all", "site.search_word_list")

#: The costliest one-door-in file costs, cold, about what a sixteenth of all the districts' pages cost
#: (HSDS 1.5 s against 22 s of pages at 100 generated districts, the catalogue 1.0 s against 18 s on
#: the demo ×22): a group of districts' pages larger than that goes before the one-door-in files.
HEAVIEST_SHARE = 16


def work_units(portal: Portal, urls: list[Url], jobs: int) -> list[list[Url]]:
    """Cut the URLs into units for ``jobs`` processes, most work first: the districts' pages in about
    four groups per process (a district's pages in one group), the heavy one-door-in files one each
    (the open-data tables with their source) and the other one-door-in pages together.

    The groups, the largest first, go before the one-door-in files while a group costs more than
    the costliest of them (:data:`HEAVIEST_SHARE`): with up to four processes, and in an edit (one
    group). With two processes on the demo ×22, the groups last left one process waiting for the
    other's last group for up to 1 s of a cold build and 0.07 s of an edit (0.53–0.59 s in the
    forked processes against 0.42–0.49 s). With more processes the one-door-in files go first."""
    heavy: dict[str, list[Url]] = {ep: [] for ep in HEAVY}
    site: list[Url] = []
    groups: dict[str, list[Url]] = {}
    for ep, v in urls:
        if ep in heavy:
            heavy[ep].append((ep, v))
        elif ep == "site.hsds_table":
            heavy["site.hsds"].append((ep, v))
        elif "district" not in v:
            site.append((ep, v))
        else:
            groups.setdefault(v["district"], []).append((ep, v))
    count = max(1, min(len(groups), jobs * 4))
    bins: list[list[Url]] = [[] for _ in range(count)]
    for key in sorted(groups, key=lambda k: (-len(groups[k]), k)):  # largest first, to the least loaded
        min(bins, key=len).extend(groups[key])
    first, *others = heavy.values()
    districts = sorted((b for b in bins if b), key=len, reverse=True)
    one_door_in = [first, site, *others]
    ordered = [*districts, *one_door_in] if count <= HEAVIEST_SHARE else [*one_door_in, *districts]
    return [u for u in ordered if u]


def freeze_parallel(portal: Portal, dest: Path, theme: str | Path, jobs: int, progress: Progress | None = None,
                    urls: list[Url] | None = None, fragments: incremental.Fragments | None = None) -> int:
    """Freeze in ``jobs`` forked processes; the portal is loaded once and shared copy-on-write.

    Every unit writes its own files, so the result is the same bytes as :func:`freeze`. What the
    parent holds is frozen for the collector (:func:`gc.freeze`) until the caller unfreezes it, as
    :func:`build` does when it ends.
    """
    global _FORKED
    if urls is None:
        urls = urls_of(portal, Theme.of(theme, portal.source).static_files())
    # Computed once here and shared by the forked processes: the programme index, the kept splits of
    # compound words (the word list itself on a first build), the compiled theme, the languages'
    # catalogs and locale data, and the district map.
    portal.listings()
    if not compounds.kept_splits():  # a first build: every unit would read the word list
        compounds.load_vocabulary()
    app = freezing_app(portal, dest, theme, fragments=fragments)
    compile_theme(app)
    i18n.warm([portal.site.language, *portal.languages])
    with app.app_context():
        district_map()
    work = work_units(portal, urls, jobs)
    _FORKED = app
    # Keep the shared model shared: the workers' garbage collector would otherwise write to every
    # object's header and so copy each page of the parent into each worker. Frozen as it is, not
    # collected first: a full collection here took 0.07–0.09 s of an edit at 220 districts and found
    # about 4,000 unreachable objects, which stay until the build ends. (Not counted first to know
    # whether to unfreeze after: counting the 118,000 objects an edit at 220 districts read back took 8 ms.)
    gc.freeze()
    try:
        return _forked(work, jobs, progress)
    finally:
        _FORKED = None


def publish(staging: Path, out: Path, plan: Plan, spare: incremental.Spare, ready: bool) -> None:
    """Make the finished site in ``staging`` live at ``out`` in one step (:func:`hub.publish.swap_in`).

    The live output is never taken apart: in an incremental build the unchanged districts come
    from the spare, a hard-linked copy of the live output that what changed is laid over (only
    the first time, or after an interruption, are they linked in one file at a time); the output
    replaced then becomes the spare. ``ready``: when the build took its lock, the spare copied the
    live output and held nothing that may not be published (:meth:`~hub.pipeline.incremental.Spare.holds`;
    it may have lent folders since, :meth:`~hub.pipeline.incremental.Spare.lend`).
    A full build leaves no spare.
    """
    if not plan.carried:
        swap_in(staging, out)
        spare.discard()
        return
    laid = incremental.Laid.of(staging, out, plan.carried)
    if ready:
        spare.lay_over(staging, laid)
        swap_in(spare.folder, out)
        spare.catch_up(out, laid)
    else:
        incremental.carry_over(out, staging, plan.carried)
        swap_in(staging, out)
        spare.adopt(staging, out, laid)


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
    records: Records | None = None  # that bundle's records, kept between builds
    languages: tuple[str, ...] = ()  # the translations' languages: a bundle each (/pl/pagefind/)


def default_templates(look: Theme) -> bool:
    """Whether every page is made with the default theme's templates: what the one door in's pages
    show (of the districts, of the day) is known of those alone (:mod:`hub.pipeline.incremental`)."""
    own = look.own is not None and bool(template_names(look.own / "templates"))
    return look.base == Theme.of().base and not own


def make_plan(portal: Portal, theme: str | Path, todo: incremental.Changes | None, district: str | None,
              fragments: incremental.Fragments | None, records: Records | None = None, out: Path | None = None) -> Plan:
    """What to render, index and carry over; ``records`` keeps the light search's records (if light);
    the unchanged districts' translated pages are lent from ``out`` (the published output)."""
    look = Theme.of(theme, portal.source)
    statics = look.static_files()
    if district is not None:
        return Plan(urls_of(portal, statics, standalone=district), district, None, [])
    light = portal.light_search
    kept = records if light else None
    if todo is None:
        return Plan(urls_of(portal, statics), None, fragments, [d.slug for d in portal.districts], light=light,
                    records=kept, languages=portal.languages)
    translated = _translated(out, portal) if out is not None else {}
    if gone := frozenset(slug for slug, files in translated.items() if files is None):  # nothing there to carry
        todo = replace(todo, districts=todo.districts | gone, steady=todo.steady - gone,  # over, nor text pages
                       pages=tuple((ep, v) for ep, v in todo.pages if v.get("district") not in gone))  # to lend
    if out is not None:  # a kind's all-districts page kept as it was, unless a link was planted for it
        todo = replace(todo, kinds=todo.kinds | {k for k in portal.kinds if k not in todo.kinds
                                                 and not incremental.plain_file(out, f"tjenester/{k}/index.html")})
    # What the front pages show is known of the default theme's templates only: with other templates, make them.
    fronts = todo.fronts if default_templates(look) else None
    kept_fronts = incremental.front_files(out, set(incremental.FRONT_PAGES) - fronts) \
        if out is not None and fronts is not None else {}
    if fronts is not None:  # a group with a link planted among its files is made again
        fronts = fronts | {group for group, files in kept_fronts.items() if files is None}
    if fronts is None:  # and a page of another district made again may show, in what the search indexes, what
        # the default templates keep out of it (the other districts offering a service): its district is made again
        todo = replace(todo, districts=todo.districts | {v["district"] for _, v in todo.pages if "district" in v},
                       pages=tuple((ep, v) for ep, v in todo.pages if "district" not in v))
    carried = [d.slug for d in portal.districts if d.slug not in todo.districts]
    texts = {d.slug: incremental.text_files(d) for d in portal.districts if d.slug in todo.steady}
    steady = frozenset(slug for slug, files in texts.items() if out is not None and fronts is not None  # default
                       and all(incremental.plain_file(out, f) for f in files))  # templates, and all there to be lent
    return Plan(urls_of(portal, statics, parts=todo.districts | {SITE}, kinds=todo.kinds, fronts=fronts, steady=steady)
                + list(todo.pages),
                None, fragments, index=[d.slug for d in portal.districts if d.slug in todo.districts],
                borrowed=[f"tjenester/{k}/index.html" for k in portal.kinds if k not in todo.kinds]
                + sorted(f for files in kept_fronts.values() for f in files or [])
                + sorted(f for slug in carried for f in translated.get(slug) or [])
                + [f for slug in steady for f in texts[slug]],
                carried=carried, rebuilt=todo.districts, light=light, records=kept, languages=portal.languages)


def _translated(out: Path, portal: Portal) -> dict[str, list[str] | None]:
    """Each district's translated pages in the published output (:func:`~hub.pipeline.incremental.translated_files`),
    or None for a district whose folder there, or a translation's (``pl/bragernes``), is missing or a
    link (or in a language folder that is one), or whose translation's folder holds a link: deleted or
    planted since that output was built. An incremental build makes those again, their text pages too;
    carried over, they would be left out of the new site (a link is never followed)."""
    return {d.slug: incremental.translated_files(out, d.slug, {v["lang"] for _, v in translation_urls(portal, d)})
            if incremental.folders_to(out, d.slug) else None for d in portal.districts}


def render(portal: Portal, plan: Plan, staging: Path, out: Path, theme: str | Path, jobs: int,
           progress: Progress | None, admin: Path | None = None,
           spare: Callable[[], incremental.Spare | None] = lambda: None) -> int:
    """Freeze the plan's URLs into ``staging``; a standalone district becomes the folder's root.

    ``admin`` (Decap's page, see ``knutepunkt cms``) is copied to ``/admin/`` as it is. Unchanged
    pages an incremental build borrows from the published output are linked in here, so a build
    without search has them too; whole folders of them come from the ``spare`` (a copy of the
    published output; asked for once the pages are made), if there is one, in one move each.
    """
    if jobs > 1 and plan.standalone is None:
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
    else:
        lender = spare()
        incremental.link_files(out, staging, lender.lend(staging, out, plan.borrowed) if lender else plan.borrowed)
        if admin is not None:
            shutil.copytree(admin, staging / "admin")
    return count


def index(plan: Plan, staging: Path, out: Path, progress: Progress | None, keep: bool = True,
          spare: incremental.Spare | None = None) -> dict[str, int]:
    """Pagefind bundles for the rendered districts and the root (borrowed pages count for the root);
    ``keep``: a published bundle whose pages are all unchanged stands (not with ``--full``), moved
    in from the ``spare`` (a copy of the published output) if there is one."""
    lend = (lambda at: spare.lend_folder(staging, out, at.relative_to(staging).as_posix())) if spare else None
    if plan.standalone is not None:
        return index_site(staging, [], root_glob="**/*.html", progress=progress)
    if not plan.light:
        return index_site(staging, plan.index, progress=progress, languages=plan.languages,
                          published=out if out.is_dir() else None, keep=keep, lend=lend)
    records = plan.records
    assert records is not None
    return index_site(staging, plan.index, progress=progress, published=out if out.is_dir() else None,
                      light=lambda: records.update(staging, out, plan.carried), languages=plan.languages,
                      records=records, keep=keep, lend=lend)


def build(content: Path, out: Path, theme: str | Path = "default", *, search: bool = True,
          district: str | None = None, jobs: int = 1, progress: Progress | None = None,
          reuse: bool = True, inputs: incremental.Inputs | None = None, admin: Path | None = None) -> BuildResult:
    """Build the whole portal from ``content`` into ``out`` (raises ContentErrors on bad content).

    With ``district``, build only that district portal, as the root of ``out``,
    for publishing on a host of its own. ``jobs`` > 1 freezes in forked
    processes (only from a process without other threads, such as the CLI).
    If nothing the build reads has changed since the build in ``out``, and ``out`` still has every
    district's folder, nothing is written at all; if only some district folders changed, the plan holds only
    what they touch (see :mod:`hub.pipeline.incremental`) and the rest is carried over.
    ``reuse=False`` rebuilds everything. ``inputs`` saves hashing them again
    when the caller already did (see :func:`hub.pipeline.incremental.inputs_for`).
    """
    out, content = out.resolve(), Path(content)
    check_output(out, {"innholdsmappen": content, "admin-mappen": admin, "temamappen": Theme.of(theme).base})
    timer = _Timer()
    now = inputs or incremental.inputs_for(content, theme, search=search, district=district, admin=admin)
    previous = incremental.published(out)
    cache = incremental.Cache(out)
    if reuse and incremental.unchanged(out, now, standalone=district is not None):
        tidy(out, cache.root)
        return BuildResult(out, 0, {}, unchanged=True)
    hours.know_holidays(holidays := cache.holidays())
    geo.know(geometry := cache.geometry_checks(now) if reuse else {})
    timer.lap("inputs")
    if progress:
        progress("load", 0, 1)
    if admin is not None and (links := symlinks_in(admin)):  # published as they are: nothing from elsewhere
        raise ContentErrors([ContentError(str(p), 0, "", "symbolske lenker er ikke tillatt i admin-mappen")
                             for p in links])
    held = gc.get_freeze_count()  # what a caller froze stays frozen
    kept = _read_back(cache, now) if reuse else None
    try:
        portal = load(content, jobs=jobs, reuse=kept, theme=theme)
        if progress:
            progress("load", 1, 1)
        if district is not None and portal.district(district) is None:
            raise ContentErrors([ContentError(str(content), 0, "--district",
                                              unknown_district(district, [d.slug for d in portal.districts]))])
        timer.lap("load")
        incremental_ok = reuse and district is None
        state = cache.state(previous) if incremental_ok else None
        digests = incremental.Digests.of(portal, now, weekly=default_templates(Theme.of(theme, portal.source)),
                                         kept=state.get("fields") if state and state.get("common") == now.common
                                         else None)
        todo = incremental.changes(state, now, portal, digests) if incremental_ok else None
        plan = make_plan(portal, theme, todo, district, cache.fragments(now, digests) if incremental_ok else None,
                         Records(cache.folder / "records", cache.keys(now, digests.days), portal.languages), out)
        timer.lap("plan")
        compounds.keep_in(cache.root, now.code, read=reuse)
        BYTECODE.folder = bytecode_folder(now.code)  # compiled templates kept between builds
        try:
            with staging_folder(out, cache.root) as staging:
                # Under the lock: a build that ended meanwhile may have taken folders from the spare. Whether it
                # holds only what may be published is asked beside the pages being made (0.06-0.08 s at 220
                # districts), and the answer waited for once they are.
                spare_ready: Callable[[], bool] = lambda: False  # noqa: E731 - replaced by an Answer if it may
                if plan.carried and cache.spare.copies(previous):
                    spare_ready = Answer(lambda: cache.spare.holds(out, plan.carried), beside=jobs > 1)

                def lender() -> incremental.Spare | None:  # the spare lends unchanged folders, and becomes the site
                    return cache.spare if spare_ready() else None

                try:
                    count = render(portal, plan, staging, out, theme, jobs, progress, admin, lender)
                finally:
                    ready = spare_ready()  # waited for even when the pages failed: no process is left behind
                timer.lap("freeze")
                # Bundles stand only when this code made them: a full plan may follow an upgrade of Knutepunkt.
                indexed = index(plan, staging, out, progress, keep=plan.rebuilt is not None,
                                spare=lender()) if search else {}
                timer.lap("index")
                (staging / MARKER).write_text(now.stamp + "\n", "utf-8")
                publish(staging, out, plan, cache.spare, ready)
        finally:
            BYTECODE.folder = None
        timer.lap("publish")
        # The light bundle at the root holds every district's pages too; the others hold their folder's.
        folders = [] if plan.light or plan.standalone is not None else [d.slug for d in portal.districts]
        found = searchable(out, [*folders, *plan.languages]) if search else 0
        cache.save(now, digests, portal.districts)
        cache.keep_holidays(holidays, hours.known_holidays())
        cache.keep_geometry_checks(now, geometry, geo.known(portal.areas.values(), [
            *(p.meta.area for p in portal.all_plans if p.meta.area),
            *(geo.point(c.lat, c.lon) for d in portal.districts if (c := d.config.hub.coordinates))]))
        compounds.keep_splits()
        timer.lap("cache")
        return BuildResult(out, count, indexed, seconds=timer.seconds, rebuilt=plan.rebuilt, searchable=found)
    finally:
        if not held:
            gc.unfreeze()  # what was read back (and frozen for the forked processes) is the collector's again


def _read_back(cache: incremental.Cache, now: incremental.Inputs) -> dict[str, District]:
    """The districts earlier builds parsed, read back from the cache and frozen (:func:`gc.freeze`)
    as they are: they live as long as the build and hold no garbage, yet the collector's passes
    over them took about 0.1 s of an edit at 220 districts (load 0.38–0.46 s, now 0.30 s). Frozen,
    the collector leaves them alone, in this process and in every one it forks. The build unfreezes them,
    unless its caller had frozen something (the command line freezes its modules: it ends with the build)."""
    was = gc.isenabled()
    gc.disable()
    kept: dict[str, District] = {}
    try:
        kept = cache.districts(now)
        return kept
    finally:
        if kept:
            gc.freeze()
        if was:
            gc.enable()


class _Timer:
    """Seconds per build phase, for ``--timings`` and the benchmark."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.seconds[phase] = now - self._last
        self._last = now
