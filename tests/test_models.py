import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from partners.dates import Precision, format_partial, parse_partial, truncate
from partners.models import Agreement, Institution, Mineral, Party

from .factories import make_agreement

pytestmark = pytest.mark.django_db


def test_partial_dates_show_only_what_is_known():
    day = datetime.date(2023, 11, 30)
    assert format_partial(day, Precision.DAY) == "2023-11-30"
    assert format_partial(truncate(day, Precision.MONTH), Precision.MONTH) == "2023-11"
    assert format_partial(truncate(day, Precision.YEAR), Precision.YEAR) == "2023"
    assert parse_partial("2023-11") == (datetime.date(2023, 11, 1), Precision.MONTH)


def test_clean_truncates_a_date_to_its_precision():
    agreement = make_agreement(date="2025-12-15", date_precision=Precision.MONTH)
    agreement.date = datetime.date(2025, 12, 15)
    agreement.full_clean()
    assert agreement.date == datetime.date(2025, 12, 1)
    assert agreement.date_display == "2025-12"


def test_database_refuses_an_end_before_the_start():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_agreement(start_date="2027-01-01", end_date="2023-01-01")


def test_clean_explains_an_end_before_the_start():
    agreement = Agreement(
        slug="x",
        title_en="x",
        title_ko="x",
        kind="mou",
        status="active",
        date=datetime.date(2024, 1, 1),
        summary_en="x",
        summary_ko="x",
        start_date=datetime.date(2027, 1, 1),
        end_date=datetime.date(2023, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        agreement.full_clean()
    assert "end_date" in error.value.message_dict
    assert "before the start" in error.value.message_dict["end_date"][0]


def test_an_unconfirmed_date_needs_a_note():
    agreement = make_agreement(date_confidence="medium")
    with pytest.raises(ValidationError) as error:
        agreement.full_clean()
    assert "date_note_en" in error.value.message_dict


def test_a_party_is_an_institution_or_a_country_not_both(kigam, korea):
    agreement = make_agreement()
    with pytest.raises(IntegrityError), transaction.atomic():
        Party.objects.create(agreement=agreement, institution=kigam, country=korea, role="host")
    with pytest.raises(IntegrityError), transaction.atomic():
        Party.objects.create(agreement=agreement, role="host")
    with pytest.raises(ValidationError):
        Party(agreement=agreement, role="host").full_clean()


def test_the_same_party_cannot_take_the_same_role_twice(kigam):
    agreement = make_agreement()
    Party.objects.create(agreement=agreement, institution=kigam, role="host")
    with pytest.raises(IntegrityError), transaction.atomic():
        Party.objects.create(agreement=agreement, institution=kigam, role="host")
    Party.objects.create(agreement=agreement, institution=kigam, role="implementer")


def test_a_strategic_mineral_must_be_critical():
    with pytest.raises(IntegrityError), transaction.atomic():
        Mineral.objects.create(slug="x", name_en="X", name_ko="엑스", is_strategic=True)
    with pytest.raises(ValidationError) as error:
        Mineral(slug="x", name_en="X", name_ko="엑스", is_strategic=True).full_clean()
    assert "is_strategic" in error.value.message_dict


def test_international_organisations_have_no_country(korea):
    with pytest.raises(IntegrityError), transaction.atomic():
        Institution.objects.create(
            slug="x", name_en="X", name_ko="X", kind="international", country=korea
        )
    with pytest.raises(ValidationError) as error:
        Institution(slug="x", name_en="X", name_ko="X", kind="company").full_clean()
    assert "country" in error.value.message_dict


def test_an_institution_cannot_be_part_of_its_own_part(kigam, korea):
    child = Institution.objects.create(
        slug="kigam-lab",
        name_en="Lab",
        name_ko="연구실",
        kind="centre",
        country=korea,
        parent=kigam,
    )
    kigam.parent = child
    with pytest.raises(ValidationError) as error:
        kigam.full_clean()
    assert "parent" in error.value.message_dict


def test_coordinates_come_in_pairs(kigam):
    kigam.longitude = None
    with pytest.raises(ValidationError) as error:
        kigam.full_clean()
    assert "longitude" in error.value.message_dict


def test_records_read_in_the_active_language(mongolia_centre):
    with translation.override("ko"):
        assert mongolia_centre.title == "한-몽 희소금속협력센터"
        assert mongolia_centre.title_other == "Korea–Mongolia Rare Metal Cooperation Center"
    with translation.override("en"):
        assert mongolia_centre.title == "Korea–Mongolia Rare Metal Cooperation Center"
        assert mongolia_centre.title_other == "한-몽 희소금속협력센터"


def test_a_group_filter_includes_its_members(rare_earths):
    neodymium_only = make_agreement(slug="nd-only")
    neodymium_only.mineral_links.create(mineral=Mineral.objects.get(slug="neodymium"))
    found = Agreement.objects.with_mineral(rare_earths)
    assert neodymium_only in found
    assert Agreement.objects.get(slug="kr-mn-rare-metal-cooperation-center") in found
    assert not found.filter(slug="pohang-secondary-battery-rd-agreement-2023").exists()


def test_natural_keys_round_trip(mongolia_centre):
    party = mongolia_centre.parties.get(role="host")
    assert Party.objects.get_by_natural_key(*party.natural_key()) == party
    assert Agreement.objects.get_by_natural_key(*mongolia_centre.natural_key()) == mongolia_centre
