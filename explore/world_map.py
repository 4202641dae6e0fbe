"""Maps of the countries, drawn on the server as SVG from Natural Earth's boundaries
(``geodata/``): Europe large, in the EU's own projection (Lambert azimuthal equal-area centred
on 52°N 10°E), and the world in the Equal Earth projection.

The shapes are projected, clipped to the frame and rounded to a tenth of a unit once per
process; a page only chooses each country's shade and link.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

from django_countries import countries

BOUNDARIES = Path(__file__).parent / "geodata" / "countries-50m.json"
# Natural Earth gives these no ISO number; the toolkit knows Kosovo as XK.
_CODES_BY_NAME = {"Kosovo": "XK"}
_LEFT_OUT = {"010"}  # Antarctica: a quarter of the world map, and no cluster policy
MARKER_RADIUS = 6


@dataclass(frozen=True)
class Shape:
    code: str  # ISO 3166-1 alpha-2, or "" for a territory the toolkit has no code for
    name: str
    path: str  # SVG path data
    centre: tuple[float, float]
    area: float


@dataclass(frozen=True)
class Frame:
    slug: str
    width: int
    height: int
    shapes: tuple  # Shape, in the file's order
    # Below this area (in square units of the frame) a country is hard to find and to hit:
    # it gets a marker, a circle over its place.
    small_area: float

    def is_small(self, shape) -> bool:
        return shape.area < self.small_area


def _laea(lon0: float, lat0: float):
    """Lambert azimuthal equal-area on the sphere, centred on (lon0, lat0); y grows north."""
    phi0, lam0 = math.radians(lat0), math.radians(lon0)
    sin0, cos0 = math.sin(phi0), math.cos(phi0)

    def project(lon, lat):
        phi, dlam = math.radians(lat), math.radians(lon) - lam0
        cos_phi, cos_dlam = math.cos(phi), math.cos(dlam)
        k = math.sqrt(2 / max(1e-12, 1 + sin0 * math.sin(phi) + cos0 * cos_phi * cos_dlam))
        return k * cos_phi * math.sin(dlam), k * (cos0 * math.sin(phi) - sin0 * cos_phi * cos_dlam)

    return project


def _equal_earth(lon, lat):
    """Šavrič, Patterson and Jenny's Equal Earth projection (2018); y grows north."""
    a1, a2, a3, a4 = 1.340264, -0.081106, 0.000893, 0.003796
    m = math.sqrt(3) / 2
    theta = math.asin(m * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = math.radians(lon) * math.cos(theta) / (m * (a1 + 3 * a2 * t2 + t6 * (7 * a3 + 9 * a4 * t2)))
    return x, theta * (a1 + a2 * t2 + t6 * (a3 + a4 * t2))


@cache
def _topology():
    topology = json.loads(BOUNDARIES.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # quantised and delta-encoded
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return topology["objects"]["countries"]["geometries"], arcs


def _ring(arc_indexes, arcs):
    points = []
    for index in arc_indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _polygons(geometry, arcs):
    if geometry["type"] == "Polygon":
        return [[_ring(ring, arcs) for ring in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[_ring(ring, arcs) for ring in polygon] for polygon in geometry["arcs"]]
    return []


def _cut_at_antimeridian(ring):
    """The ring as pieces that each stay within longitudes -180..180: a ring that crosses the
    antimeridian (Russia's east, Fiji) would otherwise be drawn across the whole world."""
    if all(abs(b[0] - a[0]) <= 180 for a, b in pairwise(ring)):
        return [ring]
    unwrapped, shift = [ring[0]], 0.0
    for (lon0, _), (lon1, lat1) in pairwise(ring):
        if lon1 - lon0 > 180:
            shift -= 360
        elif lon0 - lon1 > 180:
            shift += 360
        unwrapped.append((lon1 + shift, lat1))
    pieces = []
    for offset in (-360, 0, 360):
        piece = _clip([(lon + offset, lat) for lon, lat in unwrapped], -180, -90, 180, 90)
        if len(piece) >= 3:
            pieces.append(piece)
    return pieces


def _clip(ring, left, top, right, bottom):
    """Sutherland-Hodgman: the part of a ring inside the rectangle."""
    edges = (
        (lambda p: p[0] >= left, lambda a, b: _at_x(a, b, left)),
        (lambda p: p[0] <= right, lambda a, b: _at_x(a, b, right)),
        (lambda p: p[1] >= top, lambda a, b: _at_y(a, b, top)),
        (lambda p: p[1] <= bottom, lambda a, b: _at_y(a, b, bottom)),
    )
    for inside, crossing in edges:
        if not ring:
            break
        clipped, previous = [], ring[-1]
        for point in ring:
            if inside(point):
                if not inside(previous):
                    clipped.append(crossing(previous, point))
                clipped.append(point)
            elif inside(previous):
                clipped.append(crossing(previous, point))
            previous = point
        ring = clipped
    return ring


def _at_x(a, b, x):
    return x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0])


def _at_y(a, b, y):
    return a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y


def _area_and_centre(ring):
    twice_area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        twice_area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(twice_area) < 1e-9:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    return abs(twice_area) / 2, (cx / (3 * twice_area), cy / (3 * twice_area))


def _simplified(ring, tolerance):
    """Douglas-Peucker: the fewest points of the ring that stay within ``tolerance`` of it."""
    if len(ring) < 4:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    pending = [(0, len(ring) - 1)]
    while pending:
        first, last = pending.pop()
        (ax, ay), (bx, by) = ring[first], ring[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        farthest, distance = None, tolerance
        for index in range(first + 1, last):
            px, py = ring[index]
            if length:
                away = abs(dy * (px - ax) - dx * (py - ay)) / length
            else:
                away = math.hypot(px - ax, py - ay)
            if away > distance:
                farthest, distance = index, away
        if farthest is not None:
            keep[farthest] = True
            pending += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(ring, keep, strict=True) if kept]


def _path_of(ring, tolerance) -> str:
    rounded = []
    for x, y in _simplified(ring, tolerance):
        point = (round(x, 1), round(y, 1))
        if not rounded or point != rounded[-1]:
            rounded.append(point)
    if len(rounded) > 1 and rounded[0] == rounded[-1]:
        rounded.pop()
    if len(rounded) < 3:
        return ""
    return "M" + "L".join(f"{x:g},{y:g}" for x, y in rounded) + "Z"


def _draw(slug, project, corners, *, width, tolerance, small_area, margin=2.0) -> Frame:
    """Every country as seen in the rectangle that holds the projected ``corners``
    (lon, lat), scaled to ``width`` units."""
    projected = [project(lon, lat) for lon, lat in corners]
    min_x, max_x = min(p[0] for p in projected), max(p[0] for p in projected)
    min_y, max_y = min(p[1] for p in projected), max(p[1] for p in projected)
    scale = width / (max_x - min_x)
    height = round((max_y - min_y) * scale)
    box = (-margin, -margin, width + margin, height + margin)
    geometries, arcs = _topology()
    shapes = []
    for geometry in geometries:
        code_number = geometry.get("id")
        if code_number in _LEFT_OUT:
            continue
        name = geometry["properties"]["name"]
        code = _code_of(code_number, name)
        paths, biggest, area = [], (0.0, None), 0.0
        for polygon in _polygons(geometry, arcs):
            for index, ring in enumerate(polygon):
                for piece in _cut_at_antimeridian(ring):
                    whole = [
                        ((x - min_x) * scale, (max_y - y) * scale)
                        for x, y in (project(lon, lat) for lon, lat in piece)
                    ]
                    on_screen = _clip(whole, *box)
                    path = _path_of(on_screen, tolerance)
                    if not path:
                        continue
                    paths.append(path)
                    if index == 0:  # the outer ring; the others are holes
                        area += _area_and_centre(whole)[
                            0
                        ]  # a country cut by the frame is no small one
                        biggest = max(
                            biggest, _area_and_centre(on_screen), key=lambda pair: pair[0]
                        )
        if not paths and biggest[1] is None:
            # too small to draw at this scale (the Vatican): a marker still shows where it is
            points = [
                ((x - min_x) * scale, (max_y - y) * scale)
                for polygon in _polygons(geometry, arcs)
                for x, y in (project(lon, lat) for lon, lat in polygon[0])
            ]
            area, centre = _area_and_centre(points)
            if points and box[0] < centre[0] < box[2] and box[1] < centre[1] < box[3]:
                shapes.append(Shape(code, countries.name(code) or name, "", centre, area))
            continue
        if paths:
            shapes.append(
                Shape(code, countries.name(code) or name, "".join(paths), biggest[1], area)
            )
    return Frame(slug, width, height, _merged(shapes), small_area)


def _merged(shapes) -> tuple:
    """One shape per country: Natural Earth draws some territories apart under their
    country's number (Australia's Ashmore and Cartier Islands)."""
    by_code, merged = {}, []
    for shape in shapes:
        index = by_code.get(shape.code) if shape.code else None
        if index is None:
            by_code[shape.code] = len(merged)
            merged.append(shape)
            continue
        first = merged[index]
        larger = max(first, shape, key=lambda each: each.area)
        merged[index] = Shape(
            first.code, first.name, first.path + shape.path, larger.centre, first.area + shape.area
        )
    return tuple(merged)


def _code_of(number, name) -> str:
    if number:
        code = countries.alpha2(int(number))
        if code:
            return code
    return _CODES_BY_NAME.get(name, "")


@cache
def europe() -> Frame:
    # From Iceland's west and the Canaries' latitude to Cyprus and the Urals' foothills.
    corners = [(-25, 66), (-16, 34), (14, 33.5), (36, 33), (45, 56), (32, 71.5), (5, 71.5)]
    return _draw("europe", _laea(10, 52), corners, width=800, tolerance=0.25, small_area=200)


@cache
def world() -> Frame:
    corners = [(-180, 0), (180, 0), (0, 84), (0, -58)]
    return _draw("world", _equal_earth, corners, width=800, tolerance=0.6, small_area=40)
