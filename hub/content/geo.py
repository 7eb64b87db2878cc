"""``content/districts.geojson``: the web team's own district boundaries, checked like all content."""

from __future__ import annotations

import hashlib
import json
import math
import statistics
import warnings
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from hub.content.errors import ContentError, ContentErrors, ErrorLog
from hub.content.source import parse_json, read_text

MAX_BYTES = 5 * 1024 * 1024
_WS = " \t\n\r"

#: Geometries that passed a check before (``area:`` a district's, ``plan:`` a plan area's, by
#: :func:`_key`) and the distances of plan areas near the municipality (by the plan area: from what,
#: how far): what an earlier build of the same code and geometry libraries found, kept in its cache
#: as the public holidays are (:func:`know`). A build whose geometries are all known imports no
#: geometry library (shapely, NumPy, pyproj: 0.1 s of an edit at 220 districts) unless it draws a
#: map. A cache may hold what nobody here wrote: a plan area is taken as known only if it is closed
#: rings of [longitude, latitude] pairs (:func:`_drawable`, what the pages read of it without
#: shapely), a distance only if it passes, and an area a map or a distance takes is checked there
#: (:func:`shapes`): a false entry can stop a build with a content error, never break it.
_VALID: set[str] = set()
_FAR: dict[str, tuple[str, float]] = {}


def know(kept: Mapping[str, Any]) -> None:
    """Take the checks an earlier build kept (:func:`known`), and only those (a build in a process that
    built before knows what its own cache says); anything not of their shape is ignored."""
    _VALID.clear()
    _FAR.clear()
    valid, far = kept.get("valid"), kept.get("far")
    if isinstance(valid, list) and all(type(k) is str for k in valid):
        _VALID.update(valid)
    if isinstance(far, dict) and all(isinstance(v, list) and len(v) == 2 and type(v[0]) is str
                                     and type(v[1]) is float and 0 <= v[1] <= FAR_KM for v in far.values()):
        _FAR.update((plan, (whole, km)) for plan, (whole, km) in far.items())


def known(areas: Iterable[dict[str, Any]], plan_areas: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The checks of a loaded portal's district ``areas`` and ``plan_areas`` (which the load checked, in
    whichever process; the hubs' :func:`point` are measured as plan areas are), to be kept for the next
    build: none of a plan area too far away (the build stops there, so there is nothing to spare)."""
    plans = [k for area in plan_areas if (k := _key("plan", area))]
    valid = {*plans, *(k for area in areas if (k := _key("area", area)))}
    return {"valid": sorted(valid),
            "far": {k: list(_FAR[k]) for k in sorted(set(plans)) if k in _FAR and _FAR[k][1] <= FAR_KM}}


def _key(kind: str, value: Any) -> str | None:
    """What names a geometry (or anything JSON) among the checks, or None for what JSON cannot hold.
    Named once per loaded geometry (:data:`_KEYS`): the load, the distance of plan areas and the
    checks kept each name every area, and a boundary file of 2 MB took 0.05 s to name once."""
    if (found := _KEYS.get((kind, id(value)))) is not None:  # held there: no other object has its id
        return found[1]
    try:
        text = json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        key = None
    else:
        key = f"{kind}:{hashlib.sha256(text.encode()).hexdigest()}"
    _KEYS[kind, id(value)] = (value, key)  # the value held, so that its id names it alone
    return key


#: Keys named (:func:`_key`) by the kind and the very object, during one load (:func:`forget`):
#: content is not changed once loaded.
_KEYS: dict[tuple[str, int], tuple[Any, str | None]] = {}


def forget() -> None:
    """Let go of the geometries the last load named, and of the outlines measured from: a preview
    loads again at every save, and would hold every earlier ``districts.geojson`` (6.5 MB a load for
    a 1.6 MB file)."""
    _KEYS.clear()
    _OUTLINES.clear()


def _drawable(value: Any) -> bool:
    """A Polygon or MultiPolygon of closed rings of four or more [longitude, latitude] pairs: what the
    pages read of a plan area without shapely (the JSON-LD's polygon), whatever else is wrong with it."""
    def number(c: Any) -> bool:
        return type(c) is float and math.isfinite(c) or type(c) is int and abs(c) <= 180

    def point(p: Any) -> bool:
        return isinstance(p, list) and len(p) == 2 and number(p[0]) and number(p[1]) \
            and -180 <= p[0] <= 180 and -90 <= p[1] <= 90

    def polygon(rings: Any) -> bool:
        return (isinstance(rings, list) and bool(rings)
                and all(isinstance(r, list) and len(r) >= 4 and r[0] == r[-1] and all(map(point, r)) for r in rings))

    if not isinstance(value, dict):
        return False
    coords = value.get("coordinates")
    if value.get("type") == "Polygon":
        return polygon(coords)
    return (value.get("type") == "MultiPolygon" and isinstance(coords, list) and bool(coords)
            and all(map(polygon, coords)))


def shapes(areas: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The shapely shapes of ``areas`` (by name), each of which passed its check. A cache may say one
    passed that did not (:func:`know`): the build then stops with a content error naming it (a full
    build, ``--full``, checks it anew and says what is wrong), rather than draw or measure what it cannot."""
    found = {name: _area(area) for name, area in areas.items()}
    if wrong := [name for name, (_, problem) in found.items() if problem]:
        raise ContentErrors([ContentError(where, 0, name, "ugyldig flate; bygg med --full for å se hva som er galt")
                             for name in wrong])
    return {name: geom for name, (geom, _) in found.items()}


def feature_lines(text: str) -> list[int]:
    """The line each element of the top-level ``features`` array starts on, so errors name it.

    ``json`` keeps no positions, so this walks the top-level object with ``raw_decode`` (which
    returns where each value ends) and records where each feature begins. The text is valid JSON
    already; anything unexpected just gives fewer lines (callers fall back to line 1).
    """
    dec = json.JSONDecoder()

    def skip(i: int) -> int:
        while i < len(text) and text[i] in _WS:
            i += 1
        return i

    def past_value(i: int) -> int:
        """From the start of a value to the start of what follows it and its comma."""
        i = skip(dec.raw_decode(text, i)[1])
        return skip(i + 1) if text[i:i + 1] == "," else i

    i = skip(0)
    if text[i:i + 1] != "{":
        return []
    i = skip(i + 1)
    while i < len(text) and text[i] == '"':
        key, i = dec.raw_decode(text, i)
        i = skip(i)
        if text[i:i + 1] != ":":
            return []
        i = skip(i + 1)
        if key == "features" and text[i:i + 1] == "[":
            lines, i = [], skip(i + 1)
            while i < len(text) and text[i] != "]":
                lines.append(text.count("\n", 0, i) + 1)
                i = past_value(i)
            return lines
        i = past_value(i)
    return []


def read_areas(path: Path, districts: set[str], log: ErrorLog) -> dict[str, dict[str, Any]]:
    """``districts.geojson``: one Polygon/MultiPolygon feature per district, ``properties.district`` its slug."""
    if not path.is_file() and not path.is_symlink():
        return {}
    if path.is_file() and path.stat().st_size > MAX_BYTES:
        log.add(path, 0, "", "filen er større enn 5 MB; forenkle grensene før de legges i innholdet")
        return {}
    text = read_text(path, log, MAX_BYTES)
    data = parse_json(text, path, log) if text is not None else None
    if text is None or data is None:
        return {}
    features = data.get("features") if isinstance(data, dict) and data.get("type") == "FeatureCollection" else None
    if not isinstance(features, list):
        log.add(path, 1, "type", "forventet en GeoJSON FeatureCollection")
        return {}
    out: dict[str, dict[str, Any]] = {}

    lines: list[list[int]] = []  # found once, for a message only: it reads the file again (0.07 s for 2 MB)

    def line(i: int) -> int:
        if not lines:
            lines.append(feature_lines(text))
        return lines[0][i] if i < len(lines[0]) else 1

    for i, f in enumerate(features):
        where = f"features[{i}]"
        props = f.get("properties") if isinstance(f, dict) else None
        slug = props.get("district") if isinstance(props, dict) else None
        if not isinstance(slug, str) or slug not in districts:
            log.add(path, line(i), f"{where}.properties.district", f"ukjent kommunedel {slug!r}")
            continue
        geometry = f.get("geometry")
        key = _key("area", geometry)
        problem = None if key in _VALID else _area_problem(geometry)  # a map or distance checks it (shapes)
        if problem:
            log.add(path, line(i), f"{where}.geometry", problem)
        elif slug in out:
            log.add(path, line(i), where, f"kommunedelen {slug!r} har allerede en flate")
        else:
            if key:
                _VALID.add(key)
            out[slug] = geometry
    return out


def _area_problem(geometry: Any) -> str | None:
    """Why a feature's geometry is not a district's area, or None."""
    return _area(geometry)[1]


def _area(geometry: Any) -> tuple[Any, str | None]:
    """A district's area (or one a map or a distance reads) as a shapely shape, and why it is not a
    valid Polygon or MultiPolygon in longitude and latitude (None: it is)."""
    import shapely  # here, not above: a build whose areas are known never needs it (0.1 s)
    from shapely.geometry import shape

    try:
        with warnings.catch_warnings():  # NaN coordinates: reported below (the bounds), not as a warning
            warnings.simplefilter("ignore", RuntimeWarning)
            geom = shape(geometry)
            geom.is_valid  # noqa: B018 - computed here, within the filter, and cached by shapely
    except Exception:  # noqa: BLE001 - shapely raises many kinds for malformed geometry
        return None, "ugyldig geometri (forventet Polygon eller MultiPolygon)"
    if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty:
        return geom, f"forventet Polygon eller MultiPolygon, fant {geom.geom_type}"
    if not geom.is_valid:
        return geom, f"ugyldig flate: {shapely.is_valid_reason(geom)}"
    if not (-180 <= geom.bounds[0] <= geom.bounds[2] <= 180 and -90 <= geom.bounds[1] <= geom.bounds[3] <= 90):
        return geom, "koordinatene må være lengde- og breddegrad (WGS 84, EPSG:4326)"
    return geom, None


#: A plan area farther than this from every district (or, without district areas, from every hub
#: beyond the hubs' own spread) is taken for a mistake, such as latitude and longitude swapped.
FAR_KM = 5.0
#: Beyond this many km from the municipality its UTM zone misstates a distance (it is twice the truth a
#: quarter of the globe away), and a plan area is measured on the ellipsoid instead.
WIDE_KM = 100.0
#: Degrees of longitude either side of a UTM zone's meridian within which (and between the latitudes
#: UTM is defined for) a map or a distance is taken in the zone's projection. A municipality lies well
#: inside; farther out shapes and distances bend, and at 90° places are sent to infinity.
ZONE_REACH = 15.0


def zone_of(lon: float) -> int:
    """The UTM zone (1–60) of a longitude; 180° is in zone 60, as -180° is in zone 1."""
    return min(60, int((lon + 180) // 6) + 1)


def utm(zone: int, lat: float) -> str:
    """The projection of a UTM zone for a place at ``lat``: ETRS89's in Europe's zones (28–37, as
    Kartverket's data), else WGS 84's north or south."""
    return f"EPSG:{25800 + zone}" if 28 <= zone <= 37 else f"EPSG:{32600 + zone if lat >= 0 else 32700 + zone}"


def in_zone(bounds: tuple[float, float, float, float], zone: int) -> bool:
    """Whether a box (min lon, min lat, max lon, max lat) lies where ``zone``'s projection holds."""
    meridian = zone * 6 - 183
    return (meridian - ZONE_REACH <= bounds[0] and bounds[2] <= meridian + ZONE_REACH
            and bounds[1] >= -80 and bounds[3] <= 84)


def polygon_problem(value: Any) -> str | None:
    """Why a GeoJSON geometry is not a usable plan area (a valid Polygon/MultiPolygon in lon/lat), or None."""
    if not isinstance(value, dict) or value.get("type") not in ("Polygon", "MultiPolygon"):
        return "forventet en GeoJSON-flate: {type: Polygon, coordinates: [[[lengdegrad, breddegrad], …]]}"
    key = _key("plan", value)
    if key in _VALID and _drawable(value):
        return None
    problem = _plan_area_problem(value)
    if problem is None and key:
        _VALID.add(key)
    return problem


def _plan_area_problem(value: dict[str, Any]) -> str | None:
    import shapely
    from shapely.geometry import shape

    try:
        geom = shape(value)
    except Exception:  # noqa: BLE001 - shapely raises many kinds for malformed coordinates
        return "koordinatene kan ikke leses som en flate (en ring er en liste av [lengdegrad, breddegrad]-par)"
    if geom.is_empty:
        return "flaten er tom"
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        return "koordinatene må være lengde- og breddegrad (WGS 84, EPSG:4326)"
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        for english, norwegian in _REASONS.items():
            reason = reason.replace(english, norwegian)
        return f"ugyldig flate: {reason}"
    return None


_REASONS = {"Ring Self-intersection": "ringen krysser seg selv ved ",
            "Self-intersection": "kanten krysser seg selv ved ",
            "Too few points": "for få punkter ", "Hole lies outside shell": "et hull ligger utenfor flaten "}


def km_outside(districts: dict[str, dict[str, Any]],
               hubs: list[tuple[float, float]]) -> Callable[[dict[str, Any]], float]:
    """How far (km) a plan area (or a hub's :func:`point`) lies from the municipality, as a function of
    the area: from its district areas if it has them, else from the hubs, allowing the hubs' own
    spread; 0 when it touches. An area measured before from the same districts and hubs is known
    (:data:`_FAR`); for the others the municipality's outline, in metres, is made once (45 unions of
    it on the demo ×22 were 20 ms of each build)."""
    if not districts and not hubs:
        return lambda area: 0.0
    whole = _key("from", [{slug: _key("area", area) for slug, area in districts.items()}, hubs])
    measure: Callable[[dict[str, Any]], float] | None = None

    def far(area: dict[str, Any]) -> float:
        nonlocal measure
        plan = _key("plan", area)
        if whole and plan in _FAR and _FAR[plan][0] == whole:
            return _FAR[plan][1]
        if measure is None:  # one outline a load, for the plans' check and the hubs'
            measure = _OUTLINES.get(whole or "") or _measure(districts, hubs)
            if whole:
                _OUTLINES[whole] = measure
        km = measure(area)
        if whole and plan:
            _FAR[plan] = (whole, km)
        return km

    return far


#: The municipality's outline, as a distance function (:func:`_measure`), by what it is made from, during one load.
_OUTLINES: dict[str, Callable[[dict[str, Any]], float]] = {}


def _measure(districts: dict[str, dict[str, Any]],
             hubs: list[tuple[float, float]]) -> Callable[[dict[str, Any]], float]:
    import shapely
    from pyproj import Transformer

    if districts:
        whole = shapely.union_all(list(shapes(districts, "districts.geojson").values()))
    else:
        whole = shapely.MultiPoint([(lon, lat) for lat, lon in hubs]).convex_hull
    c = whole.centroid
    zone = zone_of(c.x)
    to_m = Transformer.from_crs("EPSG:4326", utm(zone, c.y), always_xy=True)
    # Points every 0.01° at most (about a kilometre) before projecting: a straight edge in degrees is
    # a curve in metres, and a long edge's chord was 0.2 km off a plan area inside the district.
    w = shapely.transform(shapely.segmentize(whole, 0.01), to_m.transform, interleaved=False)
    holds = in_zone(whole.bounds, zone) and finite([w])
    slack = max(2000.0, shapely.minimum_bounding_radius(w)) if not districts and holds else 0.0

    def far(area: dict[str, Any]) -> float:
        if area.get("type") == "Point":  # a hub's place (:func:`point`)
            plan = shapely.Point(area["coordinates"])
        else:
            plan = shapes({"area": area}, "planområdet")["area"]
        if holds and in_zone(plan.bounds, zone):
            a = shapely.transform(shapely.segmentize(plan, 0.01), to_m.transform, interleaved=False)
            if finite([a]) and (km := max(0.0, (a.distance(w) - slack) / 1000)) <= WIDE_KM:
                return km
        return _on_the_ellipsoid(plan, whole)

    return far


def point(lat: float, lon: float) -> dict[str, Any]:
    """A hub's place as GeoJSON, measured as a plan area is (:func:`km_outside`) and kept as one."""
    return {"type": "Point", "coordinates": [lon, lat]}


#: A hub farther than this from the middle of all hubs (when there are no district areas to measure
#: against) is taken for a mistake: Norway's widest municipality (Kautokeino) is about 150 km across,
#: and a hub with latitude and longitude swapped lies thousands of km away.
SPREAD_KM = 200.0


def km_from_middle(hubs: Mapping[str, tuple[float, float]]) -> dict[str, float]:
    """How far (km) each hub (by name: latitude, longitude) lies from the hubs' middle: the median
    latitude and longitude, which one misplaced hub of three or more does not move far. Longitudes
    are taken around the first hub's, so a municipality across 180° has its middle there."""
    if not hubs:
        return {}
    lon0 = next(iter(hubs.values()))[1]
    around = {name: (lat, (lon - lon0 + 180) % 360 - 180) for name, (lat, lon) in hubs.items()}
    middle = (statistics.median(lat for lat, _ in around.values()),
              statistics.median(lon for _, lon in around.values()))
    return {name: great_circle_km(place, middle) for name, place in around.items()}


def far_hubs(hubs: Mapping[str, tuple[float, float]]) -> dict[str, float]:
    """The hubs more than :data:`SPREAD_KM` from the hubs' middle (:func:`km_from_middle`), with how far.
    Of two hubs the middle is halfway: two that far apart are both named, as nothing tells which one is
    wrong (either swapped back lies beside the other)."""
    return {name: km for name, km in km_from_middle(hubs).items() if km > SPREAD_KM}


def great_circle_km(p: tuple[float, float], q: tuple[float, float]) -> float:
    """Km between two (latitude, longitude) places on a sphere (0.5 % off the ellipsoid at most): enough
    to tell a swap, with no geometry library to import on every build."""
    a, b = math.radians(p[0]), math.radians(q[0])
    h = math.sin((b - a) / 2) ** 2 + math.cos(a) * math.cos(b) * math.sin(math.radians(q[1] - p[1]) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def finite(projected: list[Any]) -> bool:
    """Whether every point of shapes projected to a UTM zone is a number: where the zone holds
    (:func:`in_zone`) they are, and a shape valid in degrees may still come out touching itself
    (a hole at its ring), which a map and a distance take as it is."""
    import numpy as np
    import shapely

    return bool(np.isfinite(shapely.get_coordinates(projected)).all())


def _on_the_ellipsoid(plan: Any, whole: Any) -> float:
    """Km from ``plan`` to ``whole`` (longitude and latitude) where no one projection holds for both:
    between their nearest points in degrees, measured on the WGS 84 ellipsoid. Rough, and only ever
    far beyond :data:`FAR_KM` (a plan with [latitude, longitude] swapped, say), which is all it says."""
    import shapely
    from pyproj import Geod

    with warnings.catch_warnings():  # GEOS's arithmetic on a sliver warns, and the answer is still an answer
        warnings.simplefilter("ignore", RuntimeWarning)
        if plan.intersects(whole):
            return 0.0
        p, q = shapely.shortest_line(plan, whole).coords
    return float(Geod(ellps="WGS84").inv(p[0], p[1], q[0], q[1])[2]) / 1000
