"""Dates as articles write them, resolved against the publication date.

Korean and English, absolute (2023년 11월 30일, 2023.11.30., 11.30(목), 1월 29일,
November 30, 2023, 30 Nov), relative (지난 12일, 15일 밝혔다, 이날, 오는 11월, 내년, last
Tuesday, on Monday) and spans (2023~2027, 6.14-6.23). Each found date keeps the precision
the text gives it: a month stays a month, a year a year. A weekday in brackets or before
the date cross-checks it, and chooses the year when the text leaves it out.

The year of "11.30" and the month of "12일" come from the publication date and the tense
of the sentence: a reported event lies before the article, an announced one after it.
"""

import calendar
import datetime
import re
from dataclasses import dataclass, replace

from partners.dates import Precision

DAY, MONTH, YEAR = Precision.DAY.value, Precision.MONTH.value, Precision.YEAR.value

KO_WEEKDAYS = "월화수목금토일"
EN_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
EN_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (
        calendar.month_name[number].lower(),
        calendar.month_abbr[number].lower(),
    )
}
EN_MONTHS["sept"] = 9
MONTH_NAME = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"  # noqa: E501
WEEKDAY_NAME = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
YEAR4 = r"(?:19|20)\d{2}"
ORDINAL = r"(?:st|nd|rd|th)?"

FUTURE = re.compile(
    r"예정|계획|방침|할\s?것|오는|앞으로|열릴|개최할|체결할|추진할|나설|착수할|"
    r"\bwill\b|\bplans? to\b|\bplanned\b|\bto be (held|signed)\b|\bscheduled\b|\bupcoming\b|"
    r"\bnext\b|\bis to\b|\bare to\b|\bexpected to\b",
    re.IGNORECASE,
)
URL = re.compile(r"https?://\S+|www\.\S+")


@dataclass(frozen=True, slots=True)
class Found:
    """A date written in the text: `value` at `precision`, or a span up to `until`."""

    start: int
    end: int
    value: datetime.date
    precision: str
    until: datetime.date | None = None
    until_precision: str = ""
    relative: bool = False
    weekday_ok: bool | None = None
    published_line: bool = False  # "입력 2025.12.15", "(외교부, 2023.11.30.)"

    @property
    def iso(self):
        return iso(self.value, self.precision)

    @property
    def is_span(self):
        return self.until is not None


def iso(value, precision):
    if precision == YEAR:
        return f"{value.year:04d}"
    if precision == MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def make_date(year, month=1, day=1):
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def add_months(value, months):
    index = value.year * 12 + value.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def full_year(text):
    year = int(text)
    return year + 2000 if year < 100 else year


class Resolver:
    """Turns the parts a pattern matched into a date, using the publication date and the
    tense of the clause around the match."""

    def __init__(self, text, published):
        self.text = text
        self.published = published

    def future(self, start, end, direction=None):
        """Does the clause around the date announce rather than report? `direction`, when
        the text states it (지난 = -1, 오는 = +1, last, next), decides. Korean puts the verb
        after the date; English usually before, so both sides are read."""
        if direction is not None:
            return direction > 0
        after = self.text[end : end + 60].split("\n")[0]
        before = self.text[max(0, start - 40) : start].split("\n")[-1]
        before = re.split(r"(?<=[다.!?])\s", before)[-1]
        clause = re.split(r"(?<=[다.])\s", after.lstrip(), maxsplit=1)[0]
        if re.search(r"지난|했다|됐다|였다|었다|\bwas\b|\bwere\b|\bhad\b|\blast\b", before[-12:]):
            return False
        return bool(FUTURE.search(clause) or FUTURE.search(before[-25:]))

    def month_day(self, month, day, start, end, weekday=None, direction=None):
        """A month and day without a year: the year that puts it on the right side of the
        publication date, and on the weekday the text gives, when it gives one."""
        ref = self.published
        if ref is None:
            return None, None
        candidates = [make_date(y, month, day) for y in (ref.year - 1, ref.year, ref.year + 1)]
        candidates = [c for c in candidates if c]
        if not candidates:
            return None, None
        if weekday is not None:
            matching = [c for c in candidates if c.weekday() == weekday]
            if matching:
                return min(matching, key=lambda c: abs((c - ref).days)), True
        day = datetime.timedelta(days=1)
        if self.future(start, end, direction):
            side = [c for c in candidates if c >= ref - day]
        else:
            side = [c for c in candidates if c <= ref + day]
        chosen = min(side or candidates, key=lambda c: abs((c - ref).days))
        return chosen, (None if weekday is None else chosen.weekday() == weekday)

    def day_only(self, day, start, end, weekday=None, direction=None):
        """ "12일": the 12th of the publication month, or of the month before (reported)
        or after (announced) when the publication day has passed it or not reached it."""
        ref = self.published
        if ref is None:
            return None, None
        future = self.future(start, end, direction)
        first = ref.replace(day=1)
        months = [add_months(first, shift) for shift in ((0, 1) if future else (-1, 0))]
        options = [make_date(m.year, m.month, day) for m in months]
        options = [o for o in options if o and (o >= ref if future else o <= ref)]
        if weekday is not None:
            matching = [o for o in options if o.weekday() == weekday]
            if matching:
                return matching[0] if future else matching[-1], True
        if not options:
            return None, None
        chosen = options[0] if future else options[-1]
        return chosen, (None if weekday is None else chosen.weekday() == weekday)

    def month_only(self, month, start, end, direction=None):
        ref = self.published
        if ref is None:
            return None
        this_year = make_date(ref.year, month)
        if self.future(start, end, direction):
            return this_year if month >= ref.month else make_date(ref.year + 1, month)
        return this_year if month <= ref.month else make_date(ref.year - 1, month)

    def weekday_only(self, weekday, start, end, direction=None):
        """ "on Monday", "last Tuesday", "next Friday": the nearest such day before the
        article (reported) or after it (announced); "last" never means the same day."""
        ref = self.published
        if ref is None:
            return None
        if self.future(start, end, direction):
            ahead = (weekday - ref.weekday()) % 7 or 7
            return ref + datetime.timedelta(days=ahead)
        back = (ref.weekday() - weekday) % 7
        if direction is not None and back == 0:
            back = 7
        return ref - datetime.timedelta(days=back)


# --- The patterns -------------------------------------------------------------------------
# Each is tried in order; a later pattern never takes text an earlier one matched. Each
# handler returns a Found or None.

PATTERNS = []


def pattern(regex, flags=0):
    def register(handler):
        PATTERNS.append((re.compile(regex, flags), handler))
        return handler

    return register


def weekday_index(match):
    """The weekday a Korean date gives in brackets, 11.30(목), as Monday = 0."""
    weekday = match.groupdict().get("wd")
    return KO_WEEKDAYS.index(weekday) if weekday else None


def checked(match, value, precision, **extra):
    if value is None:
        return None
    weekday = weekday_index(match)
    ok = None if weekday is None or precision != DAY else value.weekday() == weekday
    return Found(match.start(), match.end(), value, precision, weekday_ok=ok, **extra)


# Spans come first, so their ends are not read as dates of their own.
@pattern(rf"(?P<y1>{YEAR4})(?:\s*년)?\s*[~∼\-–—]\s*(?P<y2>{YEAR4}|\d{{2}})(?:\s*년)?(?![\d.\-/])")
def year_span(match, resolver):
    start, end = int(match["y1"]), full_year(match["y2"])
    if end < 100:
        end += start // 100 * 100
    if not start < end <= start + 30:
        return None
    return Found(match.start(), match.end(), make_date(start), YEAR, make_date(end), YEAR)


@pattern(rf"(?P<y1>{YEAR4})\s*년\s*부터\s*(?P<y2>{YEAR4})\s*년(?:\s*까지)?")
def year_span_ko(match, resolver):
    return year_span(match, resolver)


@pattern(
    rf"\b(?:from|between)\s+(?P<y1>{YEAR4})\s+(?:to|and|until|through)\s+(?P<y2>{YEAR4})\b",
    re.IGNORECASE,
)
def year_span_en(match, resolver):
    return year_span(match, resolver)


@pattern(
    r"(?<![\d.])(?P<m1>\d{1,2})\.\s?(?P<d1>\d{1,2})\.?(?:\s*\([월화수목금토일]\))?\s*[~∼\-–]\s*"
    r"(?P<m2>\d{1,2})\.\s?(?P<d2>\d{1,2})\.?(?:\s*\([월화수목금토일]\))?(?![\d.])"
)
def month_day_span(match, resolver):
    m1, d1, m2, d2 = (int(match[k]) for k in ("m1", "d1", "m2", "d2"))
    first, _ok = resolver.month_day(m1, d1, match.start(), match.end())
    if first is None:
        return None
    last = make_date(first.year + (1 if m2 < m1 else 0), m2, d2)
    if last is None:
        return None
    return Found(match.start(), match.end(), first, DAY, last, DAY)


@pattern(
    rf"(?P<y>{YEAR4})\s*년\s*(?P<m>\d{{1,2}})\s*월\s*(?P<d1>\d{{1,2}})\s*일?\s*[~∼\-–]\s*"
    r"(?P<d2>\d{1,2})\s*일"
)
def ymd_span_ko(match, resolver):
    year, month = int(match["y"]), int(match["m"])
    first, last = make_date(year, month, int(match["d1"])), make_date(year, month, int(match["d2"]))
    if not (first and last and first < last):
        return None
    return Found(match.start(), match.end(), first, DAY, last, DAY)


@pattern(r"(?<!\d)(?P<m>\d{1,2})\s*월\s*(?P<d1>\d{1,2})\s*일?\s*[~∼\-–]\s*(?P<d2>\d{1,2})\s*일")
def md_span_ko(match, resolver):
    month = int(match["m"])
    first, _ok = resolver.month_day(month, int(match["d1"]), match.start(), match.end())
    if first is None:
        return None
    last = make_date(first.year, month, int(match["d2"]))
    if not last or last <= first:
        return None
    return Found(match.start(), match.end(), first, DAY, last, DAY, relative=True)


@pattern(
    rf"\b(?P<mon>{MONTH_NAME})\.?\s+(?P<d1>\d{{1,2}}){ORDINAL}\s*[-–]\s*(?P<d2>\d{{1,2}}){ORDINAL}"
    rf"(?:,?\s+(?P<y>{YEAR4}))?\b"
)
def md_span_en(match, resolver):
    month = EN_MONTHS[match["mon"].lower()]
    if match["y"]:
        first = make_date(int(match["y"]), month, int(match["d1"]))
    else:
        first, _ok = resolver.month_day(month, int(match["d1"]), match.start(), match.end())
    last = first and make_date(first.year, month, int(match["d2"]))
    if not (first and last and first < last):
        return None
    return Found(match.start(), match.end(), first, DAY, last, DAY, relative=not match["y"])


# Absolute dates.
@pattern(
    rf"(?P<y>{YEAR4})\s*년\s*(?P<m>\d{{1,2}})\s*월\s*(?P<d>\d{{1,2}})\s*일(?:\s*\((?P<wd>[월화수목금토일])(?:요일)?\))?"
)
def ymd_ko(match, resolver):
    value = make_date(int(match["y"]), int(match["m"]), int(match["d"]))
    return checked(match, value, DAY)


@pattern(
    rf"(?<![\d.])(?P<y>{YEAR4}|\d{{2}})\s?[.\-/]\s?(?P<m>\d{{1,2}})\s?[.\-/]\s?(?P<d>\d{{1,2}})\.?"
    rf"(?![\d])(?:\s*\((?P<wd>[월화수목금토일])(?:요일)?\))?"
)
def ymd_numeric(match, resolver):
    separators = re.findall(r"[.\-/]", match.group(0))
    if len(set(separators[:2])) != 1:
        return None  # 2023.11-30 is not a date
    value = make_date(full_year(match["y"]), int(match["m"]), int(match["d"]))
    published_line = bool(
        re.search(
            r"(입력|작성|수정|등록|송고|발행|published|posted|updated)\s*:?\s*$",
            resolver.text[max(0, match.start() - 12) : match.start()],
            re.IGNORECASE,
        )
        or re.match(r"^\s*\)", resolver.text[match.end() : match.end() + 3])
        and re.search(
            r"\(\s*[^()\n]{1,30},\s*$", resolver.text[max(0, match.start() - 32) : match.start()]
        )
    )
    return checked(match, value, DAY, published_line=published_line)


@pattern(
    rf"\b(?:(?P<wdn>{WEEKDAY_NAME}),?\s+)?(?P<mon>{MONTH_NAME})\.?\s+(?P<d>\d{{1,2}}){ORDINAL},?\s+(?P<y>{YEAR4})\b"
)
def mdy_en(match, resolver):
    value = make_date(int(match["y"]), EN_MONTHS[match["mon"].lower()], int(match["d"]))
    return en_checked(match, value)


@pattern(
    rf"\b(?:(?P<wdn>{WEEKDAY_NAME}),?\s+)?(?P<d>\d{{1,2}}){ORDINAL}\s+(?:of\s+)?(?P<mon>{MONTH_NAME})\.?,?\s+(?P<y>{YEAR4})\b"
)
def dmy_en(match, resolver):
    return mdy_en(match, resolver)


def en_checked(match, value):
    if value is None:
        return None
    name = match.groupdict().get("wdn")
    ok = None if not name else value.weekday() == EN_WEEKDAYS.index(name.lower())
    return Found(match.start(), match.end(), value, DAY, weekday_ok=ok)


@pattern(rf"(?P<y>{YEAR4})\s*년\s*(?P<m>\d{{1,2}})\s*월(?!\s*\d)")
def ym_ko(match, resolver):
    return checked(match, make_date(int(match["y"]), int(match["m"])), MONTH)


@pattern(r"(?<![\d.])(?P<y>\d{2})\.\s?(?P<m>\d{1,2})\s*월")
def short_year_month_ko(match, resolver):
    return checked(match, make_date(full_year(match["y"]), int(match["m"])), MONTH)


@pattern(rf"\b(?P<mon>{MONTH_NAME})\.?,?\s+(?:of\s+)?(?P<y>{YEAR4})\b")
def my_en(match, resolver):
    value = make_date(int(match["y"]), EN_MONTHS[match["mon"].lower()])
    return value and Found(match.start(), match.end(), value, MONTH)


# Without a year: resolved against the publication date.
@pattern(
    r"(?:(?P<rel>지난|오는|올해|내년|지난해|작년)\s*)?(?<!\d)(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})\s*일"
    r"(?:\s*\((?P<wd>[월화수목금토일])(?:요일)?\))?"
)
def md_ko(match, resolver):
    return relative_month_day(match, resolver)


@pattern(
    r"(?:(?P<rel>지난|오는)\s*|(?<![\d.\w]))(?P<m>\d{1,2})\.\s?(?P<d>\d{1,2})\.?"
    r"\s*\(\s*(?P<wd>[월화수목금토일])?(?:요일)?\s*\)"
)
def md_dot_weekday(match, resolver):
    return relative_month_day(match, resolver)


@pattern(r"(?P<rel>지난|오는)\s+(?P<m>\d{1,2})\.(?P<d>\d{1,2})(?![\d.%])")
def md_dot(match, resolver):
    return relative_month_day(match, resolver)


def relative_month_day(match, resolver):
    month, day = int(match["m"]), int(match["d"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    rel = match.groupdict().get("rel")
    weekday = weekday_index(match)
    if rel in ("올해", "내년", "지난해", "작년") and resolver.published:
        year = resolver.published.year + {"올해": 0, "내년": 1, "지난해": -1, "작년": -1}[rel]
        value, ok = make_date(year, month, day), None
        if value and weekday is not None:
            ok = value.weekday() == weekday
    else:
        direction = {"지난": -1, "오는": 1}.get(rel)
        value, ok = resolver.month_day(month, day, match.start(), match.end(), weekday, direction)
    if value is None:
        return None
    return Found(match.start(), match.end(), value, DAY, relative=True, weekday_ok=ok)


@pattern(r"(?P<rel>지난\s?달|이번\s?달|이달|다음\s?달|내달)\s*(?P<d>\d{1,2})\s*일")
def day_of_near_month(match, resolver):
    """지난달 28일, 다음 달 5일: a day of the month before or after the article's."""
    if resolver.published is None:
        return None
    rel = match["rel"].replace(" ", "")
    months = -1 if rel == "지난달" else 1 if rel in ("다음달", "내달") else 0
    month = add_months(resolver.published.replace(day=1), months)
    value = make_date(month.year, month.month, int(match["d"]))
    return value and Found(match.start(), match.end(), value, DAY, relative=True)


@pattern(
    rf"\b(?:(?P<wdn>{WEEKDAY_NAME}),?\s+)?(?P<mon>{MONTH_NAME})\.?\s+(?P<d>\d{{1,2}}){ORDINAL}\b(?!\s*,?\s*{YEAR4})"
)
def md_en(match, resolver):
    return en_month_day(match, resolver)


@pattern(rf"\b(?P<d>\d{{1,2}}){ORDINAL}\s+(?:of\s+)?(?P<mon>{MONTH_NAME})\b\.?(?!,?\s*{YEAR4})")
def dm_en(match, resolver):
    return en_month_day(match, resolver)


def en_month_day(match, resolver):
    month, day = EN_MONTHS[match["mon"].lower()], int(match["d"])
    name = match.groupdict().get("wdn")
    weekday = EN_WEEKDAYS.index(name.lower()) if name else None
    value, ok = resolver.month_day(month, day, match.start(), match.end(), weekday)
    if value is None:
        return None
    return Found(match.start(), match.end(), value, DAY, relative=True, weekday_ok=ok)


@pattern(r"(?P<rel>올해|내년|지난해|작년|오는|지난)?\s*(?<![\d.])(?P<m>\d{1,2})\s*월(?![\d일])")
def month_ko(match, resolver):
    month = int(match["m"])
    if not 1 <= month <= 12 or resolver.published is None:
        return None
    rel, ref = match["rel"], resolver.published
    if rel in ("올해", "내년", "지난해", "작년"):
        value = make_date(ref.year + {"올해": 0, "내년": 1, "지난해": -1, "작년": -1}[rel], month)
    else:
        direction = {"오는": 1, "지난": -1}.get(rel)
        value = resolver.month_only(month, match.start(), match.end(), direction)
    start = match.start("rel") if rel else match.start("m")
    return value and Found(start, match.end(), value, MONTH, relative=True)


@pattern(
    rf"\b(?P<rel>[Ii]n|[Ll]ast|[Nn]ext|[Tt]his|[Ee]arly|[Ll]ate|[Mm]id-?)\s+(?P<mon>{MONTH_NAME})\b(?!\s*\d)"
)
def month_en(match, resolver):
    if resolver.published is None:
        return None
    month = EN_MONTHS[match["mon"].lower()]
    direction = {"last": -1, "next": 1}.get(match["rel"].lower())
    value = resolver.month_only(month, match.start(), match.end(), direction)
    return value and Found(match.start(), match.end(), value, MONTH, relative=True)


@pattern(
    r"(?:(?P<rel>지난|오는|현지시간\s*(?:으로)?)\s*|(?<![\d.\w]))(?P<d>\d{1,2})\s*일"
    r"(?!\s*(?:간|동안|이내|째|만에|분|치|이상|전|후|부터\s*\d))"
    r"(?:\s*\((?P<wd>[월화수목금토일])(?:요일)?\))?"
)
def day_ko(match, resolver):
    day = int(match["d"])
    if not 1 <= day <= 31:
        return None
    rel = match["rel"] or ""
    direction = -1 if rel == "지난" else 1 if rel == "오는" else None
    value, ok = resolver.day_only(day, match.start(), match.end(), weekday_index(match), direction)
    if value is None:
        return None
    return Found(match.start(), match.end(), value, DAY, relative=True, weekday_ok=ok)


@pattern(
    rf"\b(?:(?P<rel>last|next|this past|this coming|this|on)\s+)?(?P<wdn>{WEEKDAY_NAME})\b",
    re.IGNORECASE,
)
def weekday_en(match, resolver):
    if not match["wdn"][0].isupper():
        return None
    rel = (match["rel"] or "").lower()
    direction = {"last": -1, "this past": -1, "next": 1, "this coming": 1}.get(rel)
    value = resolver.weekday_only(
        EN_WEEKDAYS.index(match["wdn"].lower()), match.start(), match.end(), direction
    )
    return value and Found(match.start(), match.end(), value, DAY, relative=True)


RELATIVE_DAYS = {
    "어제": -1,
    "오늘": 0,
    "금일": 0,
    "yesterday": -1,
    "today": 0,
}


@pattern(r"어제|오늘|금일|\byesterday\b|\btoday\b", re.IGNORECASE)
def near_day(match, resolver):
    if resolver.published is None:
        return None
    days = RELATIVE_DAYS[match.group(0).lower()]
    value = resolver.published + datetime.timedelta(days=days)
    return Found(match.start(), match.end(), value, DAY, relative=True)


SAME_DAY = re.compile(r"이날|당일|같은 날|\bthe same day\b|\bthat day\b", re.IGNORECASE)
NEXT_DAY = re.compile(r"이튿날|다음\s?날|익일|\bthe (next|following) day\b", re.IGNORECASE)
DAY_BEFORE = re.compile(r"전날|하루 전|\bthe (day before|previous day)\b", re.IGNORECASE)


@pattern(
    r"이날|당일|같은 날|이튿날|다음\s?날|익일|전날|하루 전|\bthe same day\b|\bthat day\b|"
    r"\bthe (?:next|following) day\b|\bthe (?:day before|previous day)\b",
    re.IGNORECASE,
)
def context_day(match, resolver):
    """ "이날" and its kin name a day relative to the one the text last gave; they are
    resolved in a second pass (see find), here only marked."""
    if resolver.published is None:
        return None
    return Found(match.start(), match.end(), resolver.published, DAY, relative=True)


RELATIVE_MONTHS = {
    "지난달": -1,
    "전월": -1,
    "이달": 0,
    "이번 달": 0,
    "금월": 0,
    "다음 달": 1,
    "다음달": 1,
    "내달": 1,
    "last month": -1,
    "this month": 0,
    "next month": 1,
    "earlier this month": 0,
    "later this month": 0,
    "this week": 0,
    "earlier this week": 0,
    "last week": 0,
    "이번 주": 0,
    "지난주": 0,
    "지난 주": 0,
}


@pattern(
    r"지난\s?달|전월|이달|이번 달|금월|다음\s?달|내달|이번 주|지난\s?주|"
    r"\b(?:earlier |later )?this (?:month|week)\b|\blast (?:month|week)\b|\bnext month\b",
    re.IGNORECASE,
)
def near_month(match, resolver):
    """A month the text names relative to the article; a week is known only to its month."""
    if resolver.published is None:
        return None
    phrase = " ".join(match.group(0).lower().split())
    months = RELATIVE_MONTHS.get(phrase, RELATIVE_MONTHS.get(phrase.replace(" ", ""), 0))
    ref = resolver.published
    if "week" in phrase or "주" in phrase:
        days = 7 if phrase.startswith(("last", "지난")) else 0
        ref = ref - datetime.timedelta(days=days)
    return Found(
        match.start(), match.end(), add_months(ref.replace(day=1), months), MONTH, relative=True
    )


RELATIVE_YEARS = {
    "올해": 0,
    "금년": 0,
    "내년": 1,
    "이듬해": 1,
    "다음 해": 1,
    "지난해": -1,
    "작년": -1,
    "전년": -1,
    "this year": 0,
    "later this year": 0,
    "earlier this year": 0,
    "next year": 1,
    "last year": -1,
}


@pattern(
    r"올해|금년|내년|이듬해|다음 해|지난해|작년|전년|"
    r"\b(?:later |earlier )?this year\b|\bnext year\b|\blast year\b",
    re.IGNORECASE,
)
def near_year(match, resolver):
    if resolver.published is None:
        return None
    years = RELATIVE_YEARS[" ".join(match.group(0).lower().split())]
    value = make_date(resolver.published.year + years)
    return Found(match.start(), match.end(), value, YEAR, relative=True)


@pattern(rf"(?<![\d.\-])(?P<y>{YEAR4})\s*년(?!\s*\d{{1,2}}\s*월)")
def year_ko(match, resolver):
    return Found(match.start(), match.end(), make_date(int(match["y"])), YEAR)


@pattern(
    rf"\b(?:in|since|from|by|until|of|during|for|early|late|mid-?)\s+(?P<y>{YEAR4})\b(?![-–/.]\d)",
    re.IGNORECASE,
)
def year_en(match, resolver):
    return Found(match.start("y"), match.end(), make_date(int(match["y"])), YEAR)


def resolve_context_days(found, text):
    """Second pass for 이날 (that day), 이튿날 (the next day), 전날 (the day before): each
    counts from the last day-precise date written before it, or the publication date."""
    resolved, last = [], None
    for item in found:
        phrase = text[item.start : item.end]
        shift = None
        if SAME_DAY.fullmatch(phrase):
            shift = 0
        elif NEXT_DAY.fullmatch(phrase):
            shift = 1
        elif DAY_BEFORE.fullmatch(phrase):
            shift = -1
        if shift is not None:
            base = last or item.value
            item = replace(item, value=base + datetime.timedelta(days=shift))
        elif item.precision == DAY and not item.published_line:
            last = item.value
        resolved.append(item)
    return resolved


def find(text, published=None):
    """Every date written in `text`, in text order; URLs are not read."""
    resolver = Resolver(text, published)
    taken = [(m.start(), m.end()) for m in URL.finditer(text)]
    found = []
    for regex, handler in PATTERNS:
        for match in regex.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            item = handler(match, resolver)
            if item is None:
                continue
            taken.append((start, end))
            found.append(item)
    found.sort(key=lambda f: f.start)
    return resolve_context_days(found, text)


def publication_date(found):
    """The date the article gives for itself: its byline's "입력/작성" stamp or a press
    release's "(외교부, 2023.11.30.)" line."""
    stamped = [f for f in found if f.published_line]
    return stamped[0] if stamped else None
