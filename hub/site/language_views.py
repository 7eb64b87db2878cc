"""Pages in the languages residents read, under their language's prefix: ``/pl/`` lists what exists in
Polish across the districts, ``/pl/bragernes/tjenester/helsestasjon/`` is the health station's page in
Polish (its translation's text over the source's hours, places and contacts), ``/pl/sok/`` searches
the Polish pages and offers the Norwegian results too.

Only what has a translation is made: a page without one is not generated in that language (no
machine-made copies), and links from a translated page go to the Norwegian page where there is none.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, render_template
from werkzeug.routing import BaseConverter, ValidationError

from hub import i18n
from hub.content.languages import name_in
from hub.content.structure import District, Doc, Portal
from hub.site import plan_views
from hub.site.state import portal
from hub.site.views import (
    _d,
    _dumps,
    event_page,
    find_event,
    find_news,
    find_page,
    find_service,
    home_page,
    language_filters,
    service_page,
)


class LanguageConverter(BaseConverter):
    """A language the portal has translations in: ``/pl/`` is Polish, while ``/bragernes/`` stays a district
    (a lighter weight than a plain segment's, so these rules are tried first, and give way when the
    segment is no such language)."""

    regex = "[a-z]{2,3}"
    weight = 50

    def to_python(self, value: str) -> str:
        from hub.site.state import state

        pt = state().portal
        if pt is None or value not in pt.languages:
            raise ValidationError()
        return value


lang_bp = Blueprint("lang", __name__, url_prefix="/<language:lang>")


@lang_bp.url_value_preprocessor
def _pull(endpoint: str | None, values: dict[str, Any] | None) -> None:
    values = values if values is not None else {}
    g.lang = values.pop("lang", None)
    slug = values.pop("district", None)
    if slug is not None:
        g.district = portal().district(slug) or abort(404)


@lang_bp.url_defaults
def _add(endpoint: str, values: dict[str, Any]) -> None:
    if "lang" not in values and g.get("lang"):
        values["lang"] = g.lang
    if endpoint in DISTRICT_PAGES and "district" not in values and g.get("district") is not None:
        values["district"] = g.district.slug


DISTRICT_PAGES = {"lang.home", "lang.service", "lang.event", "lang.news", "lang.page", "lang.plan"}


def _in(doc: Doc[Any] | None) -> Any:
    """The page language's translation of a content file, or 404: nothing is made without one."""
    found = doc.translation(g.lang) if doc is not None else None
    return found or abort(404)


@lang_bp.route("/<district>/")
def home() -> str:
    return home_page(_d().translation(g.lang) or abort(404))


@lang_bp.route("/<district>/tjenester/<service>/")
def service(service: str) -> str:
    return service_page(_in(find_service(service)))


@lang_bp.route("/<district>/program/<event>/")
def event(event: str) -> str:
    return event_page(_in(find_event(event)))


@lang_bp.route("/<district>/nyheter/<news>/")
def news(news: str) -> str:
    return render_template("news.html", item=_in(find_news(news)))


@lang_bp.route("/<district>/planer/<plan>/")
def plan(plan: str) -> str:
    return plan_views.plan_page(_in(plan_views.own(plan)), _d())


@lang_bp.route("/planer/<plan>/")
def shared_plan(plan: str) -> str:
    return plan_views.plan_page(_in(plan_views.shared(plan)), None)


@lang_bp.route("/<district>/<page>/")
def page(page: str) -> str:
    return render_template("page.html", page=_in(find_page(page)))


def translated(pt: Portal, lang: str) -> list[tuple[District, list[tuple[str, dict[str, str], Doc[Any]]]]]:
    """What exists in a language, district by district: (endpoint, values, translation) each."""
    out = []
    for d in pt.districts:
        found: list[tuple[str, dict[str, str], Doc[Any]]] = []
        for key, docs in (("service", pt.services_of(d)), ("page", d.pages), ("event", d.events),
                          ("news", d.news), ("plan", d.plans)):
            found += [(f"lang.{key}", {"district": d.slug, key: x.slug}, t) for x in docs
                      if (t := x.translation(lang)) is not None]
        if found or d.translation(lang):
            out.append((d, found))
    return out


@lang_bp.route("/")
def index() -> str:
    """"Informasjon på polsk": every page in the language, by district, headed in Norwegian and in the language."""
    pt = portal()
    shared = [(p, t) for p in pt.shared_plans if (t := p.translation(g.lang)) is not None]
    site_lang = pt.site.language
    heading = i18n.translations(site_lang).gettext("Information in %(language)s") % {
        "language": name_in(g.lang, site_lang)}
    return render_template("language.html", districts=translated(pt, g.lang), shared=shared, site_heading=heading)


@lang_bp.route("/sok/")
def search() -> str:
    """Search in the language's own bundle (``/pl/pagefind/``); the Norwegian bundles answer too."""
    pt = portal()
    return render_template("search.html", synonyms="{}", filters=_dumps(language_filters(pt, g.lang)))
