"""Free-text search finds what people type, in both languages, and costs one scan."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.models import Agreement, Alias, Party

from .helpers import get, listed_slugs, text

pytestmark = pytest.mark.django_db


def found(client, q, **params):
    response = get(client, "list", q=q, **params)
    assert response.status_code == 200
    return set(listed_slugs(text(response)))


def test_a_korean_word_with_a_particle_finds_what_the_bare_word_finds(client, pohang):
    assert pohang.slug in found(client, "포항시와")
    assert found(client, "몽골의") == found(client, "몽골") != set()


def test_a_country_finds_every_agreement_that_involves_it_under_any_of_its_names(client, mongolia):
    involving = set(Agreement.objects.with_country(mongolia).values_list("slug", flat=True))
    assert found(client, "Mongolia") == found(client, "몽골") == involving


def test_a_spelling_variant_finds_the_mineral(client, mongolia_centre):
    assert Alias.objects.filter(mineral__slug="molybdenum", name="몰리브덴").exists()
    assert mongolia_centre.slug in found(client, "몰리브덴")
    assert found(client, "몰리브덴") == found(client, "몰리브데넘") == found(client, "molybdenum")


def test_a_group_word_finds_agreements_naming_a_member(client):
    tungsten_or_rare_earths = found(client, "희토류")
    assert "kr-mn-rare-metal-cooperation-center" in tungsten_or_rare_earths


def test_short_forms_acronyms_and_former_names_find_the_institution(client, kigam):
    kigam_agreements = set(Agreement.objects.with_institution(kigam).values_list("slug", flat=True))
    # The short form and the acronym find every agreement KIGAM is a party to (and the
    # short form also those whose Korean text names it).
    assert (
        found(client, "지자연") >= kigam_agreements and found(client, "KIGAM") >= kigam_agreements
    )
    motir = set(
        Party.objects.filter(institution__slug="motir").values_list("agreement__slug", flat=True)
    )
    assert motir and found(client, "산업부") >= motir
    assert found(client, "MOTIE") >= motir  # the former name finds the ministry's records


def test_a_representative_is_found_by_name_in_either_language(client, canada_mou):
    assert canada_mou.slug in found(client, "Joly")
    assert canada_mou.slug in found(client, "김정관")


def test_every_term_must_match(client, canada_mou, mongolia_centre):
    assert canada_mou.slug in found(client, "Canada lithium")
    assert mongolia_centre.slug not in found(client, "Canada lithium")
    assert found(client, "Canada lithium") <= found(client, "Canada") & found(client, "lithium")


def test_a_term_that_names_nothing_still_searches_titles_and_summaries(client, pohang):
    assert pohang.slug in found(client, "이차전지")


def test_the_same_word_twice_is_searched_once(client):
    assert found(client, "lithium LITHIUM lithium") == found(client, "lithium")


def test_too_many_words_or_a_word_too_long_is_a_form_error(client):
    response = get(client, "list", q="one two three four five six")
    assert response.status_code == 200
    assert "Search for at most 5 words at a time (this search has 6)." in text(response)
    assert listed_slugs(text(response)) == []
    long = get(client, "list", q="x" * 41)
    assert "is too long for a search word: use at most 40 characters." in text(long)


def test_the_search_is_worked_out_once_per_page(client, settings):
    """Every query of the page (the paginator, the rows, each facet) reuses the ids."""
    settings.PAGE_CACHE = False
    get(client, "list", q="lithium Mongolia")  # the name index is built once per revision
    with CaptureQueriesContext(connection) as captured:
        get(client, "list", q="lithium Mongolia", kind="centre")
    scans = [q for q in captured.captured_queries if "LIKE" in q["sql"]]
    assert len(scans) == 1, [q["sql"][:120] for q in scans]


def test_the_institution_filter_takes_any_name_in_the_index(client, kigam):
    by_short_form = listed_slugs(text(get(client, "list", institution="지자연")))
    assert by_short_form == listed_slugs(text(get(client, "list", institution="kigam")))
    by_former_name = listed_slugs(text(get(client, "list", institution="MOTIE")))
    assert by_former_name == listed_slugs(text(get(client, "list", institution="motir")))
    assert by_former_name  # the ministry takes part in seed agreements


def test_a_name_shared_by_two_institutions_asks_which_one(client):
    """KNU is Kangwon's and Kyungpook's acronym: never silently one of them."""
    page = text(get(client, "list", institution="KNU"))
    assert "“KNU” names several institutions" in page
    assert "(kangwon-national-university)" in page and "(kyungpook-national-university)" in page
    assert listed_slugs(page) == []
