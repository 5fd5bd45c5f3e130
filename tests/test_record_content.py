"""What the record of partnerships 2021–2026 (issue #11) puts in the data: each sampled
agreement's date at its precision, parties and roles, minerals and sources; and the rules every
source keeps (a public address, never our own notes)."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from partners.counts import partner_countries
from partners.models import Agreement, Alias, Confidence, Country, Institution, Source
from partners.names import NameIndex

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def get(slug):
    return Agreement.objects.get(slug=slug)


def parties(agreement):
    """(institution slug or country code, role) of every party."""
    return {
        (p.institution.slug if p.institution_id else p.country.code, p.role)
        for p in agreement.parties.select_related("institution", "country")
    }


def minerals(agreement):
    return set(agreement.minerals.values_list("slug", flat=True))


def sources(agreement):
    return set(agreement.sources.values_list("slug", flat=True))


def countries(agreement, role):
    """Codes of the countries that take part as countries (not through an institution)."""
    found = agreement.parties.filter(role=role, country__isnull=False)
    return set(found.values_list("country__code", flat=True))


def representative(agreement, role, institution=None, country=None):
    found = agreement.parties.get(role=role, institution__slug=institution, country__code=country)
    return found.representative_en, found.representative_ko


def test_australia_mou_2021_signed_in_canberra_before_both_leaders():
    mou = get("au-kr-critical-minerals-supply-chain-mou-2021")
    assert (mou.date, mou.date_precision) == (datetime.date(2021, 12, 13), "day")
    assert (mou.country.code, mou.city_en) == ("AU", "Canberra")
    assert {
        ("motir", "signatory"),
        ("AU", "signatory"),
        ("office-of-the-president", "witness"),
        ("AU", "witness"),
    } == parties(mou)
    assert representative(mou, "signatory", institution="motir") == ("Moon Sung-wook", "문승욱")
    # Manganese is only in a list of Australia's reserves, not in the MOU.
    assert minerals(mou) == {"rare-earths", "lithium", "graphite", "cobalt", "nickel"}
    assert {"etnews-2021-12-13-au-kr-mou", "koreaherald-2021-12-14-au-kr-mou"} <= sources(mou)
    assert get("komir-asm-mou-2021") in mou.related.all()
    assert get("kr-au-critical-minerals-working-group-1st-2022").parent == mou
    # "Builds on a 2019 MOU" is a relation in words, not a figure.
    assert not mou.key_figures.filter(value=2019).exists()


def test_indonesia_mou_2022_date_is_likely_and_its_expiry_recorded():
    mou = get("id-kr-critical-minerals-mou-2022")
    assert mou.date == datetime.date(2022, 2, 21)
    assert mou.date_confidence == Confidence.MEDIUM and "22" in mou.date_note_en
    assert mou.status == "ended"
    assert (mou.end_date, mou.end_precision) == (datetime.date(2024, 2, 1), "month")
    expiry = mou.milestones.get(slug="expired")
    assert expiry.confidence == Confidence.MEDIUM and expiry.date_precision == "month"
    assert {
        ("indonesia-esdm", "signatory"),
        ("indonesia-esdm", "witness"),
        ("motir", "signatory"),
        ("motir", "witness"),
    } == parties(mou)
    links = mou.mineral_links.select_related("mineral")
    assert {link.mineral.slug for link in links} == {"manganese", "cobalt", "nickel"}
    assert all("remarks" in link.note_en for link in links)
    assert mou.sources.filter(language="id").count() == 2  # two Indonesian-language reports


def test_msp_launch_2022_lists_the_founders_not_norway():
    launch = get("msp-launch-2022")
    assert (launch.kind, launch.date) == ("meeting", datetime.date(2022, 6, 14))
    assert "15 June" in launch.date_note_en  # the Korean announcement, a day later
    assert countries(launch, "participant") == {"CA", "AU", "JP", "GB", "DE", "FI", "FR", "SE"}
    assert {
        ("us-state-department", "organiser"),
        ("mofa", "participant"),
        ("motir", "participant"),
        ("european-commission", "participant"),
        ("forge", "context"),
    } <= parties(launch)
    assert representative(launch, "participant", institution="mofa")[0] == "Lee Do-hoon"
    chair = get("msp-korea-chair-2024-2026")
    assert chair.parent == launch
    assert (chair.start_date, chair.end_date) == (
        datetime.date(2024, 7, 1),
        datetime.date(2026, 6, 1),
    )
    assert get("forge-launch-critical-minerals-ministerial-2026") in launch.related.all()


def test_tanzania_mou_2024_signed_by_governments_before_two_presidents():
    mou = get("tz-kr-critical-minerals-supply-chain-mou-2024")
    assert (mou.date, mou.date_precision) == (datetime.date(2024, 6, 2), "day")
    assert {
        ("KR", "signatory"),
        ("TZ", "signatory"),
        ("office-of-the-president", "host"),
        ("TZ", "witness"),
    } == parties(mou)
    assert representative(mou, "witness", country="TZ")[0] == "Samia Suluhu Hassan"
    assert minerals(mou) == {"lithium", "cobalt", "nickel", "graphite"}
    assert mou.key_figures.get(slug="edcf").value == Decimal("2500000000")
    assert get("kr-africa-summit-critical-minerals-dialogue-2024") in mou.related.all()
    assert len(sources(mou)) == 3


def test_uzbekistan_arrangement_2024_with_the_rare_metal_centre_as_a_place():
    deal = get("uz-kr-critical-minerals-supply-chain-partnership-2024")
    assert (deal.kind, deal.date) == ("agreement", datetime.date(2024, 6, 14))
    assert deal.country.code == "UZ" and deal.city_en == "Tashkent"
    assert {("KR", "signatory"), ("UZ", "signatory"), ("UZ", "witness")} <= parties(deal)
    assert representative(deal, "witness", country="UZ")[0] == "Shavkat Mirziyoyev"
    assert minerals(deal) == {"tungsten", "molybdenum", "lithium", "rare-earths"}
    chirchiq = deal.places.get(slug="chirchiq")
    assert chirchiq.country.code == "UZ" and chirchiq.has_point
    assert deal.key_figures.get(slug="documents").value == 3
    assert len(sources(deal)) == 4


def test_second_mongolia_committee_year_is_likely_and_it_relates_to_the_first():
    second = get("kr-mn-rare-metal-joint-committee-2nd-2025")
    first = get("kr-mn-rare-metal-joint-committee")
    assert (second.date, second.date_precision) == (datetime.date(2025, 3, 12), "day")
    assert second.date_confidence == Confidence.MEDIUM
    assert "2024" in second.date_note_en and "2025" in second.date_note_en
    assert second.parent == first.parent == get("kr-mn-rare-metal-supply-chain-mou-2023")
    assert first in second.related.all() and second in first.related.all()
    assert {("motir", "host"), ("mongolia-mimr", "participant"), ("khnp", "participant")} <= (
        parties(second)
    )
    assert representative(second, "participant", institution="mongolia-mimr")[0] == (
        "Sereeter Javkhlanbaatar"
    )
    assert minerals(second) == {"molybdenum", "tin", "rare-earths"}
    axinova = Source.objects.get(slug="innova-kr-mn-committee-2nd")
    assert "not followed" in axinova.note_en  # its "last year" would make it 2024


def test_korea_japan_dialogue_2025_is_hosted_by_motir():
    dialogue = get("kr-jp-mineral-resources-dialogue-2nd-2025")
    assert (dialogue.kind, dialogue.date) == ("meeting", datetime.date(2025, 12, 17))
    assert parties(dialogue) == {("motir", "host"), ("meti", "participant")}
    assert minerals(dialogue) == {"copper"}
    newsis = dialogue.sources.get(slug="newsis-2025-12-17-kr-jp")
    assert (newsis.published, newsis.published_precision) == (datetime.date(2025, 12, 17), "day")
    news1 = dialogue.sources.get(slug="news1-2025-12-kr-jp")
    assert news1.published_precision == "month" and news1.note_en


def test_forge_2026_relaunches_the_msp_with_korea_as_chair():
    forge = get("forge-launch-critical-minerals-ministerial-2026")
    assert (forge.date, forge.country.code) == (datetime.date(2026, 2, 4), "US")
    assert {("mofa", "participant"), ("us-state-department", "host"), ("forge", "context")} == (
        parties(forge)
    )
    assert representative(forge, "participant", institution="mofa") == ("Cho Hyun", "조현")
    assert forge.key_figures.get(slug="countries").value == 56
    undated = forge.sources.get(slug="kbs-world-forge-chair-2026")
    assert undated.published is None and "2026-01-30" in undated.note_en
    msp = Alias.objects.get(institution__slug="forge", name="MSP")
    assert (msp.kind, msp.until) == ("former", datetime.date(2026, 2, 1))


def test_dates_known_only_to_the_month_or_year_are_stored_so():
    almonty = get("almonty-komir-hannae-recycling-mou-2022")
    assert (almonty.date, almonty.date_precision) == (datetime.date(2022, 3, 1), "month")
    assert almonty.date_confidence == Confidence.MEDIUM and "28 March" in almonty.date_note_en
    mbi = get("komir-terengganu-mbi-mou-2024")
    assert (mbi.date, mbi.date_precision) == (datetime.date(2024, 1, 1), "year")
    assert mbi.date_confidence == Confidence.MEDIUM and mbi.date_note_en and mbi.date_note_ko
    centre = get("tz-kigam-gst-critical-minerals-technology-centre")
    assert (centre.status, centre.start_date.year, centre.end_date.year) == ("planned", 2027, 2031)


def test_lumped_parties_are_split_into_companies_and_countries():
    lges = get("lges-canadian-battery-materials-mous-2022")
    companies = lges.parties.filter(institution__kind="company", role="signatory")
    assert {p.institution.slug for p in companies} == {
        "lg-energy-solution",
        "avalon-advanced-materials",
        "electra-battery-materials",
        "snow-lake-resources",
    }
    # The short names are all the source gives: the identification is marked as likely.
    assert companies.filter(confidence=Confidence.MEDIUM).count() == 3
    chair = get("msp-korea-chair-2024-2026")
    assert {"AU", "CA", "EE", "IN", "IT", "NO", "GB"} <= countries(chair, "participant")


def test_merged_agreements_carry_the_sources_of_both_records():
    committee = get("kr-mn-rare-metal-joint-committee")
    assert {"ekn-2025-12-15-kr-mn-center", "mofa-2023-11-kr-mn-joint-committee"} <= sources(
        committee
    )
    assert committee.milestones.get(slug="first-meeting").date == datetime.date(2023, 11, 20)
    assert {("motir", "organiser"), ("mongolia-mmhi", "organiser"), ("ketep", "participant")} <= (
        parties(committee)
    )
    project = get("kr-mn-rare-metal-center-oda")
    assert {"ekn-2025-12-15-kr-mn-center", "mofa-2023-11-kr-mn-joint-committee"} <= sources(project)
    mou = get("kr-mn-rare-metal-supply-chain-mou-2023")
    assert {"ekn-2023-02-15-kr-mn-mou", "yonhap-2023-02-15-kr-mn-mou"} <= sources(mou)
    assert minerals(mou) == {"molybdenum", "tin", "nickel", "rare-earths"}
    canada = get("ca-kr-critical-minerals-mou-2023")
    assert {"zdnet-2023-05-17-ca-kr-mou", "news1-2023-05-17-ca-kr-mou"} <= sources(canada)
    assert {("ised", "signatory"), ("nrcan", "signatory"), ("CA", "witness")} <= parties(canada)
    assert get("ca-kr-future-mobility-industrial-cooperation-mou-2026") in canada.related.all()
    # One record per event: the reference's own identifiers were not added beside them.
    assert not Agreement.objects.filter(
        slug__in=[
            "mn-kr-rare-metals-supply-chain-mou-2023",
            "mn-kr-1st-rare-metal-cooperation-committee-2023",
            "ca-kr-critical-minerals-clean-energy-mou-2023",
        ]
    ).exists()
    assert Agreement.objects.filter(date="2023-02-15").count() == 1


def test_every_source_has_an_address_a_seed_file_or_a_publisher_and_date():
    seeds = {p.name for p in SEEDS.glob("*.txt")}
    for source in Source.objects.all():
        if source.seed_file:
            # A file name in shared/seeds/, checked there when the seeds are beside the clone.
            assert source.seed_file.endswith(".txt") and "/" not in source.seed_file
            assert source.seed_file in seeds or not SEEDS.is_dir(), source.slug
        elif not source.url:
            assert source.publisher_en and source.published, source.slug
        else:
            assert source.url.startswith(("http://", "https://")), source.slug


def test_no_source_is_our_own_notes_or_a_file():
    assert not Source.objects.filter(slug="coopdash-research-notes").exists()
    for source in Source.objects.all():
        described = " ".join([source.title_en, source.publisher_en, source.url]).casefold()
        assert "coopdash" not in described, source.slug
        assert "shared/reference" not in described and "facts.md" not in described, source.slug


def test_every_agreement_cites_a_source_and_says_what_each_supports():
    for agreement in Agreement.objects.prefetch_related("source_links"):
        links = list(agreement.source_links.all())
        assert links, agreement.slug
        for link in links:
            assert link.note_en and link.note_ko, (agreement.slug, link.source_id)


def test_the_record_covers_fifty_agreements_and_twenty_five_partner_countries():
    assert Agreement.objects.count() >= 50
    partners = {c.code for c in partner_countries(Agreement.objects.all())}
    assert len(partners) >= 25
    assert {"AU", "ID", "CL", "KZ", "VN", "TZ", "MG", "UZ", "PH", "MY", "MR", "JP"} <= partners


def test_multilateral_bodies_are_international_and_motie_is_motir():
    for slug in ("forge", "ipef", "eu", "european-commission", "iea", "african-union"):
        body = Institution.objects.get(slug=slug)
        assert (body.kind, body.country) == ("international", None), slug
    assert not Institution.objects.filter(acronym="MOTIE").exists()
    assert (
        get("vn-kr-critical-minerals-supply-chain-mou-2022")
        .parties.filter(institution__slug="motir", note_en__contains="MOTIE")
        .exists()
    )


def test_every_partner_country_has_an_english_adjective():
    partners = partner_countries(Agreement.objects.all())
    with_adjective = set(
        Alias.objects.filter(kind=Alias.Kind.ADJECTIVE).values_list("country__code", flat=True)
    )
    missing = {c.code for c in partners} - with_adjective
    assert not missing


def test_names_people_write_find_their_records():
    index = NameIndex.build()

    def owner(text, model):
        found = {n.pk for n in index.lookup(text, model)}
        assert len(found) == 1, (text, found)
        return found.pop()

    komir = Institution.objects.get(slug="komir").pk
    assert owner("광해광업공단", "institution") == owner("KOMIR", "institution") == komir
    kigam = Institution.objects.get(slug="kigam").pk
    assert owner("지자연", "institution") == owner("KIGAM", "institution") == kigam
    assert owner("MSP", "institution") == Institution.objects.get(slug="forge").pk
    assert owner("경산성", "institution") == Institution.objects.get(slug="meti").pk
    for compound, code in (("몽", "MN"), ("캐", "CA"), ("호", "AU"), ("베", "VN"), ("미", "US")):
        assert owner(compound, "country") == Country.objects.get(code=code).pk
    assert owner("인니", "country") == Country.objects.get(code="ID").pk
