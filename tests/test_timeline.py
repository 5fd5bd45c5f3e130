"""The timeline draws an agreement in the rows of the countries it involves, the same way
mark by mark (small selections) and as yearly circles (large ones)."""

from collections import Counter

import pytest

from partners import counts, timeline
from partners.filters import selection
from partners.models import Party

from .factories import make_agreement

pytestmark = pytest.mark.django_db


def layouts(rf, **params):
    _filterset, agreements = selection(rf.get("/", params))
    partners = counts.partner_countries(agreements)
    return [
        timeline.build(agreements, partners, "Korea only", aggregate=aggregate)
        for aggregate in (False, True)
    ]


def per_row_and_year(layout):
    """{row: (the row's count, {year: agreements})}, from either mode."""
    found = {}
    for row in layout.rows:
        if layout.aggregated:
            years = {mark["year"]: mark["n"] for mark in row.marks}
        else:
            years = dict(Counter(mark["year"] for mark in row.marks))
        found[row.key] = (row.count, years)
    return found


@pytest.fixture
def held_abroad_and_at_home(korea, mongolia, kigam):
    """One agreement held in Mongolia with only a Korean party, one only Korean."""
    abroad = make_agreement(slug="held-in-ulaanbaatar", date="2019-06-01", country=mongolia)
    Party.objects.create(agreement=abroad, institution=kigam, role="organiser")
    home = make_agreement(slug="only-korean", date="2018-03-01", country=korea)
    Party.objects.create(agreement=home, institution=kigam, role="organiser")
    return abroad, home


@pytest.mark.parametrize(
    "params", [{}, {"country": "MN"}, {"country": "KR"}, {"mineral": "lithium"}, {"kind": "mou"}]
)
def test_both_modes_give_the_same_rows_and_totals(rf, held_abroad_and_at_home, params):
    marks, yearly = layouts(rf, **params)
    assert not marks.aggregated and yearly.aggregated
    assert per_row_and_year(marks) == per_row_and_year(yearly)


def test_an_empty_selection_draws_no_timeline_in_either_mode(rf):
    assert layouts(rf, q="no-such-thing-anywhere") == [None, None]


def test_an_agreement_held_abroad_is_drawn_in_that_country_row_in_both_modes(
    rf, held_abroad_and_at_home
):
    for layout in layouts(rf):
        rows = per_row_and_year(layout)
        assert rows["MN"][1].get(2019) == 1, layout.aggregated
        assert rows["KR"][1].get(2018) == 1, layout.aggregated  # "Korea only" has it
        assert rows["KR"][1].get(2019) is None, layout.aggregated  # and not the other
