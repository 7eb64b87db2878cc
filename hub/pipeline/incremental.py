"""Incremental builds: what changed since the build in the output folder, and what it touches.

A district's pages read its own folder and the common inputs (``site.yaml``,
``content/services/``, ``content/planer/``, theme, code, options) — and nothing else of
other districts except the district map (hubs and names, on its home and its plans' pages) and two
sections of a service page: the other districts
that offer the same service, and its drop-in times across the hubs. Those
depend on a few facts per service kind. So the state keeps a fingerprint per
district folder, one for the common inputs, and two per service kind: of
exactly what those sections show, and of what the kind's all-districts page
shows. A change inside one district rebuilds that district, the one-door-in
pages, the all-districts service pages and the other districts' service pages
whose kind fingerprints moved; a change to anything common rebuilds everything.

"Today" is not a common input: a new day with nothing edited (the nightly build) renders the
one-door-in pages and, of the districts, only what the day changes there — the values of
:mod:`hub.site.daily`, saved per district and per event page with the state. Spans of days
on district pages start on Monday, so most nights that is a few districts or none.

The state and the parsed districts live in a cache folder beside the output
(``.knutepunkt-cache/<output name>/``), never in the published site.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pydantic_core

from hub.atomic import is_folder, link_file, plain_entries, plain_folder, read_kept, remove, remove_others, write_kept
from hub.content.names import SLUG_RE
from hub.exports import HSDS_TABLES
from hub.publish import MARKER, TRASH, discard
from hub.theme import find_theme
from hub.time.clock import today_from_env

if TYPE_CHECKING:  # kept light: a build that finds nothing changed imports no models, Flask or Jinja
    from hub.content.structure import District, Event, Portal, Service

T = TypeVar("T")

FORMAT = 7  # bump when the state or the stored districts change shape


def _tree(root: Path, skip: frozenset[str] = frozenset()) -> dict[str, str]:
    """Every file under ``root`` (relative path → SHA-256); symlinks by their target, never followed.

    ``skip`` names folders (absolute paths) to leave out; ``__pycache__`` is always left out. Listed
    with ``os.scandir`` and relative paths built as text: every build hashes the content first, and
    ``os.walk`` with a ``relpath`` per file took 0.3 s of it at 220 districts.
    """
    out: dict[str, str] = {}
    todo = [(os.fspath(root), "")]
    while todo:
        folder, rel = todo.pop()
        try:
            listing = list(os.scandir(folder))
        except OSError:  # as os.walk: a folder that cannot be listed has nothing in it
            continue
        for e in listing:
            name = rel + e.name
            if e.is_symlink():
                out[name] = "link:" + os.readlink(e.path)
            elif e.is_dir():
                if e.name != "__pycache__" and e.path not in skip:
                    todo.append((e.path, name + "/"))
            elif e.is_file():
                with open(e.path, "rb") as f:
                    out[name] = hashlib.sha256(f.read()).hexdigest()
    return out


def _digest(files: dict[str, str], extra: str = "") -> str:
    rows = [extra, *(f"{k}\0{v}" for k, v in sorted(files.items()))]
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def _shown(*parts: Any) -> str:
    """A digest of models and dataclasses as JSON, all their fields (pydantic's serialiser: ``repr()``
    of the ×20 demo's models took 0.7 s an edit)."""
    return hashlib.sha256(pydantic_core.to_json(parts, fallback=repr)).hexdigest()


#: The fields of the content that hold its text (Markdown made HTML), which the open data and the
#: all-districts service pages never show.
_TEXTS = frozenset({"body", "html"})


def without_texts(thing: Any) -> Any:
    """A district or a document as what shows none of their texts reads it: every field but
    :data:`_TEXTS`, and so of what it holds (its services, their translations). A field added to the
    content's classes counts without being named here."""
    if isinstance(thing, tuple):
        return [without_texts(x) for x in thing]
    names = _shown_fields(type(thing))
    if names is None:
        return thing
    values = [getattr(thing, name) for name in names]
    return [without_texts(v) if isinstance(v, tuple) or _shown_fields(type(v)) is not None else v for v in values]


def _shown_fields(cls: type) -> tuple[str, ...] | None:
    """A dataclass's fields but its texts, in order; None for any other class (asked of the class: a
    pydantic model answers ``is_dataclass`` of an instance through its slow ``__getattr__``)."""
    if cls not in _FIELDS:
        _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls) if f.name not in _TEXTS) \
            if dataclasses.is_dataclass(cls) else None
    return _FIELDS[cls]


_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _fields(portal: Portal, now: Inputs, kept: Any) -> dict[str, list[str]]:
    """Each district's files' fingerprint with a digest of all but its texts (:func:`without_texts`),
    taken from ``kept`` (the last build's, of the same common inputs) where the files are the same:
    written out for all 220 districts of the demo ×22 they were 0.03 s of every build."""
    found: dict[str, list[str]] = {}
    for d in portal.districts:
        fp = now.districts.get(d.slug, "")
        before = kept.get(d.slug) if isinstance(kept, dict) else None
        if fp and isinstance(before, list) and len(before) == 2 and before[0] == fp and type(before[1]) is str:
            found[d.slug] = before
        else:
            found[d.slug] = [fp, _shown(without_texts(d))]
    return found


def _by_event(listings: Iterable[Any]) -> tuple[list[Any], list[Any]]:
    """Programme occurrences as what a page shows of them: each date by its event, and each event's fields
    once (a weekly session is on the programme many times: 4,444 dates of 1,342 events on the demo ×22,
    whose fields written out for each date were 3.4 MB to digest in every build)."""
    events: dict[tuple[str, str], Any] = {}
    dates = []
    for x in listings:
        key = (x.district.slug, x.event.slug)
        if key not in events:
            events[key] = (x.district.name, x.event.meta, [(t.lang, t.meta) for t in x.event.translations])
        dates.append((*key, x.occ))
    return dates, list(events.items())


@dataclass(frozen=True)
class Inputs:
    """Fingerprints of everything a build reads."""

    code: str  # the hub package: parsed districts are only reused under the same code
    common: str  # code, theme, options, and the content outside the district folders
    districts: dict[str, str]  # district folder name → fingerprint of its files
    files: dict[str, dict[str, str]]  # district folder name → its files (relative path → SHA-256)
    day: str = ""  # the build's "today" (ISO date)
    folder: str = ""  # the content folder's name: files are named from the folder it is in

    @property
    def stamp(self) -> str:
        """One fingerprint of all inputs, the day included: the output's manifest, for "nothing changed"."""
        rows = [self.common, self.day, *(f"{k}={v}" for k, v in sorted(self.districts.items()))]
        return hashlib.sha256("\n".join(rows).encode()).hexdigest()

    def of(self, district: District, doc_path: str = "") -> str:
        """The fingerprint of one file of a district (default its ``district.yaml``), by its ``Doc.path``."""
        rel = doc_path[len(district.path) + 1:] if doc_path else "district.yaml"
        return self.files[district.slug].get(rel, "")


def inputs_for(content: Path, theme: str | Path, *, search: bool, district: str | None,
               admin: Path | None = None) -> Inputs:
    """The inputs of a build with these options, and its day (a new day is a new build, not a new everything)."""
    extra = _digest(_tree(admin)) if admin is not None and admin.is_dir() else ""
    return inputs(Path(content), find_theme(theme), options=f"{search}|{district}|{extra}",
                  day=today_from_env().isoformat())


def published(out: Path) -> str | None:
    """The stamp of the inputs the build in ``out`` was made from, if there is one."""
    try:
        return (out / MARKER).read_text("utf-8").strip()
    except OSError:
        return None


def unchanged(out: Path, now: Inputs, standalone: bool = False) -> bool:
    """Whether the build in ``out`` was made from these very inputs, and still holds each district's
    folder (one ``lstat`` each): a folder deleted, or swapped for a link, since it was published is
    made again by the next build (:func:`hub.pipeline.steps.make_plan`) rather than left missing."""
    return published(out) == now.stamp and (standalone or all(is_folder(out / slug) for slug in now.districts))


def district_folders(content: Path) -> list[Path]:
    """The folders under ``districts/`` that the loader reads as districts (it reports the rest)."""
    base = content / "districts"
    if not base.is_dir() or base.is_symlink():
        return []
    return [p for p in sorted(base.iterdir()) if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")]


#: The kinds of file the package reads at run time (modules, catalogs, the preview's script).
CODE_FILES = (".py", ".po", ".js")


def code_files() -> dict[str, str]:
    """The tool's own files a build runs on, the same set installed (wheel) or in a checkout: not
    the shipped themes (a build fingerprints its theme apart), the CI templates (installed inside
    the package, see setup.py) nor any other file no build reads."""
    package = Path(__file__).parent.parent
    found = _tree(package, frozenset({str(package / "themes"), str(package / "ci")}))
    return {rel: digest for rel, digest in found.items() if rel.endswith(CODE_FILES)}


def inputs(content: Path, theme_dir: Path, *, options: str, day: str = "") -> Inputs:
    from hub import __version__

    code = _digest(code_files(), __version__)
    folders = district_folders(content)
    files = {p.name: _tree(p) for p in folders}
    districts = {slug: _digest(f) for slug, f in files.items()}
    # Everything else: theme, options, the content outside the district folders, and the list
    # of district folders (adding or removing one is a common change).
    rest = _tree(content, frozenset(str(f) for f in folders)) if content.is_dir() else {}
    # And the languages of the translations: every page's footer lists them (hub.content.languages).
    langs = ",".join(translation_languages([*(rel for f in files.values() for rel in f), *rest]))
    common = _digest(rest, f"{code}|{options}|{','.join(districts)}|{_digest(_tree(theme_dir))}|{langs}")
    return Inputs(code, common, districts, files, day, Path(content).absolute().name)


def translation_languages(paths: Iterable[str]) -> list[str]:
    """The language codes in translation files' names (``helsestasjon.pl.md`` → ``pl``), sorted."""
    from hub.content.languages import known, split_stem

    found = set()
    for rel in paths:
        name = rel.rsplit("/", 1)[-1]
        split = split_stem(name.rsplit(".", 1)[0]) if name.endswith((".md", ".yaml")) else None
        if split is not None and known(split[1]):
            found.add(split[1])
    return sorted(found)


def translated_files(out: Path, slug: str, languages: Iterable[str]) -> list[str] | None:
    """A district's published translated pages (``pl/bragernes/…``) in these languages, as paths in
    ``out``, or None if one language's folder is missing or holds (or lies in) a link: an incremental
    build lends an unchanged district's ones to the new output, where each language's search bundle is
    made over all of them."""
    found: list[str] = []
    for code in languages:
        files = _files_at(out, f"{code}/{slug}") if folders_to(out, f"{code}/{slug}") else None
        if files is None:
            return None
        found += files
    return found


def _source(now: Inputs, district: District, doc: Service | Event) -> str:
    """A district's service or event by its name (its address: a file renamed, or copied unchanged,
    is another page) and the files it is read from: its own and ``district.yaml``."""
    return f"{district.slug}:{doc.slug}:{now.of(district)}:{now.of(district, doc.path)}"


@dataclass(frozen=True)
class Digests:
    """Per service kind, fingerprints of what pages that read across districts show (saved with the state)."""

    sections: dict[str, str]  # the kind's sections on district service pages
    kind_pages: dict[str, str]  # the kind's all-districts page
    map: str = ""  # what the district map on every district home shows of all districts
    days: dict[str, str] = field(default_factory=dict)  # district → what its pages show of the day
    events: dict[str, str] = field(default_factory=dict)  # "district/event" → its page's next date
    exports: str = ""  # what the districts' pieces of the one-door-in files read of the day
    fronts: dict[str, str] = field(default_factory=dict)  # FRONT_PAGES group → what its pages show
    texts: dict[str, str] = field(default_factory=dict)  # district → what its pages and news show of the day
    everywhere: str = ""  # what every page shows of the districts: a change makes everything again
    named: dict[str, str] = field(default_factory=dict)  # district → the titles its events name services by
    fields: dict[str, list[str]] = field(default_factory=dict)  # district → its fingerprint, all but its texts

    @classmethod
    def of(cls, portal: Portal, now: Inputs, weekly: bool = True, kept: Any = None) -> Digests:
        """``weekly``: the all-districts service pages show days from Monday (the default templates');
        with templates of the site's own they may show today, and are made every day. ``kept``: the
        last build's :attr:`fields` (:func:`_fields`)."""
        from hub.content.structure import MAX_ELSEWHERE, MAX_VISITS
        from hub.site import daily

        sections, pages = {}, {}
        week = daily.kind_facts(portal) if weekly else now.day
        for kind, offers in portal.kinds.items():
            others = [(od, s) for od, s in offers if od is not None]
            visits = portal.listings(service=kind)
            # Exactly the fields the sections show (all fields of each object: :func:`_shown`), within
            # the limits of cross_district, one offer more (a district among the first leaves its
            # place to the next), and the counts behind the "see all" links.
            # On a translated page, a link leads to the other district's translation where it has one.
            sections[kind] = _shown([(od.slug, od.name, od.config.hub, s.slug, s.meta.location,
                                      [t.lang for t in s.translations]) for od, s in others[:MAX_ELSEWHERE + 1]],
                                    [(x.district.slug, x.district.name, x.district.config.hub, x.event.slug,
                                      x.event.meta, x.occ, [(t.lang, t.meta) for t in x.event.translations])
                                     for x in visits[:MAX_VISITS]],
                                    len(others), len(visits) > MAX_VISITS)
            # The all-districts page shows nearly everything of every offer and drop-in time but their
            # texts: all their other fields stand for them, and the district's file (the dates follow
            # from the event and the week, and so do each offer's hours).
            shown = {(x.district.slug, x.event.slug): x for x in visits}
            pages[kind] = _shown(week, [(od.slug, now.of(od), without_texts(s)) if od else f"shared:{s.slug}"
                                        for od, s in offers],
                                 [(slug, now.of(x.district), without_texts(x.event)) for (slug, _), x in sorted(
                                     shown.items(), key=lambda kv: kv[0])])
        # The map links each district's front page: on a translated page, its translation where it has one.
        hubs = [repr((d.slug, d.name, d.config.hub.name, d.config.hub.coordinates, [t.lang for t in d.translations]))
                for d in portal.districts]
        days = {d.slug: daily.district_facts(portal, d) for d in portal.districts}
        events = {f"{d.slug}/{e}": fact for d in portal.districts for e, fact in daily.event_facts(portal, d).items()}
        # An event's page names its service by the title of the kind's first offer, in whichever district,
        # and the search indexes it: a new title makes the districts whose events name it again.
        titles = {kind: offers[0][1].meta.title for kind, offers in portal.kinds.items()}
        named = {d.slug: _digest({}, repr(sorted({(e.meta.service, titles.get(e.meta.service)) for e in d.events
                                                 if e.meta.service}))) for d in portal.districts}
        map_digest = _digest({}, "\n".join(hubs))
        # A text page carried over on a Monday was made by these libraries (a district made again makes it anew).
        texts = {d.slug: _digest({}, daily.text_facts(portal, d) + libraries()) for d in portal.districts}
        # Every page's menu and head link to the plans once there is one (base.html): the first plan, or
        # the last one gone, is shown on pages whose own digests name no plan.
        everywhere = _digest({}, f"plans={bool(portal.all_plans)}")
        fields = _fields(portal, now, kept)
        exports = daily.export_facts(portal)
        textless = {slug: digest for slug, (_, digest) in fields.items()}
        return cls(sections, pages, map_digest, days, events, exports,
                   front_pages(portal, now, map_digest, textless, exports), texts, everywhere, named, fields)


#: The one-door-in pages that :func:`front_pages` says what they show of (the others are made every
#: build): a group's name → its endpoints, and the files and folders of the output they make.
FRONT_PAGES: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    "index": (frozenset({"site.index"}), ("index.html",)),
    "programme": (frozenset({"site.programme"}), ("program/index.html",)),
    "services": (frozenset({"site.services"}), ("tjenester/index.html",)),
    "words": (frozenset({"site.search_word_list"}), ("sok/ordliste.json",)),
    "plans": (frozenset({"site.plans", "site.shared_plan", "site.shared_plan_calendar", "site.shared_plan_document",
                         "site.all_plans_atom", "site.plans_json", "site.plans_csv", "site.plans_schema"}),
              ("planer", "apne-data/planer.json", "apne-data/planer.csv", "apne-data/planer.schema.json")),
    # "Find your hub": the A–Å and postcode pages and the finder's data, of every district's names and hub.
    "finder": (frozenset({"find.index", "find.letter", "find.postcode", "find.data"}), ("finn",)),
    # The search page: its filters and synonyms are read from every district's texts.
    "search": (frozenset({"site.search"}), ("sok/index.html",)),
    # The open data: what a region and data.norge.no read, of every district's fields but not its texts.
    "opendata": (frozenset({"site.hsds", "site.hsds_table", "site.cpsv_catalogue", "site.portal_manifest"}),
                 ("apne-data/hsds.json", "apne-data/tjenester.ttl", "apne-data/portal.json",
                  *(f"apne-data/{table}.csv" for table in HSDS_TABLES))),
    # The files around the pages (stylesheets, scripts, icons, the share card, the schemas) and the pages
    # that show nothing of the districts, nor of the day but the notices: accessibility, "not found".
    "chrome": (frozenset({"static", "site.favicon", "site.share_card", "site.logo", "site.colours", "site.media",
                          "site.robots", "site.hsds_schema", "site.portal_manifest_schema", "site.accessibility",
                          "site.not_found_page"}),
               ("static", "favicon.ico", "deling.png", "logo.svg", "logo.png", "farger.css", "media", "robots.txt",
                "apne-data/schema.json", "apne-data/portal.schema.json", "tilgjengelighet", "404.html")),
}


def front_files(out: Path, groups: Iterable[str]) -> dict[str, list[str] | None]:
    """The files each of these :data:`FRONT_PAGES` groups made in ``out`` (relative paths), to lend to a
    new output; None for a group whose files hold a link, or lie in one: it is made again."""
    found: dict[str, list[str] | None] = {}
    for group in groups:
        listed = [_files_at(out, rel) for rel in FRONT_PAGES[group][1]]
        found[group] = None if None in listed else [f for files in listed for f in files or []]
    return found


def front_pages(portal: Portal, now: Inputs, map_digest: str, fields: dict[str, str],
                exports: str) -> dict[str, str]:
    """What the one door in's front page, programme, services A–Å, plans, finder pages, search page and
    word list show of the districts (with the default theme's templates: :func:`hub.pipeline.steps.make_plan`
    makes them every time when the content overrides a template). An edit that none of them shows —
    a service's text, a page, news — leaves them as they are, so a coordinator's edit does not make
    them again; nor does a night make the word list (it shows nothing of the day). ``fields``: each
    district's digest of all but its texts, which is what the open data read of it; ``exports``: what
    they read of the day besides (:func:`hub.site.daily.export_facts`: the public holidays ahead, as
    the installed ``holidays`` names them, and the time zone's rules)."""
    from hub.site import daily

    az = [(kind, offers[0][1].meta, [(od.slug, od.name) if od else None for od, _ in offers])
          for kind, offers in portal.kinds.items()]
    districts = [(d.slug, d.name, d.config.official_name, d.config.hub) for d in portal.districts]
    plans = [(p.district, p.slug, p.meta, p.districts, p.html, p.files, [(tr.lang, tr.meta) for tr in p.translations])
             for p in portal.all_plans]
    # A municipality-wide plan's page and calendar list its meetings, events in any district (their files).
    meetings = [(p.slug, [_source(now, d, e) for d, e in portal.meetings(p)]) for p in portal.shared_plans]
    week = portal.listings(first=portal.today, last=portal.today + dt.timedelta(days=6))
    ahead = portal.listings(first=portal.today)
    return {"services": _shown(az, daily.site_notices(portal)),  # services A–Å: no day but the notices
            # The search's word list: every text of every district, no day (compound words' parts by wordfreq).
            "words": _shown(now.common, now.districts, libraries()),
            "programme": _shown(now.day, az, districts, _by_event(ahead)),
            "index": _shown(now.day, map_digest, az, districts, plans, _by_event(week)),
            "plans": _shown(now.day, map_digest, districts, plans, meetings),
            # Today's hours on each hub's card, the names people find their district by, and the streets.
            "finder": _shown(now.day, now.common, libraries(), daily.site_notices(portal),
                             [(d.slug, d.name, d.config, d.streets) for d in portal.districts]),
            # The site's files and texts, every district's (the search page's filters and synonyms), the
            # libraries and the notices every page shows.
            "search": _shown(now.common, now.districts, libraries(), daily.site_notices(portal)),
            # The site's files alone (outside the district folders), the libraries (the share card is drawn
            # with Pillow) and the notices: an edit in a district leaves them.
            "chrome": _shown(now.common, libraries(), daily.site_notices(portal)),
            # The open data (HSDS, CPSV-AP-NO, the manifest): all but the districts' texts, of the day (the
            # hours ahead, the catalogue's date), the site's files and the libraries that write them.
            "opendata": _shown(now.day, now.common, libraries(), exports, fields)}


@dataclass(frozen=True)
class Changes:
    """What an incremental build redoes: whole districts, single pages of the others, some kind pages."""

    districts: frozenset[str]
    pages: tuple[tuple[str, dict[str, str]], ...]
    kinds: frozenset[str]  # service kinds whose all-districts page is rendered again
    fronts: frozenset[str] = frozenset(FRONT_PAGES)  # the FRONT_PAGES rendered again
    steady: frozenset[str] = frozenset()  # of ``districts``, those whose TEXT_PAGES are carried over


def _moved(now: dict[str, str], before: dict[str, str]) -> set[str]:
    return {k for k in set(now) | set(before) if now.get(k) != before.get(k)}


def changes(state: dict[str, Any] | None, now: Inputs, portal: Portal, digests: Digests) -> Changes | None:
    """The smallest correct rebuild from the previous build's state, or None for a full build."""
    from hub.content.structure import kind_of

    if not state or state.get("format") != FORMAT or state.get("common") != now.common:
        return None
    before: dict[str, str] = state.get("districts", {})
    if set(before) != set(now.districts) or state.get("everywhere") != digests.everywhere:
        return None
    days: dict[str, str] = state.get("days", {})  # a new day: the districts whose day facts moved
    named: dict[str, str] = state.get("named", {})  # a service's new title: the districts whose events name it
    changed = frozenset(slug for slug, fp in now.districts.items() if before[slug] != fp
                        or days.get(slug) != digests.days.get(slug) or named.get(slug) != digests.named.get(slug))
    moved = _moved(digests.sections, state.get("sections", {}))
    def each(key: str, d: District, doc: Any) -> Iterator[tuple[str, dict[str, str]]]:
        """A page of an unchanged district, and its translations."""
        yield f"district.{key}", {"district": d.slug, key: doc.slug}
        for t in doc.translations:
            yield f"lang.{key}", {"lang": t.lang, "district": d.slug, key: doc.slug}

    pages = tuple(page for d in portal.districts if d.slug not in changed for s in portal.services_of(d)
                  if kind_of(s) in moved for page in each("service", d, s))
    events = _moved(digests.events, state.get("events", {}))  # an event's next date passed
    pages += tuple(page for d in portal.districts if d.slug not in changed for e in d.events
                   if f"{d.slug}/{e.slug}" in events for page in each("event", d, e))
    if state.get("map") != digests.map:  # a hub renamed or moved: every district home's map shows it, and plans' maps
        pages += tuple(("district.home", {"district": d.slug}) for d in portal.districts if d.slug not in changed)
        pages += tuple(("lang.home", {"lang": t.lang, "district": d.slug}) for d in portal.districts
                       if d.slug not in changed for t in d.translations)
        pages += tuple(page for d in portal.districts if d.slug not in changed for p in d.plans
                       if p.meta.area is not None for page in each("plan", d, p))
    kinds = frozenset(_moved(digests.kind_pages, state.get("kind_pages", {})) & set(portal.kinds))
    texts: dict[str, str] = state.get("texts", {})  # made again for the day alone, their text pages as they were
    steady = frozenset(slug for slug in changed if before[slug] == now.districts[slug]
                       and slug in texts and texts[slug] == digests.texts.get(slug))
    return Changes(changed, pages, kinds, frozenset(_moved(digests.fronts, state.get("fronts", {}))), steady)


#: A district's pages that show nothing of the day but the notices in force (:func:`hub.site.daily.text_facts`).
TEXT_PAGES = frozenset({"district.page", "district.news", "lang.page", "lang.news"})


def text_files(d: District) -> list[str]:
    """The files of a district's text pages (:data:`TEXT_PAGES`), as paths in an output."""
    found: list[str] = []
    for folder, docs in (("", d.pages), ("nyheter/", d.news)):
        for doc in docs:
            found.append(f"{d.slug}/{folder}{doc.slug}/index.html")
            found += [f"{t.lang}/{d.slug}/{folder}{doc.slug}/index.html" for t in doc.translations]
    return found


def _kept(path: Path, make: Callable[[], bytes], read: Callable[[bytes], T]) -> T:
    """The piece stored at ``path``, or made now and stored (whole, then renamed), as ``read`` turns
    it into what its page uses. ``read`` raises ValueError on a stored piece that is not one this
    code makes (the cache folder may hold files nobody on this machine wrote): it is made again."""
    try:
        return read(read_kept(path))
    except (OSError, ValueError, RecursionError):  # RecursionError: JSON nested beyond the parser's depth
        pass
    data = make()
    write_kept(path, data)
    return read(data)


@functools.cache
def libraries() -> str:
    """The versions of the libraries whose output the kept pieces and pages hold as it is (the map's
    geometry, QR codes, share-card pictures, dates, templates, Markdown, compound words, the JSON
    schemas and exports, the colour sheet's mixed colours): an upgrade makes them again (a new process)."""
    from hub.installed import version

    names = ("shapely", "pyproj", "numpy", "segno", "pillow", "babel", "jinja2", "markdown", "nh3", "wordfreq",
             "pydantic", "pydantic_core", "coloraide", "rdflib", "icalendar", "pycountry")
    return ",".join(f"{name}={version(name)}" for name in names)


class Fragments:
    """Each district's pieces of the one-door-in files (calendar, open data), kept between builds.

    A piece is named by a key over the common inputs and the district's files,
    so a stored piece is always one this build would make; a ``daily`` piece (one that reads
    the day itself, such as the manifest's next 14 days of hours) also by the day. Forked
    freeze processes share the store; each file is written whole, then renamed.
    """

    def __init__(self, folder: Path, keys: dict[str, str], day: str = "", shared: str = "",
                 lasting: dict[str, str] | None = None, whole: str = "", base: str = "",
                 plain: dict[str, str] | None = None) -> None:
        self.folder, self.keys, self.day, self.shared_key = folder, keys, day, shared
        self.lasting, self.whole_key, self.base = lasting or {}, whole, base  # base: what every key is made with
        self.plain = plain or {}  # by all of a district but its texts (Digests.fields), not its files

    def path(self, name: str, slug: str, daily: bool = False, lasting: bool = False, plain: bool = False) -> Path:
        if plain:
            return self.folder / name / f"{slug}.{self.plain[slug][:24]}"
        if lasting:
            return self.folder / name / f"{slug}.{self.lasting[slug][:24]}"
        return self.folder / name / f"{slug}.{self.keys[slug][:24]}{'.' + self.day if daily else ''}"

    def get(self, name: str, slug: str, make: Callable[[], bytes], read: Callable[[bytes], T], daily: bool = False,
            lasting: bool = False, plain: bool = False) -> T:
        """A district's piece (see :func:`_kept`); a ``lasting`` one reads nothing of the day (word
        counts) and is kept while the district's files and the common inputs are (a new day does not
        make it); a ``plain`` one shows none of the district's texts either (a QR code, a share card)
        and is kept while all else of the district is (an edit of a text does not make it)."""
        return _kept(self.path(name, slug, daily, lasting, plain), make, read)

    def shared(self, name: str, make: Callable[[], bytes], read: Callable[[bytes], T]) -> T:
        """A piece of every district's pages that depends on the common inputs and the hubs alone
        (the district map: placing 220 hubs' labels took 0.3–0.9 s of each edit)."""
        return _kept(self.folder / name / f"_all.{self.shared_key[:24]}", make, read)

    def whole(self, name: str, make: Callable[[], bytes], read: Callable[[bytes], T]) -> T:
        """A piece made from every district and the common inputs, but not the day itself (the service
        catalogue: its head named every district's offerings, 0.4 s of each night at one district)."""
        return _kept(self.folder / name / f"_whole.{self.whole_key[:24]}", make, read)

    def _sum_name(self, pieces: dict[str, str]) -> str:
        every = "|".join(f"{slug}={key}" for slug, key in sorted(pieces.items()))
        return f"_sum.{hashlib.sha256(every.encode()).hexdigest()[:24]}"

    def total(self, name: str, slugs: Iterable[str], make: Callable[[str], bytes],
              check: Callable[[Any], dict[str, int]]) -> Counter[str]:
        """The sum of these districts' lasting pieces ``name`` (counts: ``make`` writes a district's,
        ``check`` refuses with ValueError what is not such), kept with the pieces it adds up. A build
        that finds the sum of an earlier build made with the same common inputs, and at most half the
        districts changed since, takes away the old pieces of those districts (each the very bytes it
        added) and adds their new ones: adding up every district's word counts took 0.5 s of an edit
        at 100 districts. Anything amiss (an old piece gone or changed, a count below zero, a kept sum
        that is not one) and the sum is made of every piece. A kept sum is trusted as a kept piece is: a
        planted one counts until the common inputs (code, theme, anything outside the district folders) change."""
        now = {slug: self.lasting[slug][:24] for slug in slugs}
        path = self.folder / name / self._sum_name(now)
        kept = _read_sum(path, check, self.base)
        if kept is not None and {slug: key for slug, (key, _) in kept[0].items()} == now:
            return kept[1]

        def piece(slug: str) -> tuple[str, dict[str, int]]:  # a district's piece now: its digest and counts
            return _kept(self.path(name, slug, lasting=True), functools.partial(make, slug),
                         lambda data: (_short(data), check(json.loads(data))))

        found: tuple[dict[str, list[str]], Counter[str]] | None = None
        for other in sorted(path.parent.glob("_sum.*")) if path.parent.is_dir() else []:
            before = _read_sum(other, check, self.base) if other != path else None
            if before is not None and 2 * sum(before[0].get(s, [""])[0] != k for s, k in now.items()) <= len(now):
                found = self._moved_on(name, before, now, piece, check)
                if found is not None:
                    break
        if found is None:
            pieces: dict[str, list[str]] = {}
            counted: Counter[str] = Counter()
            for slug, key in now.items():
                digest, counts = piece(slug)
                pieces[slug] = [key, digest]
                counted.update(counts)
            found = pieces, counted
        write_kept(path, json.dumps({"base": self.base, "pieces": found[0], "sum": found[1]}, ensure_ascii=False,
                                    separators=(",", ":")).encode())
        return found[1]

    def _moved_on(self, name: str, before: tuple[dict[str, list[str]], Counter[str]], now: dict[str, str],
                  piece: Callable[[str], tuple[str, dict[str, int]]], check: Callable[[Any], dict[str, int]],
                  ) -> tuple[dict[str, list[str]], Counter[str]] | None:
        """An earlier build's sum brought up to ``now``'s pieces, or None if an old piece is gone or not
        the bytes the sum added, or the sum falls below zero."""
        pieces, found = before
        moved = {slug: kept for slug, kept in pieces.items() if slug in now}
        for slug in sorted(set(pieces) | set(now)):
            if slug in pieces and pieces[slug][0] == now.get(slug):
                continue
            if slug in pieces:
                key, digest = pieces[slug]
                try:
                    old = read_kept(self.folder / name / f"{slug}.{key}")  # as :meth:`path` names it
                    if _short(old) != digest:
                        return None
                    found.subtract(check(json.loads(old)))
                except (OSError, ValueError, RecursionError):
                    return None
            if slug in now:
                digest, counts = piece(slug)
                moved[slug] = [now[slug], digest]
                found.update(counts)
        if any(n < 0 for n in found.values()):
            return None
        return moved, +found  # without the words counted zero times

    def prune(self) -> None:
        """Drop pieces no current district key names (and daily ones of another day)."""
        current = {f"{slug}.{key[:24]}" for slug, key in self.keys.items()}
        current |= {f"{name}.{self.day}" for name in current} | {f"_all.{self.shared_key[:24]}"}
        current |= {f"_whole.{self.whole_key[:24]}", self._sum_name({s: k[:24] for s, k in self.lasting.items()})}
        current |= {f"{slug}.{key[:24]}" for slug, key in (*self.lasting.items(), *self.plain.items())}
        for p in self.folder.glob("*/*"):
            if p.name not in current:
                remove(p)


def _read_sum(path: Path, check: Callable[[Any], dict[str, int]],
              base: str) -> tuple[dict[str, list[str]], Counter[str]] | None:
    """A kept :meth:`Fragments.total` made with ``base``: the pieces it adds up (district → key and the
    digest of the piece's bytes) and their sum, or None unless it is exactly that (its sum such as
    ``check`` takes a piece)."""
    try:
        kept = json.loads(read_kept(path))
        if not (isinstance(kept, dict) and set(kept) == {"base", "pieces", "sum"} and kept["base"] == base
                and isinstance(kept["pieces"], dict)
                and all(SLUG_RE.fullmatch(slug) and isinstance(v, list) and len(v) == 2
                        and all(isinstance(x, str) and _HEX.fullmatch(x) for x in v)
                        for slug, v in kept["pieces"].items())):
            return None
        return kept["pieces"], Counter(check(kept["sum"]))
    except (OSError, ValueError, RecursionError):
        return None


def _short(data: bytes) -> str:
    """A kept piece's bytes, named shortly (as :meth:`Fragments.total` keeps the pieces it added)."""
    return hashlib.sha256(data).hexdigest()[:24]


_HEX = re.compile(r"[0-9a-f]{24}")


def district_key(now: Inputs, slug: str) -> str:
    """What a parsed district depends on: its files and the code."""
    return hashlib.sha256(f"{FORMAT}|{now.code}|{now.districts[slug]}".encode()).hexdigest()


class ParsedDistricts:
    """Parsed districts kept between runs, a JSON file each named by :func:`district_key`: a
    district whose files and code are unchanged is read back in a few milliseconds instead of
    parsed again. The build keeps them with its state (:class:`Cache`); the preview keeps its own,
    so that ``knutepunkt serve`` starts in about a second on content it has seen before. Plain
    data, validated when read (:mod:`hub.content.stored`): a file there runs no code, and one
    that is not exactly a stored district is ignored (the folder is parsed again).

    ``now`` may be given as a function: the fingerprints are then taken on first use (the
    preview's first start, with nothing stored, does not wait for them).
    """

    def __init__(self, folder: Path, now: Inputs | Callable[[], Inputs]) -> None:
        self.folder = folder
        self._now = now

    @property
    def now(self) -> Inputs:
        if not isinstance(self._now, Inputs):
            self._now = self._now()
        return self._now

    def empty(self) -> bool:
        """Nothing stored yet (a first run)."""
        return not self.folder.is_dir() or not any(self.folder.glob("*.json"))

    def _path(self, slug: str) -> Path:
        return self.folder / f"{slug}.{district_key(self.now, slug)[:24]}.json"

    def read(self) -> dict[str, District]:
        """The stored districts that are still current."""
        from hub.content import stored

        found = {}
        for slug in self.now.districts:
            path = self._path(slug)
            try:
                data = read_kept(path)
            except OSError:
                continue
            files = [rel for rel, digest in self.now.files[slug].items() if not digest.startswith("link:")]
            district = stored.load(data, f"{self.now.folder}/districts/{slug}", files)
            if district is not None and district.slug == slug:
                found[slug] = district
            else:  # not one we stored: parsed again, and stored anew in its place
                remove(path)
        return found

    def keep(self, district: District) -> None:
        """Store a district unless it is stored already (safe from forked processes: written whole, then renamed)."""
        if district.slug not in self.now.districts:  # a folder made after the inputs were read
            return
        from hub.content import stored

        path = self._path(district.slug)
        if not path.is_file():
            write_kept(path, stored.dump(district))

    def forget(self, district: District) -> None:
        """Drop a stored district (its files changed while it was being stored)."""
        if district.slug in self.now.districts:
            remove(self._path(district.slug))

    def prune(self) -> None:
        """Drop every stored district that is not current."""
        current = {self._path(slug).name for slug in self.now.districts}
        if self.folder.is_dir():
            for p in self.folder.iterdir():
                if p.name not in current:
                    remove(p)


class Cache:
    """The previous build's state and its parsed districts, beside the output folder."""

    def __init__(self, out: Path) -> None:
        self.root = out.parent / ".knutepunkt-cache"  # shared by all outputs: the word list, the publish locks
        self.folder = self.root / out.name

    def state(self, stamp: str | None) -> dict[str, Any] | None:
        """The saved state, if it describes the build whose manifest says ``stamp``."""
        try:
            state = json.loads(read_kept(self.folder / "state.json"))
        except (OSError, ValueError):
            return None
        return state if isinstance(state, dict) and stamp is not None and state.get("stamp") == stamp else None

    @staticmethod
    def keys(now: Inputs, days: dict[str, str]) -> dict[str, str]:
        """What a district's search records depend on: its files, the common inputs and its day facts
        (:attr:`Digests.days`: its pages change with those alone)."""
        return {slug: hashlib.sha256(f"{FORMAT}|{now.common}|{fp}|{days.get(slug, now.day)}".encode()).hexdigest()
                for slug, fp in now.districts.items()}

    @functools.cached_property
    def spare(self) -> Spare:
        return Spare(self.folder / "spare", self.root / TRASH)

    def fragments(self, now: Inputs, digests: Digests) -> Fragments:
        """Districts' pieces of the one-door-in files: they depend on its files, the common inputs and
        what they read of the day (:attr:`Digests.exports`)."""
        base = f"{FORMAT}|{now.common}|{libraries()}"
        every = "|".join(f"{slug}={fp}" for slug, fp in sorted(now.districts.items()))
        facts = f"{digests.exports}|{libraries()}"  # the pieces hold the libraries' output (Turtle, iCalendar)
        return Fragments(self.folder / "fragments", self.keys(now, dict.fromkeys(now.districts, facts)),
                         now.day, hashlib.sha256(f"{base}|{digests.map}".encode()).hexdigest(),
                         {slug: hashlib.sha256(f"{base}|{fp}|lasting".encode()).hexdigest()
                          for slug, fp in now.districts.items()},
                         hashlib.sha256(f"{base}|{digests.exports}|{every}".encode()).hexdigest(),
                         hashlib.sha256(base.encode()).hexdigest()[:24],
                         {slug: hashlib.sha256(f"{base}|{shown}|plain".encode()).hexdigest()
                          for slug, (_, shown) in digests.fields.items()})

    def districts(self, now: Inputs) -> dict[str, District]:
        """Parsed districts whose folder and code are unchanged since they were stored."""
        return ParsedDistricts(self.folder / "districts", now).read()

    @property
    def _holidays(self) -> Path:
        from hub.installed import version

        return self.root / f"holidays-{hashlib.sha256(version('holidays').encode()).hexdigest()[:16]}.json"

    def holidays(self) -> dict[int, dict[dt.date, str]]:
        """The years of public holidays an earlier build had from the library (the same version), or {}
        unless the file is exactly that: years, each with its own dates and their names."""
        try:
            data = json.loads(read_kept(self._holidays))
            years = {int(y): {dt.date.fromisoformat(d): n for d, n in days.items()} for y, days in data.items()}
        except (OSError, ValueError, TypeError, AttributeError, RecursionError):
            return {}
        fits = all(day.year == y and type(n) is str for y, days in years.items() for day, n in days.items())
        return years if fits and all(str(y) in data for y in years) else {}

    def keep_holidays(self, kept: dict[int, dict[dt.date, str]], known: dict[int, dict[dt.date, str]]) -> None:
        """Keep the years this build asked the library for, with those it was given, and let the
        holidays of the library's other versions go (one more file in a CI's cache each upgrade)."""
        if known != kept:
            data = {str(y): {d.isoformat(): n for d, n in sorted(days.items())} for y, days in sorted(known.items())}
            write_kept(self._holidays, json.dumps(data, ensure_ascii=False).encode())
            remove_others(self.root, "holidays-*.json", {self._holidays.name})

    def geometry_checks(self, now: Inputs) -> dict[str, Any]:
        """The checks of areas an earlier build kept with this code and these geometry libraries
        (:func:`hub.content.geo.know` takes them as they are, or not at all), or {}."""
        try:
            data = json.loads(read_kept(self.folder / "geometry.json"))
        except (OSError, ValueError, RecursionError):
            return {}
        return data if isinstance(data, dict) and data.get("code") == _geometry_code(now) else {}

    def keep_geometry_checks(self, now: Inputs, kept: dict[str, Any], known: dict[str, Any]) -> None:
        """Keep the checks this build knew (:func:`hub.content.geo.known`) if they are news."""
        found = {**known, "code": _geometry_code(now)}
        if found != kept:
            write_kept(self.folder / "geometry.json", json.dumps(found).encode())

    def save(self, now: Inputs, digests: Digests, districts: Iterable[District]) -> None:
        """Store the new state and the districts not stored yet; drop stale entries."""
        parsed = ParsedDistricts(self.folder / "districts", now)
        for d in districts:
            parsed.keep(d)
        parsed.prune()
        self.fragments(now, digests).prune()
        state = {"format": FORMAT, "stamp": now.stamp, "common": now.common, "districts": now.districts,
                 "sections": digests.sections, "kind_pages": digests.kind_pages, "map": digests.map,
                 "day": now.day, "days": digests.days, "events": digests.events, "fronts": digests.fronts,
                 "texts": digests.texts, "everywhere": digests.everywhere, "named": digests.named,
                 "fields": digests.fields}
        write_kept(self.folder / "state.json", json.dumps(state, sort_keys=True).encode())


def _geometry_code(now: Inputs) -> str:
    from hub.installed import version

    return f"{now.code}|" + ",".join(f"{name}={version(name)}" for name in ("shapely", "pyproj", "numpy"))


def link_files(old: Path, new: Path, paths: Iterable[str]) -> None:
    """Hard-link single unchanged files (relative paths) of the old output into the new one (not over
    a file the new build made). Each folder is asked for once, the first time a file needs it: every
    page is a folder of its own (an edit at 220 districts lends 740 files: 1,765 ``mkdir`` calls, now 1,432)."""
    made = {str(new)}
    for rel in paths:
        dst = os.path.join(new, rel)
        if os.path.exists(dst):
            continue
        folder = os.path.dirname(dst)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            while folder not in made and folder != os.path.dirname(folder):
                made.add(folder)
                folder = os.path.dirname(folder)
        link_file(os.path.join(old, rel), dst)


def carry_over(old: Path, new: Path, districts: Iterable[str]) -> None:
    """Link the unchanged districts' files from the old output into the new one.

    Linked, not moved: the old output stays whole (and live) until the new one replaces it in
    one step, so a build stopped here leaves the published site as it was. Pages the new
    build re-rendered inside such a folder are kept. Each file is the old file (same inode),
    never a copy of it. Only plain files and folders are carried over: a link planted in the output
    (restored from a CI cache, say) is left behind, and a district folder that is a link is not gone into.
    """
    for slug in districts:
        src = old / slug
        if not folders_to(old, slug):
            continue
        for dirpath, dirs, files in os.walk(src):
            here = Path(dirpath)
            there = new / here.relative_to(old)
            there.mkdir(exist_ok=True)
            dirs.sort()
            for name in files:
                if stat.S_ISREG(os.lstat(here / name).st_mode) and not os.path.lexists(there / name):
                    link_file(here / name, there / name)


def mirror(src: Path, dst: Path, trash: Path, same: Collection[str] = ()) -> None:
    """Make the folder ``dst`` a copy of the folder ``src`` made of hard links, changing only what differs.

    What the spare had of a replaced folder is mostly the live site's own files (pages an incremental
    build lent from the output it replaced): those, and the folders holding them, stay. Making a
    folder costs ~0.1 ms on ext4 and an edit at 220 districts replaced ~2,600 of them whole.
    A file is kept only if it is the very file (same inode). Any other, and anything ``src`` lacks,
    is moved into ``trash`` for the sweep to delete: deleted here (linked over), a folder whose pages had
    all changed caught up twice as slowly as when moved (2,090 pages of 40 districts: 0.21 s, 0.10 s).
    Folders of ``dst`` named in ``same`` (paths) hold what ``src``'s do already: not looked into.
    """
    if str(dst) in same:
        return
    if dst.is_symlink() or not dst.is_dir():
        discard(dst, trash)
        dst.mkdir()
    with os.scandir(src) as entries:
        ours = list(entries)
    with os.scandir(dst) as entries:
        theirs = {e.name: e for e in entries}
    for name in theirs.keys() - {e.name for e in ours}:  # not part of the copy; first, so no name is linked
        discard(dst / name, trash)                       # where one of them stands (case-blind systems)
    for entry in ours:
        there = theirs.get(entry.name)
        target = dst / entry.name
        if entry.is_dir(follow_symlinks=False):
            mirror(Path(entry.path), target, trash, same)
            continue
        if there is not None:
            if not there.is_dir(follow_symlinks=False) and os.path.samestat(
                    there.stat(follow_symlinks=False), entry.stat(follow_symlinks=False)):
                continue
            discard(target, trash)
        link_file(entry.path, target)


def folders_to(base: Path, rel: str) -> bool:
    """Whether ``base/rel`` and each folder on the way to it is a folder, not a link to one."""
    return all(is_folder(base / folder) for folder in [*_parents(rel), rel])


def plain_file(base: Path, rel: str) -> bool:
    """Whether ``base/rel`` is a regular file, not a link, in folders that are not links either."""
    try:
        return stat.S_ISREG(os.lstat(base / rel).st_mode) and folders_to(base, os.path.dirname(rel))
    except OSError:
        return False


def _parents(rel: str) -> list[str]:
    """The folders a relative path lies in (``a/b/c`` → ``a``, ``a/b``)."""
    parts = rel.split("/")
    return ["/".join(parts[:n]) for n in range(1, len(parts))]


def _inodes(root: Path) -> dict[str, int] | None:
    """Every file under ``root`` by its inode and every folder by 0 (relative paths), or None if anything
    there is neither (:func:`~hub.atomic.plain_entries`)."""
    found = plain_entries(root)
    return None if found is None else {name: 0 if e.is_dir(follow_symlinks=False) else e.inode() for name, e in found}


@dataclass(frozen=True)
class Laid:
    """What an incremental build's new site replaces of the live one: whole top-level entries (the
    one-door-in pages, the changed districts, anything no longer made) and single files inside the
    carried districts (pages re-rendered there)."""

    entries: tuple[str, ...]
    files: tuple[str, ...]

    @classmethod
    def of(cls, staging: Path, live: Path, carried: Iterable[str]) -> Laid:
        keep = {*carried, MARKER}
        entries = {p.name for p in staging.iterdir()} | {p.name for p in live.iterdir()}
        files = [p.relative_to(staging).as_posix() for slug in sorted(keep - {MARKER}) for p in _files(staging / slug)]
        return cls(tuple(sorted(entries - keep)), tuple(sorted(files)))


class Spare:
    """A second copy of the live output, made of hard links (the same files: no data is copied),
    kept in the cache. An incremental build lays what it made over the spare and swaps the spare
    in, so publishing costs what changed, not the size of the site (linking and removing the
    36,000 files of 100 districts took 3–14 s on the benchmark machine). The output it replaced
    then becomes the next spare, once the same changes are linked into it. A spare that is not an
    exact copy of the live output (its marker says which build it copies) is never used.
    """

    def __init__(self, folder: Path, trash: Path) -> None:
        self.folder, self.trash = folder, trash
        self.lent: set[str] = set()  # folders moved whole into the new site (:meth:`lend_folder`)

    def copies(self, stamp: str | None) -> bool:
        """Whether the spare is a copy of the build whose marker says ``stamp``."""
        return stamp is not None and not self.folder.is_symlink() and published(self.folder) == stamp

    def holds(self, live: Path, carried: Iterable[str]) -> bool:
        """Whether what the spare gives the new site as it is may be published: the ``carried`` districts'
        folders (each a folder holding plain files and folders alone: a link planted there would be
        published, and a web server follows it) and no top-level name the ``live`` output lacks (it
        would stay); and the spare is not the live output itself. Its files are not compared with the
        live ones (a copy restored from a zip archive is other files, and works the same): like a kept
        piece of the open data, what a restored cache says is published as it is (``docs/publishing.md``).
        Listing the 219 carried districts of the demo ×22 takes about 0.06 s of an edit (0.08 s at 100)."""
        try:
            if self.folder.parent.is_symlink() or os.path.samefile(self.folder, live):
                return False
            names = {p.name for p in self.folder.iterdir()} - {p.name for p in live.iterdir()}
        except OSError:
            return False
        return not names - {MARKER} and all(plain_folder(self.folder / slug) for slug in carried)

    def lend(self, staging: Path, live: Path, paths: Iterable[str]) -> list[str]:
        """Move the spare's folders whose every file is one of ``paths`` (unchanged files of the ``live``
        output, relative) into ``staging`` where it has nothing yet; returns the paths left to link one by one.

        A folder moved is one rename where linking its pages took a ``mkdir`` per folder and a link
        per file (an edit at 220 districts lends 780 files in 1,432 folders: 0.13–0.43 s). Only a
        spare that copies the live output lends (:meth:`lend_folder` says what it checks), and from the
        first move on it copies nothing (its marker is gone): :meth:`lay_over` makes it the new site, or
        a failed build leaves it to be made again."""
        exists: dict[str, bool] = {}

        def made(rel: str) -> bool:
            if rel not in exists:
                exists[rel] = os.path.lexists(os.path.join(staging, rel))
            return exists[rel]

        top: dict[str, str | None] = {}  # each path → the topmost folder above it that staging lacks
        under: dict[str, set[str]] = {}  # such a folder → its paths, relative to it
        for rel in paths:
            top[rel] = folder = next((p for p in _parents(rel) if not made(p)), None)
            if folder is not None:
                under.setdefault(folder, set()).add(rel[len(folder) + 1:])
        moved = {folder for folder, files in sorted(under.items()) if self.lend_folder(staging, live, folder, files)}
        return [rel for rel, folder in top.items() if folder not in moved]

    def lend_folder(self, staging: Path, live: Path, rel: str, files: set[str] | None = None) -> bool:
        """Move the spare's folder ``rel`` to the same place in ``staging`` (its parent there, nothing at it
        yet) if it is the ``live`` output's folder ``rel`` as it stands: the same folders, and each file the
        very live file (the same inode, so the same bytes), holding exactly ``files`` (relative to it) if
        given. A search bundle kept as it is, say, instead of linking its thousands of files. The spare
        is in a cache someone may have restored from anywhere: a folder that differs in anything, or
        holds anything but plain files and folders, or lies below a link, is not moved (it is linked
        from the live output, as ever). Listing both costs no ``stat`` per file (the inodes come with
        the listing): 5–10 ms for the demo ×22's light bundle of 4,450 files, against 0.08–0.12 s to link it."""
        source, target, there = self.folder / rel, staging / rel, live / rel
        if os.path.lexists(target) or not target.parent.is_dir() or not (folders_to(self.folder, rel)
                                                                        and folders_to(live, rel)):
            return False
        mine, theirs = _inodes(source), _inodes(there)
        if mine is None or mine != theirs or os.stat(source).st_dev != os.stat(there).st_dev:
            return False
        if files is not None and (  # the planned files alone, and the folders they are in
                {name for name, inode in mine.items() if inode} != files
                or {name for name, inode in mine.items() if not inode} != {p for f in files for p in _parents(f)}):
            return False
        (self.folder / MARKER).unlink(missing_ok=True)  # from now on it copies nothing
        try:
            os.rename(source, target)
        except OSError:
            return False
        self.lent.add(rel)
        return True

    def lay_over(self, staging: Path, laid: Laid) -> None:
        """Make the spare the new site: the staging folder's entries and files replace its own (moved,
        never written into: its files are the live output's too). What they replace goes to ``staging``."""
        (self.folder / MARKER).unlink(missing_ok=True)  # a copy of nothing until caught up
        replaced = staging / ".replaced"
        replaced.mkdir()
        for name in laid.entries:
            if os.path.lexists(self.folder / name):
                os.rename(self.folder / name, replaced / name)
            if os.path.lexists(staging / name):
                os.rename(staging / name, self.folder / name)
        for rel in laid.files:
            (self.folder / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / rel, self.folder / rel)
        os.replace(staging / MARKER, self.folder / MARKER)

    def adopt(self, old: Path, live: Path, laid: Laid) -> None:
        """Make ``old`` (the output the build replaced) the spare, caught up with ``live``."""
        self.discard()
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        old.rename(self.folder)
        self.catch_up(live, laid)

    def catch_up(self, live: Path, laid: Laid) -> None:
        """Link into the spare (the output just replaced) what the build changed: a copy of ``live`` again.
        The folders :meth:`lend` moved are the replaced output's own, as they were: left alone (the
        demo ×22's light bundle alone is 4,450 files to compare)."""
        (self.folder / MARKER).unlink(missing_ok=True)
        same = {os.path.join(self.folder, rel) for rel in self.lent}
        for name in laid.entries:
            if (live / name).is_dir() and not (live / name).is_symlink():
                mirror(live / name, self.folder / name, self.trash, same)
                continue
            discard(self.folder / name, self.trash)
            if os.path.lexists(live / name):
                link_file(live / name, self.folder / name)
        for rel in laid.files:
            (self.folder / rel).parent.mkdir(parents=True, exist_ok=True)
            fresh = self.folder / f"{rel}.{os.getpid()}.new"
            link_file(live / rel, fresh)
            os.replace(fresh, self.folder / rel)
        (self.folder / MARKER).write_text((live / MARKER).read_text("utf-8"), "utf-8")

    def discard(self) -> None:
        discard(self.folder, self.trash)


def _files_at(out: Path, rel: str) -> list[str] | None:
    """The files at ``rel`` in ``out`` (a folder's files, or the one file), as paths relative to ``out``;
    None if anything there, or a folder on the way to it, is a link or not a plain file or folder: a
    new output is never given a link, nor a file through one (it makes such pages again instead)."""
    if folders_to(out, rel):
        found = plain_entries(out / rel)
        return None if found is None else [f"{rel}/{name}" for name, e in found if not e.is_dir(follow_symlinks=False)]
    if not os.path.lexists(out / rel):
        return []
    return [rel] if plain_file(out, rel) else None


def _files(root: Path) -> list[Path]:
    return [Path(dirpath, name) for dirpath, _dirs, files in os.walk(root) for name in files]
