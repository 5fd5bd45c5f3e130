"""One index of the names people use for institutions, countries and minerals.

It holds every record's own names (English, Korean, acronym) and its other names
(`Alias`: former names, short forms, spelling variants, adjectives, compound forms), is
built once per data revision, and serves the institution filter (`lookup`), the free-text
search (`containing`) and the intake (`mentions`). Names are compared in a normalised form:
Unicode-compatible (NFKC), case-folded, and without the spaces and punctuation that people
write differently (한국 지질자원연구원 = 한국지질자원연구원, K-OMIR = KOMIR).
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.cache import cache

from .models import Alias, Country, Institution, Mineral, Party, Revision

NAME = "name"  # the kind of a record's own English or Korean name
ACRONYM = Alias.Kind.ACRONYM.value

# Korean particles that attach to a noun (몽골의, 포항시와, 광해광업공단에서), longest first.
PARTICLES = sorted(
    {
        "에서는",
        "으로는",
        "에게서",
        "까지는",
        "이라는",
        "라는",
        "에서",
        "에게",
        "으로",
        "로서",
        "로써",
        "부터",
        "까지",
        "처럼",
        "보다",
        "하고",
        "이랑",
        "이나",
        "과의",
        "와의",
        "와는",
        "과는",
        "에는",
        "에도",
        "의",
        "와",
        "과",
        "을",
        "를",
        "은",
        "는",
        "이",
        "가",
        "에",
        "로",
        "도",
        "만",
        "랑",
        "나",
    },
    key=len,
    reverse=True,
)
HANGUL = re.compile(r"[\uac00-\ud7a3]")
IGNORED = re.compile(r"[\s\-‐‑–—·‧・.,'’`()\[\]/&]+")
LATIN_WORD = re.compile(r"[0-9A-Za-z]")


def normalise(text):
    """Case-folded NFKC text with runs of white space made one space."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def compact(text):
    """The form names are compared in: normalised, without spaces and punctuation."""
    return IGNORED.sub("", normalise(text))


def stems(term):
    """`term` and, when it ends in a Korean particle after at least two syllables, the
    word without it: 몽골의 → 몽골, 포항시와 → 포항시 (but 인도 stays 인도)."""
    forms = [term]
    for particle in PARTICLES:
        if term.endswith(particle) and len(term) - len(particle) >= 2:
            stem = term[: -len(particle)]
            if HANGUL.search(stem[-1]):
                forms.append(stem)
                break
    return forms


@dataclass(frozen=True, slots=True)
class Name:
    model: str  # "institution", "country" or "mineral"
    pk: int
    text: str
    kind: str  # NAME, or an Alias.Kind value
    language: str = ""  # "en", "ko", or "" for both
    until: datetime.date | None = None
    key: str = field(init=False, compare=False)  # `compact(text)`, worked out once

    def __post_init__(self):
        object.__setattr__(self, "key", compact(self.text))

    @property
    def exact_case(self):
        """Capitals-only Latin names (KIGAM, MOTIE, MUST) are told from words by their case."""
        return self.text.isupper() and not HANGUL.search(self.text)


@dataclass(frozen=True, slots=True)
class Mention:
    """Where a catalogue name occurs in a text (character offsets)."""

    start: int
    end: int
    name: Name

    @property
    def text(self):
        return self.name.text


class NameIndex:
    def __init__(self, names, people=()):
        self.names = tuple(names)
        # (compact name, agreement id) of every party's representative, in both languages.
        self.people = tuple(people)
        self._by_key = {}
        for name in self.names:
            if name.key:
                self._by_key.setdefault(name.key, []).append(name)
        # Longest names first, so that 고려대학교 wins over 고려대 where both occur.
        self._searchable = sorted(
            (n for n in self.names if n.key and n.kind != Alias.Kind.COMPOUND),
            key=lambda n: -len(n.text),
        )
        self._keys_of = {}  # model → [(compact name, pk)] of its searchable names
        for name in self._searchable:
            self._keys_of.setdefault(name.model, []).append((name.key, name.pk))

    @classmethod
    def build(cls):
        """Every name of every institution, country and mineral, and of the people who
        represent parties, in five queries."""
        names = []
        for model, label in ((Institution, "institution"), (Mineral, "mineral")):
            for pk, en, ko, *acronym in model.objects.values_list(
                "pk", "name_en", "name_ko", *(["acronym"] if model is Institution else [])
            ):
                names.append(Name(label, pk, en, NAME, "en"))
                names.append(Name(label, pk, ko, NAME, "ko"))
                if acronym and acronym[0]:
                    names.append(Name(label, pk, acronym[0], ACRONYM))
        for pk, en, ko, code in Country.objects.values_list("pk", "name_en", "name_ko", "code"):
            names.append(Name("country", pk, en, NAME, "en"))
            names.append(Name("country", pk, ko, NAME, "ko"))
            names.append(Name("country", pk, code, ACRONYM))
        for alias in Alias.objects.values(
            "institution_id", "country_id", "mineral_id", "name", "kind", "language", "until"
        ):
            for label in ("institution", "country", "mineral"):
                if alias[f"{label}_id"] is not None:
                    names.append(
                        Name(
                            label,
                            alias[f"{label}_id"],
                            alias["name"],
                            str(alias["kind"]),
                            alias["language"],
                            alias["until"],
                        )
                    )
        people = [
            (compact(name), agreement)
            for agreement, *names in Party.objects.exclude(
                representative_en="", representative_ko=""
            )
            .order_by()
            .values_list("agreement_id", "representative_en", "representative_ko")
            for name in names
            if name
        ]
        return cls(names, people)

    def lookup(self, text, model=None):
        """The names that are exactly `text` (normalised), of `model` if given; failing
        that, of `text` without a trailing Korean particle."""
        for form in stems(text.strip()):
            found = [n for n in self._by_key.get(compact(form), []) if model in (None, n.model)]
            if found:
                return found
        return []

    def containing(self, term, model):
        """Primary keys of the `model` records with a name that contains `term` (a short
        form or a variant counts; the syllable a country takes in compounds does not).
        A Latin-script term of two or three letters must match a whole acronym or code, so
        that "EU" does not find every "Europe"."""
        key = compact(term)
        if not key:
            return set()
        names = self._keys_of.get(model, ())
        if len(key) <= 3 and not HANGUL.search(key):
            return {pk for name, pk in names if name == key}
        return {pk for name, pk in names if key in name}

    def representing(self, term):
        """Ids of the agreements where a party's representative has a name containing
        `term` (Kim Jung-kwan, 김정관)."""
        key = compact(term)
        return {agreement for name, agreement in self.people if key and self._contains(name, key)}

    @staticmethod
    def _contains(name, key):
        if len(key) <= 3 and not HANGUL.search(key):
            return name == key
        return key in name

    def mentions(self, text, kinds=None):
        """Non-overlapping occurrences of catalogue names in `text`, longest first, in
        text order. Latin-script names match whole words, and names in capitals their
        exact case (MUST the university, not "must"); Korean names match inside words, because
        particles attach to them (몽골의, 포항시와)."""
        folded = text.casefold()
        taken = []
        found = []
        for name in self._searchable:
            if kinds is not None and name.kind not in kinds:
                continue
            needle = name.text if name.exact_case else name.text.casefold()
            if len(needle) < 2:
                continue
            haystack = text if name.exact_case else folded
            start = haystack.find(needle)
            while start != -1:
                end = start + len(needle)
                if self._bounded(text, start, end) and not any(
                    s < end and start < e for s, e in taken
                ):
                    taken.append((start, end))
                    found.append(Mention(start, end, name))
                start = haystack.find(needle, start + 1)
        return sorted(found, key=lambda m: m.start)

    @staticmethod
    def _bounded(text, start, end):
        """A Latin-script name must not continue a word on either side."""
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        first, last = text[start], text[end - 1]
        if LATIN_WORD.match(first) and LATIN_WORD.match(before):
            return False
        return not (LATIN_WORD.match(last) and LATIN_WORD.match(after))

    def of(self, model, pk):
        """Every name of one record."""
        return [n for n in self.names if n.model == model and n.pk == pk]


_memo = {}


def current_index():
    """The index for the current data revision: built once per revision and kept in the
    cache (shared by every process that shares it) and in this process's memory."""
    token = Revision.current()
    index = _memo.get(token)
    if index is None:
        key = f"name-index:{token}"
        index = cache.get(key)
        if index is None:
            index = NameIndex.build()
            cache.set(key, index)
        _memo.clear()
        _memo[token] = index
    return index
