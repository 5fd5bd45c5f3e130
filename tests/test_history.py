"""Every admin edit is kept per record, with its parties and minerals, and can be reverted
from the admin."""

import re

import pytest
from django.urls import reverse

from partners.models import Agreement

from .factories import change_form_data

pytestmark = pytest.mark.django_db


def test_an_edit_is_kept_and_reverted_with_its_parties(staff_client, canada_mou):
    url = reverse("admin:partners_agreement_change", args=[canada_mou.pk])
    # The first save records the version as loaded.
    response = staff_client.post(url, change_form_data(staff_client.get(url)))
    assert response.status_code == 302
    original_title = canada_mou.title_en
    parties = canada_mou.parties.count()

    data = change_form_data(staff_client.get(url))
    data["title_en"] = "A mistaken title"
    data["parties-0-DELETE"] = "on"
    assert staff_client.post(url, data).status_code == 302
    canada_mou.refresh_from_db()
    assert canada_mou.title_en == "A mistaken title"
    assert canada_mou.parties.count() == parties - 1

    history = staff_client.get(reverse("admin:partners_agreement_history", args=[canada_mou.pk]))
    versions = re.findall(
        rf"/admin/partners/agreement/{canada_mou.pk}/history/(\d+)/", history.content.decode()
    )
    assert len(versions) == 2
    revision_url = reverse(
        "admin:partners_agreement_revision", args=[canada_mou.pk, min(versions, key=int)]
    )
    shown = staff_client.get(revision_url)
    assert shown.status_code == 200
    page = shown.content.decode()
    assert "A mistaken title" in page and original_title in page  # now and then, side by side
    assert Agreement.objects.get(pk=canada_mou.pk).title_en == "A mistaken title"  # a preview
    assert staff_client.post(revision_url).status_code == 302

    reverted = Agreement.objects.get(pk=canada_mou.pk)
    assert reverted.title_en == original_title
    assert reverted.parties.count() == parties
