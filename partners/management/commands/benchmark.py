"""Measure every page at several scales, and the main pages' throughput under gunicorn.

    python manage.py benchmark --scales 0 1000 10000 --repeat 7 [--throughput 10]
                               [--write docs/PERFORMANCE.md]

Runs on the configured database (DATABASE_URL), adding synthetic agreements up to each scale
and removing them at the end. For each page it takes the median of in-process requests
through the whole Django stack three ways: *rendered* (page cache off, what is kept per data
revision already kept: a new URL, or any page once another page has counted the record since
the last change), *served* (page cache on and warm: every later request until the data
changes) and *after a change* (the first request after each save: nothing kept yet), with the
SQL queries of each. Read the times as ratios to the seed-data
time: absolute times on a shared machine are noise.

With --throughput SECONDS it also serves the seed data with gunicorn (production settings)
and drives each main page and a trivial Django view with wrk for that long, in the same
run, with persistent database connections (CONN_MAX_AGE=600) and without (0).
"""

import gzip
import os
import platform
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from partners import synthetic
from partners.models import Agreement, Revision

PAGES = [
    ("trivial view", "/health/live/"),
    ("dashboard", "/en/"),
    ("map", "/en/map/"),
    ("timeline", "/en/timeline/"),
    ("list", "/en/agreements/"),
    ("list, filtered", "/en/agreements/?mineral=lithium&year_from=2010"),
    # One English term, and three Korean ones (a particle, a mineral, a ministry's short form).
    ("list, searched (en)", "/en/agreements/?q=lithium"),
    ("list, searched (ko)", "/en/agreements/?q=몽골의+리튬+산업부"),
    ("detail", "/en/agreements/kr-mn-rare-metal-cooperation-center/"),
    ("country", "/en/countries/mn/"),
    ("mineral", "/en/minerals/rare-earths/"),
    ("coverage", "/en/coverage/"),
    ("CSV export", "/en/agreements.csv?country=MN"),
    ("JSON export", "/en/agreements.json?country=MN"),
]
THROUGHPUT_PAGES = [
    (name, url)
    for name, url in PAGES
    if name in {"trivial view", "dashboard", "map", "timeline", "list", "detail"}
]
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip"}


def body_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def measure(client, url, repeat, before_each=None):
    """(median ms, queries, compressed bytes) of `repeat` requests after a warm-up, or, with
    `before_each`, of the first request after each call of it."""
    if before_each is None:
        body_of(client.get(url, **GZIP))  # warm: connection, templates, and the page cache
    times = []
    for _ in range(repeat):
        if before_each is not None:
            before_each()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url, **GZIP)
            body = body_of(response)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    if response.get("Content-Encoding") != "gzip":
        body = gzip.compress(body)
    return statistics.median(times) * 1000, len(queries), len(body)


def measure_after_change(client, url, repeat):
    """`measure` of the first request after each of `repeat` changes of the data revision:
    nothing kept for the new revision (counts, name index, filter choices)."""
    return measure(client, url, repeat, before_each=Revision.bump)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
        parser.add_argument(
            "--throughput",
            type=int,
            metavar="SECONDS",
            help="also measure requests per second under gunicorn with wrk, per page",
        )
        parser.add_argument("--write", help="also write the tables to this Markdown file")
        parser.add_argument("--keep", action="store_true", help="keep the synthetic data")

    def handle(self, *args, scales, repeat, throughput, write, keep, **options):
        if throughput and not shutil.which("wrk"):
            raise CommandError("--throughput needs wrk (apt-get install -y wrk).")
        synthetic.remove()
        scales = sorted(scales)
        rates = self.throughput(throughput) if throughput else None
        results = {}
        client = Client()
        with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False):
            for scale in scales:
                have = Agreement.objects.filter(slug__startswith=synthetic.PREFIX).count()
                if scale > have:
                    started = time.perf_counter()
                    synthetic.generate(scale - have, seed=scale)
                    self.stderr.write(
                        f"generated {scale - have} in {time.perf_counter() - started:.0f} s"
                    )
                for name, url in PAGES:
                    with override_settings(PAGE_CACHE=False):
                        rendered = measure(client, url, repeat)
                        changed = measure_after_change(client, url, max(3, repeat // 2))
                    with override_settings(PAGE_CACHE=True):
                        served = measure(client, url, repeat)
                    results[(name, scale)] = (rendered, served, changed)
                self.stderr.write(f"measured at {scale}")
        if not keep:
            synthetic.remove()
        text = self.table(results, scales)
        if rates:
            text += "**Throughput under gunicorn (seed data)**\n\n" + self.rates_table(rates)
        self.stdout.write(text)
        if write:
            self.write_section(Path(write), self.document(text))
            self.stdout.write(f"Wrote the {connection.vendor} results to {write}.")

    # -- throughput under gunicorn ------------------------------------------------------

    def throughput(self, seconds):
        """{(page, CONN_MAX_AGE): requests per second} with the seed data."""
        ages = [600, 0]
        static_root = tempfile.mkdtemp(prefix="coopdash-bench-static-")
        env = {
            **os.environ,
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_STATIC_ROOT": static_root,
        }
        if connection.vendor == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{settings.DATABASES['default']['NAME']}"
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
        )
        rates = {}
        try:
            for age in ages:
                port = free_port()
                server = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "coopdash.wsgi",
                        f"--workers={os.cpu_count() or 2}",
                        f"--bind=127.0.0.1:{port}",
                        "--access-logfile=/dev/null",
                    ],
                    cwd=settings.BASE_DIR,
                    env={**env, "DJANGO_CONN_MAX_AGE": str(age)},
                    stderr=subprocess.DEVNULL,
                )
                try:
                    self.wait_for(port)
                    for name, url in THROUGHPUT_PAGES:
                        rates[(name, age)] = self.wrk(f"http://127.0.0.1:{port}{url}", seconds)
                        self.stderr.write(f"{name}, CONN_MAX_AGE={age}: {rates[(name, age)]}/s")
                finally:
                    server.terminate()
                    server.wait(timeout=30)
        finally:
            shutil.rmtree(static_root, ignore_errors=True)
        return rates

    def wait_for(self, port, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise CommandError(f"gunicorn did not answer on port {port} within {timeout} s.")

    def wrk(self, url, seconds):
        for warm_up in (True, False):
            result = subprocess.run(
                [
                    "wrk",
                    "--threads=1",
                    "--connections=8",
                    f"--duration={2 if warm_up else seconds}s",
                    "--header=Accept-Encoding: gzip",
                    url,
                ],
                capture_output=True,
                text=True,
                check=True,
            )
        if "Non-2xx" in result.stdout:
            raise CommandError(f"{url} answered errors under load:\n{result.stdout}")
        return round(float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)[1]))

    # -- report -------------------------------------------------------------------------

    def table(self, results, scales):
        """Three tables, rendered, served and after a change: per page and scale, median ms
        (ratio to the seed data) / queries, and the compressed size at the largest scale."""
        base = scales[0]
        text = ""
        for which, title in (
            (0, "Rendered (page cache off; counts kept for this data revision)"),
            (1, "Served (page cache warm)"),
            (2, "After a change (the first request after each save: nothing kept yet)"),
        ):
            head = ["page", *(f"+{s:,}" for s in scales), "KB gzip"]
            lines = [
                f"**{title}**: median ms (× seed) / queries\n",
                "| " + " | ".join(head) + " |",
                "|" + "---|" * len(head),
            ]
            for name, _url in PAGES:
                cells = [name]
                for scale in scales:
                    ms, queries, _size = results[(name, scale)][which]
                    ratio = ms / results[(name, base)][which][0]
                    cells.append(f"{ms:.1f} ({ratio:.1f}×) / {queries}")
                cells.append(f"{results[(name, scales[-1])][which][2] / 1024:.0f}")
                lines.append("| " + " | ".join(cells) + " |")
            text += "\n".join(lines) + "\n\n"
        return text

    def rates_table(self, rates):
        ages = sorted({age for _name, age in rates}, reverse=True)
        head = ["page"]
        for age in ages:
            head += [f"req/s, CONN_MAX_AGE={age}", "× trivial view"]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for name, _url in THROUGHPUT_PAGES:
            cells = [name]
            for age in ages:
                rate = rates[(name, age)]
                cells += [f"{rate:,}", f"{rate / rates[('trivial view', age)]:.2f}"]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines) + "\n"

    def write_section(self, path, section):
        """Put the results in this database's own marked section of `path`, keeping the
        rest of the file (the other database's results, the prose around them)."""
        start = f"<!-- benchmark: {connection.vendor} -->"
        end = f"<!-- end benchmark: {connection.vendor} -->"
        block = f"{start}\n{section.rstrip()}\n{end}"
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        if start in old and end in old:
            before, rest = old.split(start, 1)
            new = before + block + rest.split(end, 1)[1]
        else:
            new = (old.rstrip() + "\n\n" if old.strip() else "") + block + "\n"
        path.write_text(new, encoding="utf-8")

    def document(self, text):
        vendor = connection.vendor
        if vendor == "postgresql":
            connection.ensure_connection()
            number = connection.pg_version  # e.g. 150020 for 15.20
            version = f"{number // 10000}.{number % 10000}"
        else:
            version = sqlite3.sqlite_version
        try:
            import gunicorn

            server = f", gunicorn {gunicorn.__version__}"
        except ImportError:  # pragma: no cover - gunicorn is a dependency
            server = ""
        return (
            f"### {vendor} {version}\n\n"
            f"Django {django.get_version()}, Python {platform.python_version()}{server}, "
            f"{platform.machine()} with {os.cpu_count()} cores; "
            f"in-process CONN_MAX_AGE={settings.DATABASES['default'].get('CONN_MAX_AGE', 0)}."
            "\n\n" + text
        )
