"""Maps of the countries, drawn on the server as SVG from Natural Earth's boundaries
(``geodata/``): Europe large, in the EU's own projection (Lambert azimuthal equal-area centred
on 52°N 10°E), and the world in the Equal Earth projection.

The shapes are projected, clipped to the frame and rounded to a tenth of a unit once per
process; a page only chooses each country's class and link. Europe's frame is a box of
longitudes and latitudes, drawn: Russia and Türkiye are cut at its edge rather than filling it.
A country large enough on a map gets a point where its count fits (``Shape.label_at``).
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
    # where a count fits inside the country (its largest piece drawn is large enough), or None
    label_at: tuple[float, float] | None = None


@dataclass(frozen=True)
class Frame:
    slug: str
    width: int
    height: int
    shapes: tuple  # Shape, in the file's order
    # Below this area (in square units of the frame) a country is hard to find and to hit:
    # it gets a marker, a circle over its place.
    small_area: float
    outline: str = ""  # the frame's own edge, when it is a box of longitudes and latitudes

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


def _densified(ring, step=1.0):
    """The ring with points every ``step`` degrees along its long straight stretches: the
    edges a cut at a meridian or a parallel left are curves once projected."""
    points = []
    for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
        points.append(a)
        pieces = int(max(abs(b[0] - a[0]), abs(b[1] - a[1])) / step)
        for index in range(1, pieces):
            share = index / pieces
            points.append((a[0] + (b[0] - a[0]) * share, a[1] + (b[1] - a[1]) * share))
    return points


def _inside(point, ring) -> bool:
    """Whether ``point`` lies inside the polygon ``ring`` (even-odd rule)."""
    x, y = point
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (x1 - x0) * (y - y0) / (y1 - y0):
            inside = not inside
    return inside


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


# Half the width and height of the box a count of up to two digits takes on a map, in units
# of the frame (the stylesheet prints it at 15): a count is printed only where this box lies
# within the country, and a longer count is squeezed into it (LABEL_WIDTH).
LABEL_HALF_BOX = (11.0, 8.0)
LABEL_WIDTH = 2 * LABEL_HALF_BOX[0] - 2


def _label_point(centre, ring):
    """The point nearest ``centre`` where a count's box lies wholly within ``ring``, or None:
    the centre itself in a round country, somewhere else in a bent one (Norway, Italy)."""
    half_width, half_height = LABEL_HALF_BOX
    step = 3.0
    ys = [point[1] for point in ring]
    rows = {}  # y -> the stretches (x0, x1) of that horizontal line within the ring
    y = min(ys) + step / 2
    while y < max(ys):
        crossings = sorted(
            x0 + (x1 - x0) * (y - y0) / (y1 - y0)
            for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)
            if (y0 > y) != (y1 > y)
        )
        rows[y] = list(zip(crossings[0::2], crossings[1::2], strict=False))
        y += step
    heights = sorted(rows)
    reach = math.ceil(half_height / step)

    def fits(x, row):
        for other in heights[max(0, row - reach) : row + reach + 1]:
            if not any(x0 <= x - half_width and x + half_width <= x1 for x0, x1 in rows[other]):
                return False
        return row - reach >= 0 and row + reach < len(heights)

    best, distance = None, math.inf
    for row, y in enumerate(heights):
        for x0, x1 in rows[y]:
            if x1 - x0 < 2 * half_width:
                continue
            x = min(max(centre[0], x0 + half_width), x1 - half_width)
            away = math.hypot(x - centre[0], y - centre[1])
            if away < distance and fits(x, row):
                best, distance = (x, y), away
    return best


def _draw(
    slug,
    project,
    *,
    width,
    tolerance,
    small_area,
    label_area,
    corners=(),
    bounds=None,
    margin=2.0,
) -> Frame:
    """Every country as seen in the rectangle that holds the projected ``corners``
    (lon, lat), scaled to ``width`` units. With ``bounds`` (west, south, east, north)
    instead, only what lies within those longitudes and latitudes, in the rectangle that
    holds the land there; the box's edge is the frame's outline. A country's count is
    printed where its largest piece is at least ``label_area`` square units."""
    geometries, arcs = _topology()
    countries_seen = []  # (geometry, code, name, [(index, projected ring)])
    for geometry in geometries:
        code_number = geometry.get("id")
        if code_number in _LEFT_OUT:
            continue
        name = geometry["properties"]["name"]
        rings = []
        for polygon in _polygons(geometry, arcs):
            for index, ring in enumerate(polygon):
                for piece in _cut_at_antimeridian(ring):
                    if bounds is not None:
                        piece = _densified(_clip(piece, *bounds))
                        if len(piece) < 3:
                            continue
                    rings.append((index, [project(lon, lat) for lon, lat in piece]))
        countries_seen.append((geometry, _code_of(code_number, name), name, rings))
    if bounds is None:
        projected = [project(lon, lat) for lon, lat in corners]
    else:
        projected = [point for *_, rings in countries_seen for _, ring in rings for point in ring]
    min_x, max_x = min(p[0] for p in projected), max(p[0] for p in projected)
    min_y, max_y = min(p[1] for p in projected), max(p[1] for p in projected)
    scale = width / (max_x - min_x)
    height = round((max_y - min_y) * scale)
    box = (-margin, -margin, width + margin, height + margin)

    def on_frame(x, y):
        return (x - min_x) * scale, (max_y - y) * scale

    outline = ""
    if bounds is not None:
        west, south, east, north = bounds
        edge = _densified([(west, south), (east, south), (east, north), (west, north)])
        outline = _path_of([on_frame(*project(lon, lat)) for lon, lat in edge], tolerance)
    shapes = []
    for geometry, code, name, rings in countries_seen:
        paths, biggest, area, label_at = [], (0.0, None), 0.0, None
        for index, ring in rings:
            whole = [on_frame(x, y) for x, y in ring]
            on_screen = _clip(whole, *box)
            path = _path_of(on_screen, tolerance)
            if not path:
                continue
            paths.append(path)
            if index == 0:  # the outer ring; the others are holes
                area += _area_and_centre(whole)[0]  # a country cut by the frame is no small one
                piece_area, centre = _area_and_centre(on_screen)
                if piece_area > biggest[0]:
                    biggest = (piece_area, centre)
                    large = piece_area >= label_area
                    label_at = _label_point(centre, on_screen) if large else None
        if not paths and biggest[1] is None:
            # too small to draw at this scale (the Vatican): a marker still shows where it is
            points = [
                on_frame(*project(lon, lat))
                for polygon in _polygons(geometry, arcs)
                for lon, lat in polygon[0]
            ]
            area, centre = _area_and_centre(points)
            if points and box[0] < centre[0] < box[2] and box[1] < centre[1] < box[3]:
                shapes.append(Shape(code, countries.name(code) or name, "", centre, area))
            continue
        if paths:
            label = countries.name(code) or name
            shapes.append(Shape(code, label, "".join(paths), biggest[1], area, label_at))
    return Frame(slug, width, height, _merged(shapes), small_area, outline)


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
            first.code,
            first.name,
            first.path + shape.path,
            larger.centre,
            first.area + shape.area,
            larger.label_at,
        )
    return tuple(merged)


def _code_of(number, name) -> str:
    if number:
        code = countries.alpha2(int(number))
        if code:
            return code
    return _CODES_BY_NAME.get(name, "")


# Europe's box: from Iceland's west to Cyprus and Moscow's longitude, from Crete and Cyprus
# to the North Cape. Russia and Türkiye are cut at its edge.
EUROPE_BOUNDS = (-25.0, 34.0, 40.0, 71.5)


@cache
def europe() -> Frame:
    return _draw(
        "europe",
        _laea(10, 52),
        width=800,
        tolerance=0.25,
        small_area=200,
        label_area=1400,
        bounds=EUROPE_BOUNDS,
    )


@cache
def world() -> Frame:
    return _draw(
        "world",
        _equal_earth,
        width=800,
        tolerance=0.6,
        small_area=40,
        label_area=900,
        corners=[(-180, 0), (180, 0), (0, 84), (0, -58)],
    )
