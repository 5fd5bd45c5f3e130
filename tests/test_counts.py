"""Record-wide counts are computed once per data revision and shared; a selection's never."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners import counts
from partners.models import Agreement, Party

from .factories import make_agreement

pytestmark = pytest.mark.django_db


def test_the_whole_record_is_counted_once_per_revision(django_assert_num_queries):
    everything = Agreement.objects.all()
    first = counts.country_counts(everything)
    with django_assert_num_queries(1):  # the data revision; the counts come from the cache
        assert counts.country_counts(everything) == first


def test_a_change_is_counted_at_once(canada, django_capture_on_commit_callbacks):
    before = counts.country_counts(Agreement.objects.all()).get(canada.pk, 0)
    with django_capture_on_commit_callbacks(execute=True):
        agreement = make_agreement(slug="new-with-canada")
        Party.objects.create(agreement=agreement, country=canada, role="signatory")
    assert counts.country_counts(Agreement.objects.all())[canada.pk] == before + 1


def test_a_selection_is_counted_every_time_from_its_ids_worked_out_once(
    mongolia, django_assert_num_queries
):
    selection = Agreement.objects.with_country(mongolia)
    with django_assert_num_queries(2):  # its ids, then the pairs
        counts.country_counts(selection)
    with django_assert_num_queries(1):  # the pairs again; the ids are kept on the queryset
        counts.country_counts(selection)
        total = counts.total(selection)
    assert total == Agreement.objects.with_country(mongolia).count()


def test_a_country_page_selection_is_kept_like_the_whole_record(
    mongolia, django_assert_num_queries
):
    counts.country_counts(counts.kept(Agreement.objects.with_country(mongolia), "country:mn"))
    again = counts.kept(Agreement.objects.with_country(mongolia), "country:mn")
    with django_assert_num_queries(1):  # the data revision
        counts.country_counts(again)


def test_the_korea_only_row_is_counted_with_an_anti_join(mongolia):
    """`NOT IN (subquery)` over every party ran once per agreement on PostgreSQL: 281 s for
    the timeline's first render at 100,000 agreements. NOT EXISTS is one anti-join."""
    with CaptureQueriesContext(connection) as captured:
        counts.home_only_years(Agreement.objects.with_country(mongolia))
    (sql,) = [q["sql"] for q in captured.captured_queries if "GROUP BY" in q["sql"]]
    assert "NOT (EXISTS(" in sql and " NOT IN " not in sql.upper().replace("NOT (EXISTS", "")
