"""Write fixtures/01_countries.json: every ISO 3166-1 country with its Korean name.

Names and codes come from pycountry (the Debian iso-codes data and its translations); the
representative point comes from the Natural Earth shapes of the world-atlas npm package.
Run it again after upgrading either; the output is sorted and stable, so the diff shows
exactly what changed.

    npm install && python manage.py build_countries
"""

import gettext
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from partners.mapgeo import decode_topology, representative_point

DEFAULT_ATLAS = "node_modules/world-atlas/countries-50m.json"

# pycountry's formal English names read badly in a dashboard ("Korea, Republic of"); its
# common names are used where it has one, and these few where it has none that reads well.
ENGLISH_OVERRIDES = {"KP": "North Korea", "KR": "South Korea"}
# Likewise in Korean: the common name where pycountry gives the formal one (러시아, not 러시아
# 연방; 대만, as the foreign ministry writes it). The formal names are other names (aliases).
KOREAN_OVERRIDES = {
    "KR": "대한민국",
    "KP": "북한",
    "BO": "볼리비아",
    "FM": "미크로네시아",
    "IR": "이란",
    "LA": "라오스",
    "MD": "몰도바",
    "RU": "러시아",
    "SY": "시리아",
    "TW": "대만",
    "TZ": "탄자니아",
    "VE": "베네수엘라",
}


class Command(BaseCommand):
    help = "Regenerate fixtures/countries.json from pycountry and the world-atlas shapes."

    def add_arguments(self, parser):
        parser.add_argument("--atlas", default=DEFAULT_ATLAS, help="world-atlas countries JSON")
        parser.add_argument(
            "--output", default=str(settings.BASE_DIR / "fixtures" / "01_countries.json")
        )

    def handle(self, *args, atlas, output, **options):
        try:
            import pycountry
        except ImportError as exc:
            raise CommandError("pycountry is needed: pip install -e '.[dev]'") from exc
        atlas_path = Path(atlas)
        if not atlas_path.exists():
            raise CommandError(f"{atlas} not found: run `npm install` first, or pass --atlas.")
        points = {}
        for numeric, _name, polygons in decode_topology(json.loads(atlas_path.read_text())):
            if numeric and polygons:
                points[numeric] = representative_point(polygons)

        korean = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ko"])
        records = []
        for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
            english = getattr(country, "common_name", None) or country.name
            english = ENGLISH_OVERRIDES.get(country.alpha_2, english)
            korean_name = korean.gettext(country.name)
            korean_name = KOREAN_OVERRIDES.get(country.alpha_2, korean_name)
            point = points.get(country.numeric)
            records.append(
                {
                    "model": "partners.country",
                    "fields": {
                        "code": country.alpha_2,
                        "alpha3": country.alpha_3,
                        "numeric": country.numeric,
                        "name_en": english,
                        "name_ko": korean_name,
                        "latitude": f"{point[1]:.3f}" if point else None,
                        "longitude": f"{point[0]:.3f}" if point else None,
                    },
                }
            )
        Path(output).write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
        with_point = sum(1 for r in records if r["fields"]["latitude"])
        self.stdout.write(
            f"Wrote {len(records)} countries ({with_point} with a point) to {output}."
        )
