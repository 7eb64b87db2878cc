"""Spec: plans and hearings — the process in time, the file format and its errors, the pages, feeds
and open data a build makes of them, and the incremental build keeping up with plan edits."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import icalendar
import jsonschema
import pytest
from calendar_clients import all_three
from conftest import DEMO, EPOCH, tree_digest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_content_errors import errors_of

from hub.content.loader import load
from hub.content.model import PlanMeta, PlanStep, text_fields
from hub.exports.plans import schema_text
from hub.pipeline.steps import build
from hub.time import planning

D = dt.date.fromisoformat


def step(kind: str, **dates: str | None) -> PlanStep:
    return PlanStep.model_validate({"step": kind, **{k: v for k, v in dates.items() if v is not None}})


HEARING = [step("oppstart", date="2026-04-20", deadline="2026-05-22"),
           step("horing", **{"from": "2026-11-04", "to": "2026-12-16"}), step("vedtak"), step("kunngjoring")]


# --- the process in time (hub/time/planning.py) ----------------------------------------------------

@pytest.mark.parametrize("today, states", [
    ("2026-04-19", ["coming", "coming", "coming", "coming"]),  # before the notice: nothing current yet
    ("2026-04-20", ["current", "coming", "coming", "coming"]),
    ("2026-11-03", ["current", "coming", "coming", "coming"]),  # the notice's deadline passed; no hearing yet
    ("2026-11-04", ["done", "current", "coming", "coming"]),
    ("2027-02-01", ["done", "current", "coming", "coming"]),  # hearing over, adoption not dated: still the hearing
])
def test_the_last_step_that_has_started_is_the_current_one(today, states):
    assert [x.state for x in planning.progress(HEARING, D(today))] == states


@pytest.mark.parametrize("today, days, state", [
    ("2026-11-23", 23, "open"), ("2026-12-15", 1, "open"), ("2026-12-16", 0, "today"), ("2026-12-17", -1, "passed"),
])
def test_a_deadline_counts_whole_days_and_its_own_day_is_still_in_time(today, days, state):
    found = planning.deadline(D("2026-12-16"), D(today))
    assert (found.days, found.state) == (days, state)


def test_a_plan_is_open_for_input_while_its_current_step_takes_input_until_the_deadline_day():
    assert planning.open_for_input(HEARING, D("2026-05-22")) is HEARING[0]  # notice of start, input until 22 May
    assert planning.open_for_input(HEARING, D("2026-05-23")) is None
    assert planning.open_for_input(HEARING, D("2026-12-16")) is HEARING[1]
    assert planning.open_for_input(HEARING, D("2026-12-17")) is None
    adopted = [step("vedtak", date="2026-10-29"), step("kunngjoring", date="2026-11-09")]
    assert adopted[1].due == D("2026-11-30")  # forvaltningsloven § 29: three weeks to appeal
    assert planning.open_for_input(adopted, D("2026-11-23")) is None  # an appeal is not input


days = st.dates(dt.date(2025, 1, 1), dt.date(2028, 12, 31))


@st.composite
def processes(draw: st.DrawFn) -> list[PlanStep]:
    """Valid processes: kinds in the law's order, dated steps first, each starting when the one before ends."""
    kinds = ["oppstart", *["horing"] * draw(st.integers(0, 2)), *draw(st.sampled_from(
        [[], ["vedtak"], ["vedtak", "kunngjoring"]]))]
    dated = draw(st.integers(0, len(kinds)))
    day = draw(days)
    out = []
    for i, kind in enumerate(kinds):
        if i >= dated:
            out.append(step(kind))
            continue
        length = draw(st.integers(0, 60))
        if kind == "horing":
            out.append(step(kind, **{"from": day.isoformat(), "to": (day + dt.timedelta(length)).isoformat()}))
        elif kind == "vedtak":
            out.append(step(kind, date=day.isoformat()))
        else:
            out.append(step(kind, date=day.isoformat(), deadline=(day + dt.timedelta(length)).isoformat()
                            if draw(st.booleans()) else None))
        day = (out[-1].end or day) + dt.timedelta(draw(st.integers(0, 90)))
    return out


def _meta(steps: list[PlanStep]) -> PlanMeta:
    return PlanMeta.model_validate({"title": "x", "summary": "x", "plan_id": "3301-1", "type": 35, "status": 2,
                                    "steps": [s.model_dump(by_alias=True, exclude_none=True) for s in steps]})


@given(processes(), days)
@settings(max_examples=300, deadline=None)
def test_any_valid_process_has_at_most_one_current_step_with_the_done_ones_before_it(steps, today):
    assert _meta(steps).problems() == []
    states = [x.state for x in planning.progress(steps, today)]
    assert states.count("current") <= 1
    assert states == sorted(states, key=["done", "current", "coming"].index)
    current = planning.current_step(steps, today)
    assert current is None or current.start <= today
    open_step = planning.open_for_input(steps, today)
    assert open_step is None or (open_step is current and open_step.due >= today and open_step.invites_input)


@given(processes(), st.data())
@settings(max_examples=200, deadline=None)
def test_a_process_whose_steps_are_swapped_is_refused(steps, data):
    dated = [i for i, s in enumerate(steps) if s.start is not None]
    pairs = [(i, j) for i in range(len(steps)) for j in range(i + 1, len(steps))
             if steps[i].step != steps[j].step or (i in dated) != (j in dated) or (
                 i in dated and j in dated and steps[i].start != steps[j].start)]
    if not pairs:
        return
    i, j = data.draw(st.sampled_from(pairs))
    swapped = list(steps)
    swapped[i], swapped[j] = swapped[j], swapped[i]
    assert _meta(swapped).problems() != []


def test_a_translation_needs_only_the_text_fields():
    """Issue 29 lets a translation carry only prose; everything else is the same in every language."""
    assert set(text_fields(PlanMeta)) == {"title", "summary", "steps[].note", "documents[].title", "respond.text"}


# --- the file format and its errors --------------------------------------------------------------------

PLAN = """---
title: Detaljregulering for Torget
summary: Nye boliger ved torget.
plan_id: 3000-2026001
type: 35
status: 2
case_number: 26/00123
steps:
  - step: oppstart
    date: 2026-05-04
    deadline: 2026-06-05
  - step: horing
    from: 2026-11-02
    to: 2026-12-14
  - step: vedtak
documents:
  - {title: Plankart, kind: plankart, date: 2026-11-02, file: plankart.pdf}
  - {title: Saken, kind: saksframlegg, url: "https://innsyn.example.no/sak/1"}
area: {type: Polygon, coordinates: [[[10.200, 59.740], [10.204, 59.740], [10.204, 59.742], [10.200, 59.740]]]}
respond: {email: post@example.no}
---
Om planen.
"""
HUB_AT = "hub:\n  coordinates: {lat: 59.741, lon: 10.202}\n"


@pytest.fixture
def plans_tree(tree):
    d = tree.root / "districts/nordby/district.yaml"
    d.write_text(d.read_text("utf-8").replace("hub:\n", HUB_AT), "utf-8")
    tree.write("districts/nordby/planer/torget.md", PLAN)
    tree.write("districts/nordby/planer/torget/plankart.pdf", b"%PDF-1.4\n" + b"x" * 2000)
    return tree


def test_a_valid_plan_loads_with_its_document_file_and_size(plans_tree):
    portal = load(plans_tree.root)
    (plan,) = portal.district("nordby").plans
    assert (plan.slug, plan.district, plan.meta.type, plan.meta.status) == ("torget", "nordby", 35, 2)
    assert [(f.name, f.size) for f in plan.files] == [("plankart.pdf", 2009)]
    assert plan.open_step(D("2026-11-23")).step == "horing"


def test_every_kind_of_mistake_is_reported_at_once_with_file_line_and_field(plans_tree):
    bad = (PLAN.replace("type: 35", "type: 36").replace("status: 2", "status: 12")
           .replace("    to: 2026-12-14", "    to: 2026-10-30")
           .replace("file: plankart.pdf", "file: plankart2.pdf")
           .replace("[10.204, 59.742], [10.200, 59.740]]]", "[10.200, 59.742], [10.204, 59.742], [10.200, 59.740]]]"))
    plans_tree.write("districts/nordby/planer/torget.md", bad)
    plans_tree.write("districts/nordby/planer/gate.md", PLAN.replace("3000-2026001", "3000-2026002").replace(
        "  - step: oppstart\n    date: 2026-05-04\n    deadline: 2026-06-05\n  - step: horing\n    from: 2026-11-02\n"
        "    to: 2026-12-14\n", "  - step: horing\n    from: 2026-11-02\n    to: 2026-12-14\n  - step: oppstart\n"
        "    date: 2026-12-01\n").replace("file: plankart.pdf", "url: https://example.no/k.pdf").replace(
        "[[[10.200, 59.740], [10.204, 59.740], [10.204, 59.742], [10.200, 59.740]]]",
        "[[[59.740, 10.200], [59.740, 10.204], [59.742, 10.204], [59.740, 10.200]]]"))
    plans_tree.write("districts/nordby/programme/mote.md", "---\ntitle: Møte\ndate: 2026-12-01\nstart: '18:00'\n"
                     "end: '19:00'\nplan: finnesikke\n---\n")
    plans_tree.write("planer/felles.md", PLAN.replace("3000-2026001", "3000-2026003").replace(
        "file: plankart.pdf", "url: https://example.no/k.pdf").replace("steps:", "districts: [nordby, sorby]\nsteps:"))
    errors = errors_of(plans_tree)
    assert errors == [
        "content/districts/nordby/planer/gate.md:12: steps[1].step: trinnet 'oppstart' står etter 'horing'; "
        "trinnene kommer i rekkefølgen oppstart, horing, vedtak, kunngjoring",
        "content/districts/nordby/planer/gate.md:13: steps[1].date: trinnet starter 2026-12-01, før trinnet foran "
        "er ferdig (2026-12-14); trinnene kan ikke overlappe",
        "content/districts/nordby/planer/gate.md:18: area: planområdet ligger 6851 km utenfor kommunen; sjekk at "
        "hvert punkt er [lengdegrad, breddegrad] (WGS 84), f.eks. [10.20, 59.74]",
        "content/districts/nordby/planer/torget.md:5: type: ukjent plantype 36; bruk en av 4 Statlig arealplan, "
        "10 Fylkesplanens arealdel, 11 Fylkesdelplan, 12 Regionalplan, 20 Kommuneplanens arealdel, "
        "21 Kommunedelplan, 22 Mindre endring av kommune(del)plan, 30 Eldre reguleringsplan, "
        "31 Mindre reguleringsendring, 32 Bebyggelsesplan ihht. Reguleringsplan, 33 Bebyggelsesplan ihht "
        "kommunepl. arealdel, 34 Områderegulering, 35 Detaljregulering",
        "content/districts/nordby/planer/torget.md:6: status: ukjent planstatus 12; bruk en av 0 Planinitiativ, "
        "1 Planlegging igangsatt, 2 Planforslag, 3 Endelig vedtatt arealplan, 4 Opphevet, 5 Utgått/erstattet, "
        "6 Vedtatt plan med utsatt rettsvirkning, 7 Endelig vedtatt plan underlagt tidsbegrensning, 8 Overstyrt, "
        "9 Avvist, 10 Trukket/uaktuelt",
        "content/districts/nordby/planer/torget.md:14: steps[1].to: fristen for innspill ('to' 2026-10-30) er før "
        "høringen starter ('from' 2026-11-02)",
        "content/districts/nordby/planer/torget.md:19: area: ugyldig flate: kanten krysser seg selv ved "
        "[10.202 59.741]",
        "content/districts/nordby/programme/mote.md:6: plan: ukjent plan 'finnesikke'; bruk filnavnet (uten .md) "
        "til en plan i content/districts/nordby/planer/ eller i content/planer/",
        "content/planer/felles.md:8: districts: ukjent kommunedel 'sorby'",
    ]


def test_a_meeting_about_a_plan_with_a_mistake_is_not_reported_as_about_an_unknown_plan(plans_tree):
    """One mistake, one message: the plan's file exists, so the meeting's ``plan:`` is right."""
    plans_tree.write("districts/nordby/planer/torget.md", PLAN.replace("type: 35", "type: 99"))
    plans_tree.write("planer/felles.md", PLAN.replace("3000-2026001", "3000-2026003").replace("status: 2", "status: 99")
                     .replace("file: plankart.pdf", "url: https://example.no/k.pdf")
                     .replace("steps:", "districts: [nordby]\nsteps:"))
    for slug in ("torget", "felles"):
        plans_tree.write(f"districts/nordby/programme/mote-{slug}.md", "---\ntitle: Møte\ndate: 2026-12-01\n"
                         f"start: '18:00'\nend: '19:00'\nplan: {slug}\n---\n")
    errors = errors_of(plans_tree)
    assert [e.split(":")[0] for e in errors] == ["content/districts/nordby/planer/torget.md", "content/planer/felles.md"]


def test_a_document_that_is_missing_or_not_listed_and_a_districts_list_in_the_wrong_place(plans_tree):
    plans_tree.write("districts/nordby/planer/torget.md", PLAN.replace("file: plankart.pdf", "file: kart.pdf")
                     .replace("steps:", "districts: [nordby]\nsteps:"))
    plans_tree.write("districts/nordby/planer/gammel/notat.pdf", b"%PDF")
    plans_tree.write("planer/felles.md", PLAN.replace("3000-2026001", "3000-2026009").replace(
        "file: plankart.pdf", "url: https://example.no/k.pdf"))
    assert errors_of(plans_tree) == [
        "content/districts/nordby/planer/gammel: mappen hører ikke til noen plan: dokumentene til planen "
        "gammel.md ligger i planer/gammel/",
        "content/districts/nordby/planer/torget.md:8: districts: bare planer i content/planer/ har 'districts'; "
        "denne planen hører til kommunedelen den ligger i",
        "content/districts/nordby/planer/torget.md:18: documents[0].file: filen finnes ikke: "
        "content/districts/nordby/planer/torget/kart.pdf (legg dokumentene i mappen content/districts/nordby/planer/torget/)",
        "content/districts/nordby/planer/torget/plankart.pdf: filen er ikke nevnt under 'documents' i torget.md; "
        "nevn den der eller fjern den",
        "content/planer/felles.md:2: districts: mangler: en plan for hele kommunen nevner kommunedelene den berører "
        "(f.eks. districts: [bragernes, konnerud])",
    ]


def test_the_same_plan_id_or_slug_twice_is_refused(plans_tree):
    plans_tree.write("planer/torget.md", PLAN.replace("file: plankart.pdf", "url: https://example.no/k.pdf")
                     .replace("steps:", "districts: [nordby]\nsteps:"))
    assert errors_of(plans_tree) == [
        "content/districts/nordby/planer/torget.md:2: title: planen 'torget' finnes også i content/planer/; gi "
        "filen et annet navn",
        "content/planer/torget.md:4: plan_id: plan-ID-en 3000-2026001 står også i "
        "content/districts/nordby/planer/torget.md",
    ]


# --- what the build makes of them ---------------------------------------------------------------------

def _main_text(page: Path) -> str:
    html = page.read_text("utf-8")
    html = html[html.index("<main"):html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("epoch_day, expected", [
    ("2026-11-23", "Frist for innspill: 14. desember 2026"),  # the count of days left is the browser's
    ("2026-12-13", "Frist for innspill: 14. desember 2026"),
    ("2026-12-14", "Frist for innspill: 14. desember 2026 – fristen er i dag"),
    ("2026-12-15", "Fristen for innspill gikk ut 14. desember 2026"),
])
def test_the_built_page_says_the_deadline_as_it_stands_on_the_builds_today(plans_tree, tmp_path, monkeypatch,
                                                                            epoch_day, expected):
    noon = dt.datetime.combine(D(epoch_day), dt.time(12), dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(noon.timestamp())))
    build(plans_tree.root, tmp_path / "out", search=False)
    text = _main_text(tmp_path / "out/nordby/planer/torget/index.html")
    assert expected in text
    assert ("fristen er i dag" in text) == epoch_day.endswith("14")
    assert "dager igjen" not in text and "dag igjen" not in text  # never a count that goes stale by the next day
    home = _main_text(tmp_path / "out/nordby/index.html")
    assert ("Detaljregulering for Torget" in home.split("Alle planer i")[0]) == (epoch_day != "2026-12-15")


def test_a_build_run_inside_the_content_folder_publishes_the_plan_documents(plans_tree, tmp_path, monkeypatch):
    """A coordinator who works in the content folder itself passes ``--content .``: the plan's
    files are found from there too (they are named relative to the content folder's parent)."""
    monkeypatch.chdir(plans_tree.root)
    build(Path("."), tmp_path / "out", search=False)
    assert (tmp_path / "out/nordby/planer/torget/dokumenter/plankart.pdf").read_bytes().startswith(b"%PDF")


def test_a_plan_page_has_its_documents_the_input_box_and_the_meetings(plans_tree, tmp_path):
    plans_tree.write("districts/nordby/programme/mote.md", "---\ntitle: Åpent møte om torget\ndate: 2026-12-01\n"
                     "start: '18:00'\nend: '19:30'\nplan: torget\n---\nVelkommen.\n")
    build(plans_tree.root, tmp_path / "out", search=False)
    page = (tmp_path / "out/nordby/planer/torget/index.html").read_text("utf-8")
    assert 'href="dokumenter/plankart.pdf">Plankart <span class="doc-meta">(PDF, 2 kB)</span></a>' in page
    assert 'href="https://innsyn.example.no/sak/1">Saken</a>' in page
    assert (tmp_path / "out/nordby/planer/torget/dokumenter/plankart.pdf").read_bytes().startswith(b"%PDF")
    assert ('href="mailto:post@example.no?subject=Innspill%20til%20plan%203000-2026001%20Detaljregulering%20for'
            '%20Torget%20%28sak%2026/00123%29"') in page
    assert 'href="../../program/mote/index.html">Åpent møte om torget</a>' in page
    assert re.search(r'<li class="step step-current" aria-current="step">\s*<p class="step-state">Nå</p>\s*'
                     r'<h3>Høring og offentlig ettersyn <span class="law">\(pbl\. § 12-10\)</span></h3>', page)
    assert page.count('aria-current="step"') == 1
    event = (tmp_path / "out/nordby/program/mote/index.html").read_text("utf-8")
    assert 'href="../../planer/torget/index.html">Detaljregulering for Torget</a>' in event


def test_a_municipality_wide_plan_has_one_page_linked_from_each_district_it_touches(plans_tree, tmp_path):
    plans_tree.write("districts/sorby/district.yaml", (plans_tree.root / "districts/nordby/district.yaml")
                     .read_text("utf-8").replace("Nordby", "Sørby"))
    plans_tree.write("planer/sykkelvei.md", PLAN.replace("3000-2026001", "3000-2026005").replace(
        "file: plankart.pdf", "url: https://example.no/k.pdf").replace("steps:", "districts: [nordby, sorby]\nsteps:"))
    build(plans_tree.root, tmp_path / "out", search=False)
    assert (tmp_path / "out/planer/sykkelvei/index.html").is_file()
    assert not (tmp_path / "out/nordby/planer/sykkelvei").exists()
    for d in ("nordby", "sorby"):
        home = (tmp_path / f"out/{d}/index.html").read_text("utf-8")
        assert 'href="../planer/sykkelvei/index.html"' in home
        assert "sykkelvei" in (tmp_path / f"out/{d}/planer/index.html").read_text("utf-8")
    ics = icalendar.Calendar.from_ical((tmp_path / "out/kalender.ics").read_bytes())
    uids = [str(e["UID"]) for e in ics.walk("VEVENT") if "frist" in str(e["UID"])]
    assert len(uids) == len(set(uids)) == 4  # two plans, two deadlines each, every one once


def test_the_one_door_in_has_a_page_per_filter_and_every_filter_link_leads_to_one(plans_tree, tmp_path):
    plans_tree.write("planer/sykkelvei.md", PLAN.replace("3000-2026001", "3000-2026005").replace("status: 2", "status: 1")
                     .replace("Detaljregulering for Torget", "Sykkelvei langs elva")
                     .replace("file: plankart.pdf", "url: https://example.no/k.pdf")
                     .replace("steps:", "districts: [nordby]\nsteps:"))
    build(plans_tree.root, tmp_path / "out", search=False)
    out = tmp_path / "out"
    pages = {p.parent.relative_to(out).as_posix() for p in (out / "planer").rglob("index.html")}
    assert pages >= {"planer", "planer/kommunedel/nordby", "planer/status/1", "planer/status/2",
                     "planer/kommunedel/nordby/status/1", "planer/kommunedel/nordby/status/2"}
    for page in (out / "planer").rglob("index.html"):
        for href in re.findall(r'<nav class="plan-filters".*?</nav>', page.read_text("utf-8"), re.S)[0:1]:
            for link in re.findall(r'href="([^"]+)"', href):
                assert (page.parent / link).resolve().is_file(), (page, link)
    filtered = _main_text(out / "planer/status/1/index.html")
    assert "Detaljregulering for Torget" not in filtered and "Sykkelvei langs elva" in filtered


def test_the_feeds_enter_a_plan_once_per_step_it_has_reached(plans_tree, tmp_path):
    build(plans_tree.root, tmp_path / "out", search=False)
    feed = (tmp_path / "out/nordby/planer/atom.xml").read_text("utf-8")
    assert re.findall(r"<title>(.*?)</title>", feed)[1:] == [
        "Detaljregulering for Torget: Høring og offentlig ettersyn", "Detaljregulering for Torget: Varsel om oppstart"]
    assert "<updated>2026-11-02T00:00:00+01:00</updated>" in feed


# --- the demo's open data and calendars ------------------------------------------------------------------

def test_planer_json_of_the_demo_validates_against_the_schema_it_ships(demo_site):
    schema = json.loads(schema_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads((demo_site / "apne-data/planer.json").read_text("utf-8"))
    assert [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)] == []
    assert json.loads((demo_site / "apne-data/planer.schema.json").read_text("utf-8")) == schema
    assert {p["status"]["code"] for p in data["plans"]} == {1, 2, 3}
    assert all(d["size"] > 0 and d["media_type"] == "application/pdf" for p in data["plans"] for d in p["documents"]
               if "size" in d)
    rows = (demo_site / "apne-data/planer.csv").read_text("utf-8").splitlines()
    assert len(rows) == 1 + len(data["plans"]) and rows[0].startswith("plan_id,title,url,type_code")


def test_the_open_data_schema_catches_what_a_reader_relies_on():
    schema = json.loads(schema_text())
    good = {"generated": "2026-11-23", "municipality": {"name": "X", "base_url": "https://x.no/"}, "plans": [{
        "plan_id": "3301-1", "title": "T", "summary": "S", "url": "https://x.no/p/", "districts": ["a"],
        "type": {"code": 35, "name": "Detaljregulering"}, "status": {"code": 2, "name": "Planforslag"},
        "steps": [{"step": "horing", "from": "2026-11-01", "to": "2026-12-14"}], "documents": []}]}
    v = jsonschema.Draft202012Validator(schema)
    assert list(v.iter_errors(good)) == []
    for broken in ({"plan_id": "1"}, {"steps": [{"step": "høring"}]}, {"documents": [{"title": "x", "kind": "kart",
                                                                                      "url": "https://x.no/a.pdf"}]}):
        plan = {**good["plans"][0], **broken}
        assert list(v.iter_errors({**good, "plans": [plan]})), broken


FIRST, LAST = dt.datetime(2025, 1, 1, tzinfo=dt.UTC), dt.datetime(2028, 1, 1, tzinfo=dt.UTC)


def test_deadlines_are_all_day_events_that_read_the_same_in_ical_js_and_two_python_parsers(demo_site):
    feeds = [demo_site / "kalender.ics", demo_site / "bragernes/kalender.ics",
             demo_site / "bragernes/planer/bragernes-kvartal.ics", demo_site / "planer/sykkelvei-konnerud-bragernes.ics"]
    found = all_three(feeds, FIRST, LAST)  # fails with the difference when the readers disagree
    plan = found[demo_site / "bragernes/planer/bragernes-kvartal.ics"]
    url = "https://knutepunkt.example.no/bragernes/planer/bragernes-kvartal/"
    meeting = "https://knutepunkt.example.no/bragernes/program/apent-mote-bragernes-kvartal/"
    assert plan == Counter({(url, "2026-05-22", False): 1, (url, "2026-12-16", False): 1,
                            (meeting, "2026-12-02T17:00Z", False): 1})  # 18.00 Oslo time is 17:00 UTC in winter
    everything = found[demo_site / "kalender.ics"]
    assert everything[(url, "2026-12-16", False)] == 1
    shared = "https://knutepunkt.example.no/planer/sykkelvei-konnerud-bragernes/"
    assert everything[(shared, "2026-12-18", False)] == 1
    assert found[demo_site / "bragernes/kalender.ics"][(shared, "2026-12-18", False)] == 1  # it touches Bragernes
    cal = icalendar.Calendar.from_ical((demo_site / "bragernes/kalender.ics").read_bytes())
    deadline = next(e for e in cal.walk("VEVENT") if str(e["UID"]).startswith("plan-bragernes-bragernes-kvartal-2"))
    assert deadline.decoded("DTSTART") == D("2026-12-16") and deadline.decoded("DTEND") == D("2026-12-17")
    assert str(deadline["TRANSP"]) == "TRANSPARENT" and str(deadline["SUMMARY"]).startswith("Frist for innspill: ")


def test_a_district_calendar_carries_only_the_plans_that_touch_it(demo_site):
    found = all_three([demo_site / "stromso/kalender.ics"], FIRST, LAST)[demo_site / "stromso/kalender.ics"]
    assert not [k for k in found if "/planer/" in k[0]]


# --- incremental builds ------------------------------------------------------------------------------------

def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


EDITS = [
    ("a district plan's deadline moved", lambda c: _edit(
        c / "districts/bragernes/planer/bragernes-kvartal.md", "to: 2026-12-16", "to: 2026-12-18"), {"bragernes"}),
    ("a document added to a district plan", lambda c: [
        (c / "districts/bragernes/planer/bragernes-kvartal/illustrasjon.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n"),
        _edit(c / "districts/bragernes/planer/bragernes-kvartal.md", "documents:\n",
              "documents:\n  - {title: Illustrasjon, kind: illustrasjon, file: illustrasjon.pdf}\n")], {"bragernes"}),
    ("a meeting about a plan", lambda c: _edit(
        c / "districts/bragernes/programme/apent-mote-bragernes-kvartal.md", 'start: "18:00"', 'start: "17:30"'),
     {"bragernes"}),
    ("a municipality-wide plan's status", lambda c: _edit(
        c / "planer/sykkelvei-konnerud-bragernes.md", "status: 1 ", "status: 2 "), None),
    ("the hub moved, which the plans' maps show", lambda c: _edit(
        c / "districts/svelvik/district.yaml", "lat: 59.6119", "lat: 59.6135"), {"svelvik"}),
]


def test_incremental_rebuilds_pick_up_plan_edits_and_equal_a_full_build(tmp_path, monkeypatch):
    content, out = tmp_path / "content", tmp_path / "site"
    shutil.copytree(DEMO, content)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    build(content, out, search=False)
    for n, (what, change, expected) in enumerate(EDITS):
        change(content)
        result = build(content, out, search=False)
        assert result.rebuilt == (None if expected is None else frozenset(expected)), what
        build(content, tmp_path / f"full{n}", search=False, reuse=False)
        assert tree_digest(out) == tree_digest(tmp_path / f"full{n}"), what
