"""Find your hub, on a map and on paper (issue #14).

Citizens look their district up by address, street, postcode or place name — with JavaScript in
a combobox, without it on static A–Å and postcode pages. Street lists come from Kartverket's
address data through ``knutepunkt import adresser``; the map is inline SVG; every district's
programme prints as an A4 poster with QR codes.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from conftest import DEMO, DISTRICT, ROOT, WCAG, errors_of, forget_map_labels
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from playwright.sync_api import expect

from hub.content.geo import feature_lines
from hub.content.loader import load
from hub.content.streets import resolve

FIXTURE = ROOT / "tests/fixtures/matrikkelen-adresse-3301.csv"
HEADER = FIXTURE.read_text("utf-8").splitlines()[0].split(";")


def knutepunkt(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hub", *args], capture_output=True, text=True, cwd=cwd)


def addresses(rows: list[tuple[str, int, str, str]]) -> str:
    """An address file in Kartverket's layout: (street, number, postcode, grunnkrets) per row."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow(HEADER)
    for street, number, postcode, circuit in rows:
        row = dict.fromkeys(HEADER, "")
        row.update({"kommunenummer": "3301", "adressetype": "vegadresse", "adressenavn": street, "nummer": str(number),
                    "postnummer": postcode, "poststed": "NORDBY", "grunnkretsnummer": circuit})
        w.writerow([row[h] for h in HEADER])
    return out.getvalue()


@pytest.fixture
def two_districts(tree):
    tree.write("districts/sorby/district.yaml", DISTRICT.replace("name: Nordby\n", "name: Sørby\n"))
    tree.write("grunnkretser.yaml", 'nordby: ["0101", "0102"]\nsorby: ["0201"]\n')
    return tree


# --- the importer --------------------------------------------------------------------------

def test_importer_turns_kartverkets_address_file_into_street_lists(two_districts, tmp_path):
    rows = [("Storgata", n, "3000", "0101") for n in range(1, 21)]
    rows += [("Langveien", n, "3001", "0102" if n <= 20 else "0201") for n in range(1, 41)]  # split along the street
    rows += [("Elvegata", n, "3000", "0101" if n % 2 else "0201") for n in range(1, 31)]  # the border is the street
    rows += [("Sørbyveien", n, "3001", "0201") for n in (2, 4, 6)]
    csv_file = tmp_path / "adresser.csv"
    csv_file.write_text(addresses(rows), "utf-8")
    r = knutepunkt("import", "adresser", str(csv_file), cwd=two_districts.root.parent)
    assert r.returncode == 0, r.stderr
    nordby = yaml.safe_load((two_districts.root / "districts/nordby/streets.yaml").read_text("utf-8"))["streets"]
    sorby = yaml.safe_load((two_districts.root / "districts/sorby/streets.yaml").read_text("utf-8"))["streets"]
    assert {"name": "Storgata", "postcode": "3000", "place": "Nordby"} in nordby  # whole street: no numbers
    assert {"name": "Langveien", "postcode": "3001", "place": "Nordby", "from": 1, "to": 20} in nordby
    assert {"name": "Langveien", "postcode": "3001", "place": "Nordby", "from": 21, "to": 40} in sorby
    assert {"name": "Elvegata", "postcode": "3000", "place": "Nordby", "from": 1, "to": 29, "side": "odd"} in nordby
    assert {"name": "Elvegata", "postcode": "3000", "place": "Nordby", "from": 2, "to": 30, "side": "even"} in sorby

    portal = load(two_districts.root)  # the files are content like any other
    for address, district in [("Langveien 7", "nordby"), ("langveien 33 B", "sorby"), ("Elvegata 13", "nordby"),
                              ("Elvegata 14, 3000 Nordby", "sorby"), ("Sørbyveien 4", "sorby")]:
        assert [m.district for m in resolve(portal.districts, address)] == [district], address
    assert {m.district for m in resolve(portal.districts, "Langveien")} == {"nordby", "sorby"}


def test_the_demo_street_lists_are_the_fixture_imported(tmp_path):
    """The demo's streets.yaml files are what the importer makes of the fixture (nothing edited by hand)."""
    import shutil

    content = tmp_path / "content"
    shutil.copytree(DEMO, content)
    r = knutepunkt("import", "adresser", str(FIXTURE), "--content", str(content), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    for folder in sorted((DEMO / "districts").iterdir()):
        made = (content / "districts" / folder.name / "streets.yaml").read_text("utf-8")
        assert made == (folder / "streets.yaml").read_text("utf-8"), folder.name
    portal = load(DEMO)
    assert [m.district for m in resolve(portal.districts, "Konnerudgata 12")] == ["stromso"]
    assert [m.district for m in resolve(portal.districts, "Konnerudgata 45")] == ["konnerud"]
    assert [m.district for m in resolve(portal.districts, "Rødskogveien 7")] == ["gulskogen"]
    assert [m.district for m in resolve(portal.districts, "Rødskogveien 8")] == ["konnerud"]


def test_a_malformed_address_file_reports_every_row_and_writes_nothing(two_districts, tmp_path):
    text = addresses([("Storgata", 1, "3000", "0101"), ("", 2, "3000", "0101"), ("Storgata", 3, "30", "0101")])
    text = text.replace("Storgata;1;", "Storgata;en;", 1) + "kort;rad\r\n"
    csv_file = tmp_path / "adresser.csv"
    csv_file.write_text(text, "utf-8")
    r = knutepunkt("import", "adresser", str(csv_file), cwd=two_districts.root.parent)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert re.search(r"adresser\.csv:2: nummer: 'en' er ikke et husnummer", r.stderr), r.stderr
    assert re.search(r"adresser\.csv:3: adressenavn: mangler gatenavn", r.stderr)
    assert re.search(r"adresser\.csv:4: postnummer: '30' er ikke et postnummer", r.stderr)
    assert re.search(r"adresser\.csv:5: raden har 2 felt", r.stderr)
    assert not list(two_districts.root.rglob("streets.yaml"))

    csv_file.write_text("adressenavn;nummer\r\nStorgata;1\r\n", "utf-8")
    r = knutepunkt("import", "adresser", str(csv_file), cwd=two_districts.root.parent)
    assert r.returncode == 1 and "adresser.csv:1: mangler kolonne(r) postnummer, grunnkretsnummer" in r.stderr


def test_mapping_errors_name_the_file_line_and_district(two_districts, tmp_path):
    two_districts.write("grunnkretser.yaml", 'nordby: ["0101"]\nvestby: ["0301"]\nsorby: ["0101", "abc"]\n')
    csv_file = tmp_path / "adresser.csv"
    csv_file.write_text(addresses([("Storgata", 1, "3000", "0101")]), "utf-8")
    r = knutepunkt("import", "adresser", str(csv_file), cwd=two_districts.root.parent)
    assert r.returncode == 1
    assert "content/grunnkretser.yaml:2: vestby: ukjent kommunedel 'vestby'" in r.stderr
    assert "content/grunnkretser.yaml:3: sorby[0]: grunnkrets 0101 står også under nordby" in r.stderr
    assert "content/grunnkretser.yaml:3: sorby[1]: 'abc' er ikke et grunnkretsnummer" in r.stderr


def test_a_street_list_with_an_error_is_reported_like_all_content(tree):
    tree.write("districts/nordby/streets.yaml", "streets:\n  - {name: Storgata, postcode: '3000'}\n"
               "  - {name: Langveien, postcode: '300'}\n  - {name: Elvegata, postcode: '3000', from: 9, to: 3}\n")
    r = knutepunkt("check", cwd=tree.root.parent)
    assert r.returncode == 1
    assert "content/districts/nordby/streets.yaml:3: streets[1].postcode" in r.stderr
    assert "content/districts/nordby/streets.yaml:4: streets[2]" in r.stderr and "'to' er mindre enn 'from'" in r.stderr


# --- the map -------------------------------------------------------------------------------

def test_the_front_page_and_every_district_page_have_the_map_with_a_text_alternative(demo_site):
    portal = load(DEMO)
    for page in ["index.html", *(f"{d.slug}/index.html" for d in portal.districts)]:
        html = (demo_site / page).read_text("utf-8")
        figure = re.search(r'<figure class="districtmap">(.*?)</figure>', html, re.S)
        assert figure, page
        svg = re.search(r"<svg [^>]*>(.*?)</svg>", figure.group(1), re.S)
        assert 'aria-hidden="true"' in figure.group(1).split(">")[0] + svg.group(0)[:120]
        assert len(re.findall(r'<path d="M', svg.group(1))) == len(portal.districts), page  # one area each
        assert len(re.findall(r'class="num"', svg.group(1))) == len(portal.districts)
        assert not re.search(r'(?:href|src)="(?:https?:)?//', svg.group(1))  # no tiles, nothing from elsewhere
        legend = re.findall(r"<li><a [^>]*>([^<]+)</a> – ([^<]+)</li>", figure.group(1))
        assert [n for n, _ in legend] == [d.name for d in portal.districts]  # the text alternative
    current = (demo_site / "konnerud/index.html").read_text("utf-8")
    assert current.count('class="area current"') == 1 and 'aria-current="page">Konnerud<' in current


@pytest.mark.parametrize("stacked", [1, 2, 22])
def test_numbered_labels_on_one_spot_are_spread_apart_inside_the_map(stacked):
    """Hubs at one place (a shared building, or a test's copies) keep every number readable: no two
    labels overlap and none leaves the map."""
    import itertools

    from hub.site.districtmap import LABEL, WIDTH, _spread

    gap, box = 2 * LABEL + 2, (LABEL, LABEL, WIDTH - LABEL, 400 - LABEL)
    at = [(100.0, 100.0)] * stacked + [(250.0, 300.0)] * stacked + [(WIDTH - 5.0, 395.0)]
    spread = _spread(at, gap, box)
    assert len(spread) == len(at)
    assert all(box[0] <= x <= box[2] and box[1] <= y <= box[3] for x, y in spread)
    assert min(((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5
               for a, b in itertools.combinations(spread, 2)) >= gap - 0.2  # rounded to 0.1 each way


def test_a_map_read_back_from_the_build_store_draws_the_same_plan_maps():
    """The district map is kept between builds as JSON; read back, it is the same drawing, and a
    plan's map of the whole municipality drawn with its remembered labels is the one drawn afresh."""
    from hub.content.loader import load
    from hub.site import districtmap

    pt = load(DEMO, lazy=True)
    hubs = [(d.slug, c.lat, c.lon) for d in pt.districts if (c := d.config.hub.coordinates)]
    plan = next(p for p in pt.all_plans if p.meta.area)
    fresh = districtmap.draw(hubs, pt.areas, plan.meta.area)
    drawing = districtmap.draw(hubs, pt.areas)
    assert drawing is not None and any(p.moved for p in drawing.points)
    kept = districtmap.from_json(districtmap.to_json(drawing))
    assert kept == drawing
    forget_map_labels()
    districtmap.remember(kept)
    assert districtmap.draw(hubs, pt.areas, plan.meta.area) == fresh
    assert districtmap._spread_once.cache_info().misses == 0  # the labels were not placed again
    assert districtmap.from_json(districtmap.to_json(None)) is None
    for stored in (b"[1]", b'[1, [["a", "M0 0", "#fff"]], [["x"]], "", null]', b"\xff"):  # not one it wrote
        with pytest.raises(ValueError):
            districtmap.from_json(stored)


def _box(x0: float, y0: float, w: float, h: float) -> dict:
    x1, y1 = min(180.0, x0 + w), min(90.0, y0 + h)
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


LON, LAT = st.floats(-180, 180), st.floats(-90, 90)
SIZE = st.sampled_from([1e-9, 1e-4, 0.05, 0.5, 5.0, 90.0, 360.0])
ANYWHERE = st.builds(_box, LON, LAT, SIZE, SIZE)


@given(areas=st.lists(ANYWHERE, max_size=3), hubs=st.lists(st.tuples(LAT, LON), max_size=3),
       plan=st.none() | ANYWHERE, detail=st.booleans())
@example(areas=[_box(-0.79, 5.23, 360.0, 0.5)], hubs=[], plan=None, detail=False)  # to the antimeridian
@example(areas=[_box(-27.6, -35.3, 1e-4, 1e-9), _box(-15.4, 27.0, 360.0, 0.5)],
         hubs=[(66.4, -48.3), (-62.5, 64.2)], plan=None, detail=False)  # the union of its projection failed
@settings(max_examples=300, deadline=None)
def test_valid_areas_anywhere_on_the_globe_give_a_map_or_none_never_an_error(areas, hubs, plan, detail):
    """The boundary file's areas are checked as longitude and latitude; the map projects them to one
    UTM zone, which holds for a municipality. Areas and hubs a quarter of the globe apart, over the
    antimeridian or at a pole, valid all the same, give no map (the legend list stands alone) rather
    than a traceback or a path at infinity; a municipality's areas are always drawn."""
    from hub.content import geo
    from hub.site import districtmap

    assume(all(geo._area(a)[1] is None for a in areas) and (plan is None or geo.polygon_problem(plan) is None))
    found = {f"d{i}": a for i, a in enumerate(areas)}
    named = [(f"h{i}", lat, lon) for i, (lat, lon) in enumerate(hubs)]
    drawing = districtmap.draw(named, found, plan, detail=detail)
    if drawing is not None:
        assert "inf" not in repr(drawing) and "nan" not in repr(drawing)
    near = {slug: _box(10.2 + float(i) / 50, 59.7, 0.02, 0.02) for i, slug in enumerate(found)}
    home = districtmap.draw([(s, 59.75, 10.2 + lat / 1000) for s, lat, _ in named], near)
    assert (home is not None) == bool(named or near)


def test_an_area_whose_hole_touches_its_ring_is_drawn_though_its_projection_touches_itself():
    """Valid in degrees (a hole may touch the ring at a point); projected, the straight edge and the
    hole's corner on it part by millimetres and the shape crosses itself. The map is drawn all the
    same, as the area is, and the plan's distance from it is measured."""
    from hub.content import geo
    from hub.site import districtmap

    area = {"type": "Polygon", "coordinates": [
        [[10.200, 59.740], [10.204, 59.740], [10.204, 59.742], [10.200, 59.742], [10.200, 59.740]],
        [[10.202, 59.740], [10.2025, 59.741], [10.2015, 59.741], [10.202, 59.740]]]}
    assert geo._area(area)[1] is None
    drawing = districtmap.draw([("nordby", 59.741, 10.201)], {"nordby": area})
    assert drawing is not None and [slug for slug, _, _ in drawing.areas] == ["nordby"]
    plan = _box(10.2001, 59.7401, 0.0005, 0.0005)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(geo, "_FAR", {})
        assert geo.km_outside({"nordby": area}, [])(plan) < 0.001


@given(areas=st.lists(ANYWHERE, max_size=3), hubs=st.lists(st.tuples(LAT, LON), max_size=3), plan=ANYWHERE)
@example(areas=[], hubs=[(45.13, -50.69), (-5.61, 129.28)], plan=_box(-143.66, 49.99, 0.5, 1e-9))  # buffer failed
@example(areas=[_box(27.37, 19.54, 360.0, 1e-4), _box(-63.84, -26.69, 5.0, 0.5)], hubs=[],
         plan=_box(100.0, -60.0, 5.0, 5.0))  # the zone's projection came out crossing itself
@example(areas=[_box(0.0, 0.0, 1e-9, 1e-4), _box(102.0, 0.0, 1e-4, 0.05)], hubs=[],
         plan=_box(0.0, 0.0, 1e-9, 1e-9))  # inside, 99° from the zone's meridian
@example(areas=[_box(0.0, 0.0, 1e-9, 5.0)], hubs=[], plan=_box(0.0, 1.0, 1e-9, 1e-9))  # inside, by a long edge
@settings(max_examples=300, deadline=None)
def test_a_plan_area_anywhere_on_the_globe_is_measured_from_the_municipality_never_an_error(areas, hubs, plan):
    """How far a plan area lies outside the municipality is what tells a coordinator that its points
    are [latitude, longitude] the wrong way round. Any valid area, anywhere, gets a distance in km, not a
    traceback: in the municipality's UTM zone where it holds, else on the ellipsoid; none inside a district."""
    import math

    import shapely

    from hub.content import geo

    assume(all(geo._area(a)[1] is None for a in areas) and geo.polygon_problem(plan) is None)
    found = {f"d{i}": a for i, a in enumerate(areas)}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(geo, "_FAR", {})
        km = geo.km_outside(found, hubs)(plan)
    assert math.isfinite(km) and 0 <= km <= 20_040  # half the way round
    if any(shapely.geometry.shape(a).contains(shapely.geometry.shape(plan)) for a in areas):
        assert km < 0.001  # inside, to the metre: projected with a point every 0.01° (about a kilometre)
    for lat, lon in hubs:  # a hub's place is measured the same way
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(geo, "_FAR", {})
            km = geo.km_outside(found, [])(geo.point(lat, lon))
        assert math.isfinite(km) and 0 <= km <= 20_040
        if any(shapely.geometry.shape(a).contains(shapely.Point(lon, lat)) for a in areas):
            assert km < 0.001


@pytest.mark.parametrize("case", ["areas", "no areas", "two hubs"])
def test_a_hub_with_latitude_and_longitude_swapped_is_refused_at_its_line(tree, case):
    """A hub's ``coordinates`` with ``lat`` and ``lon`` the wrong way round put it at sea thousands of km
    away, and the district map could not be drawn: the check names the file, the line and the field, with
    what is written there. A hub whose district has an area is measured against the district areas, any
    other against the middle of the hubs, so a hub 25 km out of town in a district without an area is no
    mistake; of two hubs that far apart, both are named, as nothing tells which one is wrong."""
    hub = "  coordinates: {lat: %s, lon: %s}\n  hours:\n"
    tree.write("districts/nordby/district.yaml", DISTRICT.replace("  hours:\n", hub % (59.741, 10.201), 1))
    if case != "two hubs":
        tree.write("districts/sorby/district.yaml", DISTRICT.replace("Nordby", "Sørby").replace(
            "  hours:\n", hub % (59.96, 10.25), 1))  # 25 km north of the areas, and no area of its own
    tree.write("districts/vestby/district.yaml", DISTRICT.replace("Nordby", "Vestby").replace(
        "  hours:\n", hub % (10.18, 59.72), 1))
    if case == "areas":
        tree.write("districts.geojson", json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"district": slug}, "geometry": _box(lon, 59.73, 0.03, 0.02)}
            for slug, lon in (("nordby", 10.19), ("vestby", 10.16))]}))
    *others, error = errors_of(tree.root)
    # On the ellipsoid about 6,850 km to the areas' nearest corner, to the hubs' middle and to the other
    # hub (measured on a sphere there, 0.5 % off at most).
    where = {"areas": "utenfor kommunedelene i districts.geojson", "no areas": "fra midten av knutepunktene",
             "two hubs": "fra det andre knutepunktet; ett av dem er feil"}[case]
    km = "68[0-9][0-9]"
    assert [e.split(": ", 1)[0] for e in others] == (["content/districts/nordby/district.yaml:7"]
                                                      if case == "two hubs" else [])
    assert re.fullmatch(
        f"content/districts/vestby/district.yaml:7: hub.coordinates: knutepunktet ligger {km} km {where}; sjekk at "
        r"lat er breddegraden og lon lengdegraden \(WGS 84; her står lat: 10.18, lon: 59.72\), "
        r"f.eks. \{lat: 59.74, lon: 10.20\}", error), error


CLOSE = st.tuples(st.floats(-0.4, 0.4), st.floats(-0.4, 0.4))


@given(lat=st.floats(-80, 80), lon=LON, near=st.lists(CLOSE, min_size=2, max_size=12),
       away=st.none() | st.tuples(LAT, LON))
@example(lat=0.0, lon=179.9, near=[(0.0, 0.0), (0.0, 0.2)], away=None)  # across 180°
@settings(max_examples=300, deadline=None)
def test_the_hubs_of_one_municipality_anywhere_are_near_their_middle_and_one_far_away_is_not(lat, lon, near, away):
    """Without district areas a hub is measured from the hubs' middle (the median latitude and longitude):
    the hubs of a municipality (here within 0.4° of a point, on either side of 180° too) are all within
    :data:`SPREAD_KM` of it, and one hub placed far from them all is the one found."""
    from pyproj import Geod

    from hub.content import geo

    hubs = {f"h{i}": (lat + dlat, (lon + dlon + 180) % 360 - 180) for i, (dlat, dlon) in enumerate(near)}
    far_off = None
    if away is not None:
        geod = Geod(ellps="WGS84")
        far_off = geod.inv(lon, lat, away[1], away[0])[2] / 1000
        hubs["away"] = away
    km = geo.km_from_middle(hubs)
    assert all(km[name] < geo.SPREAD_KM for name in hubs if name != "away")
    if far_off is not None and far_off > 2 * geo.SPREAD_KM + 100:  # 0.4° is less than 50 km either way
        assert km["away"] > geo.SPREAD_KM


def test_a_bad_boundary_file_is_reported_with_its_line_and_field(tree):
    tree.write("districts.geojson", """{"type": "FeatureCollection",
 "name": "grenser", "crs": {"type": "name", "properties": {"name": "EPSG:4326"}},
 "features": [
  {"type": "Feature", "properties": {"district": "vestby"},
   "geometry": {"type": "Point", "coordinates": [10, 59]}},

  {"type": "Feature", "properties": {"district": "nordby"}, "geometry": {"type": "Point", "coordinates": [10, 59]}}
 ]}""")
    r = knutepunkt("check", cwd=tree.root.parent)
    assert r.returncode == 1
    assert "content/districts.geojson:4: features[0].properties.district: ukjent kommunedel 'vestby'" in r.stderr
    assert "content/districts.geojson:7: features[1].geometry: forventet Polygon eller MultiPolygon, fant Point" in r.stderr


@pytest.mark.parametrize("indent", [None, 1, 4])
def test_each_feature_is_found_on_its_own_line_whatever_the_layout(indent):
    feature = {"type": "Feature", "properties": {"district": "x", "features": [1, 2]},
               "geometry": {"type": "Polygon", "coordinates": [[[10, 59], [10.1, 59], [10, 59.1], [10, 59]]]}}
    doc = {"type": "FeatureCollection", "name": "a \\\"features\\\": [", "bbox": [0, 0, 1, 1],
           "features": [feature, {**feature, "id": 2}, {**feature, "id": 3}], "after": {"features": []}}
    text = json.dumps(doc, indent=indent)
    lines = feature_lines(text)
    assert len(lines) == 3
    rows = text.split("\n")
    if indent:  # each feature opens with "{" on the line named, and they come in order
        assert all(rows[n - 1].strip() == "{" for n in lines) and lines == sorted(set(lines))
    else:
        assert lines == [1, 1, 1]


# --- in the browser --------------------------------------------------------------------------

QUERIES = [  # typed, then what the answer must say
    ("Konnerudgata 45", "Din kommunedel: Konnerud"),
    ("Konnerudgata 12", "Din kommunedel: Strømsø"),
    ("3046", "Adressen kan høre til: Rødskog og Gulskogen, Konnerud"),
    ("Åssiden", "Din kommunedel: Rødskog og Gulskogen"),
    ("Tangen", "Din kommunedel: Strømsø"),  # an alias
]


@pytest.mark.browser
@pytest.mark.parametrize("typed, verdict", QUERIES)
def test_typing_a_street_a_postcode_or_a_place_finds_the_district_by_keyboard(browser, site_url, typed, verdict):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(site_url + "/finn/")
    # The combobox is shown once its data has arrived (a fetch after load): until then Tab skips it.
    expect(page.locator("#finder-q")).to_be_visible()
    for _ in range(30):  # the keyboard alone: Tab until the combobox has focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "finder-q":
            break
    assert page.evaluate("document.activeElement.getAttribute('role')") == "combobox"
    page.keyboard.type(typed, delay=20)
    combo = page.locator("#finder-q")
    expect(combo).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#finder-status")).to_contain_text("forslag")
    assert Axe().run(page, options=WCAG).violations_count == 0  # with the suggestions open
    page.keyboard.press("ArrowDown")
    active = combo.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")
    expect(combo).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".finder-verdict")).to_have_text(verdict)
    for name in verdict.split(": ", 1)[1].split(", "):
        expect(page.locator(".finder-answer .hub-answer h3", has_text=name).first).to_be_visible()
    expect(page.locator(".finder-answer .today-hours").first).to_contain_text("I dag:")
    assert Axe().run(page, options=WCAG).violations_count == 0
    page.close()


@pytest.mark.browser
def test_escape_closes_the_suggestions_and_an_unknown_name_is_announced(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "/")
    # Shown once its data has arrived: typing waits for no more than the input being there, and keys sent
    # to a hidden one go nowhere (seen once in CI, on a loaded machine).
    expect(page.locator("#finder-q")).to_be_visible()
    page.locator("#finder-q").press_sequentially("Konn")
    expect(page.locator("#finder-q")).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(page.locator("#finder-q")).to_have_attribute("aria-expanded", "false")
    page.locator("#finder-q").fill("")
    page.locator("#finder-q").press_sequentially("Atlantis")
    expect(page.locator("#finder-status")).to_have_text("Ingen gate eller sted passer med «Atlantis».")
    page.close()


@pytest.mark.browser
def test_the_same_answers_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/finn/")
    expect(page.locator("#finder-q")).to_be_hidden()  # no dead input without its script
    page.get_by_role("link", name="K", exact=True).click()
    entry = page.locator(".names li", has_text="Konnerudgata")
    expect(entry).to_contain_text("3045 Drammen, nr. 1–30 → Strømsø")
    expect(entry).to_contain_text("nr. 33–58 → Konnerud")
    page.goto(site_url + "/finn/")
    page.get_by_role("link", name="Å", exact=True).click()
    expect(page.locator(".names li", has_text="Åssiden (sted)")).to_contain_text("Rødskog og Gulskogen")
    page.goto(site_url + "/finn/")
    page.get_by_role("link", name="3046", exact=True).click()
    expect(page.locator("h1")).to_have_text("Postnummer 3046")
    expect(page.locator(".hub-answer h2")).to_have_text(["Rødskog og Gulskogen", "Konnerud"])
    expect(page.locator(".names li", has_text="Rødskogveien")).to_contain_text("nr. 1–39, oddetall → Rødskog og Gulskogen")
    static_pages = [page.url, site_url + "/finn/k/"]
    context.close()
    page = browser.new_page()  # axe runs as a script, so it checks the same pages in a normal tab
    for url in static_pages:
        page.goto(url)
        assert Axe().run(page, options=WCAG).violations_count == 0, url
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("span", ["", "maned/"])
def test_the_programme_poster_prints_as_one_a4_page_with_qr_codes_that_decode(browser, site_url, span, tmp_path):
    import pypdf
    import zxingcpp
    from PIL import Image

    page = browser.new_page(viewport={"width": 900, "height": 1200})
    page.goto(site_url + "/konnerud/program/")
    page.get_by_role("link", name="Skriv ut plakat").click()
    if span:
        page.get_by_role("link", name="Plakat for de neste fire ukene").click()
    expect(page.locator(".poster h1")).to_have_text("Konnerudsenteret")
    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 1.5 and abs(float(box.height) - 841.9) < 1.5  # A4: 210 × 297 mm in points
    text = pdf.pages[0].extract_text()
    assert "Konnerudsenteret" in text and "Åpningstider" in text and "Åpent hus-kafé" in text
    assert "Søk" not in text and "Tjenester A–Å" not in text  # no site chrome on paper
    page.emulate_media(media="print")
    found = []
    for i, code in enumerate(page.locator(".poster-qr svg").all()):
        code.screenshot(path=str(tmp_path / f"qr{i}.png"))
        found += [b.text for b in zxingcpp.read_barcodes(Image.open(tmp_path / f"qr{i}.png"))]
    assert found == ["https://knutepunkt.example.no/konnerud/", "https://knutepunkt.example.no/konnerud/kalender.ics"]
    page.close()


@pytest.mark.browser
def test_every_districts_poster_fits_one_a4_page(browser, site_url, demo_site):
    import pypdf

    page = browser.new_page()
    districts = sorted(p.parent.name for p in demo_site.glob("*/plakat/index.html"))
    assert len(districts) == 10
    for d in districts:
        for span in ("", "maned/"):
            page.goto(f"{site_url}/{d}/plakat/{span}")
            pages = len(pypdf.PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True))).pages)
            assert pages == 1, f"/{d}/plakat/{span} prints as {pages} pages"
    page.close()


@pytest.mark.browser
def test_every_page_prints_without_navigation_and_with_link_addresses(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "/bragernes/")
    page.emulate_media(media="print")
    expect(page.locator(".mainnav")).to_be_hidden()
    expect(page.locator(".searchbox")).to_be_hidden()
    link = page.locator("main a[href^='https://www.openstreetmap.org']").first
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert "openstreetmap.org" in after
    page.close()
