"""Flask app factory: a loaded :class:`Portal` in, pages out.

The app only reads the portal. In preview (``knutepunkt serve``) the portal is
swapped for a freshly loaded one after each save, via :class:`PortalState`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import stat
import time
from html import unescape
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import flask
import jinja2
import jinja2.bccache
from babel.dates import get_day_names
from flask import Flask, current_app, g, request
from markupsafe import Markup, escape

from hub import i18n
from hub.atomic import write_kept
from hub.content import codelists, languages
from hub.content.errors import ContentError
from hub.content.model import DAYS, DOCUMENT_TYPES, Notice, OpeningHours, PlanDocument, PlanStep, TimeRange
from hub.content.structure import District, Plan, Portal, plan_order, service_hours
from hub.exports import jsonld
from hub.site import compounds, csp, districtmap, searchweight, urls
from hub.site.state import PortalState, cached, chrome_language, page_language, portal, shared_fragment, state
from hub.site.theming import send_theme_file, theme_loader
from hub.theme import Theme
from hub.time import hours as hours_rules
from hub.time import planning

CSP = csp.policy()  # hub.site.csp
OG_LOCALE = {"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB"}
BADGE_DAYS = 120  # the "open now" badge stays right this long after a build
SEARCH_DAYS = 14  # and a search result's "today" line this long (and an all-districts page's)...
SEARCH_WEEKS = 4  # ...from the Monday of a run of this many weeks: the search index moves once a run
HOURS_WEEKS = 2  # an hours table shows this week and the next, from Monday (the browser marks today)


class SharedBytecode(jinja2.BytecodeCache):
    """Compiled templates shared by every app in this process and the processes it forks.

    The freezer makes an app per unit of work, and compiling the theme took a
    third of a second each time. Buckets are keyed by the template's source, so
    an edited template (preview) is compiled again. A build also keeps them between
    runs, but only in ``folder``, which :func:`private_folder` gives: compiled code read
    back is run, so it is never read from a folder others can fill (docs/quality.md, Safety).
    """

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}
        self.folder: Path | None = None

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        name = bucket.key + bucket.checksum
        code = self.store.get(name)
        if code is None and self.folder is not None:
            try:
                code = self.store[name] = (self.folder / name).read_bytes()
            except OSError:
                return
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        name = bucket.key + bucket.checksum
        self.store[name] = code = bucket.bytecode_to_string()
        if self.folder is not None:
            write_kept(self.folder / name, code)


def private_folder(name: str) -> Path | None:
    """``name`` in this user's own cache folder (``$XDG_CACHE_HOME/knutepunkt``, else ``~/.cache/knutepunkt``),
    made if missing; None if it, or the folder above it, belongs to someone else or others may write to it.

    Never the project's ``.knutepunkt-cache/``: a pull request, or a CI cache restored from another run,
    can put files there.
    """
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "knutepunkt"
    folder = base / name
    try:
        base.mkdir(parents=True, exist_ok=True, mode=0o700)
        folder.mkdir(exist_ok=True, mode=0o700)
        for path in (base, folder):
            st = path.lstat()
            if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o022:
                return None
    except OSError:
        return None
    return folder


#: A folder of compiled templates no build has used for this long is deleted (each code version has
#: one: upgrades and other installed versions' folders would otherwise pile up in the user's cache).
STALE_DAYS = 30


def bytecode_folder(code: str) -> Path | None:
    """The private folder for this code's compiled templates, marked as used now; folders of other
    code versions (``jinja-*``) that no build has used for :data:`STALE_DAYS` are deleted."""
    folder = private_folder(f"jinja-{code[:16]}")
    if folder is None:
        return None
    now = time.time()
    with contextlib.suppress(OSError):
        os.utime(folder, (now, now))
        for other in folder.parent.glob("jinja-*"):
            st = other.lstat()
            if stat.S_ISDIR(st.st_mode) and now - st.st_mtime > STALE_DAYS * 86400:  # lstat: never a link
                shutil.rmtree(other, ignore_errors=True)
    return folder


BYTECODE = SharedBytecode()


def compile_theme(app: Flask) -> None:
    """Compile every template of the app's theme now, e.g. once before forking workers."""
    for name in app.jinja_env.list_templates():
        app.jinja_env.get_template(name)


def district_map() -> districtmap.Drawing | None:
    """The map of every district and hub that each district's front page shows: drawn once per
    build (placing a region's labels takes seconds) and kept in the build's store until a hub moves."""
    def draw() -> bytes:
        pt = portal()
        hubs = [(d.slug, c.lat, c.lon) for d in pt.districts if (c := d.config.hub.coordinates)]
        return districtmap.to_json(districtmap.draw(hubs, pt.areas))

    def read() -> districtmap.Drawing | None:
        drawing = shared_fragment("map", draw, districtmap.from_json)
        if drawing is not None:
            districtmap.remember(drawing)  # each plan's map of the whole municipality has its labels
        return drawing

    drawing: districtmap.Drawing | None = cached(("map",), read)
    return drawing


def create_app(p: Portal | None, theme: str | Path = "default", *, preview: bool = False,
               content: Path | None = None) -> Flask:
    """The portal's app; ``content`` (default: the portal's source) may hold a ``theme/`` of its own."""
    look = Theme.of(theme, content if content is not None else p.source if p is not None else None)
    app = Flask(__name__, template_folder=None, static_folder=None)
    app.jinja_loader = theme_loader(look)
    app.add_url_rule("/static/<path:filename>", "static", send_theme_file)
    app.jinja_options = {**app.jinja_options, "bytecode_cache": BYTECODE}
    app.extensions["knutepunkt"] = PortalState(p, preview=preview)
    app.config["THEME"] = look
    app.jinja_env.add_extension("jinja2.ext.i18n")
    lang = p.site.language if p else "nb"
    app.jinja_env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals.update(_helpers(), csp=CSP, url_for=url_for, flask_url_for=flask.url_for)
    app.jinja_env.filters["media_links"] = media_links

    @app.url_value_preprocessor
    def _no_district(endpoint: str | None, values: dict[str, Any] | None) -> None:
        # The freezer renders many URLs in one app context, so ``g`` outlives a request: forget
        # the previous page's district and language (their blueprints set them again for their pages).
        g.district = None
        g.lang = None

    if preview:
        @app.before_request
        def _shown_version() -> None:
            # The content version the page is made from, taken before the view reads the portal: a
            # save landing mid-request then gives an old page an old number, and it reloads. (The
            # portal is swapped before the number moves, so this never runs ahead of the content.)
            g.shown_version = state().version

    @app.context_processor
    def _context() -> dict[str, Any]:
        st = state()
        # Its reload script waits for the next version after this one.
        preview = g.get("shown_version", st.version) if st.preview else None
        if st.portal is None or st.errors:
            return {"preview": preview, "lang": lang, "district": None, "url_for": Links()}
        pt = st.portal
        links = Links()
        return {"portal": pt, "site": pt.site, "today": pt.today, "preview": preview, "district": g.get("district"),
                "url_for": links, **_languages(pt, links), "advice": _advice(pt) if st.preview else []}

    from hub.site import plan_views  # noqa: F401  (adds the plans' routes to both blueprints)
    from hub.site.finder_views import find_bp
    from hub.site.language_views import LanguageConverter, lang_bp
    from hub.site.views import district_bp, site_bp

    if preview:  # the preview's own routes are added by hub.site.preview, which wires the watcher
        app.config["TEMPLATES_AUTO_RELOAD"] = True
    app.register_blueprint(site_bp)
    app.register_blueprint(find_bp)
    app.register_blueprint(district_bp)
    app.url_map.converters["language"] = LanguageConverter
    app.register_blueprint(lang_bp)
    return app


def relative(url: str, from_path: str) -> str:
    """``/a/b/`` seen from ``/a/c/`` → ``../b/index.html``: works from disk and under any subpath."""
    path, sep, rest = url.partition("#")
    path, qsep, query = path.partition("?")
    if path.endswith("/"):
        path += "index.html"
    # Both are clean absolute paths made by Flask, so segments compare as they are (posixpath.relpath
    # normalises both first, and was a fifth of the time spent on links).
    here = from_path.split("/")[1:-1]
    there = path.split("/")[1:]
    n = 0
    while n < len(here) and n < len(there) - 1 and here[n] == there[n]:
        n += 1
    rel = "../" * (len(here) - n) + "/".join(there[n:])
    return rel + (qsep + query if qsep else "") + (sep + rest if sep else "")


#: The translated pages that sit in a district (their URL names it).
DISTRICT_TWINS = frozenset(twin for ep, (twin, _) in urls.TRANSLATABLE.items() if ep.startswith("district."))


class Links:
    """The templates' ``url_for`` for one page: relative to it in a build, absolute to the main
    portal for links that leave a district published on its own (``STANDALONE``).

    Made once per page (a page makes some forty links): what every link needs from the request
    and the app is read here once, not through Flask's context proxies at each link.
    """

    def __init__(self) -> None:
        d = g.get("district")
        self.scope = d.slug if d is not None else None
        self.lang: str | None = g.get("lang")
        self.urls = state().cache
        self.standalone = current_app.config.get("STANDALONE")
        self.relative = current_app.config.get("RELATIVE_URLS")
        self.path = request.path

    def __call__(self, endpoint: str, **values: Any) -> str:
        """On a translated page, a link to a page that has a translation in the same language goes to it."""
        if self.lang is not None and endpoint in urls.TRANSLATABLE:
            full = {"district": self.scope, **values} if endpoint.startswith("district.") else dict(values)
            key = ("translated", self.lang, endpoint, tuple(sorted(full.items())))
            found = self.urls.get(key)
            if found is None:
                found = self.urls[key] = self.lang in urls.languages_of(portal(), endpoint, full)
            if found:
                return self.plain(urls.TRANSLATABLE[endpoint][0], **full, lang=self.lang)
        return self.plain(endpoint, **values)

    def plain(self, endpoint: str, **values: Any) -> str:
        """The link to exactly this endpoint."""
        if endpoint.startswith("lang.") and "lang" not in values:
            values["lang"] = self.lang  # named, as the cached links are shared by every page of the build
        if endpoint in DISTRICT_TWINS and "district" not in values:
            values["district"] = self.scope
        scope = self.scope if endpoint.startswith("district.") and "district" not in values else None
        key = ("url", endpoint, scope, tuple(sorted(values.items())))
        url: str | None = self.urls.get(key)
        if url is None:
            url = self.urls[key] = flask.url_for(endpoint, **values)
        if url.startswith(("http:", "https:", "//")):
            return url
        if self.standalone and not url.startswith(f"/{self.standalone}/"):
            return portal().absolute(url)
        return relative(url, self.path) if self.relative else url


_MEDIA_URL = re.compile(r'(src|href)="/media/([^"/]+)"')


def media_links(html: str) -> Markup:
    """A body's sanitised HTML with its pictures and files from ``/media/`` linked like every other
    link of the page: relative (from disk, under a subpath), or to the portal for a district on its own host."""
    if '"/media/' not in html:
        return Markup(html)
    links = Links()
    return Markup(_MEDIA_URL.sub(
        lambda m: f'{m.group(1)}="{escape(links("site.media", filename=unescape(m.group(2))))}"', html))


def url_for(endpoint: str, **values: Any) -> str:
    """:class:`Links` for a template rendered without the app's context processor."""
    return Links()(endpoint, **values)


def _attrs(lang: str, within: str) -> Markup:
    """`` lang="nb"`` (and its direction) for a part whose language differs from what it stands ``within``."""
    if lang == within:
        return Markup("")
    out = f' lang="{lang}"'
    if languages.rtl(lang) != languages.rtl(within):
        out += f' dir="{languages.direction(lang)}"'
    return Markup(out)


def _advice(pt: Portal) -> list[ContentError]:
    """The preview's plain-language advice on the file the page is made from: the same as ``check`` gives."""
    from hub.content.readability import Limits, file_advice

    values = {**(request.view_args or {}), **({"district": g.district.slug} if g.get("district") else {}),
              **({"lang": g.lang} if g.get("lang") else {})}
    found = urls.source_of(pt, request.endpoint or "", values)
    if found is None or pt.source is None:
        return []
    path = found[0]
    if path.endswith("district.yaml"):  # a district's front page: its introduction
        path = path.removesuffix("district.yaml") + "index.md"
    elif path.endswith(".yaml") and g.get("lang"):
        path = path.rsplit("/", 1)[0] + f"/index.{g.lang}.md"
    doc = urls.document(pt, request.endpoint or "", values)
    lang = g.get("lang") or (getattr(doc.meta, "lang", None) if doc is not None else None) or pt.site.language
    limits = Limits(pt.site.plain_language.lix, pt.site.plain_language.sentence_words)
    return [ContentError(path, a.line, a.field, a.message) for a in file_advice(pt.source.parent / path, lang, limits)]


def _newstyle(catalog: Any) -> dict[str, Any]:
    """``gettext``/``ngettext`` for one page's chrome language, as Jinja's newstyle i18n calls them (the
    app installs the portal's; a page in another language with a catalog overrides them in its context)."""
    @jinja2.pass_context
    def gettext(ctx: jinja2.runtime.Context, text: str, **variables: Any) -> str:
        out = catalog.gettext(text)
        if ctx.eval_ctx.autoescape:
            out = Markup(out)
        return str(out % variables)

    @jinja2.pass_context
    def ngettext(ctx: jinja2.runtime.Context, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        out = catalog.ngettext(singular, plural, num)
        if ctx.eval_ctx.autoescape:
            out = Markup(out)
        return str(out % variables)

    return {"gettext": gettext, "ngettext": ngettext}


def _languages(pt: Portal, links: Links) -> dict[str, Any]:
    """What a page's templates know of its languages (WCAG 3.1.1 and 3.1.2).

    ``lang`` is the page's own language; ``chrome_lang`` that of its menus and labels (the page's if a
    catalog ships for it, else the portal's). Where the two differ, ``chrome_attrs`` marks the chrome's
    parts and ``text_attrs`` the page's own text inside them; ``site_attrs`` marks text of the portal's
    language (a category, an untranslated title) on a translated page. ``versions`` is the page in
    every language it has (the switcher, ``hreflang``); ``translations`` the language index pages.
    """
    page, chrome, site_lang = page_language(), chrome_language(), pt.site.language
    values = dict(request.view_args or {})
    if g.get("district") is not None:
        values["district"] = g.district.slug
    if g.get("lang"):
        values["lang"] = g.lang
    found = cached(("versions", request.endpoint, tuple(sorted(values.items()))),
                   lambda: urls.versions_of(pt, request.endpoint or "", values))
    def named(code: str) -> Markup:  # a language's name, in its own language and direction
        flip = f' dir="{languages.direction(code)}"' if languages.rtl(code) != languages.rtl(page) else ""
        return Markup(f' lang="{code}" hreflang="{code}"{flip}')

    versions = [{"code": code, "name": languages.own_name(code), "url": links.plain(ep, **v), "attrs": named(code),
                 "absolute": pt.absolute(flask.url_for(ep, **v)), "current": code == page} for code, (ep, v) in found]
    out: dict[str, Any] = {
        "lang": page, "chrome_lang": chrome, "page_dir": languages.direction(page),
        "chrome_attrs": _attrs(chrome, page), "text_attrs": _attrs(page, chrome) if chrome != page else Markup(""),
        "site_attrs": _attrs(site_lang, page), "versions": versions,
        "translations": [{"code": c, "name": languages.own_name(c), "url": links.plain("lang.index", lang=c),
                          "attrs": named(c), "norwegian": languages.name_in(c, site_lang)} for c in pt.languages],
    }
    if chrome != site_lang:
        out.update(_newstyle(i18n.translations(chrome)))
    return out


def _helpers() -> dict[str, Any]:
    def lang() -> str:
        return chrome_language()

    def shown(doc: Any) -> Any:
        """A content file as this page shows it: its translation in the page's language, if it has one."""
        code = g.get("lang")
        return (doc.translation(code) or doc) if code else doc

    def lang_of(doc: Any) -> Markup:
        """`` lang="nb"`` for a content file's text that is not in the page's language."""
        page = page_language()
        own = doc.lang or getattr(doc.meta, "lang", None) or portal().site.language
        return _attrs(own, page)

    def part(attrs: Markup, text: Any) -> Markup:
        """``text`` in a ``<span>`` with ``attrs`` (its language) where it differs from what it stands in."""
        value = Markup.escape(text) if not isinstance(text, Markup) else text
        return Markup(f"<span{attrs}>{value}</span>") if attrs else value

    def ltr(text: Any) -> Markup:
        """Times, phone numbers, addresses and dates kept left to right on a right-to-left page, so that
        "08.30–15.30" never comes out as "15.30–08.30" (Unicode's bidirectional algorithm)."""
        value = Markup.escape(text) if not isinstance(text, Markup) else text
        return Markup(f'<bdi dir="ltr">{value}</bdi>') if languages.rtl(page_language()) else value

    def fmt_date(day: dt.date, pattern: str = "EEEE d. MMMM") -> str:
        return i18n.fmt_date(day, lang(), pattern)

    def fmt_time(t: dt.time) -> str:
        return i18n.fmt_time(t, lang())

    def fmt_ranges(ranges: tuple[TimeRange, ...]) -> str:
        return ", ".join(f"{fmt_time(r.start)}–{fmt_time(r.end)}" for r in ranges)

    # Hours objects live as long as the portal, so their id() is a sound cache key for one build.
    def week(h: OpeningHours, count: int = 7 * HOURS_WEEKS) -> list[hours_rules.DayHours]:
        """The days from Monday of this week: a page changes once a week, not every night."""
        pt = portal()
        return cached(("week", id(h), count), lambda: hours_rules.days(h, pt.week_start, count, pt.calendar))

    def day(h: OpeningHours, on: dt.date | None = None) -> hours_rules.DayHours:
        pt = portal()
        when = on or pt.today
        return cached(("day", id(h), when), lambda: hours_rules.day_hours(h, when, pt.calendar))

    def compact_days(h: OpeningHours, start: dt.date, count: int) -> str:
        """``count`` days of ``h`` from ``start`` in ``hours.compact`` form (the script looks up the
        reader's own day), once a build."""
        pt = portal()
        return str(cached(("compact", id(h), start, count),
                          lambda: hours_rules.compact_hours(h, start, count, pt.calendar, pt.site.timezone)))

    def hours_data(h: OpeningHours) -> str:
        """The "open now" badge's days: at least the next :data:`BADGE_DAYS`, from Monday of this week
        (so a page changes once a week)."""
        return compact_days(h, portal().week_start, BADGE_DAYS + 6)

    def search_hours(h: OpeningHours) -> str:
        """A search result's days (its ``hours`` meta; an all-districts page's "today"): at least
        :data:`SEARCH_DAYS` ahead, from the Monday of a run of :data:`SEARCH_WEEKS` weeks. A week
        later the search index is then the same, and a Monday can keep every bundle whose pages
        changed only in what is not indexed (the hours tables: ``hub.pipeline.search``). The
        districts' runs start on different Mondays (:func:`search_phase`), so no Monday indexes
        every district again."""
        start = hours_rules.span_start(portal().today, SEARCH_WEEKS, search_phase(g.get("district")))
        return compact_days(h, start, 7 * SEARCH_WEEKS + SEARCH_DAYS)

    def search_phase(district: District | None) -> int:
        """The week of :data:`SEARCH_WEEKS` in which a district's pages start their run: the
        districts in turn, by their place in the portal. The one door in's pages start theirs with
        the first, and so do translated pages, whose bundle is one per language over every district's.
        With the light search too: its one bundle over every page is then indexed again on each
        Monday a district's run starts (with the fragments of unchanged records lent), but with a
        quarter of the districts, not all of them on one Monday, which at 100 districts took as long
        as a cold build (docs/search.md)."""
        pt = portal()
        if district is None or g.get("lang"):
            return 0
        return pt.position(district.slug) % SEARCH_WEEKS

    def notices(d: District | None = None) -> list[Notice]:
        pt = portal()
        found = list(pt.site.notices) + (list(d.config.notices) if d else [])
        return [n for n in found if n.active(pt.today)]

    def iso(day: dt.date, t: dt.time) -> str:
        """Wall-clock date and time in the site's zone as ISO 8601 with the offset of that day."""
        return dt.datetime.combine(day, t, ZoneInfo(portal().site.timezone)).isoformat(timespec="minutes")

    def instant(day: dt.date) -> str:
        """Start of a day in the site's zone, RFC 3339 (for Atom)."""
        return dt.datetime.combine(day, dt.time(0), ZoneInfo(portal().site.timezone)).isoformat()

    def weekday_name(key: str) -> str:
        return str(get_day_names("wide", locale=lang())[DAYS.index(key)])

    def memo(macro: Any, *args: Any) -> Any:
        """A macro's output made once a build for each set of arguments and page language: only for a
        macro whose output depends on nothing else (no links, which depend on the page they are on).
        Keyed by the macro's compiled code (a template made again is a new key) and the arguments'
        text or identity; the arguments are kept with the output, so an id is never another's."""
        code = getattr(getattr(macro, "_func", None), "__code__", macro)
        key = ("memo", code, *((type(a), a) if isinstance(a, str) else id(a) for a in args), page_language())
        found: tuple[tuple[Any, ...], Any] = cached(key, lambda: (args, macro(*args)))
        return found[1]

    def search_words(*texts: str) -> list[str]:
        return compounds.search_words(texts)

    def ld(data: Any) -> Markup:
        return jsonld.script(data)

    def plan_map(plan: Plan, detail: bool = False) -> districtmap.Drawing | None:
        """The district map with the plan's area on it (or, ``detail``, cut to the area around it)."""
        def make() -> districtmap.Drawing | None:
            pt = portal()
            if not detail:
                district_map()  # its labels are this map's: read back, not placed again
            hubs = [(d.slug, c.lat, c.lon) for d in pt.districts if (c := d.config.hub.coordinates)]
            return districtmap.draw(hubs, pt.areas, plan.meta.area, detail=detail)

        return cached(("plan-map", plan.district, plan.slug, detail), make) if plan.meta.area else None

    def document(plan: Plan, doc: PlanDocument) -> tuple[str, str | None]:
        """What a document link says about the file: its type ("PDF") and, for a file, its size ("12 kB")."""
        kind = DOCUMENT_TYPES[doc.extension][0] if doc.extension in DOCUMENT_TYPES else None
        found = plan.attachment(doc.file) if doc.file else None
        size = i18n.fmt_size(found.size, lang()) if found else None
        return kind or "", size

    def plans_of(d: District) -> list[Plan]:
        return cached(("plans-of", d.slug), lambda: portal().plans_of(d))

    def open_plans(d: District | None = None) -> list[Plan]:
        """The plans taking input today (a district's, or all), soonest deadline first."""
        pt = portal()
        found = plans_of(d) if d is not None else plan_order(list(pt.all_plans), pt.today)
        return [p for p in found if p.open_step(pt.today)]

    def deadline_of(step: PlanStep) -> planning.Deadline:
        assert step.due is not None
        return planning.deadline(step.due, portal().today)

    def page_url() -> str:
        """This page's own absolute URL under ``base_url`` (canonical, Open Graph, structured data)."""
        return portal().absolute(request.path)

    def share_image() -> str:
        """The share card of this page's district, else the municipality's (absolute, for og:image)."""
        d = g.get("district")
        path = flask.url_for("district.share_card", district=d.slug) if d else flask.url_for("site.share_card")
        return portal().absolute(path)

    return {"fmt_date": fmt_date, "fmt_time": fmt_time, "fmt_ranges": fmt_ranges, "week": week,
            "day": day, "hours_data": hours_data, "search_hours": search_hours,
            "service_hours": service_hours,
            "notices": notices, "category_name": lambda slug: portal().site.category_name(slug),
            "absolute": lambda path: portal().absolute(path), "iso": iso, "instant": instant, "ld": ld,
            "weekday_name": weekday_name, "language_name": lambda code: languages.name_in(code, lang()),
            "search_words": search_words, "memo": memo, "jsonld": jsonld, "page_url": page_url,
            "share_image": share_image, "og_locale": lambda code: OG_LOCALE.get(code) or languages.region_tag(code),
            "map_drawing": district_map, "shown": shown, "lang_of": lang_of, "ltr": ltr, "part": part,
            "plan_map": plan_map, "document": document, "plans_of": plans_of, "open_plans": open_plans,
            "deadline_of": deadline_of,
            "progress": lambda plan: planning.progress(plan.meta.steps, portal().today),
            "current_step": lambda plan: planning.current_step(plan.meta.steps, portal().today),
            "status_name": lambda code: codelists.PLANSTATUS[code], "type_name": lambda code: codelists.PLANTYPE[code],
            "law": codelists.law, "search_weight": searchweight.WEIGHTS}
