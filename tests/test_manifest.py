"""Spec: each portal publishes apne-data/portal.json, the versioned contract a region reads."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import jsonschema
import pytest
from conftest import DEMO, errors_of
from pydantic import ValidationError

from hub.content.errors import ContentErrors
from hub.content.loader import load
from hub.exports.manifest import Manifest


@pytest.fixture(scope="module")
def published(demo_site):
    return json.loads((demo_site / "apne-data/portal.json").read_text("utf-8"))


def test_the_manifest_validates_against_its_published_schema_and_reads_back(demo_site, published):
    schema = json.loads((demo_site / "apne-data/portal.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(published)
    m = Manifest.read(published)
    assert m.manifest_version == 2 and m.municipality.name == "Drammen kommune"


def test_it_holds_every_district_hub_service_and_capacity(published):
    portal = load(DEMO)
    assert [d["slug"] for d in published["districts"]] == [d.slug for d in portal.districts]
    bragernes = published["districts"][0]
    assert bragernes["hub"]["lat"] == 59.7441 and bragernes["hub"]["postal_code"] == "3017"
    assert bragernes["hours"]["days"]["2026-11-23"] == [["08:30", "15:30"]]  # a Monday
    assert len(bragernes["hours"]["days"]) == 14 and bragernes["hours"]["days"]["2026-11-29"] == []  # a Sunday
    kinds = {s["kind"]: s for s in published["services"]}
    assert set(kinds) == set(portal.kinds)
    barnehage = {o["district"]: o for o in kinds["barnehage"]["offers"]}
    assert barnehage["konnerud"]["capacity"] == {"status": "limited", "from": "2027-01-01", "to": "2027-07-31",
                                                  "note": "Ledige plasser for barn over tre år.",
                                                  "updated": "2026-11-23"}
    assert barnehage["mjondalen"]["capacity"]["status"] == "closed"
    assert barnehage["konnerud"]["url"] == "https://knutepunkt.example.no/konnerud/tjenester/barnehage/"
    assert published["search"][0] == "https://knutepunkt.example.no/pagefind/" and len(published["search"]) == 11
    assert published["calendar"] == "https://knutepunkt.example.no/kalender.ics"
    assert published["programme"] and published["programme"][0]["start"].endswith("+01:00")


def test_its_programme_is_the_portals_programme_in_order(published):
    """Each district's occurrences are kept with that district's part; put together they are every
    district's, in the programme's order (day, time, district, event), as the programme page lists them."""
    portal = load(DEMO)
    expected = [(x.district.slug, x.event.meta.title, x.occ.day.isoformat(), x.occ.start.isoformat("minutes"))
                for x in portal.listings()]
    assert len({x[0] for x in expected}) > 3  # districts interleave
    assert [(o["district"], o["title"], o["start"][:10], o["start"][11:16]) for o in published["programme"]] == expected


@pytest.mark.parametrize("hostile, expected", [
    (lambda m: m["services"][0].update(title="<script>alert(1)</script>"), "HTML er ikke tillatt"),
    (lambda m: m["districts"][0].update(url="javascript:alert(1)"), "http(s)-adresse"),
    (lambda m: m.update(manifest_version=3), "manifest_version"),
    (lambda m: m["plans"][0].update(title="<img src=x onerror=alert(1)>"), "HTML er ikke tillatt"),
    (lambda m: m["plans"][0].update(url="javascript:alert(1)"), "http(s)-adresse"),
    (lambda m: m["plans"][0].update(status=42), "ukjent kode i SOSI-kodelisten Planstatus"),
    (lambda m: m["plans"][0]["steps"][1].update({"to": "2026-01-01"}), "trinnet stemmer ikke med kontrakten"),
    (lambda m: m.update(manifest_version=1), "plans hører til kontraktens versjon 2"),
    (lambda m: m["municipality"].update(evil="x"), "Extra inputs are not permitted"),
    (lambda m: m["services"][0]["offers"][0]["capacity"].update(status="maybe")
     if m["services"][0]["offers"][0].get("capacity") else m["services"][0].update(kind="Ikke slug"), "services.0"),
    (lambda m: m["districts"][0]["hours"]["days"].update({"i morgen": []}), "hours.days.i morgen.[key]"),
    (lambda m: m["districts"][0]["hours"]["days"].update({"2026-11-23": [["09:00", "<b>"]]}),
     "hours.days.2026-11-23.0.1"),
])
def test_a_hostile_or_broken_manifest_is_refused_with_a_message(published, hostile, expected):
    bad = copy.deepcopy(published)
    hostile(bad)
    with pytest.raises(ValidationError) as e:
        Manifest.read(bad)
    assert expected in str(e.value)


def test_version_2_carries_the_plans_and_a_version_1_manifest_is_still_read(published):
    plans = {p["plan_id"]: p for p in published["plans"]}
    assert set(plans) == {"3301-EKS2026017", "3301-EKS2025008", "3301-EKS2026031"}
    hearing = plans["3301-EKS2026017"]
    assert hearing["url"] == "https://knutepunkt.example.no/bragernes/planer/bragernes-kvartal/"
    assert hearing["steps"][1] == {"step": "horing", "from": "2026-11-04", "to": "2026-12-16"}  # notes stay home
    assert plans["3301-EKS2026031"]["districts"] == ["konnerud", "bragernes"]
    older = {k: v for k, v in copy.deepcopy(published).items() if k != "plans"}
    older["manifest_version"] = 1
    for service in older["services"]:  # nor the offers' languages (version 2 on)
        for offer in service["offers"]:
            offer.pop("languages", None)
            offer.pop("interpreter", None)
    assert Manifest.read(older).plans == []


def test_an_offer_says_the_languages_its_staff_speak_from_version_2_on(published):
    station = next(s for s in published["services"] if s["kind"] == "helsestasjon")
    bragernes = next(o for o in station["offers"] if o["district"] == "bragernes")
    assert (bragernes["languages"], bragernes["interpreter"]) == (["nb", "en", "pl"], True)
    older = copy.deepcopy(published)
    older["manifest_version"] = 1
    older.pop("plans")
    with pytest.raises(ValueError, match="languages og interpreter hører til kontraktens versjon 2"):
        Manifest.read(older)
    for service in older["services"]:
        for offer in service["offers"]:
            offer.pop("languages", None)
            offer.pop("interpreter", None)
    assert Manifest.read(older).services  # a version 1 manifest without them is read as before


def test_parts_put_in_as_kept_stay_within_the_contracts_limits(tree):
    """The districts' entries, offers and occurrences go into portal.json without being validated
    again: the contract's lengths (what a region refuses beyond) are checked on the whole."""
    from hub.exports.manifest import _limits

    portal = load(tree.root)
    within = {"districts": [{}] * 500, "services": [{"kind": "x", "offers": [{}] * 2000}], "programme": [{}] * 50_000}
    _limits(within, portal)
    with pytest.raises(ContentErrors) as caught:
        _limits({**within, "programme": [{}] * 50_001}, portal)
    assert [str(e) for e in caught.value.errors] == [
        "content/districts: portal.json: programme: 50001 datoer i programmet, flere enn åpne data (portal.json) "
        "kan bære: høyst 50000; vis færre uker (programme_weeks i site.yaml)"]
    with pytest.raises(ContentErrors, match="1 innholdsfeil") as caught:
        _limits({**within, "services": [{"kind": "x", "offers": [{}] * 2001}]}, portal)
    assert caught.value.errors[0].field == "portal.json: services.x.offers"


def test_a_programme_beyond_the_contract_stops_the_build_as_content_does(tree, tmp_path, monkeypatch):
    """How many dates the manifest's weeks hold is known only while it is made: a programme beyond
    the limit (here lowered to 3; the tree's weekly session has 5 in the window) stops the build with
    the content's kind of message and exit code, from the process that made the page, and nothing
    is published."""
    from click.testing import CliRunner

    from hub.cli import main
    from hub.exports import manifest

    monkeypatch.setattr(manifest, "PROGRAMME_MAX", 3)
    out = tmp_path / "site"
    for jobs in ("1", "2"):  # in this process, and in a forked one
        r = CliRunner().invoke(main, ["build", "--content", str(tree.root), "--out", str(out), "--no-search",
                                      "--jobs", jobs])
        assert r.exit_code == 1, r.output
        assert "content/districts: portal.json: programme: 5 datoer i programmet, flere enn åpne data " \
               "(portal.json) kan bære: høyst 3; vis færre uker (programme_weeks i site.yaml)" in r.output
        assert "Traceback" not in r.output and not out.exists()


def test_check_refuses_what_the_contract_could_not_carry_and_a_build_stops_on_it_cleanly(tree, tmp_path):
    """What one file gives the manifest is held to the contract's limits where it is written, so
    ``check`` names the file, line and field, and a build never gets as far as portal.json with it."""
    codes = ["nb", "nn", "en", "pl", "ar", "so", "ti", "uk", "ur", "fa", "ps", "ku", "tr", "de", "fr", "es", "it",
             "pt", "ru", "lt", "lv", "et", "fi", "sv", "da", "is", "se", "sq", "bs", "hr", "sr", "ro", "hu", "cs",
             "sk", "sl", "bg", "el", "he", "hi", "bn", "ta", "th", "vi", "zh", "ja", "ko", "sw", "am", "ha", "yo"]
    assert len(codes) == 51
    tree.write("districts/nordby/services/helsestasjon.md", f"""\
        ---
        title: {"Helsestasjon " * 160}
        service: helsestasjon
        category: helse
        summary: Vaksiner og råd til småbarnsforeldre.
        languages: [{", ".join(codes)}]
        ---
        Helsestasjonen gir vaksine til barn.
        """)
    expected = ["content/districts/nordby/services/helsestasjon.md:2: title: er for lang: 2079 tegn, høyst 2000; "
                "kort den ned",
                "content/districts/nordby/services/helsestasjon.md:6: languages: er for mange: 51, høyst 50"]
    assert errors_of(tree.root) == expected
    built = subprocess.run([sys.executable, "-m", "hub", "build", "--content", str(tree.root),
                            "--out", str(tmp_path / "site"), "--no-search"], capture_output=True, text=True)
    assert built.returncode == 1 and "Traceback" not in built.stderr, built.stderr
    assert built.stderr.splitlines()[:2] == expected and not (tmp_path / "site").exists()
