"""Reading an uploaded article: its body from text, HTML or PDF, what the page says of it,
and a clear refusal of anything that is not an article."""

import io
from pathlib import Path

import pytest
from pypdf import PdfWriter

from intake.reading import MAX_BYTES, Unreadable, fingerprint, read_text, read_upload

DATA = Path(__file__).parent / "data"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def html():
    return (DATA / "article.html").read_bytes()


def test_html_keeps_the_article_body_and_drops_the_page_around_it():
    reading = read_upload("article.html", html())
    assert reading.format == "html" and reading.language == "en"
    assert "opened a tungsten testing laboratory in Erdenet" in reading.text
    assert "about 2.5 billion won" in reading.text  # after the related list, still the body
    for furniture in [
        "Lithium prices today",  # navigation
        "Buy copper futures",  # advertisement
        "Chile's lithium output",  # related headlines inside the article
        "Australia signs rare earth deal",  # most read
        "Great news for Canada",  # comments
        "Copyright Mineral Times",  # footer
        "dataLayer",  # script
    ]:
        assert furniture not in reading.text, furniture
    assert reading.removed > 0


def test_html_metadata_gives_headline_url_publisher_and_date():
    reading = read_upload("article.html", html())
    assert reading.headline == "Korea and Mongolia open a tungsten laboratory in Erdenet"
    assert reading.url == "https://mineral-times.example/news/2025/03/tungsten-lab"
    assert reading.publisher == "Mineral Times"
    assert reading.published == "2025-03-07"


def test_html_without_metadata_takes_the_date_from_linked_data_or_time():
    page = (
        b"<html><head><title>T</title><script type='application/ld+json'>"
        b'{"datePublished": "2024-06-20T10:00:00+09:00"}</script></head>'
        b"<body><article><p>KIGAM signed a memorandum with GTK in Espoo on Monday.</p>"
        b"</article></body></html>"
    )
    assert read_upload("page.html", page).published == "2024-06-20"
    page = b"<html><body><time datetime='2024-06-21'>June 21</time><p>Some text.</p></body></html>"
    assert read_upload("page.htm", page).published == "2024-06-21"


@pytest.mark.parametrize(
    "language,words",
    [("ko", "서호주 정부와 리튬 정련"), ("en", "lithium refining in Perth on Monday")],
)
def test_pdf_text_is_read_and_its_lines_joined_back(language, words):
    reading = read_upload(
        f"article_{language}.pdf", (DATA / f"article_{language}.pdf").read_bytes()
    )
    assert (reading.format, reading.language) == ("pdf", language)
    assert words in reading.text


@pytest.mark.parametrize(
    "seed,last_words,gone",
    [
        ("000_562de5e0238ace68.txt", "구축하고 있다.", "EE칼럼"),
        ("001_b5d2dbfcfd40e35f.txt", "period=direct", "ESG 정책뉴스"),
        ("002_cc6d462163fc8b8f.txt", "무단 전재 및 재배포금지", "Shorts NEWS"),
    ],
)
def test_a_trailing_list_of_other_headlines_is_dropped_from_text(seed, last_words, gone):
    if not SEEDS.exists():
        pytest.skip("the seed documents live outside the repository (../shared/seeds)")
    reading = read_upload(seed, (SEEDS / seed).read_bytes())
    assert reading.text.rstrip().endswith(last_words)
    assert gone not in reading.text
    assert reading.removed >= 6


def test_a_trailing_headline_list_in_written_text_is_dropped():
    text = (
        "지자연은 지난 12일 몽골에서 개소식을 열었다고 밝혔다.\n"
        "센터는 희토류 연구를 수행한다.\n\n"
        "많이 본 뉴스\n"
        "코스피, 외국인 매도에 하락\n"
        "서울 아파트값 상승폭 확대\n"
        "반도체 수출 석 달 연속 증가\n"
    )
    reading = read_text(text)
    assert (
        reading.text
        == "지자연은 지난 12일 몽골에서 개소식을 열었다고 밝혔다.\n센터는 희토류 연구를 수행한다.\n"
    )
    assert reading.removed == 4


def test_an_articles_own_short_ending_is_kept():
    text = "지자연은 지난 12일 몽골에서 개소식을 열었다고 밝혔다.\n끝.\n"
    assert read_text(text).text == text


def test_language_is_detected():
    assert read_text("한국지질자원연구원은 몽골에서 개소식을 열었다. KIGAM said.").language == "ko"
    assert read_text("KIGAM opened a centre in Ulaanbaatar, 울란바토르.").language == "en"


def test_the_same_article_spaced_differently_has_one_fingerprint():
    one = read_text("지자연은  지난 12일\r\n개소식을 열었다.").text
    other = read_text("지자연은 지난 12일 개소식을 열었다.\n\n").text
    assert fingerprint(one) == fingerprint(other)
    assert fingerprint(one) != fingerprint("지자연은 지난 13일 개소식을 열었다.")


def test_korean_text_in_the_older_encoding_is_read():
    data = "지자연은 지난 12일 개소식을 열었다고 밝혔다.".encode("cp949")
    assert "개소식" in read_upload("old.txt", data).text


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b" \n\t \n", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("big.txt", b"a" * (MAX_BYTES + 1), "larger than 5 MB"),
        ("fake.pdf", b"hello, not a pdf", "not a PDF"),
        ("broken.pdf", b"%PDF-1.7\n this is not a real PDF at all", "could not be read"),
        ("sheet.xlsx", b"PK\x03\x04 some zipped spreadsheet", "reads .txt, .html and .pdf"),
        ("empty.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "empty"),
    ],
)
def test_what_is_not_an_article_is_refused_with_a_clear_message(name, data, message):
    with pytest.raises(Unreadable, match=message):
        read_upload(name, data)


def blank_pdf(password=None):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_without_text_or_behind_a_password_is_refused():
    with pytest.raises(Unreadable, match="no text"):
        read_upload("scan.pdf", blank_pdf())
    with pytest.raises(Unreadable, match="password"):
        read_upload("locked.pdf", blank_pdf(password="secret"))
