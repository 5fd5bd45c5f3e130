"""Map geometry: TopoJSON decoding, the Natural Earth projection and clipping at the seam.

The world map is a Natural Earth I projection with its central meridian at 150°E, so that
Korea sits near the middle and the Pacific is whole: the seam then runs at 30°W through the
Atlantic, and the only country it cuts is Greenland. Rings that cross the seam are clipped
into pieces on either edge, never drawn as lines across the whole map.

Everything here is plain arithmetic on tuples; `build_map` runs it once and commits the
result, and the pages only use `project()` to place points.
"""

import math
import re

CENTRAL_MERIDIAN = 150.0
WIDTH = 960.0
NORTH, SOUTH = 84.0, -58.0  # Antarctica is left out; this crops the empty polar strips.
_X_MAX = 0.8707 * math.pi
SCALE = WIDTH / (2 * _X_MAX)


def _natural_earth(lon, lat):
    """D3's naturalEarth1 raw projection, in radians in and unit coordinates out."""
    lam, phi = math.radians(lon), math.radians(lat)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (
        0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4))
    )
    y = phi * (
        1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4))
    )
    return x, y


_TOP = _natural_earth(0, NORTH)[1]
HEIGHT = round((_TOP - _natural_earth(0, SOUTH)[1]) * SCALE, 1)


def rotate(lon):
    """Longitude relative to the central meridian, in [-180, 180)."""
    return (lon - CENTRAL_MERIDIAN + 180.0) % 360.0 - 180.0


def project_rotated(x_lon, lat):
    x, y = _natural_earth(x_lon, max(min(lat, NORTH), SOUTH))
    return round((x + _X_MAX) * SCALE, 1), round((_TOP - y) * SCALE, 1)


def project(lon, lat):
    """SVG coordinates of a point given in degrees (WGS84)."""
    return project_rotated(rotate(float(lon)), float(lat))


# --- TopoJSON --------------------------------------------------------------------------


def decode_topology(topology, object_name="countries"):
    """Yield (numeric id, name, polygons) per geometry; polygons are lists of rings of
    (lon, lat) points, the outer ring first."""
    scale_x, scale_y = topology["transform"]["scale"]
    tx, ty = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + tx, y * scale_y + ty))
        arcs.append(points)

    def ring(indices):
        points = []
        for index in indices:
            part = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(part if not points else part[1:])
        return points

    for geometry in topology["objects"][object_name]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        yield (
            geometry.get("id"),
            geometry.get("properties", {}).get("name", ""),
            [[ring(r) for r in polygon] for polygon in polygons],
        )


def ring_area(points):
    """Signed planar area (shoelace), in square degrees."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1])) / 2


def ring_centroid(points):
    area = ring_area(points)
    if not area:
        xs, ys = zip(*points)
        return sum(xs) / len(xs), sum(ys) / len(ys)
    cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]):
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return cx / (6 * area), cy / (6 * area)


def unwrap(ring):
    """Make longitudes continuous along a ring that crosses ±180° (Russia, Fiji)."""
    out = [ring[0]]
    for lon, lat in ring[1:]:
        previous = out[-1][0]
        while lon - previous > 180:
            lon -= 360
        while lon - previous < -180:
            lon += 360
        out.append((lon, lat))
    return out


def representative_point(polygons):
    """The centroid of the largest outer ring: a point for a country's label and arcs."""
    rings = [unwrap(polygon[0]) for polygon in polygons]
    lon, lat = ring_centroid(max(rings, key=lambda r: abs(ring_area(r))))
    return (lon + 180) % 360 - 180, lat


# --- Clipping -------------------------------------------------------------------------


def _clip_half(points, inside, intersect):
    """One Sutherland–Hodgman pass of a closed ring against one half-plane."""
    out = []
    for i, current in enumerate(points):
        previous = points[i - 1]
        if inside(current):
            if not inside(previous):
                out.append(intersect(previous, current))
            out.append(current)
        elif inside(previous):
            out.append(intersect(previous, current))
    return out


def _at_x(bound):
    def intersect(a, b):
        t = (bound - a[0]) / (b[0] - a[0])
        return bound, a[1] + t * (b[1] - a[1])

    return intersect


def _at_y(bound):
    def intersect(a, b):
        t = (bound - a[1]) / (b[1] - a[1])
        return a[0] + t * (b[0] - a[0]), bound

    return intersect


def clip_box(points, x0, x1, y0, y1):
    for inside, intersect in (
        (lambda p: p[0] >= x0, _at_x(x0)),
        (lambda p: p[0] <= x1, _at_x(x1)),
        (lambda p: p[1] >= y0, _at_y(y0)),
        (lambda p: p[1] <= y1, _at_y(y1)),
    ):
        if not points:
            break
        points = _clip_half(points, inside, intersect)
    return points


def split_at_seam(ring):
    """Rotate a ring to the central meridian and cut it where it crosses the seam.

    Longitudes are first unwrapped so that the ring is continuous (it may then reach past
    ±180), and the ring and its copies shifted by ±360° are each clipped to [-180, 180].
    Returns a list of rings in rotated longitudes.
    """
    unwrapped = unwrap([(rotate(lon), lat) for lon, lat in ring])
    pieces = []
    for shift in (-360, 0, 360):
        shifted = [(x + shift, lat) for x, lat in unwrapped]
        if max(x for x, _ in shifted) <= -180 or min(x for x, _ in shifted) >= 180:
            continue
        clipped = clip_box(shifted, -180, 180, -90, 90)
        if len(clipped) >= 3:
            pieces.append(clipped)
    return pieces


def _densify_seam(ring, step=2.0):
    """Points along the seam follow the curved map edge instead of a straight chord."""
    out = []
    for i, (x, lat) in enumerate(ring):
        out.append((x, lat))
        nx, nlat = ring[(i + 1) % len(ring)]
        if abs(x) == 180 and nx == x and abs(nlat - lat) > step:
            n = int(abs(nlat - lat) // step)
            out.extend((x, lat + (nlat - lat) * k / (n + 1)) for k in range(1, n + 1))
    return out


def svg_path(rings):
    """Compact SVG path data for rings of already-projected points (relative moves)."""
    parts = []
    for ring in rings:
        points = []
        for point in ring:
            if not points or point != points[-1]:
                points.append(point)
        if len(points) < 3:
            continue
        x0, y0 = points[0]
        commands = [f"M{_num(x0)} {_num(y0)}"]
        for (ax, ay), (bx, by) in zip(points, points[1:]):
            commands.append(f"l{_num(bx - ax)} {_num(by - ay)}")
        parts.append("".join(commands) + "z")
    return "".join(parts)


def parse_path(d):
    """The rings of an SVG path made by `svg_path`, as lists of absolute (x, y) points."""
    rings = []
    for ring in re.findall(r"M[^Mz]*z", d):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", ring)]
        x, y = numbers[0], numbers[1]
        points = [(x, y)]
        for dx, dy in zip(numbers[2::2], numbers[3::2]):
            x, y = x + dx, y + dy
            points.append((x, y))
        rings.append(points)
    return rings


def _num(value):
    text = f"{round(value, 1):.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def world_path(polygons):
    """The projected path of a country's polygons on the world map."""
    rings = []
    for polygon in polygons:
        for ring in polygon:
            for piece in split_at_seam(ring):
                rings.append([project_rotated(x, lat) for x, lat in _densify_seam(piece)])
    return svg_path(rings)


class Inset:
    """A small equirectangular view of a box, for the Korean peninsula."""

    def __init__(self, west, east, south, north, width):
        self.west, self.east, self.south, self.north = west, east, south, north
        self.kx = width / (east - west)
        self.ky = self.kx / math.cos(math.radians((south + north) / 2))
        self.width = round(width, 1)
        self.height = round((north - south) * self.ky, 1)

    def project(self, lon, lat):
        return (
            round((float(lon) - self.west) * self.kx, 1),
            round((self.north - float(lat)) * self.ky, 1),
        )

    def contains(self, lon, lat):
        return self.west <= float(lon) <= self.east and self.south <= float(lat) <= self.north

    def path(self, polygons):
        rings = []
        for polygon in polygons:
            for ring in polygon:
                clipped = clip_box(ring, self.west, self.east, self.south, self.north)
                if len(clipped) >= 3:
                    rings.append([self.project(lon, lat) for lon, lat in clipped])
        return svg_path(rings)


KOREA_INSET = Inset(west=124.0, east=131.0, south=33.0, north=39.0, width=220.0)
