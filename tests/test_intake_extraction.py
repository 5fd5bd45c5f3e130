"""What coopdash proposes from an article, field by field, on articles written for the tests
(intake/cases) and on short passages that hold one trap each."""

import datetime

import pytest

from intake.extraction import extract
from tests.helpers import propose, said

pytestmark = pytest.mark.django_db

D = datetime.date


def codes(proposal):
    return {row["code"] for row in proposal["countries"]}


def slugs(rows):
    return {row["slug"] for row in rows}


# --- The event: date, kind, status -------------------------------------------------------


@pytest.mark.parametrize(
    "name,date,precision,kind,status",
    [
        ("ko_vietnam_rare_earth_mou", "2024-03-12", "day", "mou", "active"),
        ("ko_tanzania_graphite_agreement", "2024-06-03", "day", "agreement", "active"),
        ("ko_australia_dialogue_planned", "2024-11", "month", "meeting", "planned"),
        ("ko_press_release_seminar", "2024-06-20", "day", "conference", "completed"),
        ("ko_kazakhstan_research_agreement", "2024-04-22", "day", "rd-agreement", "active"),
        ("ko_uzbekistan_oda_span", "2024-05-15", "day", "oda", "active"),
        ("ko_indonesia_visit_last_month", "2024-01-28", "day", "visit", "completed"),
        ("ko_chile_lithium_weekday", "2024-12-03", "day", "agreement", "active"),
        ("en_canada_mou_paraphrase", "2026-01-28", "day", "mou", "active"),
        ("en_australia_research_last_tuesday", "2024-08-13", "day", "rd-agreement", "active"),
        ("en_seoul_recycling_forum", "2024-10-17", "day", "conference", "completed"),
        ("en_msp_meeting_on_monday", "2024-06-24", "day", "meeting", "completed"),
        ("en_finland_research_30_nov", "2024-11-30", "day", "rd-agreement", "active"),
        ("en_uzbekistan_oda_this_month", "2025-03", "month", "oda", "active"),
    ],
)
def test_the_event_is_dated_at_its_precision_with_its_kind_and_status(
    name, date, precision, kind, status
):
    _text, proposal = propose(name)
    event = proposal["event"]
    assert (event["date"], event["precision"]) == (date, precision)
    assert (event["kind"], event["status"]) == (kind, status)


def test_the_announcement_day_is_not_the_event_day():
    # "…를 체결했다고 14일 밝혔다": signed on the 12th, announced on the 14th.
    text, proposal = propose("ko_vietnam_rare_earth_mou")
    assert proposal["event"]["date"] == "2024-03-12"
    words, sentence = said(
        text,
        {
            "mention": proposal["event"]["mention"]["date"],
            "evidence": proposal["event"]["evidence"]["date"],
        },
    )
    assert words == "지난 12일" and "양해각서" in sentence


def test_the_publication_date_is_not_the_event_date(db):
    text = "지자연은 베트남 연구원과 협력을 확대한다고 밝혔다. 양측은 공동 연구를 검토하고 있다."
    proposal = extract(text, published=D(2024, 3, 14))
    assert proposal["published"] == "2024-03-14"
    assert proposal["event"]["date"] is None


def test_background_dates_are_not_the_event_date():
    # 지난해 12월 서명한 양해각서 (background), 내년 (the next meeting): the event is 오는 11월.
    _text, proposal = propose("ko_australia_dialogue_planned")
    assert proposal["event"]["date"] == "2024-11"


def test_a_programme_period_gives_start_and_end():
    _text, proposal = propose("ko_uzbekistan_oda_span")
    assert (proposal["event"]["start"], proposal["event"]["end"]) == ("2024", "2028")
    _text, proposal = propose("en_uzbekistan_oda_this_month")
    assert (proposal["event"]["start"], proposal["event"]["end"]) == ("2025", "2029")


def test_a_press_release_is_dated_by_its_own_stamp():
    text, proposal = propose("ko_press_release_seminar")
    assert proposal["published"] == "2024-06-20"
    stamp = proposal["published_evidence"]
    assert text[stamp["start"] : stamp["end"]] == "2024.6.20."


# --- Countries -----------------------------------------------------------------------------


def test_compound_forms_name_both_countries():
    proposal = extract(
        "한-몽 희소금속협력위원회가 지난 20일 열렸다. 양국은 공동 탐사에 합의했다.",
        published=D(2023, 11, 22),
    )
    assert codes(proposal) == {"KR", "MN"}
    assert all(row["evidence"] for row in proposal["countries"])


def test_adjectives_and_english_names_name_countries():
    proposal = extract(
        "Korean and Mongolian officials signed a memorandum in Ulaanbaatar on Monday.",
        published=D(2024, 6, 25),
    )
    assert codes(proposal) == {"KR", "MN"}


def test_countries_named_in_passing_are_not_parties():
    _text, proposal = propose("ko_vietnam_rare_earth_mou")  # 중국의 희토류 수출 통제
    assert codes(proposal) == {"KR", "VN"}
    _text, proposal = propose("en_seoul_recycling_forum")  # China's dominance of refining
    assert codes(proposal) == {"KR", "US", "JP", "DE"}


def test_a_list_of_participating_countries_is_kept_whole():
    _text, proposal = propose("en_msp_meeting_on_monday")
    assert codes(proposal) == {"KR", "US", "JP", "AU", "CA"}


# --- Institutions and people -----------------------------------------------------------------


def test_catalogue_institutions_are_found_by_any_of_their_names():
    proposal = extract(
        "지자연과 산업통상자원부는 몽골지질연구센터(GCRA)에서 지난 12일 개소식을 개최했다.",
        published=D(2025, 12, 15),
    )
    # A short form, a former name, and a name written without its space.
    assert slugs(proposal["institutions"]) == {"kigam", "motir", "gcra"}
    gcra = next(row for row in proposal["institutions"] if row["slug"] == "gcra")
    assert gcra["role"] == "host"


def test_an_acronym_several_bodies_share_is_resolved_by_whose_it_is(db):
    proposal = extract(
        "포항시는 5일 영남대 미래모빌리티ICT ICC와 이차전지 R&D 협약을 체결했다.",
        published=D(2023, 7, 5),
    )
    assert "yeungnam-future-mobility-ict-icc" in slugs(proposal["institutions"])
    assert "yeungnam-university" not in slugs(proposal["institutions"])


def test_a_list_of_universities_followed_by_their_centres_names_the_centres(db):
    proposal = extract(
        "포항시는 5일 포스텍, 고려대, 한동대 등 3개 대학 기업협업센터와 업무 협약을 체결했다.",
        published=D(2023, 7, 5),
    )
    assert {
        "postech-advanced-materials-icc",
        "korea-university-smp-innovation-icc",
        "handong-green-energy-e-mobility-icc",
    } <= slugs(proposal["institutions"])
    assert not {"postech", "korea-university"} & slugs(proposal["institutions"])


def test_an_institution_not_in_the_catalogue_is_proposed_as_new_with_its_name_as_written():
    text, proposal = propose("ko_vietnam_rare_earth_mou")
    new = [row for row in proposal["institutions"] if row["new"]]
    assert [(row["name_ko"], row["kind"], row["country"]) for row in new] == [
        ("베트남 지질광물연구원", "research", "VN")
    ]
    assert said(text, new[0])[0] == "베트남 지질광물연구원"
    text, proposal = propose("ko_tanzania_graphite_agreement")  # now in the catalogue
    assert [row["slug"] for row in proposal["institutions"] if not row["new"]] == [
        "komir",
        "tz-ministry-of-minerals",
    ]
    text, proposal = propose("en_finland_research_30_nov")
    new = [row for row in proposal["institutions"] if row["new"]]
    assert [(row["name_en"], row["acronym"], row["country"]) for row in new] == [
        ("Geological Survey of Finland", "GTK", "FI")
    ]


def test_a_committee_the_agreement_sets_up_is_not_a_new_institution(db):
    proposal = extract(
        "양국은 양해각서를 체결하고 산업협력위원회를 신설하기로 합의했다. "
        "산업협력위원회는 공동 프로젝트를 발굴한다.",
        published=D(2026, 1, 30),
    )
    assert [row for row in proposal["institutions"] if row["new"]] == []


def test_no_institution_is_invented(db):
    proposal = extract("양측은 공동 연구를 이어 가기로 했다. 관계자는 성과를 기대했다.")
    assert proposal["institutions"] == []
    assert proposal["people"] == []


def test_roles_from_what_the_sentence_says_of_each_body():
    _text, proposal = propose("en_seoul_recycling_forum")
    roles = {row["slug"]: row["role"] for row in proposal["institutions"] if row["slug"]}
    assert roles["mofa"] == "organiser"  # The Ministry … hosted the forum
    assert roles["sungeel-hitech"] == "presenter"  # … presented their technologies
    _text, proposal = propose("en_pohang_paraphrase")
    roles = {row["slug"]: row["role"] for row in proposal["institutions"] if row["slug"]}
    # "Pohang already hosts the Pohang Accelerator Laboratory": named in context.
    assert roles["pohang-accelerator-laboratory"] == "context"


@pytest.mark.parametrize(
    "name,people",
    [
        (
            "ko_vietnam_rare_earth_mou",
            {("권이균", "kigam"), ("쩐 반 하이", "베트남 지질광물연구원")},
        ),
        ("ko_tanzania_graphite_agreement", {("안토니 마방데", "tz-ministry-of-minerals")}),
        (
            "en_canada_mou_paraphrase",
            {("Mélanie Joly", None), ("Kim Jung-kwan", None), ("Kang Hoon-sik", None)},
        ),
        (
            "en_australia_research_last_tuesday",
            {("Lee Pyeong-koo", "kigam"), ("Melissa Harris", None)},
        ),
    ],
)
def test_people_are_named_with_their_title_and_institution(name, people):
    _text, proposal = propose(name)
    assert {(row["name"], row["institution"]) for row in proposal["people"]} == people
    assert all(row["title"] for row in proposal["people"])


def test_a_possessive_is_not_part_of_a_name(db):
    proposal = extract("The memorandum follows President Park Ji-won’s visit to Ottawa.")
    assert [p["name"] for p in proposal["people"]] == ["Park Ji-won"]


def test_a_korean_name_with_its_title_and_institution(db):
    proposal = extract(
        "이날 협약식에는 김남일 포항시 부시장과 백인규 포항시의회 의장이 참석했다.",
        published=D(2023, 7, 5),
    )
    assert [(p["name"], p["title"], p["institution"]) for p in proposal["people"]] == [
        ("김남일", "포항시 부시장", "pohang-city"),
        ("백인규", "포항시의회 의장", "pohang-city-council"),
    ]


def test_the_representative_is_proposed_with_their_institution():
    _text, proposal = propose("ko_vietnam_rare_earth_mou")
    kigam = next(row for row in proposal["institutions"] if row["slug"] == "kigam")
    assert kigam["representative"] == {"name": "권이균", "title": "한국지질자원연구원 원장"}


# --- Minerals, figures, stages, place -----------------------------------------------------------


def test_minerals_by_variant_and_group_word(db):
    proposal = extract("희토류를 포함한 텅스텐·몰리브덴·리튬 등 35종의 희소금속 연구를 협력한다.")
    assert slugs(proposal["minerals"]) == {"rare-earths", "tungsten", "molybdenum", "lithium"}
    # "35종의 희소금속" is the scope of the work: a figure, not 35 minerals.
    assert {(f["value"], f["unit"]) for f in proposal["figures"]} == {(35, "types")}


def test_critical_minerals_alone_names_no_mineral():
    _text, proposal = propose("en_seoul_recycling_forum")
    assert slugs(proposal["minerals"]) == {"cobalt", "nickel"}  # not zinc, from Korea Zinc
    proposal = extract("The two countries agreed to cooperate on critical minerals.")
    assert proposal["minerals"] == []


@pytest.mark.parametrize(
    "text,value,unit,qualifier",
    [
        ("양측은 총 166억 원을 투입한다.", 16600000000, "KRW", ""),
        ("코발트 1,500톤을 생산한다.", 1500, "t", ""),
        ("흑연 매장량은 930만t으로 추정된다.", 9300000, "t", ""),
        ("총 35천여대 전기차의 배터리를 재활용했다.", 35000, "units", "about"),
        ("95% 이상의 금속회수율을 보인다.", 95, "%", "at-least"),
        ("관계자 30여 명이 참석했다.", 30, "people", "about"),
        ("The $12 million project starts now.", 12000000, "USD", ""),
        ("Finland holds an estimated 2 million tonnes of nickel.", 2000000, "t", ""),
        ("The Korean side committed 50 billion won to the work.", 50000000000, "KRW", ""),
    ],
)
def test_figures_are_plain_numbers_with_their_magnitude_and_unit(db, text, value, unit, qualifier):
    figures = extract(text)["figures"]
    assert [(f["value"], f["unit"], f["qualifier"]) for f in figures] == [(value, unit, qualifier)]


def test_a_figure_says_what_it_counts(db):
    figures = extract("관계자 30여 명이 참석했다. 56종의 첨단 장비를 구축했다.")["figures"]
    assert [f["label"] for f in figures] == ["관계자", "첨단 장비"]


def test_a_number_in_a_list_takes_the_unit_of_the_next_item(db):
    figures = extract("연간 코발트 1,500니켈 2,900톤 리튬 1,700톤을 생산한다.")["figures"]
    assert [(f["value"], f["unit"], f["label"]) for f in figures] == [
        (1500, "t", "코발트"),
        (2900, "t", "니켈"),
        (1700, "t", "리튬"),
    ]


def test_dates_ordinals_and_times_are_not_figures(db):
    text = "9:00-18:30간 1:1 면담, 3·4세대 가속기, 2021년 준공, 4번째 회의가 11.30(목) 열렸다."
    assert extract(text, published=D(2023, 12, 1))["figures"] == []


def test_stages_from_the_wording():
    _text, proposal = propose("ko_kazakhstan_research_agreement")
    assert {"exploration", "rd", "training"} <= set(proposal["stages"])
    # "울란바토르 소재" is where something is, not materials.
    proposal = extract("지자연은 몽골 울란바토르 소재 연구센터에서 개소식을 열었다.")
    assert "materials" not in proposal["stages"]


@pytest.mark.parametrize(
    "name,city,country",
    [
        ("ko_vietnam_rare_earth_mou", "하노이", "VN"),
        ("ko_tanzania_graphite_agreement", "다르에스살람", "TZ"),
        ("ko_mongolia_centre_paraphrase", "Ulaanbaatar", "MN"),
        ("en_canada_mou_paraphrase", "Ottawa", "CA"),
        ("en_finland_research_30_nov", "Espoo", "FI"),
    ],
)
def test_the_place_is_where_the_event_happened(name, city, country):
    _text, proposal = propose(name)
    place = proposal["place"]
    assert city in (place["city_en"], place["city_ko"])
    assert place["country"] == country


def test_a_dateline_is_where_the_reporter_was_not_the_event():
    # [서울=자원경제신문] … 아스타나에서 … 체결
    _text, proposal = propose("ko_kazakhstan_research_agreement")
    assert (proposal["place"]["city_ko"], proposal["place"]["country"]) == ("아스타나", "KZ")


def test_without_a_place_in_the_text_the_organisers_city_is_proposed_uncertain():
    proposal = extract("외교부는 30일 핵심광물 세미나를 개최하였다.", published=D(2024, 5, 31))
    place = proposal["place"]
    assert (place["city_en"], place["country"], place["confidence"]) == ("Seoul", "KR", "low")


# --- Evidence, trailing lists, records already kept ---------------------------------------


@pytest.mark.parametrize("name", ["ko_press_release_seminar", "en_canada_mou_paraphrase"])
def test_every_proposed_value_carries_its_sentence_and_a_confidence(name):
    text, proposal = propose(name)
    rows = [
        proposal["place"],
        *proposal["countries"],
        *proposal["institutions"],
        *proposal["people"],
        *proposal["minerals"],
        *proposal["figures"],
    ]
    for row in rows:
        sentence, mention = row["evidence"], row["mention"]
        assert 0 <= sentence["start"] <= mention["start"] < mention["end"] <= sentence["end"]
        assert sentence["end"] <= len(text)
        assert row["confidence"] in ("high", "medium", "low")
    for key in ("date", "kind", "status"):
        assert proposal["event"]["evidence"][key]


def test_nothing_is_proposed_from_a_trailing_list_of_other_headlines():
    text, proposal = propose("ko_mongolia_committee_headlines")
    assert "코스피" not in text  # the list is gone from the document's text
    assert codes(proposal) == {"KR", "MN"}  # not Vietnam, from a headline
    assert "lithium" not in slugs(proposal["minerals"])
    assert 2600 not in {f["value"] for f in proposal["figures"]}
    assert proposal["place"]["city_en"] == "Ulaanbaatar"


@pytest.mark.parametrize(
    "name,slug",
    [
        ("ko_mongolia_centre_paraphrase", "kr-mn-rare-metal-cooperation-center"),
        ("en_canada_mou_paraphrase", "ca-kr-future-mobility-industrial-cooperation-mou-2026"),
        ("en_pohang_paraphrase", "pohang-secondary-battery-rd-agreement-2023"),
    ],
)
def test_an_article_about_a_recorded_event_proposes_that_record_first(name, slug):
    _text, proposal = propose(name)
    best = proposal["matches"][0]
    assert best["slug"] == slug
    assert best["reasons"]["days_apart"] <= 1 and best["reason"]


@pytest.mark.parametrize("name", ["ko_vietnam_rare_earth_mou", "ko_mongolia_committee_headlines"])
def test_a_new_event_proposes_no_record(name):
    # The committee's second meeting is not its first, recorded three years earlier.
    _text, proposal = propose(name)
    assert proposal["matches"] == []
