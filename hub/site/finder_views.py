"""Routes of "Finn ditt knutepunkt": the finder page, the A–Å letter pages, one page per postcode, its JSON."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, render_template

from hub import i18n
from hub.content.streets import postcodes
from hub.site import finder
from hub.site.state import cached, portal

find_bp = Blueprint("find", __name__, url_prefix="/finn")


def names() -> list[finder.Name]:
    """The names of the loaded portal, made once per portal (every finder page reads them)."""
    def make() -> list[finder.Name]:
        pt = portal()
        gt = i18n.translations(pt.site.language).gettext
        return finder.names(pt, gt("odd numbers"), gt("even numbers"))

    return cached(("finder-names",), make)


@find_bp.route("/")
def index() -> str:
    pt = portal()
    return render_template("find.html", letters=finder.by_letter(names()), postcodes=postcodes(pt.districts))


@find_bp.route("/<letter>/")
def letter(letter: str) -> str:
    groups = finder.by_letter(names())
    found = next((g for g in groups if g[1] == letter), None) or abort(404)
    return render_template("find_letter.html", letters=groups, letter=found[0], items=found[2])


@find_bp.route("/postnummer/<code>/")
def postcode(code: str) -> str:
    pt = portal()
    districts = postcodes(pt.districts).get(code) or abort(404)
    streets = [(n, [p for p in n.parts if p.postcode == code]) for n in names() if n.kind == "street"]
    return render_template("find_postcode.html", code=code, districts=[pt.district(s) for s in districts],
                           streets=[(n, parts) for n, parts in streets if parts])


@find_bp.route("/steder.json")
def data() -> Response:
    pt = portal()
    body = json.dumps(finder.index_json(pt, names()), ensure_ascii=False, separators=(",", ":"))
    return Response(body, mimetype="application/json")
