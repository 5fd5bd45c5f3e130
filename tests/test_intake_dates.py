"""Dates as articles write them, resolved against the publication date, at their precision."""

import datetime

import pytest

from intake.extraction import dates

D = datetime.date


def found(text, published=None):
    return [(text[f.start : f.end], f.iso) for f in dates.find(text, published)]


def only(text, published=None):
    items = dates.find(text, published)
    assert len(items) == 1, found(text, published)
    return items[0]


@pytest.mark.parametrize(
    "text,published,iso",
    [
        # Absolute forms.
        ("행사는 2023년 11월 30일 열렸다.", None, "2023-11-30"),
        ("외교부, 2023.11.30. 배포", None, "2023-11-30"),
        ("회의는 2023. 11. 30. 서울에서 열렸다.", None, "2023-11-30"),
        ("The forum opened on November 30, 2023 in Seoul.", None, "2023-11-30"),
        ("It was signed on 30 November 2023.", None, "2023-11-30"),
        ("The deal of 2023-11-30 stands.", None, "2023-11-30"),
        # Without a year: the year that puts the date before the article that reports it.
        ("외교부는 11.30(목) 컨퍼런스를 개최하였다.", D(2023, 11, 30), "2023-11-30"),
        ("이번 협력은 1월 29일 오타와에서 열린 회담에서 공식화됐다.", D(2026, 2, 2), "2026-01-29"),
        ("The forum closed on 30 Nov with a statement.", D(2023, 12, 5), "2023-11-30"),
        ("Talks ended Nov. 30 in Seoul.", D(2023, 12, 5), "2023-11-30"),
        # Relative days.
        ("지자연은 지난 12일 개소식을 개최했다고 밝혔다.", D(2025, 12, 15), "2025-12-12"),
        ("지자연은 지난 20일 개소식을 개최했다.", D(2025, 12, 15), "2025-11-20"),
        ("시는 15일 협약을 체결했다고 밝혔다.", D(2024, 5, 16), "2024-05-15"),
        ("현지시간으로 12일 울란바토르에서 열린 개소식", D(2025, 12, 15), "2025-12-12"),
        ("장관이 지난달 28일 공장을 방문했다.", D(2024, 2, 6), "2024-01-28"),
        ("The two sides signed the memorandum last Tuesday.", D(2024, 8, 16), "2024-08-13"),
        ("Officials met in Seoul on Monday.", D(2024, 6, 25), "2024-06-24"),
        ("The ministers will meet on Monday in Tokyo.", D(2024, 6, 25), "2024-07-01"),
        ("The ministers will meet next Friday.", D(2023, 11, 28), "2023-12-01"),
        ("The office said so yesterday.", D(2024, 6, 25), "2024-06-24"),
        # Months and years: only as precise as the text.
        ("대화는 오는 11월 캔버라에서 열릴 예정이다.", D(2024, 9, 10), "2024-11"),
        ("대화는 오는 3월 열릴 예정이다.", D(2024, 9, 10), "2025-03"),
        ("지난 4월 개원한 연구원", D(2023, 7, 5), "2023-04"),
        ("공장은 내년 완공된다.", D(2024, 9, 10), "2025"),
        ("지난해 서명한 양해각서", D(2024, 9, 10), "2023"),
        ("A second meeting is planned next year.", D(2024, 9, 10), "2025"),
        ("It was agreed earlier this week.", D(2026, 1, 29), "2026-01"),
        ("The talks took place in March 2024.", None, "2024-03"),
        ("총 35천여대 전기차 (23.7월기준)", None, "2023-07"),
        ("전기차 배터리 재활용사업을 2011년부터 시작했다.", None, "2011"),
    ],
)
def test_each_date_form_resolves_at_its_precision(text, published, iso):
    assert only(text, published).iso == iso


def test_a_weekday_in_brackets_confirms_the_date():
    assert only("2024년 6월 3일(월) 체결", D(2024, 6, 5)).weekday_ok is True
    assert only("2024년 6월 3일(화) 체결", D(2024, 6, 5)).weekday_ok is False


def test_a_weekday_in_brackets_chooses_the_year_the_text_leaves_out():
    # 3 December was a Tuesday in 2024, a Wednesday in 2025.
    item = only("포스코홀딩스는 12.3(화) 계약을 체결했다.", D(2025, 1, 8))
    assert (item.iso, item.weekday_ok) == ("2024-12-03", True)


def test_a_weekday_before_an_english_date_is_checked():
    assert only("On Thursday, November 30, the sides signed.", D(2023, 12, 1)).weekday_ok is True
    assert only("On Friday, November 30, the sides signed.", D(2023, 12, 1)).weekday_ok is False


@pytest.mark.parametrize(
    "text,published,start,end",
    [
        ("희소금속 센터 조성 사업(2023~2027)의 결실이다.", None, "2023", "2027"),
        ("The project will run from 2025 to 2029.", None, "2025", "2029"),
        ("The 2023–27 plan was adopted.", None, "2023", "2027"),
        (
            "6.14-6.23 해외기업-우리기업간 비즈니스 면담",
            D(2023, 11, 30),
            "2023-06-14",
            "2023-06-23",
        ),
        ("회의는 11월 20~22일 열렸다.", D(2023, 11, 25), "2023-11-20", "2023-11-22"),
    ],
)
def test_spans_keep_both_ends(text, published, start, end):
    item = only(text, published)
    assert item.is_span
    assert (item.iso, dates.iso(item.until, item.until_precision)) == (start, end)


def test_that_day_and_the_next_count_from_the_last_date_given():
    text = "외교부는 11.30(목) 컨퍼런스를 열었다. 이날 오후 면담도 열렸다. 이튿날 공장을 방문한다."
    assert found(text, D(2023, 12, 4)) == [
        ("11.30(목)", "2023-11-30"),
        ("이날", "2023-11-30"),
        ("이튿날", "2023-12-01"),
    ]


def test_the_articles_own_stamp_is_found_as_its_publication_date():
    stamped = [
        f for f in dates.find("작성 2026.02.02 08:36 수정 2026.02.02 23:00") if f.published_line
    ]
    assert [f.iso for f in stamped] == ["2026-02-02", "2026-02-02"]
    release = dates.publication_date(dates.find("붙임 1. 프로그램\n(외교부, 2023.11.30.)"))
    assert release.iso == "2023-11-30"
    assert dates.publication_date(dates.find("행사는 2023.11.30. 열렸다.")) is None


def test_dates_inside_a_link_are_not_read():
    text = "https://www.korea.kr/view.do?startDate=2023-11-28&endDate=2023-11-30 외교부"
    assert found(text) == []


def test_ordinals_times_and_durations_are_not_dates():
    assert found("9:00-18:30간 1:1 면담, 3·4세대 가속기, 3일간 교육", D(2023, 11, 30)) == []


def test_without_a_publication_date_relative_dates_are_not_guessed():
    assert found("지난 12일 개소식을 열었다. 오는 11월 회의가 열린다.") == []
