"""Map geometry: the committed world paths and the clipping that keeps them clean."""

import json
from pathlib import Path

from partners import mapgeo

WORLD = json.loads((Path(mapgeo.__file__).parent / "geodata" / "world.json").read_text())


def test_a_ring_across_the_seam_is_cut_into_two_pieces():
    seam = mapgeo.CENTRAL_MERIDIAN - 180  # -30°
    square = [(seam - 5, 10), (seam + 5, 10), (seam + 5, 20), (seam - 5, 20)]
    pieces = mapgeo.split_at_seam(square)
    assert len(pieces) == 2
    for piece in pieces:
        xs = [x for x, _ in piece]
        assert max(xs) - min(xs) <= 5 + 1e-9


def test_a_ring_away_from_the_seam_is_kept_whole():
    korea = [(126, 34), (129, 34), (129, 38), (126, 38)]
    assert mapgeo.split_at_seam(korea) == [[(mapgeo.rotate(x), y) for x, y in korea]]


def test_no_country_path_jumps_across_the_map():
    for numeric, country in WORLD["countries"].items():
        shapes = list(mapgeo.parse_path(country["d"]))
        assert shapes, numeric
        for points in shapes:
            assert all(-0.5 <= x <= WORLD["width"] + 0.5 for x, _ in points), numeric
            steps = [abs(b[0] - a[0]) for a, b in zip(points, points[1:] + points[:1])]
            assert max(steps) < WORLD["width"] / 3, numeric


def test_korea_sits_near_the_middle_of_the_map():
    x, y = mapgeo.project(127.0, 37.5)
    assert WORLD["width"] * 0.35 < x < WORLD["width"] * 0.55
    assert 0 < y < WORLD["height"]
    assert "410" in WORLD["countries"] and "410" in WORLD["inset"]["countries"]


def test_decode_topology_applies_the_transform_and_reverses_negative_arcs():
    topology = {
        "transform": {"scale": [1, 1], "translate": [10, 20]},
        "arcs": [[[0, 0], [1, 0], [0, 1]], [[1, 1], [-1, 0], [0, -1]]],
        "objects": {
            "countries": {
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "id": "001"},
                    {"type": "Polygon", "arcs": [[~0]], "id": "002"},
                ]
            }
        },
    }
    shapes = {numeric: polygons for numeric, _, polygons in mapgeo.decode_topology(topology)}
    assert shapes["001"][0][0] == [(10, 20), (11, 20), (11, 21), (10, 21), (10, 20)]
    assert shapes["002"][0][0] == [(11, 21), (11, 20), (10, 20)]
