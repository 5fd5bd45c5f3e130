"""General rules learnt from real reports the project had never seen (docs/INTAKE.md). Every
passage here is written for the tests: invented events in our own words."""

import datetime

import pytest

from intake.extraction import extract
from intake.extraction.kinds import find_kind
from intake.extraction.text import sentences

pytestmark = pytest.mark.django_db

MAY = datetime.date(2024, 5, 20)


def kind_of(text):
    return str(find_kind(sentences(text)).kind)


@pytest.mark.parametrize(
    "text, kind",
    [
        # The report names the MOU once, then calls it an agreement or a deal.
        (
            "Ministers welcome a new deal on battery metals\n\n"
            "The two governments signed an agreement on battery metals on Monday. "
            "The memorandum of understanding covers exploration and refining.",
            "mou",
        ),
        # 업무협약 alone is an agreement; with an MOU named it counts toward the MOU.
        (
            "공단, 해외 광물기관과 업무협약\n\n공단은 20일 해외 광물기관과 업무협약을 체결했다.",
            "agreement",
        ),
        (
            "공단, 해외 광물기관과 MOU\n\n공단은 20일 해외 광물기관과 업무협약을 체결했다. "
            "이번 MOU를 계기로 정보를 교환한다.",
            "mou",
        ),
        # A particle straight after the acronym.
        ("양측은 20일 핵심광물 협력 MOU를 체결했다.", "mou"),
        # A memorandum of agreement is an agreement; a letter of intent and a statement of
        # co-operation are memoranda.
        ("양 기관은 20일 핵심광물 합의각서를 체결했다.", "agreement"),
        ("The province and the agency signed a statement of co-operation on Monday.", "mou"),
        ("The two ministries signed a letter of intent on Monday.", "mou"),
        # An instrument signed at a summit is the event, not the summit.
        (
            "Leaders meet at a regional summit\n\n"
            "The presidents held a summit on Saturday on the sidelines of a regional forum. "
            "The two countries also signed an MOU on critical minerals cooperation.",
            "mou",
        ),
    ],
)
def test_the_instrument_an_article_names_for_itself(text, kind):
    assert kind_of(text) == kind


def test_an_instrument_signed_at_the_time_of_an_earlier_event_is_background():
    text = (
        "공단, 캐나다 주정부와 협약\n\n"
        "공단은 캐나다 주정부와 포괄적 업무협약을 체결했다고 2일 밝혔다. "
        "이번 협약은 지난달 정상회담의 후속 조치로, 당시 양국 부처는 공급망 MOU를 체결했다."
    )
    found = find_kind(sentences(text))
    assert str(found.kind) == "agreement"
    assert "당시" not in found.sentence.text


def place_of(text, published=MAY):
    return extract(text, published=published)["place"]


def test_an_unnamed_place_abroad_gives_the_visited_country_only():
    text = (
        "Korea signs minerals pact during state visit\n\n"
        "The Ministry of Foreign Affairs signed an MOU on critical minerals with Indonesia "
        "today on the margins of the President's state visit to Indonesia."
    )
    place = place_of(text)
    assert place["country"] == "ID"
    assert not place["city_en"] and not place["city_ko"]


def test_words_before_에서_that_name_no_place_are_not_places():
    text = (
        "정부, 탄자니아와 핵심광물 MOU\n\n"
        "양국은 20일 핵심광물 분야에서 협력하기로 하고 공급망에서 양해각서를 체결했다."
    )
    place = place_of(text)
    assert place is None or place["city_ko"] not in {"분야", "공급망"}


def test_a_city_inside_a_building_name_places_the_event():
    text = (
        "한-일 광물 회의\n\n[세종=기자] 산업부는 서울롯데호텔에서 일본 경제산업성과 "
        "광물자원협력대화를 20일 열었다."
    )
    place = place_of(text)
    assert place["city_ko"] == "서울" and place["country"] == "KR"


def test_a_dateline_under_the_headline_is_not_the_event_place():
    text = (
        "Korea and Peru sign minerals pact\n\n"
        "SEOUL, May 20 (AJP) -- The presidents of Korea and Peru signed an MOU on critical "
        "minerals at their summit in Lima on Sunday."
    )
    place = place_of(text)
    assert place["city_en"] == "Lima"


def test_a_mine_named_after_a_town_is_not_the_event_place():
    text = (
        "공단, 호주 기업과 업무협약\n\n공단은 20일 호주 ASM과 업무협약을 체결했다. "
        "ASM은 더보(Dubbo)광산에서 희토류를 개발하고 있다."
    )
    place = place_of(text)
    assert place is None or place["city_en"] != "Dubbo"


def test_another_countrys_agreement_of_the_same_week_is_not_proposed():
    # The record holds Korea's MOUs with Tanzania (2 June 2024) and Madagascar (4 June).
    text = (
        "한-탄자니아 정상, 핵심광물 공급망 양해각서 체결\n\n"
        "윤석열 대통령은 2일 방한 중인 탄자니아 대통령과 회담하고 핵심광물 공급망 "
        "양해각서(MOU)를 체결했다."
    )
    proposal = extract(text, published=datetime.date(2024, 6, 2))
    slugs = {m["slug"] for m in proposal["matches"]}
    assert "tz-kr-critical-minerals-supply-chain-mou-2024" in slugs
    assert "mg-kr-critical-minerals-mou-2024" not in slugs


def test_an_article_with_no_event_date_is_matched_through_its_publication_date():
    text = (
        "Korea and Tanzania sign critical minerals MOU\n\n"
        "Korea and Tanzania signed a memorandum of understanding on critical mineral supply "
        "chains during the Tanzanian president's visit to Seoul."
    )
    proposal = extract(text, published=datetime.date(2024, 6, 3))
    assert proposal["event"]["date"] is None
    slugs = {m["slug"] for m in proposal["matches"]}
    assert "tz-kr-critical-minerals-supply-chain-mou-2024" in slugs
