"""Helpers shared by the test modules: reading responses, running Django in a subprocess,
counting queries, and finding the seed documents."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

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
