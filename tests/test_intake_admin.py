"""The intake in the admin: upload, review beside the evidence, accept; who may do what."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from reversion.models import Version

from intake.models import Document
from partners.models import Agreement, Institution, Source
from tests.helpers import CASES, OWN_WORDS, review_post, staff_with

pytestmark = pytest.mark.django_db

ADD = reverse("admin:intake_document_add")
VIETNAM = (CASES / "ko_vietnam_rare_earth_mou.txt").read_text(encoding="utf-8")
CENTRE = (CASES / "ko_mongolia_centre_paraphrase.txt").read_text(encoding="utf-8")


def review_url(document):
    return reverse("admin:intake_document_review", args=[document.pk])


def upload(client, text=VIETNAM, published="2024-03-14", **fields):
    return client.post(ADD, {"text": text, "published": published, **fields})


@pytest.fixture
def document(staff_client):
    upload(staff_client)
    return Document.objects.get()


# --- Upload ---------------------------------------------------------------------------------


def test_a_pasted_article_becomes_a_document_with_its_draft(staff_client):
    response = upload(staff_client, publisher="시험신문")
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == review_url(document)
    assert (document.format, document.language, document.publisher) == ("paste", "ko", "시험신문")
    assert document.draft.proposal["event"]["date"] == "2024-03-12"


def test_an_uploaded_html_page_keeps_its_metadata(staff_client):
    page = SimpleUploadedFile(
        "tungsten.html", (CASES.parent.parent / "tests" / "data" / "article.html").read_bytes()
    )
    staff_client.post(ADD, {"file": page})
    document = Document.objects.get()
    assert (document.format, document.publisher, str(document.published)) == (
        "html",
        "Mineral Times",
        "2025-03-07",
    )
    assert document.url.endswith("/tungsten-lab") and "Erdenet" in document.headline


def test_the_same_article_uploaded_twice_is_one_document(staff_client, document):
    again = "\n\n".join(line + "  " for line in VIETNAM.splitlines())  # spaced differently
    response = staff_client.post(
        ADD, {"file": SimpleUploadedFile("again.txt", again.encode())}, follow=True
    )
    assert Document.objects.count() == 1
    assert response.redirect_chain[-1][0] == review_url(document)
    assert f"as document #{document.pk}" in response.content.decode()


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("empty.txt", b"", "The submitted file is empty."),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(200)), "reads .txt"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(200)), "binary"),
        ("broken.pdf", b"%PDF-1.7\nnot really a pdf", "could not be read"),
        ("big.txt", b"a" * (5 * 1024 * 1024 + 1), "larger than 5 MB"),
    ],
)
def test_a_bad_file_gets_a_clear_message_and_nothing_is_saved(staff_client, name, data, message):
    response = staff_client.post(ADD, {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Document.objects.exists()


def test_pasting_nothing_is_refused(staff_client):
    response = staff_client.post(ADD, {"text": "   "})
    assert "Paste the article or upload a file" in response.content.decode()
    assert not Document.objects.exists()


# --- Review ---------------------------------------------------------------------------------


def test_the_review_shows_the_article_with_the_evidence_marked(staff_client, document):
    page = staff_client.get(review_url(document)).content.decode()
    assert '<mark id="ev-' in page
    assert "지난 12일</mark>" in page  # the date's words, marked
    assert 'href="#ev-' in page  # and linked from the draft
    assert "<script>" not in page and "style=" not in page.split('class="intake-review"')[1]


def test_the_intake_pages_speak_korean(staff_client, document):
    # Requested inside an override, so that the language the request activates is put back.
    with translation.override("en"):
        upload_page = staff_client.get(ADD, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
        review_page = staff_client.get(review_url(document), HTTP_ACCEPT_LANGUAGE="ko")
    assert "기사 붙여넣기" in upload_page and "기사 읽기" in upload_page
    page = review_page.content.decode()
    assert "초안" in page and "승인하고 저장" in page and "기사에서 보기" in page
    assert "Accept and save" not in page


def test_titles_and_summaries_start_empty(staff_client, document):
    review = staff_client.get(review_url(document)).context["review"]
    for name in ("title_en", "title_ko", "summary_en", "summary_ko"):
        assert not review.agreement[name].value()
    assert not review.source["title_en"].value() and not review.source["title_ko"].value()


def test_accepting_saves_the_record_and_links_the_document(staff_client, document, admin_user):
    shown = staff_client.get(review_url(document))
    data = review_post(
        shown,
        **OWN_WORDS,
        **{
            "new_institutions-0-name_en": "Vietnam Institute of Geosciences and Mineral Resources",
            "milestones-0-title_en": "MOU signed in Hanoi",
            "figures-0-label_en": "Duration",
            "figures-1-label_en": "Research budget",
            "figures-2-label_en": "People at the signing",
            # Correct one value, decline another.
            "agreement-city_en": "Hanoi (Ba Dinh)",
            "minerals-1-include": None,
        },
    )
    response = staff_client.post(review_url(document), data)
    assert response.status_code == 302, response.context["review"].errors
    document.refresh_from_db()
    agreement = document.agreement
    assert response["Location"] == reverse("admin:partners_agreement_change", args=[agreement.pk])
    assert (agreement.title_en, agreement.city_en, str(agreement.date)) == (
        OWN_WORDS["agreement-title_en"],
        "Hanoi (Ba Dinh)",
        "2024-03-12",
    )
    assert set(agreement.minerals.values_list("slug", flat=True)) == {"rare-earths"}
    new = Institution.objects.get(name_ko="베트남 지질광물연구원")
    assert new.country.code == "VN" and new.acronym == "VIGMR"
    assert agreement.parties.filter(institution=new, role="signatory").exists()
    assert document.source in agreement.sources.all() and document.accepted_by is not None
    revision = Version.objects.get_for_object(agreement).get().revision
    assert f"intake document #{document.pk}" in revision.comment
    decisions = document.draft.decisions
    assert decisions["minerals"]["declined"] == 1 and decisions["city_en"] == "corrected"


def test_a_summary_that_copies_the_article_is_refused(staff_client, document):
    copied = "요약: " + VIETNAM.splitlines()[5]  # a sentence of the article, word for word
    data = review_post(
        staff_client.get(review_url(document)), **{**OWN_WORDS, "agreement-summary_ko": copied}
    )
    response = staff_client.post(review_url(document), data)
    assert response.status_code == 200
    errors = response.context["review"].agreement.errors["summary_ko"]
    assert "repeats the article word for word" in errors[0]
    assert not Agreement.objects.filter(title_en=OWN_WORDS["agreement-title_en"]).exists()


def test_an_error_from_the_catalogue_is_shown_on_its_row_and_saves_nothing(staff_client, document):
    data = review_post(staff_client.get(review_url(document)), **OWN_WORDS)  # figures unlabelled
    before = (Agreement.objects.count(), Institution.objects.count(), Source.objects.count())
    response = staff_client.post(review_url(document), data)
    assert response.status_code == 200
    assert response.context["review"].figures.forms[0].errors["label_en"]
    assert (
        Agreement.objects.count(),
        Institution.objects.count(),
        Source.objects.count(),
    ) == before
    document.refresh_from_db()
    assert document.agreement is None


def test_an_article_about_a_recorded_event_is_added_as_its_source(staff_client, mongolia_centre):
    upload(staff_client, text=CENTRE, published="2025-12-16")
    document = Document.objects.get()
    shown = staff_client.get(review_url(document))
    assert shown.context["review"].outcome["outcome"].value() == f"source-of:{mongolia_centre.slug}"
    assert "Add this article as a source of" in shown.content.decode()
    agreements = Agreement.objects.count()
    data = review_post(shown, **{k: v for k, v in OWN_WORDS.items() if k.startswith("source-")})
    response = staff_client.post(review_url(document), data)
    assert response.status_code == 302
    assert Agreement.objects.count() == agreements
    document.refresh_from_db()
    assert document.agreement == mongolia_centre
    assert document.source in mongolia_centre.sources.all()


# --- Who may do what -----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, document):
    for url in (ADD, review_url(document), reverse("admin:intake_document_changelist")):
        response = client.get(url)
        assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    assert client.post(review_url(document), {}).status_code == 302


def test_view_only_staff_read_the_draft_but_cannot_accept(django_user_model, document):
    viewer = staff_with(django_user_model, "intake.view_document")
    shown = viewer.get(review_url(document))
    assert shown.status_code == 200
    assert "Accept and save" not in shown.content.decode()
    assert "needs permission to add agreements" in shown.content.decode()
    response = viewer.post(review_url(document), review_post(shown, **OWN_WORDS))
    assert response.status_code == 403
    assert viewer.post(ADD, {"text": VIETNAM}).status_code == 403
    document.refresh_from_db()
    assert document.agreement is None


def test_staff_who_may_add_agreements_but_not_institutions_must_decline_new_ones(
    django_user_model, document
):
    curator = staff_with(django_user_model, "intake.view_document", "partners.add_agreement")
    shown = curator.get(review_url(document))
    data = review_post(
        shown,
        **OWN_WORDS,
        **{
            "new_institutions-0-name_en": "Vietnam Institute of Geosciences and Mineral Resources",
            "figures-0-include": None,
            "figures-1-include": None,
            "figures-2-include": None,
        },
    )
    response = curator.post(review_url(document), data)
    assert response.status_code == 200
    assert "You may not add institutions" in response.content.decode()
    assert not Institution.objects.filter(name_ko="베트남 지질광물연구원").exists()


def test_an_accepted_document_cannot_be_accepted_again(staff_client, document, canada_mou):
    document.agreement = canada_mou
    document.accepted_at = document.uploaded_at
    document.save()
    shown = staff_client.get(review_url(document))
    assert "Accept and save" not in shown.content.decode()
    assert staff_client.post(review_url(document), {}).status_code == 403
