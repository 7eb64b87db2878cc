"""Make the demo's ``content/districts.geojson``: invented district areas around the demo hubs.

The demo has no real boundary data, so each district gets the area nearer to its hub than to any
other (a Voronoi cell), cut to a buffer around all hubs. Clearly example data: a web team puts its
own boundaries in the file. Usage: python scripts/demo_areas.py [content]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import shapely
import yaml
from pyproj import Transformer
from shapely.geometry import mapping


def main(content: Path) -> None:
    hubs = {}
    for f in sorted((content / "districts").glob("*/district.yaml")):
        c = yaml.safe_load(f.read_text("utf-8"))["hub"]["coordinates"]
        hubs[f.parent.name] = (c["lon"], c["lat"])
    there = Transformer.from_crs("EPSG:4326", "EPSG:25832", always_xy=True)
    back = Transformer.from_crs("EPSG:25832", "EPSG:4326", always_xy=True)
    points = {slug: shapely.Point(there.transform(*ll)) for slug, ll in hubs.items()}
    outline = shapely.MultiPoint(list(points.values())).convex_hull.buffer(3000, quad_segs=4)
    cells = shapely.voronoi_polygons(shapely.MultiPoint(list(points.values())), extend_to=outline)
    features = []
    for slug, p in points.items():
        cell = next(c for c in cells.geoms if c.contains(p)).intersection(outline)
        lonlat = shapely.transform(cell, back.transform, interleaved=False)
        lonlat = shapely.set_precision(lonlat, 0.00001)
        features.append({"type": "Feature", "properties": {"district": slug, "example": True},
                         "geometry": mapping(lonlat)})
    out = {"type": "FeatureCollection", "name": "Eksempel: oppdiktede kommunedelsgrenser", "features": features}
    (content / "districts.geojson").write_text(json.dumps(out, ensure_ascii=False) + "\n", "utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "content"))
