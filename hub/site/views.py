"""URL map. ``site_bp`` is "én dør inn" (all districts); ``district_bp`` one district portal.

Everything under ``/<district>/`` links only within that folder (plus its own
copy of the theme assets), so a district can be published on its own host.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache, partial
from itertools import groupby
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, g, render_template, send_from_directory, url_for
from markupsafe import Markup

from hub import i18n
from hub.content.history import git_dates
from hub.content.languages import name_in
from hub.content.model import PlanStep, ServiceMeta
from hub.content.structure import (
    District,
    DistrictText,
    Doc,
    Event,
    Listing,
    News,
    Page,
    Plan,
    Portal,
    Service,
    cross_district,
    kind_of,
)
from hub.exports import ical, opendata
from hub.site import wordlist
from hub.site.qr import qr_svg
from hub.site.state import cached, chrome_language, fragment, fragment_sum, portal, portal_fragment
from hub.site.theming import colour_css, send_theme_file
from hub.site.urls import Url, district_pages, site_pages, source_of, versions_of
from hub.theme import Theme

site_bp = Blueprint("site", __name__)
district_bp = Blueprint("district", __name__, url_prefix="/<district>")


def _by_day(listings: list[Listing]) -> list[tuple[Any, list[Listing]]]:
    return [(day, list(items)) for day, items in groupby(listings, key=lambda x: x.occ.day)]


def _first_from(listings: list[Listing], day: dt.date, count: int) -> list[Listing]:
    """The listings up to the ``count``-th on or after ``day`` (all from the week's start before it)."""
    later = [i for i, x in enumerate(listings) if x.occ.day >= day]
    return listings[:later[count - 1] + 1] if len(later) >= count else listings


def _services_az() -> list[tuple[str, list[tuple[str, list[Any]]]]]:
    """Service kinds A–Å (Norwegian collation: æ, ø, å last), grouped by first letter."""
    pt = portal()
    key = i18n.sort_key
    kinds = sorted(pt.kinds.items(), key=lambda kv: key(kv[1][0][1].meta.title))
    groups: dict[str, list[Any]] = defaultdict(list)
    for kind, offers in kinds:
        groups[offers[0][1].meta.title[0].upper()].append((kind, offers))
    return sorted(groups.items(), key=lambda kv: key(kv[0]))


@site_bp.route("/")
def index() -> str:
    pt = portal()
    week = pt.listings(first=pt.today, last=pt.today + dt.timedelta(days=6))
    return render_template("index.html", week=_by_day(week), az=_services_az())


@site_bp.route("/tjenester/")
def services() -> str:
    return render_template("services.html", az=_services_az())


@site_bp.route("/tjenester/<kind>/")
def kind(kind: str) -> str:
    pt = portal()
    offers = pt.kinds.get(kind) or abort(404)
    # From Monday, as a district's pages: made once a week, the browser hides the days that have passed.
    visits = pt.listings(service=kind)
    return render_template("kind.html", kind=kind, offers=offers, visits=_by_day(visits),
                           title=offers[0][1].meta.title)


@site_bp.route("/program/")
def programme() -> str:
    return render_template("programme.html", days=_by_day(portal().listings(first=portal().today)))


@site_bp.route("/sok/")
def search() -> str:
    pt = portal()
    return render_template("search.html", synonyms=_dumps(wordlist.synonyms(pt)),
                           filters=_dumps(_filter_values(pt.districts, district_filter=True)))


@site_bp.route("/kalender.ics")
def calendar_all() -> Response:
    """Every district's programme and deadlines: what they read of the day is the week (the events'
    stamps), so a build keeps the file while the content and the days ahead are the same."""
    pt = portal()

    def whole() -> bytes:
        about = _t("The Open House programme in every district of %(site)s.", site=pt.site.name)
        return ical.calendar(pt, pt.site.name, [*(_district_vevents(d) for d in pt.districts),
                                                *(deadlines(p) for p in pt.shared_plans)], about,
                             _abs(url_for("site.programme")))

    return _ics(portal_fragment("ics", whole, _calendar_only))


@site_bp.route("/tilgjengelighet/")
def accessibility() -> str:
    return render_template("accessibility.html")


def _hsds_json() -> str:
    """The open-data export as JSON, put together from each district's services (kept between builds)."""
    def make() -> str:
        pt = portal()
        pieces = [fragment("hsds", d.slug, partial(_services_json, pt, d), _json_list) for d in pt.districts]
        pieces.append(_services_json(pt, None).decode())
        services = ",".join(p[1:-1] for p in pieces if p != "[]")
        head = _dumps(opendata.export(pt, []))
        assert head.endswith('"services":[]}')
        return head[:-2] + services + "]}"
    text: str = cached("hsds_json", make)
    return text


def _services(pt: Portal, d: District | None) -> list[dict[str, Any]]:
    """A district's compiled services, made once per build for both the JSON and the CSV tables."""
    out: list[dict[str, Any]] = cached(("hsds_services", d.slug if d else None), lambda: opendata.services_of(pt, d))
    return out


def _services_json(pt: Portal, d: District | None) -> bytes:
    return _dumps(_services(pt, d)).encode()


def _hsds_tables() -> dict[str, str]:
    """The CSV tables, from each district's rows (kept between builds)."""
    pt = portal()

    def rows(d: District | None) -> bytes:
        return _dumps(opendata.table_rows(_services(pt, d))).encode()

    pieces = [fragment("csv", d.slug, partial(rows, d), json.loads) for d in pt.districts]
    return opendata.tables(opendata.export(pt, []), [*pieces, json.loads(rows(None))])


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@site_bp.route("/apne-data/hsds.json")
def hsds() -> Response:
    return Response(_hsds_json(), mimetype="application/json")


@site_bp.route("/apne-data/schema.json")
def hsds_schema() -> Response:
    return Response(json.dumps(opendata.SCHEMA, ensure_ascii=False, indent=1), mimetype="application/json")


@site_bp.route("/apne-data/tjenester.ttl")
def cpsv_catalogue() -> Response:
    """The service catalogue as CPSV-AP-NO (Turtle), for data.norge.no to harvest. Everything but its
    date reads nothing of the day but the week and the holidays ahead: a build keeps that whole and
    adds the date as a statement of its own."""
    pt = portal()
    file_url = _abs(url_for("site.cpsv_catalogue"))

    def whole() -> bytes:
        from hub.exports import cpsv

        def piece(d: District) -> bytes:
            return cpsv.piece(cpsv.blocks(cpsv.offers(pt, d, _page_of, file_url)))

        parts = cpsv.blocks(cpsv.head(pt, lambda kind: _abs(url_for("site.kind", kind=kind)), _page_of, file_url,
                                      dated=False))
        parts += cpsv.blocks(cpsv.offers(pt, None, _page_of, file_url))
        # Each district's offerings kept while it and the days ahead are unchanged.
        kept = [fragment("cpsv", d.slug, partial(piece, d), cpsv.read_piece) for d in pt.districts]
        return cpsv.document(parts, kept)

    # The catalogue's name and date written here, as cpsv.blocks writes them: a night never imports rdflib.
    catalogue = f"<{file_url}#katalog>"
    undated = portal_fragment("cpsv", whole, partial(_turtle_catalogue, f"\n{catalogue} a dcat:Catalog ;"))
    dated = f'\n{catalogue} dct:modified "{pt.today.isoformat()}"^^xsd:date .\n'.encode()
    return Response(undated + dated, mimetype="text/turtle")


def _turtle_catalogue(catalogue: str, data: bytes) -> bytes:
    """A kept service catalogue, refused (made again) unless it has the shape :func:`hub.exports.cpsv.document`
    gives and names this ``catalogue`` (the same trust as a district's kept statements: text, never run)."""
    if not (data.startswith(b"@prefix ") and data.endswith(b" .\n") and catalogue.encode() in data):
        raise ValueError("not this service catalogue")
    return data


@site_bp.route("/apne-data/portal.json")
def portal_manifest() -> Response:
    """The manifest a region portal reads (see :mod:`hub.exports.manifest`)."""
    from hub.exports import manifest

    pt = portal()

    def district_url(d: District) -> str:
        return _abs(url_for("district.home", district=d.slug))

    @cache  # every date of a weekly session links to its one page (4,444 dates, 1,342 pages at ×22)
    def event_url(district: str, event: str) -> str:
        return _abs(url_for("district.event", district=district, event=event))

    def event(d: District, e: Any) -> str:
        return event_url(d.slug, e.slug)

    def part(d: District) -> dict[str, Any]:  # kept between builds of the same day (hours: the next 14 days)
        def make() -> bytes:
            return manifest.part_text(manifest.district_part(pt, d, _page_of, district_url, event))

        read = partial(manifest.read_part, d=d, occurrences=len(pt.listings(d)))
        return fragment("manifest", d.slug, make, read, daily=True)

    found = manifest.build(
        pt, _abs(url_for("site.calendar_all")), _page_of,
        kind_url=lambda kind: _abs(url_for("site.kind", kind=kind)), district_url=district_url, event_url=event,
        bundles=[_abs("/pagefind/"), *(_abs(f"/{d.slug}/pagefind/") for d in pt.districts)], plan_url=plan_url,
        part=part)
    return Response(found, mimetype="application/json")


@site_bp.route("/apne-data/portal.schema.json")
def portal_manifest_schema() -> Response:
    from hub.exports import manifest

    return Response(json.dumps(manifest.schema(), ensure_ascii=False, indent=1), mimetype="application/json")


def _page_of(d: District | None, s: Any) -> str:
    """A service's own page: the district's, or the all-districts page for a municipality-wide one."""
    if d is None:
        return _abs(url_for("site.kind", kind=kind_of(s)))
    return _abs(url_for("district.service", district=d.slug, service=s.slug))


@site_bp.route("/apne-data/<table>.csv")
def hsds_table(table: str) -> Response:
    found = cached("hsds_tables", _hsds_tables).get(table) or abort(404)
    return Response(found, mimetype="text/csv")


@site_bp.route("/404.html")
def not_found_page() -> str:
    return render_template("404.html")


@site_bp.route("/sitemap.xml")
def sitemap() -> Response:
    pt = portal()
    committed = git_dates(pt.source)
    # A district's piece names its files from the content folder, whatever that folder is called.
    folder = f"{pt.source.name}/" if pt.source is not None else ""
    rows = _sitemap_rows(pt, site_pages(pt))
    piece = partial(_sitemap_piece, re.compile(re.escape(pt.absolute("/")) + r"[A-Za-z0-9\-._~%!$&'()*+,;=:@/]*"),
                    folder)
    for d in pt.districts:  # 11,720 URLs at 220 districts took 0.7 s of every edit: a piece per district
        rows += fragment("sitemap", d.slug, partial(_district_sitemap, pt, d, folder), piece)
    # A page's date is the one its file declares, else its last commit (read now: a commit may
    # change when a file changed without changing the file).
    urls = [(url, (dt.date.fromisoformat(declared) if declared else committed.get(source)) if source else None,
             alternates) for url, source, declared, alternates in rows]
    return Response(render_template("sitemap.xml", urls=urls), mimetype="application/xml")


SitemapRow = tuple[str, str | None, str | None, list[tuple[str, str]]]


def _sitemap_rows(pt: Portal, pages: Iterable[Url]) -> list[SitemapRow]:
    """Each page as (absolute URL, its content file, the date the file declares, its language versions)."""
    rows: list[SitemapRow] = []
    for ep, v in pages:
        found = source_of(pt, ep, v)
        # Every language version of the page, itself included (Google's hreflang in sitemaps).
        alternates = [(code, _abs(url_for(e, **x))) for code, (e, x) in versions_of(pt, ep, v)]
        rows.append((_abs(url_for(ep, **v)), found[0] if found else None,
                     found[1].isoformat() if found and found[1] else None, alternates))
    return rows


def _district_sitemap(pt: Portal, d: District, folder: str) -> bytes:
    rows = [(url, source.removeprefix(folder) if source else None, declared, alternates)
            for url, source, declared, alternates in _sitemap_rows(pt, district_pages(pt, d))]
    return json.dumps(rows, ensure_ascii=False).encode()


_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*")


def _sitemap_piece(url: re.Pattern[str], folder: str, data: bytes) -> list[SitemapRow]:
    """A district's sitemap rows as kept (its files named from the content ``folder``): refused
    (ValueError) unless each is of the form the build makes — URLs of the portal in the characters
    ``url_for`` writes, language tags, ISO dates — so a planted piece cannot break the file."""
    rows = json.loads(data)

    def is_url(x: object) -> bool:
        return isinstance(x, str) and url.fullmatch(x) is not None

    def is_date(x: object) -> bool:
        return x is None or (isinstance(x, str) and dt.date.fromisoformat(x).isoformat() == x)

    if not (isinstance(rows, list) and all(
            isinstance(r, list) and len(r) == 4 and is_url(r[0]) and (r[1] is None or isinstance(r[1], str))
            and is_date(r[2]) and isinstance(r[3], list)
            and all(isinstance(a, list) and len(a) == 2 and isinstance(a[0], str) and _LANGUAGE_TAG.fullmatch(a[0])
                    and is_url(a[1]) for a in r[3]) for r in rows)):
        raise ValueError("not sitemap rows")
    return [(r[0], folder + r[1] if r[1] is not None else None, r[2], [(a[0], a[1]) for a in r[3]]) for r in rows]


@site_bp.route("/robots.txt")
def robots() -> Response:
    return Response(render_template("robots.txt"), mimetype="text/plain")


# --- district portal -------------------------------------------------------

@district_bp.url_value_preprocessor
def _pull_district(endpoint: str | None, values: dict[str, Any] | None) -> None:
    slug = (values or {}).pop("district", None)
    g.district = portal().district(slug or "") or abort(404)


@district_bp.url_defaults
def _add_district(endpoint: str, values: dict[str, Any]) -> None:
    if "district" not in values and g.get("district") is not None:
        values["district"] = g.district.slug


def _d() -> District:
    d: District = g.district
    return d


@district_bp.route("/")
def home() -> str:
    return home_page(None)


def home_page(text: DistrictText | None) -> str:
    """A district's front page, or (``text``) its translation."""
    pt = portal()
    d = _d()
    by_cat: dict[str, list[Any]] = defaultdict(list)
    for s in pt.services_of(d):
        by_cat[s.meta.category].append(s)
    cats = [(c, sorted(by_cat[c.slug], key=lambda s: s.meta.title)) for c in pt.site.categories if by_cat[c.slug]]
    # From Monday (the browser hides the days that have passed): what shows from Sunday, the next
    # eight, is all there, and the page changes once a week, not every night.
    upcoming = _first_from(pt.listings(d), pt.week_start + dt.timedelta(days=6), 8)
    return render_template("district.html", categories=cats, upcoming=_by_day(upcoming), dtext=text)


def find_service(slug: str) -> Service:
    return _d().service(slug) or next((s for s in portal().shared if s.slug == slug), None) or abort(404)


@district_bp.route("/tjenester/<service>/")
def service(service: str) -> str:
    return service_page(find_service(service))


def service_page(svc: Service) -> str:
    """A service's page in its district (``svc`` may be a translation)."""
    pt = portal()
    d = _d()
    kind = kind_of(svc)
    cross = cross_district(pt, d, kind)  # the only part of a district page that reads other districts
    return render_template("service.html", service=svc, elsewhere=cross.elsewhere, more_elsewhere=cross.more_elsewhere,
                           visits=_by_day(cross.visits), more_visits=cross.more_visits, kind=kind,
                           shared=any(s.slug == svc.slug for s in pt.shared))


@district_bp.route("/program/")
def district_programme() -> str:
    return render_template("programme.html", days=_by_day(portal().listings(_d())))


@district_bp.route("/plakat/", defaults={"span": "week"})
@district_bp.route("/plakat/maned/", defaults={"span": "month"})
def poster(span: str) -> str:
    """An A4 poster for the hub's notice board: this week (or four weeks) from Monday, the hours, QR codes."""
    pt = portal()
    d = _d()
    last = pt.week_start + dt.timedelta(days=6 if span == "week" else 27)
    portal_url, calendar_url = pt.absolute(f"/{d.slug}/"), pt.absolute(f"/{d.slug}/kalender.ics")

    def codes() -> bytes:  # kept while the district is: a new week's poster has the same codes
        return _dumps([qr_svg(url, _t("QR code: %(url)s", url=url)) for url in (portal_url, calendar_url)]).encode()

    qr_portal, qr_calendar = map(Markup, fragment(f"qr-{chrome_language()}", d.slug, codes, _qr_codes, plain=True))
    return render_template("poster.html", span=span, days=_by_day(pt.listings(d, last=last)), first=pt.week_start,
                           last=last, portal_url=portal_url, calendar_url=calendar_url,
                           qr_portal=qr_portal, qr_calendar=qr_calendar)


#: A QR code as :func:`hub.site.qr.qr_svg` draws it, and nothing else: the poster shows a stored one as it is.
_QR = re.compile(r'<svg role="img" aria-label="[^"<>]*" viewBox="0 0 \d+ \d+" class="qr">'
                 r'<path fill="#fff" d="[0-9MmHhVvZz. -]+"/>'
                 r'<path class="qrline" stroke="#000" d="[0-9MmHhVvZz. -]+"/></svg>')


def _qr_codes(data: bytes) -> list[str]:
    """A poster's two QR codes as kept in the build's store; ValueError for anything else."""
    codes = json.loads(data)
    if not (isinstance(codes, list) and len(codes) == 2
            and all(isinstance(c, str) and _QR.fullmatch(c) for c in codes)):
        raise ValueError("not a poster's QR codes")
    return codes


def _json_list(data: bytes) -> str:
    """A district's services as kept for the open-data export: a JSON list, spliced in as it is."""
    if not isinstance(json.loads(data), list):
        raise ValueError("not a JSON list")
    return data.decode().strip()


def _calendar_only(data: bytes) -> bytes:
    """A kept calendar of every district, refused (made again) unless it is one whole VCALENDAR."""
    if not (data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
            and data.count(b"BEGIN:VCALENDAR") == 1):
        raise ValueError("not a calendar")
    return data


def _vevents_only(data: bytes) -> bytes:
    """A district's calendar entries as kept for the calendar of every district, spliced in as they are."""
    if data and not (data.startswith(b"BEGIN:VEVENT\r\n") and data.endswith(b"END:VEVENT\r\n")
                     and b"BEGIN:VCALENDAR" not in data and b"END:VCALENDAR" not in data):
        raise ValueError("not calendar entries")
    return data


def _png(data: bytes) -> bytes:
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValueError("not a PNG picture")
    return data


def find_event(slug: str) -> Event:
    return next((e for e in _d().events if e.slug == slug), None) or abort(404)


@district_bp.route("/program/<event>/")
def event(event: str) -> str:
    return event_page(find_event(event))


def event_page(ev: Event) -> str:
    pt = portal()
    dates = [x.occ for x in pt.listings(_d()) if x.event.slug == ev.slug]  # from Monday: see home_page
    upcoming = [o for o in dates if o.day >= pt.today]
    return render_template("event.html", event=ev, dates=dates, next=upcoming[0] if upcoming else None)


@district_bp.route("/program/<event>.ics")
def event_ics(event: str) -> Response:
    pt = portal()
    d = _d()
    ev = next((e for e in d.events if e.slug == event), None) or abort(404)
    return _ics(ical.calendar(pt, ev.meta.title, [_vevents(d, ev)], ev.meta.summary,
                              _abs(url_for("district.event", district=d.slug, event=ev.slug))))


@district_bp.route("/kalender.ics")
def district_calendar() -> Response:
    pt = portal()
    d = _d()
    about = _t("The Open House programme at %(hub)s, %(district)s.", hub=d.config.hub.name, district=d.name)
    shared = [deadlines(p) for p in pt.shared_plans if d.slug in p.meta.districts]
    return _ics(ical.calendar(pt, f"{d.name} – {pt.site.name}", [_district_vevents(d), *shared], about,
                              _abs(url_for("district.district_programme", district=d.slug))))


def find_news(slug: str) -> News:
    return next((n for n in _d().news if n.slug == slug), None) or abort(404)


@district_bp.route("/nyheter/<news>/")
def news(news: str) -> str:
    return render_template("news.html", item=find_news(news))


@district_bp.route("/nyheter/atom.xml")
def atom() -> Response:
    pt = portal()
    d = _d()
    updated = max((n.meta.date for n in d.news), default=pt.week_start)
    return Response(render_template("atom.xml", updated=updated), mimetype="application/atom+xml")


@district_bp.route("/sok/")
def district_search() -> str:
    return render_template("search.html", synonyms=_dumps(wordlist.synonyms(portal())),
                           filters=_dumps(_filter_values((g.district,), district_filter=False)))


@site_bp.route("/sok/ordliste.json")
@district_bp.route("/sok/ordliste.json")
def search_word_list(district: str | None = None) -> Response:
    """The words this search page's index holds, most frequent first (for "Mente du …?"). Made of each
    district's word counts, kept while its files are: an edit counts the words of its district alone."""
    pt = portal()
    by_slug = {d.slug: d for d in pt.districts}

    def counted(slug: str) -> bytes:
        return wordlist.counts_text(wordlist.counts(pt, by_slug[slug]))

    own: District | None = g.get("district")
    found = Counter(fragment("words", own.slug, partial(counted, own.slug), wordlist.read_counts, lasting=True)
                    ) if own is not None else fragment_sum("words", list(by_slug), counted, wordlist.checked_counts)
    return Response(_dumps(wordlist.word_list(pt, own, found)), mimetype="application/json")


@site_bp.route("/deling.png")
@district_bp.route("/deling.png")
def share_card(district: str | None = None) -> Response:
    """The picture a shared link shows (``og:image``): the district and its hub, or the municipality."""
    pt = portal()
    look: Theme = current_app.config["THEME"]
    d = g.get("district")
    if d is None:
        title, subtitle = pt.site.name, _t("Local hubs in every district: services, opening hours and the Open "
                                           "House programme.")
    else:
        title, subtitle = d.name, f"{d.config.hub.name}, {d.config.hub.address}"
    footer = pt.site.name if d is not None else urlsplit(pt.site.base_url).hostname or ""
    font = look.file("fonts/DejaVuSans.ttf") or abort(404)

    def card() -> bytes:
        from hub.exports import sharecard  # here: Pillow, 0.05 s to import, for a card that is not kept

        return sharecard.card(title, subtitle, footer, font.parent,
                              sharecard.colours(look.css_variables(), pt.site.primary_color))

    # A district's card is kept while all of the district but its texts is (drawing it takes ~20 ms, 220
    # of them a night; an edit of a service's text leaves it).
    return Response(card() if d is None else fragment("share-card", d.slug, card, _png, plain=True),
                    mimetype="image/png")


@site_bp.route("/media/<filename>")
def media(filename: str) -> Response:
    """A picture or file uploaded in the browser editor (``content/media/``, checked by the loader)."""
    pt = portal()
    if filename not in pt.media or pt.source is None:
        abort(404)
    return send_from_directory(pt.source.absolute() / "media", filename)


@site_bp.route("/favicon.ico")
@district_bp.route("/favicon.ico")
def favicon(district: str | None = None) -> Response:
    """Where browsers and feed readers look for an icon without asking the page (also on a district's own host)."""
    return send_theme_file("img/favicon.ico")


@district_bp.route("/static/<path:filename>")
def static(filename: str) -> Response:
    """The theme's assets inside each district folder, so the folder stands alone."""
    return send_theme_file(filename)


@site_bp.route("/logo.<any(svg, png):ext>")
@district_bp.route("/logo.<any(svg, png):ext>")
def logo(ext: str, district: str | None = None) -> Response:
    """The municipality's logo (``logo`` in ``site.yaml``, a file in the content folder), beside each
    district too, so a district on its own host shows it."""
    pt = portal()
    if pt.site.logo is None or pt.source is None or pt.site.logo.kind != ext:
        abort(404)
    return send_from_directory(pt.source.resolve(), pt.site.logo.file)


@site_bp.route("/farger.css")
@district_bp.route("/farger.css")
def colours(district: str | None = None) -> Response:
    """The municipality's primary colour (``primary_color`` in ``site.yaml``) over the theme's: a
    stylesheet of its own, as the pages allow no inline style (Content-Security-Policy)."""
    primary = portal().site.primary_color or abort(404)
    return Response(colour_css(primary), mimetype="text/css")


def find_page(slug: str) -> Page:
    return next((p for p in _d().pages if p.slug == slug), None) or abort(404)


@district_bp.route("/<page>/")
def page(page: str) -> str:
    return render_template("page.html", page=find_page(page))


def _abs(path: str) -> str:
    """Absolute URL for feeds and the sitemap (Python's url_for is never made relative)."""
    return portal().absolute(path)


def _vevents(d: District, e: Event) -> bytes:
    """An event's VEVENTs, made once per build and shared by its own .ics and both calendars."""
    url = _abs(url_for("district.event", district=d.slug, event=e.slug))
    out: bytes = cached(("vevents", d.slug, e.slug), lambda: ical.serialise(ical.vevents(portal(), d, e, url)))
    return out


def _district_vevents(d: District) -> bytes:
    """All of a district's VEVENTs (its programme, its plans' deadlines), kept between builds for the
    calendar of every district."""
    return fragment("ics", d.slug, lambda: b"".join(_vevents(d, e) for e in d.events)
                    + b"".join(deadlines(p) for p in d.plans), _vevents_only)


def plan_url(p: Plan, name: str | None = None) -> str:
    """A plan's page (or one of its documents, by file ``name``), as an absolute URL."""
    extra: dict[str, Any] = {"name": name} if name else {}
    if p.district is None:
        return _abs(url_for("site.shared_plan_document" if name else "site.shared_plan", plan=p.slug, **extra))
    return _abs(url_for("district.plan_document" if name else "district.plan", district=p.district, plan=p.slug,
                        **extra))


def deadline_label(step: PlanStep) -> str:
    return _t("Deadline to appeal") if step.step == "kunngjoring" else _t("Deadline for input")


def deadlines(p: Plan) -> bytes:
    """A plan's deadlines as calendar events, made once per build (district and whole-municipality feeds)."""
    out: bytes = cached(("deadlines", p.district, p.slug),
                        lambda: ical.serialise(ical.deadline_vevents(portal(), p, plan_url(p), deadline_label)))
    return out


def _filter_values(districts: tuple[District, ...], *, district_filter: bool) -> dict[str, list[str]]:
    """Each search filter's values on the pages of these districts, as the templates set them.

    The search page lists them without asking every merged bundle for its filter files: at 100
    districts that was 302 of a first query's 618 requests (docs/benchmarks.md). Kept in step
    with ``search_meta`` in the templates; a browser test compares it with Pagefind's own list.
    """
    pt = portal()
    types, categories, audiences = {_t("Page")}, set[str](), set[str]()  # every district home is a page
    spoken = set[str]()
    for d in districts:
        for s in pt.services_of(d):
            types.add(_t("Service"))
            categories.add(pt.site.category_name(s.meta.category))
            audiences.update(s.meta.audience)
            spoken.update(_spoken(s))
        for e in d.events:
            types.add(_t("Programme"))
            if e.meta.category:
                categories.add(pt.site.category_name(e.meta.category))
            audiences.update(e.meta.audience)
        if d.news:
            types.add(_t("News"))
        if d.plans:
            types.add(_t("Plan"))
    if district_filter and pt.shared_plans:
        types.add(_t("Plan"))
    found = {"type": types, "category": categories, "audience": audiences, "language": spoken}
    if district_filter:
        found["district"] = {d.name for d in districts}
    return {k: sorted(v) for k, v in found.items() if v}


def _spoken(s: Doc[Any]) -> set[str]:
    """A service's values of the search filter "language": the languages its staff speak, and "interpreter"."""
    lang = chrome_language()
    return {name_in(code, lang) for code in s.meta.languages} | ({_t("Interpreter")} if s.meta.interpreter else set())


def language_filters(pt: Portal, lang: str) -> dict[str, list[str]]:
    """The search filters' values on a language's pages (as :func:`_filter_values` for the Norwegian ones)."""
    types, categories, audiences, districts, spoken = set[str](), set[str](), set[str](), set[str](), set[str]()
    for d in pt.districts:
        found = False
        if d.translation(lang):
            types.add(_t("Page"))
            found = True
        for key, docs in (("Service", pt.services_of(d)), ("Programme", d.events), ("News", d.news),
                          ("Page", d.pages), ("Plan", d.plans)):
            for x in docs:
                t = x.translation(lang)
                if t is None:
                    continue
                found = True
                types.add(_t(key))
                audiences.update(getattr(t.meta, "audience", ()))
                category = getattr(t.meta, "category", None)
                if category:
                    categories.add(pt.site.category_name(category))
                if isinstance(t.meta, ServiceMeta):
                    spoken.update(_spoken(t))
        if found:
            districts.add(d.name)
    wanted = {"type": types, "category": categories, "audience": audiences, "district": districts, "language": spoken}
    return {k: sorted(v) for k, v in wanted.items() if v}


def _t(text: str, **values: str) -> str:
    """A UI string in the page's chrome language (the same catalog the templates use)."""
    return i18n.translations(chrome_language()).gettext(text) % values


def _ics(body: bytes) -> Response:
    return Response(body, mimetype="text/calendar")
