"""``content/districts.geojson``: the web team's own district boundaries, checked like all content."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hub.content.errors import ErrorLog
from hub.content.source import parse_json, read_text

MAX_BYTES = 5 * 1024 * 1024
_WS = " \t\n\r"


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
    import shapely  # here, not above: a build that reuses the parsed districts never needs it (0.13 s)
    from shapely.geometry import shape

    out: dict[str, dict[str, Any]] = {}
    lines = feature_lines(text)
    for i, f in enumerate(features):
        where, line = f"features[{i}]", lines[i] if i < len(lines) else 1
        props = f.get("properties") if isinstance(f, dict) else None
        slug = props.get("district") if isinstance(props, dict) else None
        if not isinstance(slug, str) or slug not in districts:
            log.add(path, line, f"{where}.properties.district", f"ukjent kommunedel {slug!r}")
            continue
        try:
            with warnings.catch_warnings():  # NaN coordinates: reported below (the bounds), not as a warning
                warnings.simplefilter("ignore", RuntimeWarning)
                geom = shape(f.get("geometry"))
                geom.is_valid  # noqa: B018 - computed here, within the filter, and cached by shapely
        except Exception:  # noqa: BLE001 - shapely raises many kinds for malformed geometry
            log.add(path, line, f"{where}.geometry", "ugyldig geometri (forventet Polygon eller MultiPolygon)")
            continue
        if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty:
            log.add(path, line, f"{where}.geometry", f"forventet Polygon eller MultiPolygon, fant {geom.geom_type}")
        elif not geom.is_valid:
            log.add(path, line, f"{where}.geometry", f"ugyldig flate: {shapely.is_valid_reason(geom)}")
        elif not (-180 <= geom.bounds[0] <= geom.bounds[2] <= 180 and -90 <= geom.bounds[1] <= geom.bounds[3] <= 90):
            log.add(path, line, f"{where}.geometry", "koordinatene må være lengde- og breddegrad (WGS 84, EPSG:4326)")
        elif slug in out:
            log.add(path, line, where, f"kommunedelen {slug!r} har allerede en flate")
        else:
            out[slug] = f["geometry"]
    return out


#: A plan area farther than this from every district (or, without district areas, from every hub
#: beyond the hubs' own spread) is taken for a mistake, such as latitude and longitude swapped.
FAR_KM = 5.0


def polygon_problem(value: Any) -> str | None:
    """Why a GeoJSON geometry is not a usable plan area (a valid Polygon/MultiPolygon in lon/lat), or None."""
    if not isinstance(value, dict) or value.get("type") not in ("Polygon", "MultiPolygon"):
        return "forventet en GeoJSON-flate: {type: Polygon, coordinates: [[[lengdegrad, breddegrad], …]]}"
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
    """How far (km) a plan area lies from the municipality, as a function of the area: from its district
    areas if it has them, else from the hubs, allowing the hubs' own spread; 0 when it touches. The
    municipality's outline, in metres, is made once for all plans (45 unions of it on the demo ×22 were
    20 ms of each build)."""
    import shapely
    from pyproj import Transformer
    from shapely.geometry import shape

    if districts:
        whole = shapely.union_all([shape(g) for g in districts.values()])
    elif hubs:
        whole = shapely.MultiPoint([(lon, lat) for lat, lon in hubs]).convex_hull
    else:
        return lambda area: 0.0
    c = whole.centroid
    zone = int((c.x + 180) // 6) + 1
    to_m = Transformer.from_crs("EPSG:4326", f"EPSG:{32600 + zone if c.y >= 0 else 32700 + zone}", always_xy=True)
    w = shapely.transform(whole, to_m.transform, interleaved=False)
    slack = 0.0 if districts else max(2000.0, shapely.minimum_bounding_radius(w))

    def far(area: dict[str, Any]) -> float:
        a = shapely.transform(shape(area), to_m.transform, interleaved=False)
        return max(0.0, (a.distance(w) - slack) / 1000)

    return far
