"""From an uploaded file or pasted text to the article's text and what the page says of it.

Plain text, HTML and PDF are read here, nothing is fetched, and what is kept is the
article: from HTML its body without navigation, comments, advertisements and lists of other
headlines; from any text a trailing list of unrelated headlines is dropped too (news sites
append them to the article when it is copied). The text is normalised once here, and every
offset the extraction reports points into this text.
"""

import hashlib
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
HANGUL = re.compile(r"[\uac00-\ud7a3]")
LATIN = re.compile(r"[A-Za-z]")


class Unreadable(Exception):
    """The input cannot be read as an article; the message says why, for the admin."""


@dataclass
class Reading:
    text: str
    format: str
    language: str
    headline: str = ""
    url: str = ""
    publisher: str = ""
    published: str = ""  # ISO date when the page's metadata gives one
    removed: int = 0
    metadata: dict = field(default_factory=dict)


# --- Text --------------------------------------------------------------------------------

INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def normalise(text):
    """NFC text with Unix line ends, ordinary spaces, no invisible characters and no
    trailing spaces; at most one blank line in a row."""
    text = unicodedata.normalize("NFC", text).translate(INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = text.replace("\u3000", " ").replace("\t", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def fingerprint(text):
    """The same article, however it was spaced or which form it came in, has one print."""
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.sha256(folded.encode()).hexdigest()


def detect_language(text):
    hangul = len(HANGUL.findall(text))
    latin = len(LATIN.findall(text))
    return "ko" if hangul and hangul * 3 >= latin else "en"


MARKERS = re.compile(
    r"더\s?보기|관련\s?기사|많이\s?본|인기\s?기사|최신\s?기사|댓글|번호\s+제목|"
    r"\b(related|read more|more from|most read|trending|comments?|recommended)\b",
    re.IGNORECASE,
)
META = re.compile(
    r"^https?://|무단\s?전재|재배포|저작권|ⓒ|©|copyright|all rights reserved|"
    r"[\w.+-]+@[\w-]+\.[\w.]+|(입력|작성|수정|등록|송고|기사입력)\s*:?\s*\d{4}[.\-/]",
    re.IGNORECASE,
)
# Prose ends its lines with a full stop; headlines end with a word, "!", "?" or "…".
SENTENCE_END = re.compile(r"[^.][.。][\"”’')\]]*$")
MIN_LIST = 3  # lines: fewer is an article's own closing line, not a list


def line_kind(line):
    """prose, meta (kept, and the end of any trailing list) or junk (a headline, a marker,
    an image, a fragment of the page's furniture)."""
    if line.startswith("!["):
        return "junk"
    if MARKERS.search(line) and len(line) < 80:
        return "junk"
    if META.search(line):
        return "meta"
    if len(line) > 150:
        return "prose"
    if SENTENCE_END.search(line) and (len(line) >= 20 or re.search(r"[다요]\.$", line)):
        return "prose"
    return "junk"


def drop_trailing_lists(text):
    """The text without the run of headline-like lines at its end, and how many lines
    went. A run shorter than MIN_LIST lines stays: it is the article's own ending."""
    lines = text.split("\n")
    cut, junk = len(lines), 0
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index].strip()
        if not line:
            continue
        if line_kind(line) != "junk":
            break
        cut, junk = index, junk + 1
    if junk < MIN_LIST:
        return text, 0
    return "\n".join(lines[:cut]).strip() + "\n", junk


def read_text(raw, format="paste", **metadata):
    text = normalise(raw)
    if not text.strip():
        raise Unreadable(_("The text is empty: there is nothing to read."))
    text, removed = drop_trailing_lists(text)
    return Reading(
        text=text, format=format, language=detect_language(text), removed=removed, **metadata
    )


def decode(data):
    """Text from bytes in UTF-8 or, as older Korean sites write, CP949 (EUC-KR)."""
    if b"\x00" in data[:8192]:
        raise Unreadable(_("This file is binary, not text, HTML or PDF."))
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(
            1 for c in text[:8192] if unicodedata.category(c) == "Cc" and c not in "\n\r\t"
        )
        if controls > len(text[:8192]) / 100:
            break
        return text
    raise Unreadable(_("This file is binary, or its text is in an encoding coopdash cannot read."))


# --- HTML --------------------------------------------------------------------------------

SKIPPED_TAGS = {
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "button",
    "select",
    "svg",
    "template",
    "head",
}
VOID_TAGS = {"br", "img", "meta", "link", "input", "hr", "source", "wbr", "area", "col", "embed"}
BLOCK_TAGS = {
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "article",
    "section",
    "td",
    "th",
    "tr",
    "blockquote",
    "figcaption",
    "pre",
    "dd",
    "dt",
    "main",
    "ul",
    "ol",
    "table",
}
JUNK_NAMES = re.compile(
    r"(^|[-_\s])(nav|navbar|menu|gnb|lnb|breadcrumbs?|comments?|reply|replies|ads?|advert\w*|"
    r"banner|sponsor\w*|related|popular|ranking|most-?read|sidebar|aside|footer|header|share|"
    r"sns|social|recommend\w*|subscribe|newsletter|cookie|promo|tags?|copyright|byline-share)"
    r"($|[-_\s])",
    re.IGNORECASE,
)
BODY_NAMES = re.compile(
    r"article[-_]?(body|content|text|txt|view)|news[-_]?(body|content|text|view)|"
    r"view[-_]?(con|content|text)|post[-_]?(body|content)|entry[-_]?content|articleBody|"
    r"story[-_]?body",
    re.IGNORECASE,
)
META_KEYS = {
    "og:title": "headline",
    "twitter:title": "headline",
    "og:url": "url",
    "og:site_name": "publisher",
    "article:publisher": "publisher",
    "og:article:author": "author",
    "article:published_time": "published",
    "og:published_time": "published",
    "published_time": "published",
    "pubdate": "published",
    "publishdate": "published",
    "publish-date": "published",
    "date": "published",
    "dc.date": "published",
    "dc.date.issued": "published",
    "datepublished": "published",
    "parsely-pub-date": "published",
    "sailthru.date": "published",
}


@dataclass
class Block:
    tag: str
    body: bool  # inside the element that holds the article body
    text: list = field(default_factory=list)
    link_chars: int = 0

    @property
    def joined(self):
        return " ".join(" ".join(self.text).split())


class PageReader(HTMLParser):
    """The text blocks of a page, each marked when it lies inside the article body, and its
    metadata. Elements of the page's furniture (navigation, comments, advertisements, lists
    of other headlines) are skipped by tag and by class or id."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, skipped, body)
        self.blocks = [Block("body", False)]
        self.meta = {}
        self.title = []
        self.h1 = []
        self.json_ld = []
        self.in_title = self.in_h1 = self.in_json_ld = False
        self.links = 0
        self.found_body = False
        self.dropped = 0  # pieces of text left out: navigation, comments, other headlines

    @property
    def skipped(self):
        return bool(self.stack) and self.stack[-1][1]

    @property
    def in_body(self):
        return bool(self.stack) and self.stack[-1][2]

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "meta":
            self.read_meta(attrs)
        elif tag == "link" and "canonical" in attrs.get("rel", "").lower():
            self.meta.setdefault("url", attrs.get("href", ""))
        elif tag == "html" and attrs.get("lang"):
            self.meta.setdefault("lang", attrs["lang"])
        elif tag == "time" and attrs.get("datetime"):
            self.meta.setdefault("time", attrs["datetime"])
        if tag in VOID_TAGS:
            if tag == "br":
                self.new_block("br")
            return
        if tag in ("p", "li") and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()  # an unclosed <p> or <li> ends where the next begins
        names = " ".join([attrs.get("class", ""), attrs.get("id", "")])
        skipped = self.skipped or tag in SKIPPED_TAGS or bool(JUNK_NAMES.search(names))
        body = (
            self.in_body
            or tag == "article"
            or bool(BODY_NAMES.search(names) or attrs.get("itemprop") == "articleBody")
        )
        self.found_body = self.found_body or (body and not skipped)
        self.stack.append((tag, skipped, body))
        if tag == "title":
            self.in_title = True
        elif tag == "h1":
            self.in_h1 = True
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self.in_json_ld = True
        elif tag == "a":
            self.links += 1
        if tag in BLOCK_TAGS:
            self.new_block(tag)

    def handle_endtag(self, tag):
        if tag in ("title", "h1", "script"):
            self.in_title = self.in_h1 = self.in_json_ld = False
        if tag == "a":
            self.links = max(0, self.links - 1)
        if any(open_tag == tag for open_tag, _skip, _body in self.stack):
            while self.stack:
                if self.stack.pop()[0] == tag:
                    break
        if tag in BLOCK_TAGS:
            self.new_block(tag)

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        if self.in_h1:
            self.h1.append(data)
        if self.in_json_ld:
            self.json_ld.append(data)
            return
        if not data.strip():
            return
        if self.skipped:
            self.dropped += 1
            return
        block = self.blocks[-1]
        block.text.append(data)
        if self.links:
            block.link_chars += len(data.strip())

    def new_block(self, tag):
        if self.blocks[-1].text or self.blocks[-1].tag != tag:
            self.blocks.append(Block(tag, self.in_body))

    def read_meta(self, attrs):
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key in META_KEYS and attrs.get("content"):
            self.meta.setdefault(META_KEYS[key], attrs["content"].strip())
        if attrs.get("charset"):
            self.meta.setdefault("charset", attrs["charset"])

    def article(self):
        """The body's paragraphs: link lists (most of a block's text in links) and blocks
        outside the article body, when the page marks one, are left out."""
        kept = []
        for block in self.blocks:
            text = block.joined
            if not text:
                continue
            if (self.found_body and not block.body) or block.link_chars > 0.5 * len(
                text.replace(" ", "")
            ):
                self.dropped += 1
                continue
            kept.append(text)
        return "\n\n".join(kept)

    def linked_data(self):
        for chunk in self.json_ld:
            try:
                data = json.loads(chunk)
            except ValueError:
                continue
            for item in data if isinstance(data, list) else [data]:
                if isinstance(item, dict):
                    yield from [item, *item.get("@graph", [])]


def iso_date(value):
    """The date a metadata value names (2025-12-15T09:30:00+09:00, 2025.12.15, 20251215)."""
    match = re.search(r"(\d{4})[-./]?(\d{2})[-./]?(\d{2})", value or "")
    if not match:
        return ""
    year, month, day = map(int, match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}"


def read_html(data, filename=""):
    page = PageReader()
    page.feed(decode_html(data))
    page.close()
    meta = page.meta
    for item in page.linked_data():
        meta.setdefault("published", item.get("datePublished", ""))
        meta.setdefault("headline", item.get("headline", ""))
        publisher = item.get("publisher")
        if isinstance(publisher, dict) and publisher.get("name"):
            meta.setdefault("publisher", publisher["name"])
    headline = meta.get("headline") or " ".join("".join(page.h1).split())
    headline = headline or " ".join("".join(page.title).split())
    article = page.article()
    reading = read_text(
        article,
        format="html",
        headline=headline[:500],
        url=meta.get("url", "")[:500],
        publisher=meta.get("publisher", "")[:200],
        published=iso_date(meta.get("published") or meta.get("time")),
        metadata={k: v for k, v in meta.items() if isinstance(v, str)},
    )
    reading.metadata["filename"] = filename
    reading.removed += page.dropped
    return reading


def decode_html(data):
    head = data[:2048].decode("ascii", "ignore").lower()
    match = re.search(r"charset=[\"']?([\w-]+)", head)
    if match and match.group(1) in ("euc-kr", "ks_c_5601-1987", "cp949"):
        try:
            return data.decode("cp949")
        except UnicodeDecodeError:
            pass
    return decode(data)


# --- PDF ---------------------------------------------------------------------------------


def unwrap(page):
    """A PDF page's lines joined back into paragraphs: a line that does not end a sentence
    goes on in the next one."""
    lines = [line.strip() for line in page.split("\n")]
    joined = []
    for line in lines:
        if joined and joined[-1] and line and not re.search(r"[.!?。:\"”’)]$", joined[-1]):
            joined[-1] += " " + line
        else:
            joined.append(line)
    return "\n".join(joined)


def read_pdf(data):
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        pdf = PdfReader(io.BytesIO(data))
        if pdf.is_encrypted and not pdf.decrypt(""):
            raise Unreadable(_("This PDF is protected by a password; coopdash cannot read it."))
        pages = [page.extract_text() or "" for page in pdf.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise Unreadable(
            _("This PDF could not be read (%(error)s).") % {"error": type(error).__name__}
        ) from error
    text = "\n\n".join(unwrap(page) for page in pages)
    if len(text.strip()) < 20:
        raise Unreadable(
            _("This PDF has no text to read (a scanned image needs text recognition first).")
        )
    return read_text(text, format="pdf")


# --- Entry point -------------------------------------------------------------------------


def read_upload(name, data):
    """The article in an uploaded file: .txt, .html or .pdf, told by their content as
    much as by the name."""
    if len(data) > MAX_BYTES:
        raise Unreadable(
            _("The file is larger than %(limit)d MB; upload the article alone.")
            % {"limit": MAX_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise Unreadable(_("The file is empty: there is nothing to read."))
    lower = name.lower()
    head = data[:1024].lstrip().lower()
    if data.startswith(b"%PDF-") or lower.endswith(".pdf"):
        if not data.startswith(b"%PDF-"):
            raise Unreadable(_("This file is named .pdf but is not a PDF."))
        reading = read_pdf(data)
    elif lower.endswith((".html", ".htm")) or head.startswith((b"<!doctype html", b"<html")):
        reading = read_html(data, name)
    elif lower.endswith(".txt") or "." not in lower:
        reading = read_text(decode(data), format="txt")
    else:
        raise Unreadable(_("coopdash reads .txt, .html and .pdf files."))
    reading.metadata["filename"] = name
    return reading
