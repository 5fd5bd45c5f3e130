"""partners.services.record_agreement: everything validated as the admin validates it, saved
in one transaction as one revision, or nothing saved and the bad item named."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from reversion.models import Version

from partners.models import Agreement, Country, Institution, Party, Revision, Source
from partners.services import broken_rule, record_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_user("curator", password="a-long-pass-phrase")


def new_agreement(**changes):
    values = {
        "slug": "kigam-gtk-exploration-2024",
        "title_en": "KIGAM–GTK exploration agreement",
        "title_ko": "지자연-핀란드 지질조사소 탐사 협약",
        "kind": "rd-agreement",
        "status": "active",
        "date": datetime.date(2024, 11, 30),
        "country": "FI",
        "city_en": "Espoo",
        "summary_en": "Written for a test.",
        "summary_ko": "시험용 요약.",
    }
    values.update(changes)
    return values


def everything(**changes):
    """The arguments of a full record: a new institution and a new source included."""
    arguments = {
        "agreement": new_agreement(),
        "institutions": [
            {
                "slug": "gtk",
                "name_en": "Geological Survey of Finland",
                "name_ko": "핀란드 지질조사소",
                "acronym": "GTK",
                "kind": "research",
                "country": "FI",
            }
        ],
        "sources": [
            {
                "slug": "test-daily-2024-12-02",
                "kind": "news",
                "title_en": "Report used by a test",
                "title_ko": "시험에 쓴 보도",
                "publisher_en": "Test Daily",
                "published": datetime.date(2024, 12, 2),
                "language": "en",
            }
        ],
        "parties": [
            {"institution": "kigam", "role": "signatory", "representative_en": "Lee Pyeong-koo"},
            {"institution": "gtk", "role": "signatory"},
        ],
        "minerals": [{"mineral": "nickel"}, {"mineral": "cobalt"}],
        "milestones": [
            {
                "slug": "signed",
                "title_en": "Signed",
                "title_ko": "서명",
                "date": datetime.date(2024, 11, 30),
            }
        ],
        "key_figures": [
            {
                "slug": "years",
                "label_en": "Duration",
                "label_ko": "기간",
                "value": 3,
                "unit_en": "years",
            }
        ],
        "places": [
            {"slug": "lapland", "name_en": "Lapland", "name_ko": "라플란드", "country": "FI"}
        ],
        "stages": ["exploration", "rd"],
        "source_links": [{"source": "test-daily-2024-12-02", "note_en": "The signing."}],
    }
    arguments.update(changes)
    return arguments


def counts():
    return (
        Agreement.objects.count(),
        Institution.objects.count(),
        Source.objects.count(),
        Party.objects.count(),
        Revision.current(),
    )


def test_a_whole_record_is_saved_with_its_new_institution_and_source(curator):
    returned = record_agreement(user=curator, comment="From intake document #7", **everything())
    agreement = Agreement.objects.get(pk=returned.pk)  # read back, not what was written
    assert agreement.get_absolute_url() == returned.get_absolute_url()
    assert {(p.institution.slug, p.role) for p in agreement.parties.all()} == {
        ("kigam", "signatory"),
        ("gtk", "signatory"),
    }
    assert Institution.objects.get(slug="gtk").country.code == "FI"
    assert [s.slug for s in agreement.sources.all()] == ["test-daily-2024-12-02"]
    assert set(agreement.minerals.values_list("slug", flat=True)) == {"nickel", "cobalt"}
    assert set(agreement.stages.values_list("slug", flat=True)) == {"exploration", "rd"}
    assert agreement.milestones.get().slug == "signed"
    assert agreement.key_figures.get().value == 3
    assert agreement.places.get().country.code == "FI"


def test_the_record_is_one_revision_with_the_user_and_the_document_named(curator):
    agreement = record_agreement(user=curator, comment="From intake document #7", **everything())
    version = Version.objects.get_for_object(agreement).get()
    assert version.revision.user == curator
    assert version.revision.comment == "From intake document #7"
    # The revision holds the new institution and the agreement's parties with it.
    held = {v.content_type.model for v in version.revision.version_set.all()}
    assert {"agreement", "institution", "source", "party", "agreementsource"} <= held


def test_the_history_holds_the_record_as_saved_and_restores_it(curator):
    """The history of a new agreement is written from the objects at hand (services.
    known_relations): it must hold what the database holds, and reverting must restore it."""
    agreement = record_agreement(user=curator, comment="test", **everything())
    revision = Version.objects.get_for_object(agreement).get().revision
    held = {(v.content_type.model, int(v.object_id)) for v in revision.version_set.all()}
    children = [
        agreement.parties,
        agreement.mineral_links,
        agreement.milestones,
        agreement.key_figures,
        agreement.places,
        agreement.source_links,
    ]
    for manager in children:
        model = manager.model._meta.model_name
        assert {(model, pk) for pk in manager.values_list("pk", flat=True)} <= held, model
    fields = Version.objects.get_for_object(agreement).get().field_dict
    assert set(fields["stages"]) == set(agreement.stages.values_list("pk", flat=True))
    assert fields["related"] == []

    agreement.parties.filter(institution__slug="gtk").delete()
    agreement.stages.clear()
    revision.revert(delete=True)
    assert set(agreement.parties.values_list("institution__slug", flat=True)) == {"kigam", "gtk"}
    assert set(agreement.stages.values_list("slug", flat=True)) == {"exploration", "rd"}


def test_the_same_mineral_twice_or_one_already_held_is_refused(curator, canada_mou):
    minerals = [{"mineral": "nickel"}, {"mineral": "nickel"}]
    with pytest.raises(ValidationError) as raised:
        record_agreement(user=curator, comment="test", **everything(minerals=minerals))
    assert "minerals[1]" in raised.value.message_dict
    held = canada_mou.mineral_links.first().mineral.slug
    with pytest.raises(ValidationError) as raised:
        record_agreement(
            user=curator,
            comment="test",
            agreement=canada_mou.slug,
            minerals=[{"mineral": held}],
        )
    assert "minerals[0]" in raised.value.message_dict


def test_a_rule_broken_in_a_statement_of_several_is_put_on_the_item_that_breaks_it(curator):
    """Children go in one statement each; when the database refuses one (a rule no
    `clean()` caught), the error still names the item, found by asking the database."""
    agreement = record_agreement(user=curator, comment="test", **everything())
    kigam, mongolia = Institution.objects.get(slug="kigam"), Country.objects.get(code="MN")
    good = Party(agreement=agreement, country=mongolia, role="participant")
    bad = Party(agreement=agreement, institution=kigam, country=mongolia, role="participant")
    try:
        with transaction.atomic():
            Party.objects.bulk_create([good, bad])
    except IntegrityError as error:
        refused = broken_rule(error, [("parties[0]", good), ("parties[1]", bad)])
    assert list(refused.message_dict) == ["parties[1]"]
    assert "party_institution_xor_country" in refused.message_dict["parties[1]"][0]


@pytest.mark.parametrize(
    "changes,key,words",
    [
        ({"agreement": new_agreement(kind="treaty")}, "agreement.kind", "not a valid choice"),
        (
            {"agreement": new_agreement(slug="pohang-secondary-battery-rd-agreement-2023")},
            "agreement.slug",
            "already exists",
        ),
        (
            {"agreement": new_agreement(date_confidence="low")},
            "agreement.date_note_en",
            "date is not confirmed",
        ),
        (
            {
                "parties": [
                    {"institution": "kigam", "role": "signatory"},
                    {"institution": "gtk", "role": "boss"},
                ]
            },
            "parties[1].role",
            "not a valid choice",
        ),
        (
            {"parties": [{"institution": "nobody", "role": "signatory"}]},
            "parties[0].institution",
            "no institution",
        ),
        ({"minerals": [{"mineral": "unobtainium"}]}, "minerals[0].mineral", "no mineral"),
        (
            {"places": [{"slug": "x", "name_en": "X", "name_ko": "엑스", "country": "ZZ"}]},
            "places[0].country",
            "no country",
        ),
        (
            {
                "institutions": [
                    {"slug": "gtk", "name_en": "GTK", "name_ko": "지티케이", "kind": "research"}
                ]
            },
            "institutions[0].country",
            "Choose the country",
        ),
        ({"stages": ["alchemy"]}, "stages[0].slug", "no value-chain stage"),
        ({"source_links": []}, "source_links", "at least one source"),
        ({"minerals": [{"mineral": "nickel", "grade": "high"}]}, "minerals[0].grade", "no field"),
    ],
)
def test_a_bad_item_saves_nothing_and_is_named_with_its_field(curator, changes, key, words):
    before = counts()
    with pytest.raises(ValidationError) as raised:
        record_agreement(user=curator, comment="test", **everything(**changes))
    assert key in raised.value.message_dict, raised.value.message_dict
    assert words in " ".join(raised.value.message_dict[key])
    assert counts() == before  # not even the new institution or source, nor a new revision
    assert not Version.objects.filter(revision__comment="test").exists()


def test_the_same_party_twice_is_refused_as_the_admin_refuses_it(curator):
    party = {"institution": "kigam", "role": "signatory"}
    with pytest.raises(ValidationError) as raised:
        record_agreement(user=curator, comment="test", **everything(parties=[party, party]))
    assert "parties[1]" in raised.value.message_dict


def test_an_article_is_added_as_a_source_of_a_recorded_agreement(curator, canada_mou):
    before = canada_mou.parties.count()
    agreement = record_agreement(
        user=curator,
        comment="From intake document #8",
        agreement=canada_mou.slug,
        sources=everything()["sources"],
        source_links=[{"source": "test-daily-2024-12-02", "note_en": "Reports the signing."}],
    )
    assert agreement == canada_mou
    assert "test-daily-2024-12-02" in set(agreement.sources.values_list("slug", flat=True))
    assert agreement.parties.count() == before
    version = Version.objects.get_for_object(canada_mou).first()
    assert version.revision.comment == "From intake document #8"


def test_adding_to_an_agreement_that_does_not_exist_is_refused(curator):
    with pytest.raises(ValidationError) as raised:
        record_agreement(user=curator, comment="test", agreement="no-such-agreement")
    assert "agreement.slug" in raised.value.message_dict


def test_arguments_are_keyword_only(curator):
    with pytest.raises(TypeError):
        record_agreement(curator, "test", new_agreement())


def test_a_rule_the_database_checks_is_refused_on_its_item_and_saves_nothing(curator):
    """Check constraints are left to `clean()` and the database on this path
    (services.saved): a party that is both an institution and a country still saves
    nothing, and the error names the item."""
    before = counts()
    party = {"institution": "kigam", "country": "MN", "role": "signatory"}
    with pytest.raises(ValidationError) as raised:
        record_agreement(user=curator, comment="test", **everything(parties=[party]))
    assert any(key.startswith("parties[0]") for key in raised.value.message_dict)
    assert counts() == before
    assert not Version.objects.filter(revision__comment="test").exists()
