"""Settings come from the environment, strictly, and refuse unsafe production starts."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from coopdash.settings import database_from_url, envbool

from .helpers import run_django

ROOT = Path(__file__).resolve().parent.parent


def start_django(**env):
    return run_django(check=False, **env)


def test_production_without_a_secret_key_refuses_to_start():
    result = start_django(DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_with_a_secret_key_starts():
    result = start_django(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr


def test_booleans_are_parsed_strictly(monkeypatch):
    monkeypatch.setenv("COOPDASH_FLAG", "Off")
    assert envbool("COOPDASH_FLAG", True) is False
    monkeypatch.setenv("COOPDASH_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="COOPDASH_FLAG"):
        envbool("COOPDASH_FLAG", False)


def test_database_url_selects_postgresql_with_persistent_connections():
    db = database_from_url("postgres://user:p%40ss@db.example:6543/coop")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "user",
        "p@ss",
        "db.example",
        "6543",
        "coop",
    )
    assert db["CONN_MAX_AGE"] > 0 and db["CONN_HEALTH_CHECKS"]


def test_database_url_defaults_to_sqlite_and_rejects_other_schemes():
    assert database_from_url("sqlite:///db.sqlite3")["ENGINE"] == "coopdash.sqlite"
    with pytest.raises(ImproperlyConfigured, match="mysql"):
        database_from_url("mysql://x/y")
