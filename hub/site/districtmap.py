"""The district map: inline SVG drawn at build time, with no tiles and no requests to anyone.

District areas come from the web team's own boundary file (``content/districts.geojson``,
optional, read by :mod:`hub.content.geo`); hubs are numbered points from their coordinates.
Coordinates are projected to the ETRS89 / UTM zone of the municipality with pyproj, and the
areas simplified together as a coverage with shapely (neighbours keep one shared border).
The SVG is decorative for assistive technology: its numbers and links are repeated in the
legend list beside it, which is the text alternative and the way in by keyboard.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import astuple, dataclass
from typing import TYPE_CHECKING, Any

from hub.content.geo import finite, in_zone, shapes, utm, zone_of

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

WIDTH = 360.0  # viewBox units; the map scales to its box, so numbers stay ~12 px at 320 px width
PAD = 14.0
#: Light tints that keep dark text and borders at AA contrast; neighbours get different ones.
FILLS = ("#e6eef7", "#eef5e4", "#f8eedf", "#f1e7f3", "#e4f2f1")


LABEL = 9.0  # radius of a numbered label, viewBox units


@dataclass(frozen=True)
class Point:
    """A hub at (x, y) and its numbered label at (lx, ly): moved apart from close neighbours, with a
    leader line back to the hub when it had to move."""

    number: int
    slug: str
    x: float
    y: float
    lx: float
    ly: float

    @property
    def moved(self) -> bool:
        return abs(self.lx - self.x) + abs(self.ly - self.y) > 1


@dataclass(frozen=True)
class Drawing:
    """What the template draws: the viewBox height, area paths with their fill, numbered hubs, and
    a plan area (``overlay``) with a ring around it (``marker``: x, y, r) where it is too small to see."""

    height: float
    areas: tuple[tuple[str, str, str], ...]  # (slug, path data, fill)
    points: tuple[Point, ...]
    overlay: str = ""
    marker: tuple[float, float, float] | None = None


def to_json(drawing: Drawing | None) -> bytes:
    """A drawing as the build's fragment store keeps it (floats round-trip exactly)."""
    if drawing is None:
        return b"null"
    return json.dumps([drawing.height, drawing.areas, [astuple(p) for p in drawing.points], drawing.overlay,
                       drawing.marker]).encode()


def from_json(data: bytes) -> Drawing | None:
    """A drawing :func:`to_json` wrote; ValueError for anything else."""
    try:
        found = json.loads(data)
        if found is None:
            return None
        height, areas, points, overlay, marker = found
        drawing = Drawing(float(height), tuple((str(s), str(d), str(f)) for s, d, f in areas),
                          tuple(Point(int(n), str(s), *map(float, xy)) for n, s, *xy in points), str(overlay),
                          (float(marker[0]), float(marker[1]), float(marker[2])) if marker else None)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"not a stored map: {exc}") from exc
    return drawing


#: A plan area narrower than this (viewBox units) gets a ring around it, so it is found on the map.
SMALL = 14.0
#: The detail map shows at least this many metres across, with the plan area in its middle.
DETAIL_METRES = 1500.0


def draw(hubs: list[tuple[str, float, float]], areas: Mapping[str, dict[str, Any]],
         overlay: dict[str, Any] | None = None, *, detail: bool = False) -> Drawing | None:
    """Project, simplify and fit to the viewBox. ``hubs``: (slug, lat, lon) in legend order.

    ``overlay`` (a plan area, GeoJSON) is drawn on top, in the same projection; with ``detail`` the
    map is cut to the plan area and what is around it (hubs outside the cut are left out).
    """
    if not hubs and not areas:
        return None
    # Imported here: most builds read their maps back from the store (0.2 s of imports).
    import shapely
    from pyproj import Transformer

    geoms = shapes(areas, "districts.geojson")
    lons = [lon for _, _, lon in hubs] + [g.centroid.x for g in geoms.values()]
    lats = [lat for _, lat, _ in hubs] + [g.centroid.y for g in geoms.values()]
    zone = zone_of(sum(lons) / len(lons))
    to_map = Transformer.from_crs("EPSG:4326", utm(zone, sum(lats) / len(lats)), always_xy=True)
    area = shapes({"area": overlay}, "planområdet")["area"] if overlay else None
    places = [shapely.Point(lon, lat) for _, lat, lon in hubs]
    if not in_zone(tuple(shapely.total_bounds([*geoms.values(), *places, *([area] if area else [])])), zone):
        return None  # valid, yet too far apart for one zone's projection: the legend stands alone
    projected = {slug: shapely.transform(g, to_map.transform, interleaved=False) for slug, g in geoms.items()}
    marks = [shapely.transform(p, to_map.transform, interleaved=False) for p in places]
    plan = shapely.transform(area, to_map.transform, interleaved=False) if area is not None else None
    if not finite([*projected.values(), *marks, *([plan] if plan is not None else [])]):
        return None
    pts = [(slug, m.x, m.y) for (slug, _, _), m in zip(hubs, marks, strict=True)]
    if plan is not None and detail:
        cx, cy = plan.centroid.x, plan.centroid.y
        px0, py0, px1, py1 = plan.bounds
        half = max(px1 - px0, py1 - py0, DETAIL_METRES) * 0.8
        minx, miny, maxx, maxy = cx - half, cy - half * 0.75, cx + half, cy + half * 0.75
        pts = [(s, x, y) for s, x, y in pts if minx <= x <= maxx and miny <= y <= maxy]
    else:
        minx, miny, maxx, maxy = (float(v) for v in shapely.total_bounds(
            [*projected.values(), *(shapely.Point(x, y) for _, x, y in pts)]))
    span = max(maxx - minx, maxy - miny, 1.0)
    if projected:
        slugs = list(projected)
        try:
            simple = shapely.coverage_simplify(list(projected.values()), tolerance=span / 300)
        except shapely.errors.GEOSException:  # a valid area it cannot take (a sliver, say): each simplified alone
            simple = shapely.simplify(list(projected.values()), tolerance=span / 300, preserve_topology=True)
        projected = dict(zip(slugs, simple, strict=True))
    scale = (WIDTH - 2 * PAD) / max(maxx - minx, 1.0)
    height = round(min((maxy - miny) * scale + 2 * PAD, WIDTH * 1.4), 1)
    scale = min(scale, (height - 2 * PAD) / max(maxy - miny, 1.0))

    def xy(x: float, y: float) -> tuple[float, float]:
        return round(PAD + (x - minx) * scale, 1), round(height - PAD - (y - miny) * scale, 1)

    fills = _colours(projected)
    drawn = tuple((slug, _path(g, xy), fills[slug]) for slug, g in sorted(projected.items()))
    at = [xy(x, y) for _, x, y in pts]
    labels = _spread(at, 2 * LABEL + 2, (LABEL, LABEL, WIDTH - LABEL, height - LABEL))
    numbers = {slug: i for i, (slug, _, _) in enumerate(hubs, start=1)}  # a detail map keeps the legend's numbers
    points = tuple(Point(numbers[slug], slug, *at[i], *labels[i]) for i, (slug, _, _) in enumerate(pts))
    if plan is None:
        return Drawing(height, drawn, points)
    (x0, y0), (x1, y1) = xy(plan.bounds[0], plan.bounds[1]), xy(plan.bounds[2], plan.bounds[3])
    size = max(abs(x1 - x0), abs(y0 - y1))
    marker = (*xy(plan.centroid.x, plan.centroid.y), round(size / 2 + 6, 1)) if size < SMALL else None
    return Drawing(height, drawn, points, _path(plan, xy), marker)


#: Labels placed by an earlier build, read back with its drawing (see :func:`remember`).
_known: dict[tuple[Any, ...], tuple[tuple[float, float], ...]] = {}


def remember(drawing: Drawing) -> None:
    """Know the labels of a map of the whole municipality read back from the build's store, so
    that each plan's map of it (the same hubs, the same box) does not place them again."""
    if len(_known) >= 64:  # a long preview session sees many maps; a build one
        _known.clear()
    at = tuple((p.x, p.y) for p in drawing.points)
    _known[(at, 2 * LABEL + 2, (LABEL, LABEL, WIDTH - LABEL, drawing.height - LABEL))] = tuple(
        (p.lx, p.ly) for p in drawing.points)


def _spread(at: list[tuple[float, float]], gap: float, box: tuple[float, float, float, float],
            rounds: int = 200) -> list[tuple[float, float]]:
    known = _known.get((tuple(at), gap, box)) if rounds == 200 else None
    return list(known if known is not None else _spread_once(tuple(at), gap, box, rounds))


@functools.lru_cache(maxsize=64)  # every plan's map of the whole municipality has the same labels
def _spread_once(at: tuple[tuple[float, float], ...], gap: float, box: tuple[float, float, float, float],
                 rounds: int) -> tuple[tuple[float, float], ...]:
    """Push labels that overlap apart, a little at a time, keeping them in the box (deterministic).

    Each round moves every label by the sum of its overlaps' pushes at once (numpy, all pairs):
    a region's 200 hubs cost milliseconds, not seconds of pair-by-pair Python.
    """
    if not at:
        return ()
    import numpy as np

    pos = np.array(at, dtype=float)
    n = len(pos)
    seen: dict[tuple[float, float], int] = {}
    for i, p in enumerate(at):  # labels on one spot start on a sunflower spiral around it, not in a line
        k = seen[p] = seen.get(p, -1) + 1
        if k:
            pos[i] += gap * 0.6 * k ** 0.5 * np.array((np.cos(k * 2.39996), np.sin(k * 2.39996)))
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    lo, hi = np.array(box[:2]), np.array(box[2:])
    np.clip(pos, lo, hi, out=pos)
    for _ in range(rounds):
        d = pos[None, :, :] - pos[:, None, :]  # d[i, j] = pos[j] - pos[i]
        dist = np.hypot(d[..., 0], d[..., 1])
        close = upper & (dist < gap)
        if not close.any():
            break
        same = close & (dist < 1e-6)
        d[same] = (1.0, 0.0)
        dist = np.where(same, 1.0, dist)
        push = np.where(close, (gap - dist) / 2 + 0.1, 0.0) / np.where(close, dist, 1.0)
        move = d * push[..., None]  # how far j moves away from i; i moves the opposite way
        pos += move.sum(axis=0) - move.sum(axis=1)
        np.clip(pos, lo, hi, out=pos)
    return tuple((round(float(x), 1), round(float(y), 1)) for x, y in pos)


def _path(geom: BaseGeometry, xy: Any) -> str:
    polygons = getattr(geom, "geoms", [geom])
    out = []
    for poly in polygons:
        for ring in (poly.exterior, *poly.interiors):
            coords = [xy(x, y) for x, y in ring.coords[:-1]]
            out.append("M" + "L".join(f"{x:g} {y:g}" for x, y in coords) + "Z")
    return "".join(out)


def _colours(areas: Mapping[str, BaseGeometry]) -> dict[str, str]:
    """Greedy colouring: each area takes the first tint none of its neighbours has."""
    out: dict[str, str] = {}
    for slug in sorted(areas):
        taken = {out[o] for o in out if areas[o].buffer(1).intersects(areas[slug])}
        out[slug] = next((c for c in FILLS if c not in taken), FILLS[0])
    return out
