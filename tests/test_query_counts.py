"""Pages run the same number of SQL queries whatever the amount of data."""

import pytest
from django.urls import reverse

from partners import synthetic
from partners.models import Agreement, Institution, Party

from .helpers import body, count_queries

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
    """The queries of a page on a warm process (what is kept per data revision is built by
    the first request)."""
    client.get(reverse(name, args=args), params or {})
    return count_queries(client, reverse(name, args=args), params)


@pytest.mark.parametrize("params", [{}, {"mineral": "lithium", "year_from": "2010"}])
def test_queries_per_page_do_not_grow_tenfold_data(
    client, params, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        synthetic.generate(14, seed=3)
    before = {name: queries(client, name, args, params) for name, args in PAGES}
    with django_capture_on_commit_callbacks(execute=True):
        synthetic.generate(140, seed=4)
    after = {name: queries(client, name, args, params) for name, args in PAGES}
    assert after == before


# Every page's queries, in order, one comment each, on a warm process: what is kept per data
# revision (the name index, the filter's suggestions, the record-wide counts of counts.py) was
# built by a first request.
REVISION = ["the data revision (read once per request)"]
FILTER_FORM = [
    # The countries and minerals to choose from are kept per data revision and language.
    "filter form: the stages to choose from",
]
LIST_ROWS = [
    "a page of agreements",
    "their (agreement, country) pairs",
    "their (agreement, mineral) pairs",
    "the countries they involve",
    "the minerals they name",
]
MAP = [
    "partner countries: the countries counted (the counts are kept)",
    "map points: the institutions (the counts are kept)",
    "map: every country's shape key and point",
]
PINNED = {
    ("partners:dashboard", ()): [
        *REVISION,
        *MAP,
        "strategic minerals (their counts are kept)",
        "figure: minerals named",
        *FILTER_FORM,
        *LIST_ROWS,
    ],
    ("partners:list", ()): [
        *REVISION,
        "facet: the countries counted (every count is kept)",
        "facet: the minerals counted",
        "facet: the stages counted",
        *FILTER_FORM,
        *LIST_ROWS,
    ],
    ("partners:map", ()): [*REVISION, *MAP, *FILTER_FORM],
    ("partners:timeline", ()): [
        *REVISION,
        "partner countries: the countries counted (the counts are kept)",
        "timeline marks: every agreement's countries",
        "timeline marks: every agreement's dates and title",
        "chronology: a page of agreements",
        "chronology: their milestones",
        *FILTER_FORM,
    ],
    ("partners:coverage", ()): [
        *REVISION,
        "columns: the countries counted (counts and cells are kept)",
        "rows: the minerals",
        *FILTER_FORM,
    ],
    ("partners:countries", ()): [*REVISION, "the countries counted"],
    ("partners:institutions", ()): [
        "paginator: institutions",
        *REVISION,
        "a page of institutions with their countries",
    ],
    ("partners:minerals", ()): [*REVISION, "the minerals with their groups"],
    ("partners:agreement", ("kr-mn-rare-metal-cooperation-center",)): [
        "the agreement with its place's country and parent",
        "parties with institutions, their parents and countries",
        "minerals with their groups",
        "sources",
        "stages",
        "milestones",
        "key figures",
        "places with their countries",
        "child agreements",
        "related agreements",
        *REVISION,
    ],
    # Hub pages: their counts are kept per data revision too (counts.kept).
    ("partners:country", ("mn",)): [
        "the country",
        *REVISION,
        "institutions: the country's institutions (the counts are kept)",
        "facet: the minerals counted (every count is kept)",
        "facet: the stages counted",
        "other names",
        *LIST_ROWS,
    ],
    ("partners:institution", ("kigam",)): [
        "the institution with its country and parent",
        *REVISION,
        "facet: the countries counted (every count is kept)",
        "facet: the minerals counted",
        "facet: the stages counted",
        "its parts",
        "other names",
        *LIST_ROWS,
    ],
    ("partners:mineral", ("rare-earths",)): [
        "the mineral with its group",
        *REVISION,
        "facet: the countries counted (every count is kept)",
        "facet: the stages counted",
        "other names",
        "its members",
        *LIST_ROWS,
    ],
    ("partners:export-csv", ()): [
        "lookup: countries",
        "lookup: institutions",
        "lookup: minerals",
        "lookup: stages",
        "lookup: sources",
        "every agreement with its joined parties, minerals, stages and sources",
    ],
    ("partners:feed", ()): ["the newest agreements"],
}


@pytest.mark.parametrize("page", list(PINNED), ids=lambda page: page[0].split(":")[1])
def test_every_page_runs_its_pinned_queries(client, page, django_assert_num_queries):
    name, args = page
    client.get(reverse(name, args=args))  # builds what is kept per data revision
    with django_assert_num_queries(len(PINNED[page])):
        response = client.get(reverse(name, args=args))
        body(response)


def test_synthetic_data_is_removed_without_touching_curated_records():

    curated = set(Agreement.objects.values_list("slug", flat=True))
    institutions = Institution.objects.count()
    synthetic.generate(50, seed=9)
    assert Agreement.objects.count() == len(curated) + 50
    assert synthetic.remove() == 50
    assert set(Agreement.objects.values_list("slug", flat=True)) == curated
    assert Institution.objects.count() == institutions


def test_the_same_seed_gives_the_same_data():

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
