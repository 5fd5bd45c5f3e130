"""Finding 4 (medium): the page cache could be made to eat memory.

Every unknown parameter made a new entry of up to 2 MB, kept twice (plain and compressed);
800 requests with a junk parameter grew a worker from 170 MB to 712 MB. Now only canonical
URLs of valid selections are kept, as one compressed copy of at most 256 KB, and exports of
arbitrary selections are never kept.
"""

import gzip

import pytest
from django.core.cache import caches

from partners import pagecache

pytestmark = pytest.mark.django_db


def kept_pages(settings):
    cache = caches[settings.PAGE_CACHE_ALIAS]
    keys = [key.split(":", 2)[-1] for key in cache._cache if ":page:" in key]
    return [cache.get(key) for key in keys]


def test_junk_parameters_make_no_entries(client, settings):
    client.get("/en/agreements/")
    before = len(kept_pages(settings))
    for n in range(200):
        assert client.get("/en/agreements/", {f"junk{n}": "x" * 50}).status_code == 302
    assert len(kept_pages(settings)) == before


def test_refused_selections_and_exports_make_no_entries(client, settings):
    before = len(kept_pages(settings))
    for n in range(20):
        assert client.get("/en/agreements/", {"country": f"Q{n % 10}"}).status_code == 200
        client.get("/en/agreements.csv", {"year_from": str(1900 + n)})
        client.get("/en/agreements.json", {"year_from": str(1900 + n)})
    assert len(kept_pages(settings)) == before


def test_a_page_is_kept_once_compressed_and_bounded(client, settings):
    page = client.get("/en/")
    (entry,) = kept_pages(settings)
    assert set(entry) == {"headers", "gzip", "etag"}  # no second, uncompressed copy
    assert gzip.decompress(entry["gzip"]) == page.content
    assert len(entry["gzip"]) <= pagecache.MAX_ENTRY == 256 * 1024
