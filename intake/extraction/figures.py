"""Key figures: numbers with their magnitude resolved, their unit and what they count.

166억 원 → 16600000000 KRW, 1,500톤 → 1500 t, 930만t → 9300000 t, 35천여대 → about 35000
vehicles, $1.5 billion → 1500000000 USD, 95% 이상 → at least 95 %. Dates, times, ordinals
(3·4세대, 4번째, 1:1) and numbers with nothing to count are not figures.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from partners.names import stems

NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
KO_MAGNITUDES = {"조": Decimal(10) ** 12, "억": Decimal(10) ** 8, "만": Decimal(10) ** 4}
KO_MULTIPLIERS = {"천": 1000, "백": 100}
EN_MAGNITUDES = {
    "thousand": Decimal(10) ** 3,
    "million": Decimal(10) ** 6,
    "mn": Decimal(10) ** 6,
    "m": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9,
    "b": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
    "tn": Decimal(10) ** 12,
}

# Korean units and counters → (English unit, Korean unit, factor).
KO_UNITS = {
    "원": ("KRW", "원", 1),
    "달러": ("USD", "달러", 1),
    "유로": ("EUR", "유로", 1),
    "엔": ("JPY", "엔", 1),
    "위안": ("CNY", "위안", 1),
    "톤": ("t", "톤", 1),
    "t": ("t", "톤", 1),
    "kt": ("t", "톤", 1000),
    "Mt": ("t", "톤", 10**6),
    "%": ("%", "%", 1),
    "퍼센트": ("%", "%", 1),
    "명": ("people", "명", 1),
    "개국": ("countries", "개국", 1),
    "개사": ("companies", "개사", 1),
    "개": ("items", "개", 1),
    "종": ("types", "종", 1),
    "대": ("units", "대", 1),
    "곳": ("sites", "곳", 1),
    "건": ("cases", "건", 1),
    "년간": ("years", "년", 1),
    "년": ("years", "년", 1),
    "개월": ("months", "개월", 1),
    "MW": ("MW", "MW", 1),
    "GW": ("GW", "GW", 1),
    "GWh": ("GWh", "GWh", 1),
    "km": ("km", "km", 1),
    "㎞": ("km", "km", 1),
    "㎡": ("m²", "㎡", 1),
    "㎢": ("km²", "㎢", 1),
    "ha": ("ha", "ha", 1),
    "헥타르": ("ha", "ha", 1),
}
KO_UNIT = "|".join(sorted((re.escape(u) for u in KO_UNITS), key=len, reverse=True))
KO_FIGURE = re.compile(
    rf"(?P<before>약|대략|최소|최대|총|연간|연)?\s?"
    rf"(?P<amount>(?:(?:{NUMBER})\s?[천백]?\s?[조억만]\s?)*(?:{NUMBER})?\s?천?)"
    rf"(?P<about>여|가량|남짓)?\s?(?P<unit>{KO_UNIT})"
    rf"(?P<after>\s?(?:이상|가량|정도|내외|남짓|이하|미만|초과|여))?"
)
EN_UNITS = {
    "won": ("KRW", "원"),
    "krw": ("KRW", "원"),
    "usd": ("USD", "달러"),
    "us$": ("USD", "달러"),
    "$": ("USD", "달러"),
    "dollars": ("USD", "달러"),
    "us dollars": ("USD", "달러"),
    "eur": ("EUR", "유로"),
    "€": ("EUR", "유로"),
    "euros": ("EUR", "유로"),
    "tonnes": ("t", "톤"),
    "tons": ("t", "톤"),
    "metric tons": ("t", "톤"),
    "t": ("t", "톤"),
    "%": ("%", "%"),
    "percent": ("%", "%"),
    "per cent": ("%", "%"),
    "mw": ("MW", "MW"),
    "gw": ("GW", "GW"),
    "gwh": ("GWh", "GWh"),
    "years": ("years", "년"),
}
EN_FIGURE = re.compile(
    r"(?P<before>about|around|approximately|some|nearly|almost|roughly|more than|over|at least|"
    r"upwards of|up to)?\s?"
    r"(?P<currency>US\$|\$|€|KRW|USD|EUR|₩)?\s?(?P<amount>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<magnitude>thousand|million|billion|trillion|bn|mn|tn)\b)?"
    r"(?:\s?(?P<unit>metric tons|tonnes|tons|t\b|%|percent|per cent|won|KRW|US dollars|dollars|"
    r"euros|MW|GW|GWh|years)\b)?",
    re.IGNORECASE,
)
EN_COUNTED = re.compile(r"^\s((?:[A-Za-z][a-z-]+\s){0,3}[a-z][a-z-]+s)\b")
EN_NUMBER_WORDS = {
    word: number
    for number, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()  # noqa: SIM905
    )
}
EN_NUMBER_WORDS.update({"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100})
EN_WORD_FIGURE = re.compile(
    r"\b(?P<word>three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty)(?P<years>-year\b)?",
    re.IGNORECASE,
)
EN_OF = re.compile(r"^\s?of\s((?:[a-z][a-z-]+\s){0,2}[a-z][a-z-]+)")
SKIP_AFTER = re.compile(r"^(번째|차|회|세대|호|위|등|층|:|분기|학년|·\d|\.\d+\S)")
SKIP_BEFORE = re.compile(r"(제|第|No\.\s?|[·:]|\d[.,]?)$")
ABOUT = {"약", "대략", "여", "가량", "남짓", "정도", "내외"}
AT_LEAST = {"최소", "이상"}
EN_ABOUT = {"about", "around", "approximately", "some", "nearly", "almost", "roughly"}
EN_AT_LEAST = {"more than", "over", "at least", "upwards of"}
LABEL_SKIP = {
    "총",
    "약",
    "연간",
    "연",
    "기준",
    "등",
    "및",
    "모두",
    "전체",
    "금속량",
    "규모",
    "지난",
    "오는",
    "최근",
    "의",
}
COUNTERS = {"종", "개", "명", "대", "곳", "건", "개국", "개사"}
KO_WORD = re.compile(r"[가-힣A-Za-z][가-힣A-Za-z0-9·&]*")


@dataclass(frozen=True, slots=True)
class Figure:
    start: int
    end: int
    value: Decimal
    unit: str
    unit_ko: str
    label: str
    qualifier: str

    @property
    def plain(self):
        """The value as a plain JSON number: an integer where it is one."""
        value = self.value.normalize()
        return int(value) if value == value.to_integral() else float(value)


def korean_amount(text):
    """166억 → 16600000000, 35천 → 35000, 1조 2,000억 → 1200000000000, 3천억 → 3e11."""
    total, group, number = Decimal(0), Decimal(0), None
    for token in re.findall(rf"{NUMBER}|[조억만천백]", text):
        if token[0].isdigit():
            if number is not None:
                group += number
            number = Decimal(token.replace(",", ""))
        elif token in KO_MULTIPLIERS:
            number = (number if number is not None else Decimal(1)) * KO_MULTIPLIERS[token]
        else:
            group += number if number is not None else Decimal(0)
            total += (group or Decimal(1)) * KO_MAGNITUDES[token]
            group, number = Decimal(0), None
    return total + group + (number or Decimal(0))


VERBAL = re.compile(r"(다|고|며|해|하여|했다|하는|한|된|될|이|가|을|를|은|는)$")


def noun(word):
    """A word without its particle: 주관기관으로서 → 주관기관."""
    word = stems(word)[-1]
    return word[:-1] if word.endswith("으") and len(word) > 2 else word


def label_ko(text, start, end, unit, sentence):
    """What a Korean figure counts: the noun after it when it is joined by 의 or follows
    a counter (56종의 첨단 장비, 95% 이상의 금속회수율, 8개 대학), otherwise the noun before
    the number (코발트 1,500톤, 관계자 30여 명, 사업비 166억 원)."""
    after = text[end : sentence.end]
    following = [noun(w) for w in KO_WORD.findall(after[:16]) if w not in LABEL_SKIP]
    preceding = [
        noun(w) for w in KO_WORD.findall(text[sentence.start : start][-16:]) if w not in LABEL_SKIP
    ]
    joined = re.match(r"^\s?(이상|이하|가량|정도)?의\s", after)
    counted = (
        unit in COUNTERS and after.startswith(" ") and following and not VERBAL.search(following[0])
    )
    if following and (joined or counted):
        # A short first word qualifies the next: 56종의 첨단 장비.
        return " ".join(following[:2] if joined and len(following[0]) <= 2 else following[:1])
    if preceding:
        return preceding[-1]
    return following[0] if following else ""


BARE_IN_LIST = re.compile(
    rf"(?P<amount>{NUMBER})(?=\s?,?\s?[가-힣]+\s?(?:{NUMBER})\s?(?P<unit>{KO_UNIT}))"
)


def korean_figures(text, sentence, dates):
    matches = [(m, m["unit"]) for m in KO_FIGURE.finditer(sentence.text)]
    # In a list such as "코발트 1,500, 니켈 2,900톤", a number left without its unit takes
    # the unit of the item after it.
    matches += [(m, m["unit"]) for m in BARE_IN_LIST.finditer(sentence.text)]
    for match, unit in sorted(matches, key=lambda pair: pair[0].start()):
        amount = match["amount"].strip()
        if not re.search(r"\d", amount):
            continue
        start = sentence.start + match.start("amount")
        end = sentence.start + (match.end() if match.re is KO_FIGURE else match.end("amount"))
        if any(d.start < end and start < d.end for d in dates):
            continue
        if SKIP_BEFORE.search(text[max(0, start - 3) : start]) or SKIP_AFTER.match(
            text[end : end + 3]
        ):
            continue
        if re.match(r"[A-Za-z]", unit) and re.match(r"[A-Za-z]", text[end : end + 1]):
            continue  # 930만tons is not 930만 t
        if unit in ("년", "년간") and re.fullmatch(r"(19|20)\d{2}", amount):
            continue  # a year, not a duration
        english, korean, factor = KO_UNITS[unit]
        groups = match.groupdict()
        words = {groups.get("before"), groups.get("about"), (groups.get("after") or "").strip()}
        qualifier = "at-least" if words & AT_LEAST else "about" if words & ABOUT else ""
        yield Figure(
            start,
            end,
            korean_amount(amount) * factor,
            english,
            korean,
            label_ko(text, start, end, unit, sentence),
            qualifier,
        )


def english_figures(text, sentence, dates):
    for match in EN_FIGURE.finditer(sentence.text):
        start = sentence.start + match.start("amount")
        end = sentence.start + match.end()
        if match["currency"]:
            start = sentence.start + match.start("currency")
        if any(d.start < end and start < d.end for d in dates):
            continue
        if SKIP_BEFORE.search(text[max(0, start - 3) : start]):
            continue
        amount = Decimal(match["amount"].replace(",", ""))
        magnitude = EN_MAGNITUDES.get((match["magnitude"] or "").lower(), 1)
        unit_key = (match["currency"] or match["unit"] or "").lower()
        rest = text[end : sentence.end]
        label = ""
        if unit_key:
            english, korean = EN_UNITS.get(unit_key, ("", ""))
            of = EN_OF.match(rest)
            label = of.group(1) if of else previous_noun(text[sentence.start : start])
        else:
            counted = EN_COUNTED.match(rest)
            if not counted or re.fullmatch(r"(19|20)\d{2}", match["amount"]):
                continue
            english, korean, label = "", "", counted.group(1)
        before = (match["before"] or "").lower()
        qualifier = "about" if before in EN_ABOUT else "at-least" if before in EN_AT_LEAST else ""
        yield Figure(start, end, amount * magnitude, english, korean, label, qualifier)


def english_word_figures(text, sentence):
    """ "eight universities", "a five-year programme" (5 years)."""
    for match in EN_WORD_FIGURE.finditer(sentence.text):
        start, end = sentence.start + match.start(), sentence.start + match.end()
        value = Decimal(EN_NUMBER_WORDS[match["word"].lower()])
        if match["years"]:
            following = re.match(r"\s([a-z]+)", text[end : sentence.end])
            yield Figure(
                start, end, value, "years", "년", following.group(1) if following else "", ""
            )
            continue
        counted = EN_COUNTED.match(text[end : sentence.end])
        if counted:
            yield Figure(start, end + counted.end(), value, "", "", counted.group(1), "")


def previous_noun(before):
    words = re.findall(r"[A-Za-z][A-Za-z-]+", before[-40:])
    words = [
        w
        for w in words
        if w.lower()
        not in {
            "of",
            "a",
            "an",
            "the",
            "worth",
            "with",
            "about",
            "around",
            "to",
            "for",
            "at",
            "by",
            "is",
            "was",
            "and",
        }
    ]
    return words[-1] if words else ""


URL = re.compile(r"https?://\S+|www\.\S+")


def figures(article, dates):
    """Every figure in the telling sentences and notes, with its sentence; a figure the
    headline, a caption and the body all give is proposed once."""
    found, seen = [], set()
    skipped = list(dates) + [URL_SPAN(*m.span()) for m in URL.finditer(article.text)]
    for sentence in article.sentences:
        if not (sentence.telling or sentence.kind == "note"):
            continue
        korean = re.search(r"[가-힣]", sentence.text)
        items = list(
            korean_figures(article.text, sentence, skipped)
            if korean
            else [
                *english_figures(article.text, sentence, skipped),
                *english_word_figures(article.text, sentence),
            ]
        )
        for figure in items:
            if (figure.value, figure.unit) not in seen:
                seen.add((figure.value, figure.unit))
                found.append((figure, sentence))
    return found


@dataclass(frozen=True, slots=True)
class URL_SPAN:  # noqa: N801 - a span shaped like a found date, for the overlap test
    start: int
    end: int
