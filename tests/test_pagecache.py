"""Public pages come from the page cache until the data changes, and never stale."""

import gzip

import pytest
from django.urls import reverse

from partners import synthetic
from partners.models import Agreement, Revision, Stage
from tests.conftest import make_agreement
from tests.test_admin import agreement_post

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("partners:dashboard")
LIST = reverse("partners:list")


def test_a_cached_page_costs_one_query_and_is_the_same_page(client, django_assert_num_queries):
    first = client.get(LIST, {"mineral": "lithium"})
    with django_assert_num_queries(1):  # reading the data revision
        second = client.get(LIST, {"mineral": "lithium"})
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Language"] == "en"
    assert "no-cache" in second["Cache-Control"]


def test_the_order_of_the_query_does_not_make_another_page(client, django_assert_num_queries):
    client.get(LIST, {"mineral": "lithium", "year_from": "2010"})
    with django_assert_num_queries(1):
        client.get(f"{LIST}?year_from=2010&mineral=lithium")


def test_a_saved_record_shows_at_once(client, canada_mou):
    client.get(canada_mou.get_absolute_url())
    canada_mou.title_en = "Renamed by an editor"
    canada_mou.save()
    assert b"Renamed by an editor" in client.get(canada_mou.get_absolute_url()).content


def test_a_new_agreement_shows_on_every_cached_page(client):
    before = client.get(LIST).content
    make_agreement(slug="fresh-mou", title_en="A fresh MOU")
    after = client.get(LIST).content
    assert after != before and b"A fresh MOU" in after


def test_a_stage_added_through_the_relation_shows_at_once(client, canada_mou):
    stage = Stage.objects.exclude(agreements=canada_mou).first()
    url = reverse("partners:list")
    params = {"stage": stage.slug}
    assert canada_mou.title_en.encode() not in client.get(url, params).content
    canada_mou.stages.add(stage)  # m2m_changed, no save of the agreement
    assert canada_mou.title_en.encode() in client.get(url, params).content


def test_an_admin_save_shows_on_the_public_page_at_once(
    client, staff_client, canada_mou, kigam, korea
):
    from partners.models import Source

    assert b"Admin-made MOU" not in client.get(LIST).content
    response = staff_client.post(
        reverse("admin:partners_agreement_add"),
        agreement_post(kigam, korea, Source.objects.first()),
    )
    assert response.status_code == 302
    assert b"Admin-made MOU" in client.get(LIST).content


def test_an_admin_deletion_shows_at_once(client, staff_client):
    doomed = make_agreement(slug="doomed", title_en="A doomed MOU")
    assert b"A doomed MOU" in client.get(LIST).content
    response = staff_client.post(
        reverse("admin:partners_agreement_delete", args=[doomed.pk]), {"post": "yes"}
    )
    assert response.status_code == 302 and not Agreement.objects.filter(slug="doomed").exists()
    assert b"A doomed MOU" not in client.get(LIST).content


def test_a_bulk_deletion_in_the_admin_shows_at_once(client, staff_client):
    doomed = make_agreement(slug="doomed", title_en="A doomed MOU")
    assert b"A doomed MOU" in client.get(LIST).content
    response = staff_client.post(
        reverse("admin:partners_agreement_changelist"),
        {"action": "delete_selected", "_selected_action": [doomed.pk], "post": "yes"},
    )
    assert response.status_code == 302 and not Agreement.objects.filter(slug="doomed").exists()
    assert b"A doomed MOU" not in client.get(LIST).content


def test_synthetic_data_moves_the_revision(client):
    before = Revision.current()
    synthetic.generate(3, seed=2)
    assert Revision.current() != before
    middle = Revision.current()
    synthetic.remove()
    assert Revision.current() != middle


def test_staff_get_pages_rendered_for_them(client, staff_client, canada_mou):
    url = canada_mou.get_absolute_url()
    anonymous = client.get(url)
    staff = staff_client.get(url)
    assert b"Edit in the admin" in staff.content
    assert b"Edit in the admin" not in anonymous.content
    assert b"Edit in the admin" not in client.get(url).content


def test_pages_travel_compressed_to_browsers_that_ask(client):
    plain = client.get(DASHBOARD)
    packed = client.get(DASHBOARD, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 3
    assert "Accept-Encoding" in packed["Vary"] and "Cookie" in packed["Vary"]
    assert not plain.has_header("Content-Encoding")


def test_a_browser_that_has_the_page_gets_a_304(client, canada_mou):
    url = canada_mou.get_absolute_url()
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    canada_mou.save()  # the data moved on: the page may differ, so send it again
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_language_and_the_host_make_separate_pages(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example.org"]
    english = client.get(DASHBOARD).content
    korean = client.get(reverse("partners:dashboard").replace("/en/", "/ko/", 1)).content
    assert english != korean
    csv_here = b"".join(client.get(reverse("partners:export-json")).streaming_content)
    elsewhere = client.get(reverse("partners:export-json"), HTTP_HOST="other.example.org")
    body = b"".join(elsewhere.streaming_content) if elsewhere.streaming else elsewhere.content
    assert b"http://other.example.org/" in body and b"http://other.example.org/" not in csv_here


def test_streamed_exports_are_kept_once_sent_and_follow_changes(
    client, canada_mou, django_assert_num_queries
):
    url = reverse("partners:export-json")
    fresh = client.get(url, {"country": "CA"})
    assert fresh.streaming
    body = b"".join(fresh.streaming_content)
    with django_assert_num_queries(1):
        again = client.get(url, {"country": "CA"})
    assert not again.streaming and again.content == body
    canada_mou.title_en = "Renamed for the export"
    canada_mou.save()
    later = client.get(url, {"country": "CA"})
    assert b"Renamed for the export" in b"".join(later.streaming_content)


def test_errors_are_not_kept(client, django_assert_num_queries):
    missing = reverse("partners:agreement", args=["no-such-thing"])
    assert client.get(missing).status_code == 404
    with django_assert_num_queries(2):  # the revision, then the lookup again
        assert client.get(missing).status_code == 404
    bad = client.get(reverse("partners:export-json"), {"year_from": "abc"})
    assert bad.status_code == 400 and "year_from" in bad.json()["errors"]


def test_the_cache_can_be_turned_off(client, settings, django_assert_max_num_queries):
    settings.PAGE_CACHE = False
    client.get(DASHBOARD)
    with django_assert_max_num_queries(100) as captured:
        client.get(DASHBOARD)
    assert len(captured) > 5
