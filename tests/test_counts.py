"""Record-wide counts are computed once per data revision and shared; a selection's never."""

import pytest

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


def test_a_selection_is_counted_every_time(mongolia, django_assert_num_queries):
    selection = Agreement.objects.with_country(mongolia)
    counts.country_counts(selection)
    with django_assert_num_queries(2):  # the revision is not asked; the pairs are counted
        counts.country_counts(selection)
        counts.total(selection)
