"""Helpers shared by the test modules: reading responses, running Django in a subprocess,
counting queries, finding the seed documents, and serving coopdash with gunicorn in production
settings on a database of its own."""

import datetime
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from intake.extraction import extract
from intake.reading import read_upload

from .factories import form_values

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted(str(p) for p in (ROOT / "fixtures").glob("*.json"))
SEEDS = ROOT.parent / "shared" / "seeds"


def in_ci():
    """CI (`CI=true`) fails where a developer's run skips: nothing is allowed to be missing."""
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def seed_documents():
    """The four seed articles, which live beside the repository (`../shared/seeds`), not in
    it. Without them a test that needs them is skipped with the reason, except in CI
    (`CI=true`), where their absence fails the run: a test must never pass by comparing
    against nothing."""
    found = sorted(SEEDS.glob("*.txt"))
    if found:
        return found
    reason = f"the seed documents are not in {SEEDS} (they sit beside the repository)"
    if in_ci():
        pytest.fail(f"CI needs {reason}.")
    pytest.skip(reason)


def body(response):
    """A response's bytes: exports stream when fresh and come whole from the page cache."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def text(response):
    return body(response).decode()


def get(client, name, *args, lang="en", **params):
    """GET the page named `partners:<name>` in `lang`, with query parameters."""
    with translation.override(lang):
        url = reverse(f"partners:{name}", args=args)
    return client.get(url, params)


def listed_slugs(page):
    """The agreements a list-like page shows, in order, by slug."""
    return re.findall(r'<h3><a href="/\w\w/agreements/([\w-]+)/">', page)


def count_queries(client, url, params=None):
    """How many SQL queries one GET of `url` runs (it must succeed)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
        assert response.status_code == 200, response.status_code
    return len(captured)


def run_django(code="", check=True, **env):
    """Run Python with coopdash set up under exactly the given environment (none of the
    test run's DJANGO_ or DATABASE_ variables) and return the finished process."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**clean, "DJANGO_SETTINGS_MODULE": "coopdash.settings", **env},
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a-production-like-secret-key-of-sufficient-length-and-randomness-1234",
    "DJANGO_ALLOWED_HOSTS": "coopdash.example.org,127.0.0.1,localhost,testserver",
}


@contextmanager
def scratch_database(tmp_path):
    """An empty database of the kind under test, for servers in subprocesses: an SQLite
    file, or a new database on the PostgreSQL server of the test run (dropped afterwards)."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        yield f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        return
    name = f"coopdash_scratch_{uuid.uuid4().hex[:10]}"
    server = {
        "user": db["USER"],
        "password": db["PASSWORD"],
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        auth = f"{quote(db['USER'])}:{quote(db['PASSWORD'])}@" if db["USER"] else ""
        yield f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(database_url, *args, **env):
    """Run `manage.py ARGS` against `database_url` in a subprocess; return its stdout."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**clean, "DATABASE_URL": database_url, **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(database_url, tmp_path, workers=2, **env):
    """coopdash served by gunicorn with its production settings (coopdash/gunicorn.py) on a
    free port of 127.0.0.1; yields (base URL, path of the server's log). Stopped by its
    process id on the way out."""
    port = free_port()
    static = tmp_path / f"static-{port}"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    environment = {
        **clean,
        **PRODUCTION,
        "DATABASE_URL": database_url,
        "DJANGO_STATIC_ROOT": str(static),
        # Reached over plain HTTP on the loopback, as the TLS proxy would reach it.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        **env,
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    log = tmp_path / f"gunicorn-{port}.log"
    with open(log, "w") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "python:coopdash.gunicorn",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "coopdash.wsgi",
            ],
            cwd=ROOT,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/health/live/", timeout=2).read()
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        yield base, log
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def fetch(url, headers=None, timeout=30):
    """(status, seconds, body) of one GET; HTTP errors are answers too."""
    request = urllib.request.Request(url, headers=headers or {})
    start = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body, status = response.read(), response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    return status, time.monotonic() - start, body


REDIS_TEST_URL = "redis://127.0.0.1:6379/15"  # a database of its own, emptied by the tests


def redis_or_skip():
    """The local Redis, which the shared-cache tests use for real: skipped with the reason
    when it is not running, except in CI, where its absence fails the run."""
    import redis  # an optional dependency of coopdash ("coopdash[redis]"), in dev

    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        reason = "Redis is not running at 127.0.0.1:6379 (redis-server --daemonize yes)"
        if in_ci():
            pytest.fail(f"CI needs {reason}.")
        pytest.skip(reason)
    return REDIS_TEST_URL


def redis_caches(url):
    """The CACHES setting coopdash builds from DJANGO_CACHE_URL=`url`."""
    from coopdash.settings import cache_from_env

    previous = os.environ.get("DJANGO_CACHE_URL")
    os.environ["DJANGO_CACHE_URL"] = url
    try:
        return {"default": cache_from_env("default"), "pages": cache_from_env("pages")}
    finally:
        if previous is None:
            del os.environ["DJANGO_CACHE_URL"]
        else:
            os.environ["DJANGO_CACHE_URL"] = previous


# --- The intake: its written cases and its review page ------------------------------------

CASES = ROOT / "intake" / "cases"
FORMSETS = ["parties", "new_institutions", "minerals", "milestones", "figures", "places"]


def case(name):
    """(article text, expected proposal) of a case written for the tests."""
    reading = read_upload(f"{name}.txt", (CASES / f"{name}.txt").read_bytes())
    expected = json.loads((CASES / f"{name}.expected.json").read_text(encoding="utf-8"))
    return reading.text, expected


def propose(name):
    """What coopdash proposes for a written case, given what its admin would give."""
    text, expected = case(name)
    published = expected.get("given", {}).get("published")
    return text, extract(
        text, published=datetime.date.fromisoformat(published) if published else None
    )


def said(text, row):
    """The words a proposed value rests on, and its whole sentence."""
    mention, sentence = row.get("mention") or row["evidence"], row["evidence"]
    return text[mention["start"] : mention["end"]], text[sentence["start"] : sentence["end"]]


def review_post(response, **changes):
    """The review page's forms as shown, with `changes` (field name → value; None removes
    the field, as an unticked box)."""
    review = response.context["review"]
    data = {}
    for form in (review.agreement, review.source, review.outcome):
        data.update(form_values(form))
    for name in FORMSETS:
        formset = getattr(review, name)
        management = formset.management_form
        data.update(
            {management.add_prefix(f): str(management[f].value()) for f in management.fields}
        )
        for form in formset.forms:
            data.update(form_values(form))
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


OWN_WORDS = {
    "agreement-title_en": "A test agreement written by the reviewer",
    "agreement-title_ko": "검토자가 쓴 시험 협정",
    "agreement-summary_en": "Two bodies agreed to work together; written for a test.",
    "agreement-summary_ko": "두 기관이 협력하기로 했다는 시험용 요약.",
    "agreement-date_note_en": "As the article dates it.",
    "source-title_en": "Report used by a test",
    "source-title_ko": "시험에 쓴 보도",
    "source-publisher_en": "Test Daily",
}


def staff_with(django_user_model, *codenames, username="staffer"):
    """A signed-in client of a staff user with only these permissions ("app.codename")."""
    user = django_user_model.objects.create_user(username, password="pw", is_staff=True)
    for codename in codenames:
        app, name = codename.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app, codename=name)
        )
    client = Client()
    client.force_login(user)
    return client
