"""Finding 12 (low): dates from year 1 to 9999 were accepted; one typo made the timeline 22
times larger. Now every date stays within 1900–2100 in the model, the admin, fixtures and the
database itself."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse

from partners.models import Agreement, Milestone, Source
from tests.factories import change_form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day", [datetime.date(1023, 5, 1), datetime.date(2223, 5, 1)])
def test_the_model_refuses_an_implausible_date(canada_mou, day):
    canada_mou.date = day
    with pytest.raises(ValidationError, match="Dates run from 1900 to 2100"):
        canada_mou.full_clean()


def test_the_admin_says_what_is_wrong(staff_client, canada_mou):
    url = reverse("admin:partners_agreement_change", args=[canada_mou.pk])
    data = change_form_data(staff_client.get(url))
    data["date"] = "2223-01-28"
    response = staff_client.post(url, data)
    assert (
        response.status_code == 200 and "Dates run from 1900 to 2100" in response.content.decode()
    )


def test_a_fixture_with_an_implausible_date_loads_nothing(tmp_path, canada_mou):
    record = {
        "model": "partners.source",
        "fields": {
            "slug": "far-future",
            "kind": "news",
            "title_en": "x",
            "title_ko": "x",
            "publisher_en": "x",
            "published": "2999-01-01",
        },
    }
    path = tmp_path / "f.json"
    path.write_text(json.dumps([record]))
    with pytest.raises(CommandError, match="published: Dates run from 1900 to 2100"):
        call_command("loaddata", str(path), verbosity=0)
    assert not Source.objects.filter(slug="far-future").exists()


@pytest.mark.parametrize("model,field", [(Agreement, "date"), (Milestone, "date")])
def test_the_database_refuses_one_written_around_validation(model, field):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=model.objects.first().pk).update(
            **{field: datetime.date(1850, 1, 1)}
        )
