"""Measure every page at several scales: median server time and SQL queries.

    python manage.py benchmark --scales 0 1000 10000 --repeat 7 [--write docs/PERFORMANCE.md]

Runs on the configured database (DATABASE_URL), adding synthetic agreements up to each scale
and removing them at the end. Times are medians of in-process requests through the whole
Django stack (middleware, views, templates); read them as ratios to the seed-data time, since
absolute times on a shared machine are noise.
"""

import os
import platform
import sqlite3
import statistics
import time

import django
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from partners import synthetic
from partners.models import Agreement

PAGES = [
    ("trivial view", "/health/live/"),
    ("dashboard", "/en/"),
    ("map", "/en/map/"),
    ("timeline", "/en/timeline/"),
    ("list", "/en/agreements/"),
    ("list, filtered", "/en/agreements/?mineral=lithium&year_from=2010"),
    ("detail", "/en/agreements/kr-mn-rare-metal-cooperation-center/"),
    ("country", "/en/countries/mn/"),
    ("mineral", "/en/minerals/rare-earths/"),
    ("coverage", "/en/coverage/"),
    ("CSV export", "/en/agreements.csv?country=MN"),
    ("JSON export", "/en/agreements.json?country=MN"),
]


def measure(client, url, repeat):
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000, len(queries), len(body)


class Command(BaseCommand):
    help = "Median server time and SQL queries per page at several data scales."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scales",
            type=int,
            nargs="+",
            default=[0, 1000, 10000],
            help="synthetic agreements added to the seed data at each step",
        )
        parser.add_argument("--repeat", type=int, default=7)
        parser.add_argument("--write", help="also write the table to this Markdown file")
        parser.add_argument("--keep", action="store_true", help="keep the synthetic data")

    def handle(self, *args, scales, repeat, write, keep, **options):
        synthetic.remove()
        client = Client()
        results = {}
        with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False):
            for scale in sorted(scales):
                have = Agreement.objects.filter(slug__startswith=synthetic.PREFIX).count()
                if scale > have:
                    started = time.perf_counter()
                    synthetic.generate(scale - have, seed=scale)
                    self.stderr.write(
                        f"generated {scale - have} in {time.perf_counter() - started:.0f} s"
                    )
                for name, url in PAGES:
                    client.get(url)  # warm caches and connections
                    results[(name, scale)] = measure(client, url, repeat)
                self.stderr.write(f"measured at {scale}")
        if not keep:
            synthetic.remove()
        table = self.table(results, sorted(scales))
        self.stdout.write(table)
        if write:
            with open(write, "w", encoding="utf-8") as handle:
                handle.write(self.document(table))
            self.stdout.write(f"Wrote {write}.")

    def table(self, results, scales):
        base = scales[0]
        head = ["page"] + [f"{s:,} extra: ms (×seed) / queries" for s in scales] + ["KB"]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for name, _url in PAGES:
            cells = [name]
            for scale in scales:
                ms, queries, size = results[(name, scale)]
                ratio = ms / results[(name, base)][0]
                cells.append(f"{ms:.1f} ({ratio:.1f}×) / {queries}")
            cells.append(f"{results[(name, scales[-1])][2] / 1024:.0f}")
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines) + "\n"

    def document(self, table):
        vendor = connection.vendor
        if vendor == "postgresql":
            connection.ensure_connection()
            number = connection.pg_version  # e.g. 150020 for 15.20
            version = f"{number // 10000}.{number % 10000}"
        else:
            version = sqlite3.sqlite_version
        return (
            f"### {vendor} {version}\n\n"
            f"Django {django.get_version()}, Python {platform.python_version()}, "
            f"{platform.machine()} with {os.cpu_count()} cores; "
            f"CONN_MAX_AGE={settings.DATABASES['default'].get('CONN_MAX_AGE', 0)}.\n\n" + table
        )
