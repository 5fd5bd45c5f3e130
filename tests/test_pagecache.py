"""Public pages come from the page cache until the data changes, and never stale."""

import gzip

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners import synthetic
from partners.models import Agreement, Revision, Source, Stage

from .factories import agreement_post, make_agreement
from .helpers import body

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("partners:dashboard")
LIST = reverse("partners:list")


def test_a_cached_page_costs_one_query_and_is_the_same_page(client, django_assert_num_queries):
    first = client.get(LIST, {"mineral": "lithium"})
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(1):  # reading the data revision
        second = client.get(LIST, {"mineral": "lithium"})
    assert second.content == first.content and second["X-Cache"] == "hit"
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Language"] == "en"
    assert "no-cache" in second["Cache-Control"]


def test_the_order_of_the_query_does_not_make_another_page(client, django_assert_num_queries):
    client.get(LIST, {"mineral": "lithium", "year_from": "2010"})
    with django_assert_num_queries(1):
        client.get(f"{LIST}?year_from=2010&mineral=lithium")


# Each test runs in a transaction that never commits, so the changes below run what a commit
# runs (the data revision's bump, signals.py) through django_capture_on_commit_callbacks.


def test_a_saved_record_shows_at_once(client, canada_mou, django_capture_on_commit_callbacks):
    client.get(canada_mou.get_absolute_url())
    canada_mou.title_en = "Renamed by an editor"
    with django_capture_on_commit_callbacks(execute=True):
        canada_mou.save()
    assert b"Renamed by an editor" in client.get(canada_mou.get_absolute_url()).content


def test_a_new_agreement_shows_on_every_cached_page(client, django_capture_on_commit_callbacks):
    before = client.get(LIST).content
    with django_capture_on_commit_callbacks(execute=True):
        make_agreement(slug="fresh-mou", title_en="A fresh MOU")
    after = client.get(LIST).content
    assert after != before and b"A fresh MOU" in after


def test_a_stage_added_through_the_relation_shows_at_once(
    client, canada_mou, django_capture_on_commit_callbacks
):
    stage = Stage.objects.exclude(agreements=canada_mou).first()
    url = reverse("partners:list")
    params = {"stage": stage.slug}
    assert canada_mou.title_en.encode() not in client.get(url, params).content
    with django_capture_on_commit_callbacks(execute=True):
        canada_mou.stages.add(stage)  # m2m_changed, no save of the agreement
    assert canada_mou.title_en.encode() in client.get(url, params).content


def test_an_admin_save_shows_on_the_public_page_at_once(
    client, staff_client, canada_mou, kigam, korea, django_capture_on_commit_callbacks
):
    assert b"Admin-made MOU" not in client.get(LIST).content
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:partners_agreement_add"),
            agreement_post(kigam, korea, Source.objects.first()),
        )
    assert response.status_code == 302
    assert b"Admin-made MOU" in client.get(LIST).content


def test_an_admin_deletion_shows_at_once(client, staff_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        doomed = make_agreement(slug="doomed", title_en="A doomed MOU")
    assert b"A doomed MOU" in client.get(LIST).content
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:partners_agreement_delete", args=[doomed.pk]), {"post": "yes"}
        )
    assert response.status_code == 302 and not Agreement.objects.filter(slug="doomed").exists()
    assert b"A doomed MOU" not in client.get(LIST).content


def test_a_bulk_deletion_in_the_admin_shows_at_once(
    client, staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        doomed = make_agreement(slug="doomed", title_en="A doomed MOU")
    assert b"A doomed MOU" in client.get(LIST).content
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:partners_agreement_changelist"),
            {"action": "delete_selected", "_selected_action": [doomed.pk], "post": "yes"},
        )
    assert response.status_code == 302 and not Agreement.objects.filter(slug="doomed").exists()
    assert b"A doomed MOU" not in client.get(LIST).content


def test_synthetic_data_moves_the_revision(client, django_capture_on_commit_callbacks):
    before = Revision.current()
    with django_capture_on_commit_callbacks(execute=True):
        synthetic.generate(3, seed=2)
    assert Revision.current() != before
    middle = Revision.current()
    with django_capture_on_commit_callbacks(execute=True):
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


def test_a_browser_that_has_the_page_gets_a_304(
    client, canada_mou, django_capture_on_commit_callbacks
):
    url = canada_mou.get_absolute_url()
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
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


def test_exports_stream_every_time_and_follow_changes(
    client, canada_mou, django_capture_on_commit_callbacks
):
    """Exports of arbitrary selections are never kept in a worker's memory."""
    url = reverse("partners:export-json")
    assert client.get(url, {"country": "CA"}).streaming
    assert client.get(url, {"country": "CA"}).streaming
    canada_mou.title_en = "Renamed for the export"
    with django_capture_on_commit_callbacks(execute=True):
        canada_mou.save()
    assert b"Renamed for the export" in body(client.get(url, {"country": "CA"}))


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


def test_a_transaction_moves_the_revision_once_when_it_commits(
    canada_mou, django_capture_on_commit_callbacks
):
    """A bulk change makes one update of the revision row, at the commit, not one per saved
    row holding the row's lock until then."""
    before = Revision.read()
    with (
        CaptureQueriesContext(connection) as captured,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        for index in range(5):
            make_agreement(slug=f"bulk-{index}")
        canada_mou.stages.add(Stage.objects.first())
        assert Revision.read() == before  # nothing moves before the commit
    revision_writes = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith("UPDATE") and Revision._meta.db_table in q["sql"]
    ]
    assert len(revision_writes) == 1
    assert captured.captured_queries[-1]["sql"] == revision_writes[0]  # after the last save
    after = Revision.read()
    assert after.token != before.token and after.changed_at > before.changed_at


def test_a_rolled_back_transaction_leaves_the_revision_alone(django_capture_on_commit_callbacks):
    before = Revision.read()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        make_agreement(slug="never-committed")
        raise RuntimeError
    assert Revision.read() == before


def test_every_page_says_when_the_data_last_changed(
    client, kigam, django_capture_on_commit_callbacks
):
    """Renaming an institution changes no agreement, but it is a change of the data."""
    with django_capture_on_commit_callbacks(execute=True):
        kigam.name_en = "Renamed institute"
        kigam.save()
    changed = Revision.read().changed_at
    stamp = timezone.localtime(changed).strftime("%Y-%m-%d %H:%M")
    for url in (DASHBOARD, LIST, reverse("partners:institutions")):
        assert f">{stamp}</time>" in client.get(url).content.decode()
