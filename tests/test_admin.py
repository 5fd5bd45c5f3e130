"""Every model in the admin: staff get in, others are sent to log in; adds validate."""

import pytest
from django.contrib import admin
from django.urls import reverse

from partners.models import Agreement, Source

from .factories import agreement_post

pytestmark = pytest.mark.django_db

MODELS = [m for m in admin.site._registry if m._meta.app_label == "partners"]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_staff_see_the_changelist_and_the_add_form(staff_client, model):
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert staff_client.get(reverse(f"{name}_changelist")).status_code == 200
    assert staff_client.get(reverse(f"{name}_changelist"), {"q": "광물"}).status_code == 200
    assert staff_client.get(reverse(f"{name}_add")).status_code == 200
    # Every model has seed records, so every change form is exercised too.
    first = model.objects.first()
    assert first is not None
    assert staff_client.get(reverse(f"{name}_change", args=[first.pk])).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_anonymous_users_are_sent_to_the_login_page(client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_an_admin_adds_an_agreement_with_parties_and_a_source(staff_client, kigam, korea):

    source = Source.objects.first()
    response = staff_client.post(
        reverse("admin:partners_agreement_add"), agreement_post(kigam, korea, source)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    agreement = Agreement.objects.get(slug="admin-made-mou")
    assert agreement.parties.count() == 2
    assert list(agreement.sources.all()) == [source]


def test_an_invalid_agreement_shows_the_field_and_saves_nothing(staff_client, kigam, korea):

    before = Agreement.objects.count()
    data = agreement_post(
        kigam, korea, Source.objects.first(), start_date="2027-01-01", end_date="2023-01-01"
    )
    response = staff_client.post(reverse("admin:partners_agreement_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "before the start" in errors["end_date"][0]
    assert Agreement.objects.count() == before


def test_an_agreement_without_a_source_is_refused(staff_client, kigam, korea):

    data = agreement_post(
        kigam,
        korea,
        Source.objects.first(),
        **{"source_links-TOTAL_FORMS": "0", "source_links-0-source": ""},
    )
    response = staff_client.post(reverse("admin:partners_agreement_add"), data)
    assert response.status_code == 200
    assert "at least one source" in response.content.decode()
    assert not Agreement.objects.filter(slug="admin-made-mou").exists()
