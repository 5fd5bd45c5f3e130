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


def test_a_word_in_a_title_is_found_case_blind_in_both_languages(client, pohang):
    """Titles and summaries are matched apart from the names on PostgreSQL (search.py), in
    the one scan elsewhere: either way, case-blind, long words and two-syllable ones."""
    Agreement.objects.filter(pk=pohang.pk).update(title_en="Pohang Cathode Precursor Campus")
    assert pohang.slug in found(client, "cathode")
    assert pohang.slug in found(client, "CATHODE precursor")
    assert pohang.slug in found(client, "이차전지")  # in its Korean summary


def test_on_postgresql_the_titles_and_summaries_have_trigram_indexes():
    """Migration 0008: PostgreSQL answers a term of three characters or more from trigram
    indexes on what Django's `icontains` compares; SQLite has none, and reads every row."""
    with connection.cursor() as cursor:
        names = {
            index
            for index, spec in connection.introspection.get_constraints(
                cursor, Agreement._meta.db_table
            ).items()
            if spec["index"]
        }
    trigram = {f"agreement_{c}_trgm" for c in ("title_en", "title_ko", "summary_en", "summary_ko")}
    if connection.vendor != "postgresql":
        assert not trigram & names
        return
    assert trigram <= names
    text = Agreement.objects.filter(title_en__icontains="lithium").order_by().values("pk")
    sql, params = text.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the test's few rows: no shortcut
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "agreement_title_en_trgm" in plan, plan
