"""``content/districts.geojson``: the web team's own district boundaries, checked like all content."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape

from hub.content.errors import ErrorLog

MAX_BYTES = 5 * 1024 * 1024


def read_areas(path: Path, districts: set[str], log: ErrorLog) -> dict[str, dict[str, Any]]:
    """``districts.geojson``: one Polygon/MultiPolygon feature per district, ``properties.district`` its slug."""
    if not path.is_file():
        return {}
    if path.stat().st_size > MAX_BYTES:
        log.add(path, 0, "", "filen er større enn 5 MB; forenkle grensene før de legges i innholdet")
        return {}
    try:
        data = json.loads(path.read_text("utf-8-sig"))
    except UnicodeDecodeError:
        log.add(path, 0, "", "filen er ikke UTF-8")
        return {}
    except json.JSONDecodeError as exc:
        log.add(path, exc.lineno, "", f"ugyldig JSON: {exc.msg}")
        return {}
    features = data.get("features") if isinstance(data, dict) and data.get("type") == "FeatureCollection" else None
    if not isinstance(features, list):
        log.add(path, 1, "type", "forventet en GeoJSON FeatureCollection")
        return {}
    out: dict[str, dict[str, Any]] = {}
    for i, f in enumerate(features):
        where = f"features[{i}]"
        props = f.get("properties") if isinstance(f, dict) else None
        slug = props.get("district") if isinstance(props, dict) else None
        if slug not in districts:
            log.add(path, 0, f"{where}.properties.district", f"ukjent kommunedel {slug!r}")
            continue
        try:
            geom = shape(f.get("geometry"))
        except Exception:  # noqa: BLE001 - shapely raises many kinds for malformed geometry
            log.add(path, 0, f"{where}.geometry", "ugyldig geometri (forventet Polygon eller MultiPolygon)")
            continue
        if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty:
            log.add(path, 0, f"{where}.geometry", f"forventet Polygon eller MultiPolygon, fant {geom.geom_type}")
        elif not geom.is_valid:
            log.add(path, 0, f"{where}.geometry", f"ugyldig flate: {shapely.is_valid_reason(geom)}")
        elif not (-180 <= geom.bounds[0] <= 180 and -90 <= geom.bounds[1] <= 90):
            log.add(path, 0, f"{where}.geometry", "koordinatene må være lengde- og breddegrad (WGS 84, EPSG:4326)")
        elif slug in out:
            log.add(path, 0, where, f"kommunedelen {slug!r} har allerede en flate")
        else:
            out[slug] = f["geometry"]
    return out
