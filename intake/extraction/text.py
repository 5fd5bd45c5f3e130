"""An article cut into sentences, each with its offsets and the part of the page it is.

Every proposal points at a sentence: `Sentence.evidence` is what the proposal JSON and the
review page use. A sentence's kind tells the rest of the extraction how much to trust it:
the headline and the lead say what the article is about; a photo caption often names the
event too; a note (※) or the byline is background.
"""

import re
from dataclasses import dataclass

HEADING, LEAD, BODY, CAPTION, NOTE, FRAGMENT, META = (
    "heading",
    "lead",
    "body",
    "caption",
    "note",
    "fragment",
    "meta",
)
LEAD_SENTENCES = 3  # the first prose sentences say what happened

ABBREVIATIONS = re.compile(
    r"(\b(Mr|Mrs|Ms|Dr|Prof|St|Inc|Ltd|Co|Corp|No|vs|etc|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|"
    r"Oct|Nov|Dec|Gen|Gov|Sen|Rep|Jr|Sr|Mt|approx|e\.g|i\.e)|\b[A-Z]|\b[A-Z]\.[A-Z]|\d)$"
)
BOUNDARY = re.compile(r"(?<=[.!?。])[\"”’')\]]*\s+")
CAPTION_START = re.compile(r"^\s*(▲|△|■|\[사진|\(사진|사진\s*=|photo\b|pictured\b)", re.IGNORECASE)
NOTE_START = re.compile(r"^\s*(※|\*|주\))")
META_LINE = re.compile(
    r"^https?://|무단\s?전재|재배포|ⓒ|©|copyright|(입력|작성|수정|등록|송고)\s*:?\s*\d{4}[.\-/]|"
    r"^\(?[^()\n]{1,30},\s*\d{4}\.\s?\d{1,2}\.\s?\d{1,2}\.?\)?$|@\w+\.\w+|기자\s*$",
    re.IGNORECASE,
)
PROSE_END = re.compile(r"[.!?。][\"”’')\]]*$|다$")


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    kind: str
    paragraph: int

    @property
    def evidence(self):
        return {"start": self.start, "end": self.end}

    @property
    def telling(self):
        """The sentences that report the event rather than its background."""
        return self.kind in (HEADING, LEAD, BODY, CAPTION)

    def contains(self, start, end=None):
        return self.start <= start and (end or start) <= self.end


def split_line(line, offset):
    """(start, end) of the sentences in one line, by full stops that end a sentence (not
    those of "Nov.", "G. Damdinnyam", "U.S." or a number such as 2023.11.30.)."""
    spans, start = [], 0
    for match in BOUNDARY.finditer(line):
        before = line[start : match.start()].rstrip("\"”’')]")
        if before.endswith(".") and ABBREVIATIONS.search(before[:-1]):
            continue
        spans.append((offset + start, offset + match.start()))
        start = match.end()
    if line[start:].strip():
        spans.append((offset + start, offset + len(line.rstrip())))
    return spans


BULLET = re.compile(r"^\s*[•◦·‣▪\-–]\s")


def line_kind(line, seen_prose):
    stripped = line.strip()
    if re.match(r"^https?://\S+$", stripped):
        return META
    if CAPTION_START.match(stripped):
        return CAPTION
    if NOTE_START.match(stripped):
        return NOTE
    if META_LINE.search(stripped) and len(stripped) < 200:
        return META
    prose = len(stripped) >= 25 and (PROSE_END.search(stripped) or len(stripped) > 120)
    if not prose:
        return FRAGMENT if seen_prose or BULLET.match(line) else HEADING
    return BODY


def sentences(text):
    """The sentences of `text`, in order, with their kind."""
    found, offset, paragraph, seen_prose, lead = [], 0, 0, False, 0
    for line in text.split("\n"):
        if not line.strip():
            offset += len(line) + 1
            paragraph += 1
            continue
        kind = line_kind(line, seen_prose)
        if kind == HEADING and len(line.strip()) < 8:
            kind = FRAGMENT
        for start, end in split_line(line, offset):
            while start < end and text[start].isspace():
                start += 1
            if start >= end:
                continue
            sentence_kind = kind
            if kind == BODY:
                seen_prose = True
                if lead < LEAD_SENTENCES:
                    sentence_kind, lead = LEAD, lead + 1
            found.append(
                Sentence(len(found), start, end, text[start:end], sentence_kind, paragraph)
            )
        offset += len(line) + 1
        paragraph += 1
    return found


def sentence_at(sentences, position):
    """The sentence holding character `position` (binary search on the starts)."""
    low, high = 0, len(sentences) - 1
    while low <= high:
        middle = (low + high) // 2
        sentence = sentences[middle]
        if position < sentence.start:
            high = middle - 1
        elif position >= sentence.end:
            low = middle + 1
        else:
            return sentence
    return None
