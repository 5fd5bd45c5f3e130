"""What each seed document says is in the data: dates, parties, roles, minerals, figures."""

import datetime
from decimal import Decimal

import pytest

from partners.models import Agreement, Confidence, Party

pytestmark = pytest.mark.django_db


def roles(agreement):
    return {
        (p.institution.slug if p.institution_id else p.country.code, p.role)
        for p in agreement.parties.select_related("institution", "country")
    }


def test_mongolia_centre_opened_on_12_december_2025_at_gcra(mongolia_centre):
    assert mongolia_centre.date == datetime.date(2025, 12, 12)
    assert mongolia_centre.date_precision == "day"
    assert mongolia_centre.kind == "centre"
    assert mongolia_centre.city_en == "Ulaanbaatar"
    assert {
        ("kigam", "organiser"),
        ("kigam", "implementer"),
        ("gcra", "host"),
        ("mongolia-mimr", "participant"),
        ("motir", "participant"),
    } <= roles(mongolia_centre)
    minister = mongolia_centre.parties.get(institution__slug="mongolia-mimr")
    assert minister.representative_en == "G. Damdinnyam"
    assert set(mongolia_centre.minerals.values_list("slug", flat=True)) == {
        "rare-earths",
        "tungsten",
        "molybdenum",
        "lithium",
    }
    assert mongolia_centre.key_figures.get(slug="equipment").value == 56


def test_mongolia_centre_belongs_to_its_oda_project_and_committee_to_the_mou(mongolia_centre):
    project = mongolia_centre.parent
    assert project.kind == "oda"
    assert (project.start_date.year, project.end_date.year) == (2023, 2027)
    assert project.key_figures.get(slug="budget").value == Decimal("9800000000")
    committee = Agreement.objects.get(slug="kr-mn-rare-metal-joint-committee")
    assert committee.parent.date == datetime.date(2023, 2, 15)
    assert committee.milestones.get(slug="first-meeting").date == datetime.date(2023, 11, 20)
    exploration = Agreement.objects.get(slug="kigam-mongolia-critical-mineral-exploration")
    assert exploration.date_confidence != Confidence.HIGH and exploration.date_note_en
    assert {p.slug for p in exploration.places.all()} == {"bayan-olgii", "south-gobi"}


def test_conference_has_every_government_and_organisation(conference):
    assert conference.date == datetime.date(2023, 11, 30)
    parties = roles(conference)
    countries = set(
        conference.parties.filter(role="participant", country__isnull=False).values_list(
            "country__code", flat=True
        )
    )
    assert countries == {"US", "SE", "GB", "IN", "ID", "CZ", "PL", "CA", "HU", "AU"}
    assert {("iea", "participant"), ("eu", "participant"), ("mofa", "organiser")} <= parties
    business = {slug for slug, role in parties if role == "business"}
    assert business == {
        "samsung-sdi",
        "saebit-chem",
        "hyundai-engineering",
        "sk",
        "sk-ecoplant",
        "kigam",
    }
    assert conference.parties.get(institution__slug="sk").confidence == Confidence.MEDIUM
    assert "Seoul" in conference.city_en and conference.place_note_en


def test_sungeel_visit_is_planned_with_its_figures(conference):
    visit = conference.children.get()
    assert visit.status == "planned" and visit.date == datetime.date(2023, 12, 1)
    figures = {f.slug: f for f in visit.key_figures.all()}
    assert figures["cobalt-output"].value == 1500
    assert figures["nickel-output"].value == 2900
    assert figures["lithium-output"].value == 1700
    assert figures["evs-recycled"].qualifier == "about"
    assert figures["recovery-rate"].qualifier == "at-least"
    assert conference.milestones.get(slug="plant-visit").is_planned
    study = Agreement.objects.get(slug="mofa-kigam-critical-minerals-rd-strategy-study")
    assert {("mofa", "implementer"), ("kigam", "implementer")} <= roles(study)


def test_canada_mou_signing_date_is_stored_as_likely_not_certain(canada_mou):
    assert canada_mou.date == datetime.date(2026, 1, 28)
    assert canada_mou.date_confidence == Confidence.MEDIUM
    assert "29" in canada_mou.date_note_en
    assert canada_mou.milestones.get(slug="announced").date == datetime.date(2026, 1, 29)
    signatories = canada_mou.parties.filter(role="signatory")
    assert {p.representative_en for p in signatories} == {"Mélanie Joly", "Kim Jung-kwan"}
    envoy = canada_mou.parties.get(institution__slug="office-of-the-president")
    assert envoy.role != "signatory" and envoy.representative_en == "Kang Hoon-sik"
    assert set(canada_mou.minerals.values_list("slug", flat=True)) == {
        "nickel",
        "lithium",
        "cobalt",
    }
    assert canada_mou.children.get().kind == "committee"
    assert {"ontario", "british-columbia", "vancouver", "toronto"} == set(
        canada_mou.places.values_list("slug", flat=True)
    )
    earlier = Agreement.objects.get(slug="ca-kr-critical-minerals-mou-2023")
    assert earlier in canada_mou.related.all()


def test_pohang_agreement_has_eight_university_centres(pohang):
    assert pohang.date == datetime.date(2023, 7, 5)
    centres = pohang.parties.filter(role="signatory", institution__kind="centre")
    assert centres.count() == 8
    universities = {
        p.institution.parent.slug for p in centres.select_related("institution__parent")
    }
    assert "pukyong-national-university" in universities and len(universities) == 8
    city = pohang.parties.get(institution__slug="pohang-city")
    assert city.representative_ko == "김남일"
    assert pohang.parties.filter(role="context").count() == 8
    assert not pohang.minerals.exists()


def test_every_party_with_a_representative_names_them_in_both_languages():
    for party in Party.objects.exclude(representative_en=""):
        assert party.representative_ko, party
        assert party.representative_title_en and party.representative_title_ko, party
