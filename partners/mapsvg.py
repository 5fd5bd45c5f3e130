"""What the partner map draws, computed from the committed geometry and a selection.

The shapes are projected once by `manage.py build_map`; here we only shade them by count,
place points and draw arcs. The template turns this into inline SVG, so the map needs no
script, no tile server and no request beyond the page itself.
"""

import json
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from . import counts
from .mapgeo import KOREA_INSET, parse_path, project
from .models import Country

GEODATA = Path(__file__).parent / "geodata" / "world.json"
SHADES = 5
MAP_POINTS = 60  # institutions drawn on the map: the most involved in the selection


@cache
def world():
    return json.loads(GEODATA.read_text())


@cache
def plain_paths():
    """{numeric: <path>} of every country drawn without shading."""
    return {
        numeric: format_html('<path class="land" d="{}"/>', shape["d"])
        for numeric, shape in world()["countries"].items()
    }


@dataclass
class Shape:
    numeric: str
    d: str
    country: object = None
    count: int = 0
    shade: int = 0


@dataclass
class PartnerMap:
    width: float
    height: float
    shapes: list
    arcs: list = field(default_factory=list)
    points: list = field(default_factory=list)
    home: tuple | None = None
    legend: list = field(default_factory=list)
    inset: dict | None = None
    viewbox: str = ""
    background: str = ""  # the countries drawn plain, as SVG
    point_limit: int | None = None  # set when only the most involved institutions show
    partners: list = field(default_factory=list)  # the partner countries, with counts


def shade_steps(maximum):
    """Upper bounds of the legend's classes: 1, 2, 3… for few agreements, then wider."""
    if maximum <= SHADES:
        return list(range(1, maximum + 1))
    step = math.ceil(maximum / SHADES)
    return [step * i for i in range(1, SHADES)] + [maximum]


def shade_of(count, steps):
    for index, bound in enumerate(steps, start=1):
        if count <= bound:
            return index
    return len(steps)


def arc_path(start, end):
    """A gentle curve from Korea to a partner, bowed northwards."""
    (x0, y0), (x1, y1) = start, end
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    lift = math.hypot(x1 - x0, y1 - y0) * 0.25
    return f"M{x0} {y0}Q{mx:.1f} {my - lift:.1f} {x1} {y1}"


def for_selection(agreements):
    """The partner map of a selection: its partner countries shaded by count, arcs to them,
    and the MAP_POINTS most involved institutions that have a point."""
    partners = counts.partner_countries(agreements)
    institutions = counts.most_involved(agreements, MAP_POINTS, located=True)
    by_numeric = {
        c.numeric: c
        for c in Country.objects.only(
            "code", "numeric", "name_en", "name_ko", "latitude", "longitude"
        )
    }
    world_map = build(partners, institutions, by_numeric, MAP_POINTS)
    world_map.partners = partners
    return world_map


def places_of(agreement, parties):
    """The points an agreement's locator map shows: its place, its other places, and its
    partners' institutions (once per point)."""
    places = []
    if agreement.has_point:
        places.append(
            {
                "label": agreement.city or agreement.title,
                "lat": agreement.latitude,
                "lon": agreement.longitude,
                "main": True,
            }
        )
    places += [
        {"label": p.name, "lat": p.latitude, "lon": p.longitude, "main": False}
        for p in agreement.places.all()
        if p.has_point
    ]
    seen = {(p["lat"], p["lon"]) for p in places}
    for party in parties:
        institution = party.institution
        if party.is_partner and institution and institution.has_point:
            key = (institution.latitude, institution.longitude)
            if key not in seen:
                seen.add(key)
                places.append(
                    {"label": institution.name, "lat": key[0], "lon": key[1], "main": False}
                )
    return places


def build(countries, institutions, countries_by_numeric, point_limit=None):
    """The world map for partner `countries` (each with `n_agreements`) and the points of
    `institutions`; `countries_by_numeric` maps every shape to its Country record. When
    `institutions` was cut at `point_limit`, the map says so."""
    geo = world()
    counts = {c.numeric: c for c in countries}
    steps = shade_steps(max((c.n_agreements for c in countries), default=0))
    home = next((c for c in countries_by_numeric.values() if c.is_home), None)
    # Shaded countries and Korea are drawn by the template, as links; every other country
    # is one plain path, written once per process.
    shapes, plain = [], []
    for numeric, shape in geo["countries"].items():
        partner = counts.get(numeric)
        if partner is None and (home is None or numeric != home.numeric):
            plain.append(plain_paths()[numeric])
            continue
        count = partner.n_agreements if partner else 0
        shapes.append(
            Shape(
                numeric=numeric,
                d=shape["d"],
                country=partner or countries_by_numeric.get(numeric),
                count=count,
                shade=shade_of(count, steps) if count else 0,
            )
        )
    home_xy = project(home.longitude, home.latitude) if home and home.latitude is not None else None
    arcs = []
    for country in countries:
        if country.latitude is None or home_xy is None:
            continue
        end = project(country.longitude, country.latitude)
        arcs.append({"country": country, "d": arc_path(home_xy, end), "end": end})
    points, inset_points = [], []
    for institution in institutions:
        if not institution.has_point:
            continue
        x, y = project(institution.longitude, institution.latitude)
        points.append({"institution": institution, "x": x, "y": y})
        if KOREA_INSET.contains(institution.longitude, institution.latitude):
            ix, iy = KOREA_INSET.project(institution.longitude, institution.latitude)
            inset_points.append({"institution": institution, "x": ix, "y": iy})
    legend = []
    lower = 1
    for index, bound in enumerate(steps, start=1):
        legend.append(
            {"shade": index, "label": str(bound) if bound == lower else f"{lower}–{bound}"}
        )
        lower = bound + 1
    return PartnerMap(
        width=geo["width"],
        height=geo["height"],
        shapes=shapes,
        background=mark_safe("".join(plain)),
        arcs=arcs,
        points=points,
        point_limit=point_limit if point_limit and len(institutions) >= point_limit else None,
        home=home_xy,
        legend=legend,
        inset={
            "width": geo["inset"]["width"],
            "height": geo["inset"]["height"],
            "shapes": [
                {"d": d, "home": numeric == (home.numeric if home else None)}
                for numeric, d in geo["inset"]["countries"].items()
            ],
            "points": inset_points,
        },
        viewbox=f"0 0 {geo['width']} {geo['height']}",
    )


@cache
def shape_boxes():
    """Bounding boxes of the world shapes, to send only the shapes a small map shows."""
    boxes = {}
    for numeric, shape in world()["countries"].items():
        points = [point for ring in parse_path(shape["d"]) for point in ring]
        xs, ys = [x for x, _y in points], [y for _x, y in points]
        boxes[numeric] = (min(xs), min(ys), max(xs), max(ys))
    return boxes


def locator(places, padding=40.0):
    """A small map of an agreement's places: the world shapes, zoomed to the points."""
    geo = world()
    projected = [(place, *project(place["lon"], place["lat"])) for place in places]
    if not projected:
        return None
    xs = [x for _, x, _ in projected]
    ys = [y for _, _, y in projected]
    # At least a region's worth of map around a single point.
    half = max(max(xs) - min(xs), max(ys) - min(ys), 60.0) / 2 + padding
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    size = 2 * half
    x0, y0, x1, y1 = cx - half, cy - half, cx + half, cy + half
    visible = [
        geo["countries"][numeric]["d"]
        for numeric, (bx0, by0, bx1, by1) in shape_boxes().items()
        if bx0 <= x1 and bx1 >= x0 and by0 <= y1 and by1 >= y0
    ]
    return {
        "viewbox": f"{x0:.1f} {y0:.1f} {size:.1f} {size:.1f}",
        "paths": visible,
        "points": [{"place": place, "x": x, "y": y} for place, x, y in projected],
        "radius": round(size / 60, 2),
        "stroke": round(size / 400, 3),
    }
