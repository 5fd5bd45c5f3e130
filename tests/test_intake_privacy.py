"""An article and its draft stay in the intake's tables: no public page, export, cached
page or `dumpdata partners` shows them before an admin accepts, and after acceptance no
sentence of the article reaches a public page."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from intake.forms import copied_run
from intake.models import Document
from partners.models import Revision
from tests.helpers import CASES, OWN_WORDS, review_post

pytestmark = pytest.mark.django_db

ARTICLE = (CASES / "ko_vietnam_rare_earth_mou.txt").read_text(encoding="utf-8")
# Words only the article and its draft hold: a new institution, a person, a phrase.
SECRETS = ["베트남 지질광물연구원", "VIGMR", "쩐 반 하이", "광석 시료의 분석과 선광 시험"]
PUBLIC = [
    ("dashboard", ()),
    ("list", ()),
    ("map", ()),
    ("timeline", ()),
    ("coverage", ()),
    ("countries", ()),
    ("institutions", ()),
    ("minerals", ()),
    ("country", ("vn",)),
    ("institution", ("kigam",)),
    ("mineral", ("rare-earths",)),
    ("export-csv", ()),
    ("export-json", ()),
    ("feed", ()),
]


def public_pages(client):
    for lang in ("en", "ko"):
        for name, args in PUBLIC:
            # Requested inside the override, so that the language the page activates is
            # put back after it.
            with translation.override(lang):
                url = reverse(f"partners:{name}", args=args)
                response = client.get(url, {"q": "베트남"} if name == "list" else {})
                assert response.status_code == 200, url
                body = (
                    response.content
                    if not response.streaming
                    else b"".join(response.streaming_content)
                )
            yield url, body.decode()


def dumped():
    out = io.StringIO()
    call_command("dumpdata", "partners", "--natural-foreign", "--natural-primary", stdout=out)
    return out.getvalue()


@pytest.fixture
def uploaded(staff_client):
    staff_client.post(
        reverse("admin:intake_document_add"), {"text": ARTICLE, "published": "2024-03-14"}
    )
    return Document.objects.get()


def test_a_draft_reaches_no_public_page_export_or_dump(client, uploaded):
    assert uploaded.draft.proposal["institutions"]  # there is a draft to leak
    for url, page in public_pages(client):
        for secret in SECRETS:
            assert secret not in page, (url, secret)
    data = dumped()
    assert not any(secret in data for secret in SECRETS)


def test_uploading_does_not_move_the_data_revision(staff_client):
    before = Revision.current()
    staff_client.post(reverse("admin:intake_document_add"), {"text": ARTICLE})
    assert Document.objects.exists()
    assert Revision.current() == before  # cached public pages are still the catalogue's


def accept(staff_client, document):
    url = reverse("admin:intake_document_review", args=[document.pk])
    data = review_post(
        staff_client.get(url),
        **OWN_WORDS,
        **{
            "new_institutions-0-name_en": "Vietnam Institute of Geosciences and Mineral Resources",
            "milestones-0-title_en": "MOU signed",
            "figures-0-label_en": "Duration",
            "figures-1-label_en": "Budget",
            "figures-2-label_en": "Attendees",
        },
    )
    response = staff_client.post(url, data)
    assert response.status_code == 302
    document.refresh_from_db()
    return document.agreement


def test_after_acceptance_no_sentence_of_the_article_reaches_a_public_page(
    client, staff_client, uploaded
):
    agreement = accept(staff_client, uploaded)
    pages = list(public_pages(client))
    for lang in ("ko", "en"):
        with translation.override(lang):
            pages.append(("detail", client.get(agreement.get_absolute_url()).content.decode()))
    assert OWN_WORDS["agreement-title_en"] in pages[-1][1]  # the record is public now
    for url, page in pages:
        assert copied_run(page, ARTICLE) is None, url
