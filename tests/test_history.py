"""Every admin edit is kept per record, with its parties and minerals, and can be reverted
from the admin."""

import re

import pytest
from django.urls import reverse

from partners.models import Agreement

pytestmark = pytest.mark.django_db


def form_data(response):
    """POST data that resubmits an admin change form exactly as it was shown."""
    data = {}
    context = response.context
    for form in [context["adminform"].form] + [
        f for formset in context["inline_admin_formsets"] for f in formset.formset.forms
    ]:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            key = form.add_prefix(name)
            if isinstance(value, (list, tuple)):
                data[key] = [str(v) for v in value]
            elif value is True:
                data[key] = "on"
            else:
                data[key] = str(value)
    for formset in context["inline_admin_formsets"]:
        for name in formset.formset.management_form.fields:
            data[formset.formset.management_form.add_prefix(name)] = str(
                formset.formset.management_form[name].value()
            )
    return data


def test_an_edit_is_kept_and_reverted_with_its_parties(staff_client, canada_mou):
    url = reverse("admin:partners_agreement_change", args=[canada_mou.pk])
    # The first save records the version as loaded.
    response = staff_client.post(url, form_data(staff_client.get(url)))
    assert response.status_code == 302
    original_title = canada_mou.title_en
    parties = canada_mou.parties.count()

    data = form_data(staff_client.get(url))
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
    assert staff_client.post(revision_url, form_data(shown)).status_code == 302

    reverted = Agreement.objects.get(pk=canada_mou.pk)
    assert reverted.title_en == original_title
    assert reverted.parties.count() == parties
