"""Several servers: one Redis cache shared by all of them, never a dependency, and a release
in every page key. (bench/rehearsal.py runs two gunicorn servers behind nginx.)"""

import time

import pytest
from django.core.cache import caches

from partners.models import Revision

from .helpers import redis_caches, redis_or_skip, run_django

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(settings):
    """The caches of a server configured with DJANGO_CACHE_URL, on the local Redis."""
    settings.CACHES = redis_caches(redis_or_skip())
    settings.REVISION_CACHE_ALIAS = "default"  # as DJANGO_CACHE_URL sets it
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def dead_redis(settings):
    settings.CACHES = redis_caches("redis://127.0.0.1:9/0")  # nothing listens there


def test_the_cache_url_selects_redis_without_the_memory_cache_options():
    out = run_django(
        "from django.conf import settings\n"
        "for name, cache in sorted(settings.CACHES.items()):\n"
        "    print(name, cache['BACKEND'], cache['KEY_PREFIX'], sorted(cache['OPTIONS']))",
        DJANGO_CACHE_URL="redis://cache.internal:6379/0",
    ).stdout.splitlines()
    assert out == [
        "default coopdash.cache.ResilientRedisCache coopdash:default "
        "['socket_connect_timeout', 'socket_timeout']",
        "pages coopdash.cache.ResilientRedisCache coopdash:pages "
        "['socket_connect_timeout', 'socket_timeout']",
    ]
    refused = run_django(check=False, DJANGO_CACHE_URL="memcached://cache.internal:11211")
    assert refused.returncode != 0 and "must be a redis:// address" in refused.stderr


def test_without_the_variable_each_process_keeps_its_own_bounded_cache():
    out = run_django(
        "from django.conf import settings\n"
        "print(settings.CACHES['pages']['BACKEND'], settings.CACHES['pages']['OPTIONS'])"
    ).stdout
    assert out.split()[0] == "django.core.cache.backends.locmem.LocMemCache"
    assert "'MAX_ENTRIES': 300" in out


def test_pages_are_kept_in_redis_and_served_from_it(shared, client, django_assert_max_num_queries):
    client.get("/en/agreements/")
    keys = caches["pages"]._cache.get_client().keys("coopdash:pages:*")
    assert keys, "the page was not stored in Redis"
    with django_assert_max_num_queries(0):  # the data revision and the page, both from Redis
        assert client.get("/en/agreements/").status_code == 200


def test_the_revision_is_shared_and_read_from_the_database_only_when_it_expires(
    shared, client, settings, django_assert_num_queries
):
    settings.REVISION_TIMEOUT = 1
    client.get("/en/")  # reads the revision from the database and keeps it
    assert caches["default"].get("revision:default") == Revision.read()
    with django_assert_num_queries(0):
        client.get("/en/")
    time.sleep(1.2)
    with django_assert_num_queries(1):  # the revision, from the database again
        client.get("/en/")


def test_a_moved_revision_reaches_the_shared_cache_when_its_data_is_committed(
    shared, django_capture_on_commit_callbacks
):
    before = Revision.read()
    assert caches["default"].get("revision:default") == before
    with django_capture_on_commit_callbacks(execute=True):
        Revision.bump()
        # Not yet: another server would render the old data under the new revision.
        assert caches["default"].get("revision:default") == before
    after = caches["default"].get("revision:default")
    assert after.token != before.token
    assert after.token == Revision.objects.get().token


def test_without_the_variable_the_revision_is_read_from_the_database(
    client, settings, django_assert_num_queries
):
    """A memory or file cache is not shared between servers: a revision kept there could be
    another server's old one, so each request reads it."""
    assert settings.REVISION_CACHE_ALIAS is None
    client.get("/en/")
    with django_assert_num_queries(1):
        client.get("/en/")


def test_a_page_of_another_release_is_never_served(shared, client, settings):
    """During a rolling upgrade, old and new servers share the cache but not pages."""
    settings.RELEASE = "old"
    client.get("/en/")
    settings.RELEASE = "new"
    page = client.get("/en/", HTTP_ACCEPT_ENCODING="gzip")
    assert page.status_code == 200
    keys = caches["pages"]._cache.get_client().keys("coopdash:pages:*")
    assert len(keys) == 2  # one page per release


def test_without_redis_pages_are_rendered_and_health_says_so(dead_redis, client):
    start = time.monotonic()
    for _ in range(20):
        assert client.get("/en/agreements/").status_code == 200
    # The cache is asked once, then left alone for a few seconds: no request waits on it.
    assert time.monotonic() - start < 10
    health = client.get("/health/")
    assert health.status_code == 200
    assert health.json()["cache"] == "unavailable" and health.json()["status"] == "ok"


def test_a_save_shows_through_the_shared_cache(
    shared, client, canada_mou, django_capture_on_commit_callbacks
):
    client.get(canada_mou.get_absolute_url())
    canada_mou.title_en = "Renamed on another server"
    with django_capture_on_commit_callbacks(execute=True):
        canada_mou.save()
    assert Revision.current()
    assert b"Renamed on another server" in client.get(canada_mou.get_absolute_url()).content
