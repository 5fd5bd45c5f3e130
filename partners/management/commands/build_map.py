"""Write partners/geodata/world.json: projected SVG paths of every country.

The shapes are Natural Earth's (public domain), as packaged by the world-atlas npm package;
the projection and the clipping at the seam are in partners/mapgeo.py. The output is
committed, so serving the map needs neither npm nor this command.

    npm install && python manage.py build_map
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from partners.mapgeo import HEIGHT, KOREA_INSET, WIDTH, decode_topology, world_path

ANTARCTICA = "010"
INSET_COUNTRIES = {"410", "408", "392", "156"}  # South Korea, North Korea, Japan, China
OUTPUT = settings.BASE_DIR / "partners" / "geodata" / "world.json"


def load(path):
    path = Path(path)
    if not path.exists():
        raise CommandError(f"{path} not found: run `npm install` first, or pass the path.")
    return json.loads(path.read_text())


class Command(BaseCommand):
    help = "Project the world-atlas country shapes into the SVG paths the map draws."

    def add_arguments(self, parser):
        parser.add_argument("--world", default="node_modules/world-atlas/countries-110m.json")
        parser.add_argument("--detail", default="node_modules/world-atlas/countries-50m.json")
        parser.add_argument("--output", default=str(OUTPUT))

    def handle(self, *args, world, detail, output, **options):
        countries = {}
        for numeric, name, polygons in decode_topology(load(world)):
            if numeric and numeric != ANTARCTICA:
                countries[numeric] = {"name": name, "d": world_path(polygons)}
        inset = {}
        for numeric, _name, polygons in decode_topology(load(detail)):
            if numeric in INSET_COUNTRIES:
                inset[numeric] = KOREA_INSET.path(polygons)
        data = {
            "source": "Natural Earth via world-atlas 2.0.2 (public domain)",
            "width": WIDTH,
            "height": HEIGHT,
            "countries": dict(sorted(countries.items())),
            "inset": {
                "width": KOREA_INSET.width,
                "height": KOREA_INSET.height,
                "countries": dict(sorted(inset.items())),
            },
        }
        Path(output).write_text(json.dumps(data, separators=(",", ":")) + "\n")
        size = Path(output).stat().st_size
        self.stdout.write(f"Wrote {len(countries)} country shapes ({size:,} bytes) to {output}.")
