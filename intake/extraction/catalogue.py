"""Where the catalogue's names occur in an article, read through the shared name index.

`NameIndex.mentions` finds names as they are written in the catalogue. Articles space
Korean names as they please (몽골지질연구센터 for 몽골 지질연구센터), run list items together
when a page loses its separators (미국스웨덴영국), and use one acronym for several bodies
(ICC, KNU); this module adds what the intake needs on top of the index, without a list of
names of its own:

- multi-word Korean names found however they are spaced;
- a Korean country or institution name counts at the start of a word, or right after
  another name (a run-together list), and a country name only when what follows it is a
  particle or the next name (인도 but not 인도적);
- a name several records share is marked ambiguous, with every candidate;
- compounds of countries (한-몽, 한·캐나다, Korea–Mongolia) through the names of kind
  `compound`, which the index keeps out of its free-text matching.
"""

import re
from dataclasses import dataclass, replace

from partners.names import HANGUL, IGNORED, PARTICLES, Mention, compact

COUNTRY, INSTITUTION, MINERAL = "country", "institution", "mineral"
SEPARATOR = r"\s?[-–—·‧ㆍ・/]\s?"
COMPOUND = re.compile(
    rf"(?<![가-힣A-Za-z])(?:[가-힣]{{1,8}}|[A-Z][A-Za-z]+)(?:{SEPARATOR}(?:[가-힣]{{1,8}}|[A-Z][A-Za-z]+))+"
)
PIECE = re.compile(r"[가-힣]{1,8}|[A-Z][A-Za-z]+")
SIDE = ("측", "정부")  # 캐나다 측, 몽골 정부: still the country


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    model: str
    pks: frozenset
    text: str
    kind: str  # the kind of the name matched: "name", "acronym", "adjective", ...
    compound: bool = False

    @property
    def pk(self):
        return next(iter(self.pks)) if len(self.pks) == 1 else None

    @property
    def ambiguous(self):
        return len(self.pks) > 1


def compact_map(text):
    """The text in the index's compared form, and for each of its characters the offset
    of the character of `text` it came from."""
    chars, offsets = [], []
    for position, char in enumerate(text):
        folded = compact(char)
        for piece in folded:
            chars.append(piece)
            offsets.append(position)
    return "".join(chars), offsets


def spaced_mentions(index, text):
    """Korean names matched without their spaces and punctuation."""
    squeezed, offsets = compact_map(text)
    found = []
    for name in index.names:
        if name.kind == "compound" or not HANGUL.search(name.text):
            continue
        # Names with spaces or punctuation, and long names an article may space (대통령 비서실).
        if len(name.key) < (4 if IGNORED.search(name.text) else 5):
            continue
        position = squeezed.find(name.key)
        while position != -1:
            start, end = offsets[position], offsets[position + len(name.key) - 1] + 1
            found.append(Mention(start, end, name))
            position = squeezed.find(name.key, position + 1)
    return found


def word_start(text, position):
    return position == 0 or not HANGUL.match(text[position - 1])


def tail(text, end):
    """The Hangul that continues the word after a name (its particle, or more word)."""
    stop = end
    while stop < len(text) and HANGUL.match(text[stop]):
        stop += 1
    return text[end:stop]


def hits(index, text):
    """Every catalogue name in `text`, longest first where they overlap, in text order,
    each with the records it may name."""
    candidates = sorted(
        [*index.mentions(text), *spaced_mentions(index, text)],
        key=lambda m: (-(m.end - m.start), m.start),
    )
    chosen = []
    for mention in candidates:
        if not any(m.start < mention.end and mention.start < m.end for m in chosen):
            chosen.append(mention)
    chosen.sort(key=lambda m: m.start)
    starts = {m.start for m in chosen}
    ends = {m.end for m in chosen}
    found = []
    for mention in chosen:
        name = mention.name
        if HANGUL.search(name.text) and name.model != MINERAL:
            if not (word_start(text, mention.start) or mention.start in ends):
                continue
            rest = tail(text, mention.end)
            if (
                name.model == COUNTRY
                and rest
                and mention.end not in starts
                and rest not in PARTICLES
                and not rest.startswith(SIDE)
            ):
                continue
        records = index.lookup(text[mention.start : mention.end], name.model) or [name]
        found.append(
            Hit(
                mention.start,
                mention.end,
                name.model,
                frozenset(n.pk for n in records),
                text[mention.start : mention.end],
                name.kind,
            )
        )
    return with_compounds(index, text, found)


def with_compounds(index, text, found):
    """Mark the country names that are one side of a compound (한-몽, 한·캐나다,
    캐나다-한국, Korea–Mongolia), and add the sides only the compound form names (몽, 캐).
    Every side must be a country's name or compound form."""
    sides = {}
    for match in COMPOUND.finditer(text):
        resolved = []
        for piece in PIECE.finditer(match.group(0)):
            start, end = piece.start() + match.start(), piece.end() + match.start()
            names = index.lookup(text[start:end], COUNTRY)
            if not names:
                break
            resolved.append((start, end, names))
        else:
            sides.update({(start, end): names for start, end, names in resolved})
    marked = []
    for hit in found:
        side = next(((s, e) for s, e in sides if s <= hit.start and hit.end <= e), None)
        if hit.model == COUNTRY and side:
            hit = replace(hit, compound=True)
            sides.pop(side)
        marked.append(hit)
    for (start, end), names in sides.items():
        if any(h.start < end and start < h.end for h in marked):
            continue
        marked.append(
            Hit(
                start,
                end,
                COUNTRY,
                frozenset(n.pk for n in names),
                text[start:end],
                names[0].kind,
                compound=True,
            )
        )
    return sorted(marked, key=lambda h: h.start)
