"""Shared fixtures: the seed data loaded once per test database, and named records.

The curated fixtures are loaded into the test database at session start, so every test
sees the real seed data; each test still runs in its own transaction and rolls back.
"""

from pathlib import Path

import pytest
from django.core.management import call_command

from partners.models import Agreement, Country, Institution, Mineral

FIXTURES = sorted(str(p) for p in (Path(__file__).parent.parent / "fixtures").glob("*.json"))
CASES = Path(__file__).parent.parent / "intake" / "cases"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("loaddata", *FIXTURES, verbosity=0)


@pytest.fixture(autouse=True)
def empty_page_cache(settings):
    """Tests see pages as production serves them, from the page cache (off by default in
    debug mode), starting empty: a test's rolled-back transaction must not leave pages
    behind for the next (tests/test_pagecache.py tests the cache itself)."""
    from django.core.cache import cache

    settings.PAGE_CACHE = True
    cache.clear()


@pytest.fixture
def canada(db):
    return Country.objects.get(code="CA")


@pytest.fixture
def mongolia(db):
    return Country.objects.get(code="MN")


@pytest.fixture
def korea(db):
    return Country.objects.get(code="KR")


@pytest.fixture
def kigam(db):
    return Institution.objects.get(slug="kigam")


@pytest.fixture
def lithium(db):
    return Mineral.objects.get(slug="lithium")


@pytest.fixture
def rare_earths(db):
    return Mineral.objects.get(slug="rare-earths")


@pytest.fixture
def mongolia_centre(db):
    return Agreement.objects.get(slug="kr-mn-rare-metal-cooperation-center")


@pytest.fixture
def canada_mou(db):
    return Agreement.objects.get(slug="ca-kr-future-mobility-industrial-cooperation-mou-2026")


@pytest.fixture
def pohang(db):
    return Agreement.objects.get(slug="pohang-secondary-battery-rd-agreement-2023")


@pytest.fixture
def conference(db):
    return Agreement.objects.get(slug="mofa-waste-battery-critical-minerals-conference-2023")


@pytest.fixture
def country_aliases(db):
    """The compound, short and adjective forms of country names the intake cases assume
    (몽 in 한-몽, 호주, Mongolian), as the name index would have them from the data."""
    call_command("loaddata", str(CASES / "aliases.json"), verbosity=0)


@pytest.fixture
def staff_client(db, django_user_model):
    """A second browser, signed in as staff (the plain `client` stays anonymous)."""
    from django.test import Client

    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw-for-tests")
    staff = Client()
    staff.force_login(user)
    return staff


def make_agreement(slug="test-agreement", **fields):
    """A minimal valid agreement; tests override what they exercise."""
    values = {
        "title_en": "Test agreement",
        "title_ko": "시험 협정",
        "kind": Agreement.Kind.MOU,
        "status": Agreement.Status.ACTIVE,
        "date": "2024-05-01",
        "summary_en": "A test.",
        "summary_ko": "시험.",
    }
    values.update(fields)
    return Agreement.objects.create(slug=slug, **values)


def pytest_collection_modifyitems(items):
    """Browser tests run last: pytest-django's live server flushes the database after each
    one, and every other test relies on the seed data loaded once per session."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
