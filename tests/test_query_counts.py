"""Pages run the same number of SQL queries whatever the amount of data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners import synthetic

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rendered(settings):
    """Count the queries of rendering pages, not of serving them from the page cache
    (one query; tests/test_pagecache.py)."""
    settings.PAGE_CACHE = False


PAGES = [
    ("partners:dashboard", []),
    ("partners:list", []),
    ("partners:map", []),
    ("partners:timeline", []),
    ("partners:coverage", []),
    ("partners:countries", []),
    ("partners:institutions", []),
    ("partners:minerals", []),
    ("partners:agreement", ["kr-mn-rare-metal-cooperation-center"]),
    ("partners:country", ["mn"]),
    ("partners:institution", ["kigam"]),
    ("partners:mineral", ["rare-earths"]),
]


def queries(client, name, args, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name, args=args), params or {})
        assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("params", [{}, {"mineral": "lithium", "year_from": "2010"}])
def test_queries_per_page_do_not_grow_tenfold_data(client, params):
    synthetic.generate(14, seed=3)
    before = {name: queries(client, name, args, params) for name, args in PAGES}
    synthetic.generate(140, seed=4)
    after = {name: queries(client, name, args, params) for name, args in PAGES}
    assert after == before


def test_the_agreement_list_query_count_is_pinned(client, django_assert_num_queries):
    # 1 count for the paginator, 1 page of agreements with their place's country,
    # 1 parties (with institutions and countries), 1 minerals;
    # facets: 1 country count + 1 countries, 2 mineral counts + 1 group ids + 1 minerals,
    # 1 kinds, 2 stages (counts, then names), 1 statuses; 1 "data last updated"; the filter
    # form: countries,
    # minerals and stages to choose from (3) and the data revision, under which the
    # institutions it suggests are kept (computed by the first request, 2 more queries).
    client.get(reverse("partners:list"))
    with django_assert_num_queries(19):
        client.get(reverse("partners:list"))


def test_synthetic_data_is_removed_without_touching_curated_records():
    from partners.models import Agreement, Institution

    curated = set(Agreement.objects.values_list("slug", flat=True))
    institutions = Institution.objects.count()
    synthetic.generate(50, seed=9)
    assert Agreement.objects.count() == len(curated) + 50
    assert synthetic.remove() == 50
    assert set(Agreement.objects.values_list("slug", flat=True)) == curated
    assert Institution.objects.count() == institutions


def test_the_same_seed_gives_the_same_data():
    from partners.models import Agreement, Party

    def snapshot():
        agreements = Agreement.objects.filter(slug__startswith="synthetic-").order_by("slug")
        return (
            list(agreements.values_list("slug", "date", "kind", "country__code")),
            Party.objects.filter(agreement__slug__startswith="synthetic-").count(),
        )

    synthetic.generate(30, seed=5)
    first = snapshot()
    synthetic.remove()
    synthetic.generate(30, seed=5)
    assert snapshot() == first
