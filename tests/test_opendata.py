"""Spec: the service directory is published as HSDS-shaped open data that validates and round-trips."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import jsonschema
from conftest import DEMO

from hub import opendata
from hub.hours import day_hours
from hub.loader import load


def test_export_validates_against_the_published_schema(demo_site):
    data = json.loads((demo_site / "apne-data/hsds.json").read_text("utf-8"))
    schema = json.loads((demo_site / "apne-data/schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
    assert len(data["services"]) == sum(len(d.services) for d in load(DEMO).districts) + len(load(DEMO).shared)


def test_schedules_carry_iana_zone_and_validity_windows(demo_site):
    data = json.loads((demo_site / "apne-data/hsds.json").read_text("utf-8"))
    rows = [r for s in data["services"] for r in opendata.rows_of(s)]
    assert {r["timezone"] for r in rows} == {"Europe/Oslo"}
    assert any(r["freq"] == "WEEKLY" and r["valid_from"] == "2027-06-21" for r in rows)  # summer hours
    assert any(r["freq"] is None and r["description"] == "Stengt i romjulen" and r["valid_to"] == "2026-12-30"
               for r in rows)
    assert any(r["freq"] is None and r["description"] == "Første juledag" and r["closed"] for r in rows)
    assert any(r["freq"] is None and r["valid_to"] is None and r["closed"] for r in rows)  # stengt inntil videre


def test_export_round_trips_to_the_same_hours_and_facts():
    portal = load(DEMO)
    data = opendata.export(portal)
    reloaded = json.loads(json.dumps(data))
    by_id = {s["id"]: s for s in reloaded["services"]}
    checked = 0
    for district, svc in [(d, s) for d in portal.districts for s in d.services] + [(None, s) for s in portal.shared]:
        owner = f"{district.slug if district else 'kommune'}/{svc.slug}"
        out = by_id[opendata._id(portal, owner)]
        assert (out["name"], out["description"], out["x_category"], out["x_district"]) == (
            svc.meta.title, svc.meta.summary, svc.meta.category, district.slug if district else None)
        assert out["email"] == (svc.meta.contact.email if svc.meta.contact else None)
        hours = svc.meta.hours or (district.config.hub.hours if district and svc.meta.location is None else None)
        if hours is None:
            assert opendata.rows_of(out) == []
            continue
        back = opendata.hours_from(opendata.rows_of(out))
        for n in range(opendata.HOLIDAY_DAYS):
            day = portal.today + dt.timedelta(n)
            assert day_hours(back, day, portal.calendar).ranges == day_hours(hours, day, portal.calendar).ranges, (
                owner, day)
        checked += 1
    assert checked > 60


def test_csv_tables_hold_the_same_rows(demo_site):
    data = json.loads((demo_site / "apne-data/hsds.json").read_text("utf-8"))
    services = list(csv.DictReader(io.StringIO((demo_site / "apne-data/services.csv").read_text("utf-8"))))
    schedules = list(csv.DictReader(io.StringIO((demo_site / "apne-data/schedules.csv").read_text("utf-8"))))
    assert {s["id"] for s in services} == {s["id"] for s in data["services"]}
    assert len(schedules) == sum(len(opendata.rows_of(s)) for s in data["services"])
