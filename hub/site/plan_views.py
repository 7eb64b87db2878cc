"""Routes of plans and hearings: each plan's page, its documents and calendar, the lists per district
and across the municipality (with a page per district and status filter, so they work without
JavaScript), the feeds and the open data.

A district's plans live under ``/<district>/planer/``; a municipality-wide plan (``content/planer/``)
under ``/planer/``, linked from each district it touches.
"""

from __future__ import annotations

from functools import partial
from urllib.parse import quote

from flask import Response, abort, render_template, request, send_from_directory, url_for

from hub.content.codelists import PLANSTATUS
from hub.content.structure import District, Plan, plan_order
from hub.exports import ical, jsonld
from hub.exports import plans as plan_data
from hub.site.state import cached, portal
from hub.site.views import _abs, _d, _dumps, _ics, _t, _vevents, deadline_label, district_bp, plan_url, site_bp


def mailto(p: Plan) -> str | None:
    """The e-mail link of the input box: the plan id, title and case number in the subject."""
    if p.meta.respond is None or p.meta.respond.email is None:
        return None
    label, case_word = _t("Input to plan"), _t("case")
    case = f" ({case_word} {p.meta.case_number})" if p.meta.case_number else ""
    subject = f"{label} {p.meta.plan_id} {p.meta.title}{case}"
    return f"mailto:{p.meta.respond.email}?subject={quote(subject)}"


def plan_page(p: Plan, district: District | None) -> str:
    """A plan's page, or (``p.lang``) its translation's: the meetings are the source plan's."""
    pt = portal()
    source = p if p.lang is None else next(x for x in pt.all_plans if (x.slug, x.district) == (p.slug, p.district))
    meetings = [x for d, e in pt.meetings(source) for x in pt.listings(d) if x.event is e]
    step = p.open_step(pt.today)
    respond = mailto(p) or (p.meta.respond.form_url if p.meta.respond else None)
    docs = [(d.title, plan_url(p, name=d.file) if d.file else d.url or "") for d in p.meta.documents]
    own = plan_url(p) if p.lang is None else _abs(request.path)
    items = [jsonld.plan(pt, p, own, docs, step.due if step else None, respond)]
    items += [{**jsonld.event(pt, x.district, x.event, x.occ.day, x.occ.cancelled, _abs(url_for(
        "district.event", district=x.district.slug, event=x.event.slug)), _abs(url_for(
        "district.share_card", district=x.district.slug))), "about": {"@id": own}} for x in meetings[:10]]
    graph = [{k: v for k, v in i.items() if k != "@context"} for i in items]
    data = {"@context": "https://schema.org", "@graph": graph}
    return render_template("plan.html", plan=p, meetings=meetings, mailto=mailto(p), structured=data,
                           others=[d for d in pt.districts if d.slug in p.districts and d is not district])


def own(slug: str) -> Plan:
    return next((p for p in _d().plans if p.slug == slug), None) or abort(404)


def shared(slug: str) -> Plan:
    return next((p for p in portal().shared_plans if p.slug == slug), None) or abort(404)


def _document(p: Plan, name: str) -> Response:
    found = p.attachment(name) or abort(404)
    source = portal().source
    assert source is not None
    full = (source.parent / found.source).absolute()
    return send_from_directory(full.parent, full.name)


def plan_ics(p: Plan) -> bytes:
    """A plan's deadlines and its public meetings."""
    pt = portal()
    events = [ical.serialise(ical.deadline_vevents(pt, p, plan_url(p), deadline_label))]
    events += [_vevents(d, e) for d, e in pt.meetings(p)]
    return ical.calendar(pt, p.meta.title, events, p.meta.summary, plan_url(p))


# --- a district's plans ----------------------------------------------------------------------------

@district_bp.route("/planer/")
def district_plans() -> str:
    pt = portal()
    return render_template("plans.html", plans=pt.plans_of(_d()), filters=None)


@district_bp.route("/planer/<plan>/")
def plan(plan: str) -> str:
    return plan_page(own(plan), _d())


@district_bp.route("/planer/<plan>.ics")
def plan_calendar(plan: str) -> Response:
    return _ics(plan_ics(own(plan)))


@district_bp.route("/planer/<plan>/dokumenter/<name>")
def plan_document(plan: str, name: str) -> Response:
    return _document(own(plan), name)


@district_bp.route("/planer/atom.xml")
def plans_atom() -> Response:
    return _atom(portal().plans_of(_d()), _d())


# --- the municipality's plans ----------------------------------------------------------------------

@site_bp.route("/planer/", defaults={"where": None, "status": None})
@site_bp.route("/planer/kommunedel/<where>/", defaults={"status": None})
@site_bp.route("/planer/status/<int:status>/", defaults={"where": None})
@site_bp.route("/planer/kommunedel/<where>/status/<int:status>/")
def plans(where: str | None, status: int | None) -> str:
    """Every plan, open hearings first; a page per district and status (and both) is the filter."""
    pt = portal()
    every = pt.all_plans
    if where is not None and (pt.district(where) is None or not any(where in p.districts for p in every)):
        abort(404)
    if status is not None and status not in {p.meta.status for p in every}:
        abort(404)
    found = plan_order([p for p in every if (where is None or where in p.districts)
                        and (status is None or p.meta.status == status)], pt.today)
    return render_template("plans.html", plans=found, filters=filter_values(), where=where, status=status)


def filter_values() -> dict[str, list[tuple[str, str]]]:
    """The filters' choices: the districts that have plans and the statuses in use, as (value, label)."""
    pt = portal()
    touched = {s for p in pt.all_plans for s in p.districts}
    codes = sorted({p.meta.status for p in pt.all_plans})
    return {"district": [(d.slug, d.name) for d in pt.districts if d.slug in touched],
            "status": [(str(c), PLANSTATUS[c]) for c in codes]}


@site_bp.route("/planer/<plan>/")
def shared_plan(plan: str) -> str:
    return plan_page(shared(plan), None)


@site_bp.route("/planer/<plan>.ics")
def shared_plan_calendar(plan: str) -> Response:
    return _ics(plan_ics(shared(plan)))


@site_bp.route("/planer/<plan>/dokumenter/<name>")
def shared_plan_document(plan: str, name: str) -> Response:
    return _document(shared(plan), name)


@site_bp.route("/planer/atom.xml")
def all_plans_atom() -> Response:
    return _atom(plan_order(list(portal().all_plans), portal().today), None)


def _atom(found: list[Plan], district: District | None) -> Response:
    """A feed entry for each step a plan has entered, newest first."""
    pt = portal()
    entries = sorted(((s.start, i, p, s) for p in found for i, s in enumerate(p.meta.steps)
                      if s.start is not None and s.start <= pt.today), key=lambda e: (e[0], e[2].slug, e[1]),
                     reverse=True)
    updated = max((e[0] for e in entries), default=pt.week_start)  # an empty feed: changes once a week
    return Response(render_template("plans_atom.xml", entries=entries, updated=updated, feed_district=district,
                                    plan_url=plan_url), mimetype="application/atom+xml")


# --- open data -------------------------------------------------------------------------------------

def _export() -> dict[str, object]:
    def make() -> dict[str, object]:
        pt = portal()
        records = [plan_data.plan_record(pt, p, plan_url(p), partial(plan_url, p)) for p in pt.all_plans]
        return plan_data.export(pt, records)
    found: dict[str, object] = cached("plans_export", make)
    return found


@site_bp.route("/apne-data/planer.json")
def plans_json() -> Response:
    return Response(_dumps(_export()), mimetype="application/json")


@site_bp.route("/apne-data/planer.csv")
def plans_csv() -> Response:
    return Response(plan_data.csv_text(_export()), mimetype="text/csv")


@site_bp.route("/apne-data/planer.schema.json")
def plans_schema() -> Response:
    return Response(plan_data.schema_text(), mimetype="application/json")
