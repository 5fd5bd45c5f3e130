"""Benchmark of the spreadsheet import: 1,000 rows previewed and saved (docs/PERFORMANCE.md,
"Spreadsheets: 1,000 rows"). Not a test; run it against a scratch database:

    DATABASE_URL=… .venv/bin/python bench/sheets.py

It loads the curated fixtures, writes a sheet of 1,000 agreements in the export's layout
(new ones, each with two parties, minerals, stages and a source), previews it, saves it in
one transaction, then previews the same sheet again (all unchanged) and changes one cell in
every row (1,000 changed rows), and prints the seconds of each step.
"""

import os
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopdash.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from intake import importing, sheets  # noqa: E402
from partners.exports import COLUMNS  # noqa: E402
from partners.models import Agreement, Institution, Mineral, Source, Stage  # noqa: E402
from tests.helpers import FIXTURES  # noqa: E402
from tests.sheets import save_workbook  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "1000"))


def sheet_rows(suffix=""):
    institutions = list(Institution.objects.exclude(country=None).order_by("pk")[:40])
    minerals = list(Mineral.objects.values_list("slug", flat=True)[:12])
    stages = list(Stage.objects.values_list("slug", flat=True))
    sources = [s.url or s.slug for s in Source.objects.order_by("pk")[:50]]
    rows = [COLUMNS[:-1]]
    for n in range(ROWS):
        a, b = institutions[n % 40], institutions[(n * 7 + 3) % 40]
        if a.pk == b.pk:
            b = institutions[(n + 1) % 40]
        countries = sorted({i.country.code for i in (a, b)} - {"KR"})
        rows.append(
            [
                f"bench-sheet-{n:04d}",
                f"Benchmark agreement {n}{suffix}",
                f"벤치마크 협력 {n}",
                "mou",
                "active",
                f"{2000 + n % 25}-{1 + n % 12:02d}",
                "month",
                "high",
                "",
                "",
                countries[0] if countries else "",
                "",
                "",
                "; ".join(countries),
                f"{a.name_en} (signatory); {b.name_en} (signatory)",
                "; ".join(minerals[n % 12 : n % 12 + 2]),
                "; ".join(stages[n % len(stages) : n % len(stages) + 2]),
                sources[n % 50],
            ]
        )
    return rows


def timed(label, work):
    start = time.perf_counter()
    result = work()
    print(f"{label}: {time.perf_counter() - start:.2f} s")
    return result


def main():
    call_command("migrate", verbosity=0)
    call_command("loaddata", *FIXTURES, verbosity=0)
    Agreement.objects.filter(slug__startswith="bench-sheet-").delete()
    user, _ = get_user_model().objects.get_or_create(
        username="bench-sheets", defaults={"is_superuser": True, "is_staff": True}
    )
    print(f"{connection.vendor}, {ROWS} rows")
    for label, suffix in (("new", ""), ("unchanged", ""), ("changed", " (edited)")):
        data = save_workbook(sheet_rows(suffix))
        plan = timed(f"preview ({label})", lambda d=data: importing.plan(sheets.read(d), user=user))
        print("  ", plan.counts)
        assert plan.counts["error"] == 0, [r.errors for r in plan.rows if r.errors][:3]
        if plan.counts["new"] or plan.counts["changed"]:
            timed(
                f"save ({label})",
                lambda p=plan: importing.save(
                    p, user=user, filename="bench.xlsx", proposals_fields={}
                ),
            )
    Agreement.objects.filter(slug__startswith="bench-sheet-").delete()


if __name__ == "__main__":
    main()
