"""Finding 9 (low): a control character typed into the admin (U+000B from a word processor)
made the feed answer 500 for every selection including the record. Now C0 controls other
than tab and line breaks are taken out of every text on the way in (line tabs and page breaks
become line breaks), and the feed copes with records saved before that rule."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from partners.models import Agreement
from tests.factories import change_form_data
from tests.helpers import body

pytestmark = pytest.mark.django_db


def test_the_admin_stores_text_without_control_characters(staff_client, canada_mou):
    url = reverse("admin:partners_agreement_change", args=[canada_mou.pk])
    data = change_form_data(staff_client.get(url))
    data["title_en"] = "Line one\x0bline two\x1b"
    data["summary_en"] = "A\x0cB\x07C\tD\nE"
    assert staff_client.post(url, data).status_code == 302
    canada_mou.refresh_from_db()
    assert canada_mou.title_en == "Line one\nline two"
    assert canada_mou.summary_en == "A\nBC\tD\nE"


def test_any_save_cleans_text(kigam):
    kigam.name_en = "Korea Institute\x0b of Geoscience\x1f"
    kigam.save()
    kigam.refresh_from_db()
    assert kigam.name_en == "Korea Institute\n of Geoscience"


def test_the_feed_answers_for_a_record_saved_before_the_rule(client, canada_mou):
    # Written around the ORM's save, as a record from before the rule would be.
    Agreement.objects.filter(pk=canada_mou.pk).update(summary_en="Old\x0btext", title_en="T\x0b")
    response = client.get("/en/agreements.atom")
    assert response.status_code == 200
    ET.fromstring(body(response))  # well-formed XML
