"""What kind of event an article reports, whether it happened, and which value-chain stages
it works on, from the article's wording.

The words that name an event (양해각서, MOU, 개소식, 컨퍼런스…) are weighed by where they
stand: the headline and the lead name the event, a note or the closing paragraphs mention
others. A word counts more in a sentence that also says something happened or will happen
(체결했다, signed, 개최할 예정).
"""

import re
from dataclasses import dataclass

from partners.models import Agreement

from .text import CAPTION, HEADING, LEAD, NOTE

K = Agreement.Kind

# (kind, pattern, weight): a kind more specific than another wins where both are written
# (an R&D agreement is an agreement; an MOU is formalised at a meeting).
KIND_WORDS = [
    (
        K.RD_AGREEMENT,
        r"(R&D|연구\s?개발|공동\s?연구)[^.\n]{0,25}?(업무\s?)?협약|"
        r"\b(R&D|research( and development)?|joint research) (cooperation )?agreement|"
        r"\bagreement\b[^.\n]{0,250}\b(research and development|R&D|joint research)\b",
        1.35,
    ),
    # An acronym may carry a Korean particle straight after it (MOU를): no \\b there.
    (
        K.MOU,
        r"양해\s?각서|의향서|(?<![A-Za-z])(MO[Uu]|LOI|LoI)s?(?![A-Za-z])|"
        r"memorand(um|a) of understanding|letters? of intent|statements? of co-?operation",
        1.3,
    ),
    (
        K.CENTRE,
        r"개소식|개소|개원식|개관식|센터[^.\n]{0,10}(문을 열|출범|개관)|"
        r"\b(open(ed|ing)|inaugurat\w*|launch(ed)?)\b[^.\n]{0,60}\b(cent(re|er)|hub|office)\b|"
        r"\b(cent(re|er)|hub)\b[^.\n]{0,40}\b(opened|inaugurated|launched)\b",
        1.2,
    ),
    (
        K.AGREEMENT,
        r"합의\s?각서|업무\s?협약|협약|협정|약정|계약|(?<![A-Za-z])MoA(?![A-Za-z])|"
        r"memorand(um|a) of agreement|\bagreements?\b|\baccord\b|\bpact\b|\bcontract\b|"
        r"\bdeals?\b|\barrangement\b",
        1.1,
    ),
    (
        K.ODA,
        r"\bODA\b|공적\s?개발\s?원조|무상\s?원조|개발\s?협력\s?사업|"
        r"official development assistance|development (aid|assistance|cooperation) project|"
        r"\bgrant (project|aid|programme|program)\b",
        1.15,
    ),
    (
        K.COMMITTEE,
        r"위원회|공동위|협의체|협의회|\bcommittee\b|\bcommission\b|\bworking group\b",
        1.0,
    ),
    (
        K.CONFERENCE,
        r"컨퍼런스|콘퍼런스|포럼|세미나|심포지엄|박람회|"
        r"\bconference\b|\bforum\b|\bsymposium\b|\bsummit\b|\bseminar\b|\bworkshop\b|\bexpo\b",
        1.0,
    ),
    (
        K.MEETING,
        r"회의|회담|면담|간담회|대화|\btalks\b|\bmeetings?\b|\bmeet\b|\bmet\b|\bdialogue\b|"
        r"\broundtable\b|"
        r"\bconsultations?\b",
        0.8,
    ),
    (K.VISIT, r"방문|견학|시찰|\bvisit(ed|s)?\b|\btour(ed)?\b", 0.7),
    (
        K.RESEARCH,
        r"공동\s?연구|연구\s?사업|탐사\s?사업|타당성\s?조사|\bstudy\b|\bresearch project\b|"
        r"\bfeasibility\b|\bjoint research\b|\bexploration project\b",
        0.7,
    ),
]
KIND_PATTERNS = [
    (kind, re.compile(regex, re.IGNORECASE), weight) for kind, regex, weight in KIND_WORDS
]

EVENT = re.compile(
    r"체결|서명|맺|개최|열렸|열린|열어|열고|개소|출범|발족|신설|착수|공식화|합의|개관|개원|방문|"
    r"참석|열릴|연다|열\s?예정|열기로|갖는다|가졌|가진|"
    r"\bsign(ed|s|ing)?\b|\bheld\b|\bhost(ed|s)?\b|\bopen(ed|s)?\b|\blaunch(ed|es)?\b|"
    r"\binaugurat\w*|\bconclud\w*|\bagreed\b|\bconven\w*|\bmet\b|\binked\b|\bestablish\w*|"
    r"\bwill (hold|sign|meet|open)\b",
    re.IGNORECASE,
)
FUTURE = re.compile(
    r"예정|계획이다|방침|할 것|열릴|개최할|체결할|나설 계획|"
    r"\bwill\b|\bplans? to\b|\bto be (held|signed)\b|\bscheduled\b|\bupcoming\b|\bis to\b|"
    r"\bare to\b|\bexpected to (sign|hold|meet)\b",
    re.IGNORECASE,
)
# An earlier agreement the article refers to (지난해 서명한 양해각서의 후속 조치로, under the
# 2023 memorandum) is background, not the event.
BACKGROUND_BEFORE = re.compile(
    r"(지난해|작년|지난\s?\d{4}년|\d{4}년|이미|기존)[^.,]{0,20}(한|된|맺은|체결한|서명한)\s?[^\s]{0,12}\s?$|"
    r"\b(follow(s|ing)?( up)?( on)?|under|builds? on|based on|pursuant to|earlier|previous|"
    r"existing|launched)\s+(the\s+|a\s+|an\s+|its\s+)?(\d{4}\s+)?([\w–-]+\s){0,3}$",
    re.IGNORECASE,
)
# "당시 … MOU를 체결해" (at the time of an earlier event): what the event follows.
BACKGROUND_EARLIER = re.compile(r"(^|\s)당시\s|\bat the time\b", re.IGNORECASE)
BACKGROUND_AFTER = re.compile(r"^\S*\s?(의\s?후속|에 따른|을 바탕으로|를 바탕으로)")
PAST = re.compile(
    r"체결했|서명했|개최했|개최하였|열었|열렸|가졌|맺었|맺고|방문했|둘러봤|개소식|출범했|합의했|"
    r"\b(signed|held|opened|hosted|launched|concluded|met|agreed|visited|inked)\b",
    re.IGNORECASE,
)
FINISHED = re.compile(
    r"완료|최종\s?결과|마무리|종료|\bcompleted\b|\bfinal (results|report)\b|\bconcluded\b",
    re.IGNORECASE,
)
ONE_OFF = {K.CONFERENCE, K.MEETING, K.VISIT}

WEIGHTS = {HEADING: 3.0, CAPTION: 1.5, LEAD: 2.5, NOTE: 0.2}


def sentence_weight(sentence, body_rank):
    """How much a sentence says about the article's own event: the headline and lead
    most, later paragraphs less and less, notes and page furniture hardly or not at all."""
    if sentence.kind in WEIGHTS:
        return WEIGHTS[sentence.kind]
    if not sentence.telling:
        return 0.0
    return max(0.3, 1.2 - 0.1 * body_rank)


@dataclass(frozen=True, slots=True)
class KindFound:
    kind: str
    sentence: object
    start: int  # where the word stands: the event's date and place are looked for near it
    end: int
    score: float


def weighed_sentences(sentences):
    rank = 0
    for sentence in sentences:
        yield sentence, sentence_weight(sentence, rank)
        if sentence.kind not in (HEADING, CAPTION, LEAD) and sentence.telling:
            rank += 1


def find_kind(sentences):
    """The kind the article's wording points to most, with the sentence that says it."""
    totals, best, own = {}, {}, {}  # own: the best mention that is not background
    for sentence, weight in weighed_sentences(sentences):
        if not weight:
            continue
        event = 1.5 if EVENT.search(sentence.text) else 1.0
        named = []
        for kind, regex, kind_weight in KIND_PATTERNS:
            match = regex.search(sentence.text)
            if not match or any(m.start() <= match.start() < m.end() for m in named):
                continue  # the words of a more specific kind (R&D 업무 협약 is not also 협약)
            named.append(match)
            score = weight * kind_weight * event
            before = sentence.text[max(0, match.start() - 40) : match.start()]
            if (
                BACKGROUND_BEFORE.search(before)
                or BACKGROUND_AFTER.match(sentence.text[match.end() :])
                or BACKGROUND_EARLIER.search(sentence.text[: match.start()])
            ):
                score *= 0.3
            else:
                own[kind] = max(own.get(kind, 0), score)
            totals[kind] = totals.get(kind, 0) + score
            if score > best.get(kind, (0,))[0]:
                best[kind] = (score, sentence, match)
    if not totals:
        return None
    # The strongest single statement decides, the article's repetition of it confirms.
    kind = max(totals, key=lambda k: (best[k][0] + 0.25 * totals[k], totals[k]))
    kind = instrument_named(kind, totals, best, own)
    score, sentence, match = best[kind]
    return KindFound(
        kind,
        sentence,
        sentence.start + match.start(),
        sentence.start + match.end(),
        score,
    )


SIGNED = re.compile(
    r"체결|서명|맺|\bsign(ed|s|ing)?\b|\binked\b|\bseal(ed|s|ing)?\b|\bexchang\w+\b",
    re.IGNORECASE,
)
INSTRUMENTS = (K.MOU, K.AGREEMENT, K.RD_AGREEMENT)


def instrument_named(kind, totals, best, own):
    """The instrument an article names for itself wins over looser words for it: reports
    call a memorandum an agreement, a deal or 업무협약 once the MOU is named, and an
    instrument signed at a summit, meeting or on a visit is the event, not the summit."""
    if kind == K.AGREEMENT and own.get(K.MOU, 0) >= 0.25 * best[kind][0]:
        return K.MOU
    if kind in ONE_OFF:
        signed = [
            k
            for k in INSTRUMENTS
            if k in own and SIGNED.search(best[k][1].text) and own[k] >= 0.5 * best[kind][0]
        ]
        if signed:
            return max(signed, key=lambda k: (best[k][0] + 0.25 * totals[k], totals[k]))
    return kind


def find_status(kind, sentence, event_date, published, text):
    """Planned when the article announces the event (or dates it after itself); a
    conference, meeting or visit that happened is completed; anything else is active."""
    if sentence is not None and FUTURE.search(sentence.text) and not PAST.search(sentence.text):
        return Agreement.Status.PLANNED, sentence
    if event_date is not None and published is not None and event_date > published:
        return Agreement.Status.PLANNED, sentence
    if kind in ONE_OFF:
        return Agreement.Status.COMPLETED, sentence
    if kind == K.RESEARCH and FINISHED.search(text):
        return Agreement.Status.COMPLETED, sentence
    return Agreement.Status.ACTIVE, sentence


# Value-chain stages (fixtures/03_stages.json), by the words that name the work.
STAGE_WORDS = {
    "exploration": r"탐사|부존\s?확인|\bexploration\b|\bprospecting\b|geological survey",
    "mining": r"채굴|채광|광산\s?개발|\bmining\b|\bmines?\b",
    "processing": r"선광|제련|정련|분리\s?정제|\bprocessing\b|\brefin(ing|ery|eries)\b|"
    r"\bsmelt(ing|er)\b|\bbeneficiation\b",
    # 소재 is also "located in" (울란바토르 소재 …): only as a material of something.
    "materials": r"(이차전지|배터리|전지|첨단|핵심|신|원천|광물)\s?소재|"
    r"소재(산업|개발|기업|분야|생산|기술|연구)|"
    r"양극재|음극재|전구체|\bcathode\b|\banode\b|\bprecursors?\b|"
    r"\bbattery materials\b|\badvanced materials\b",
    "battery-manufacturing": r"배터리\s?(제조|생산|공장)|전지\s?(제조|생산)|"
    r"\bbattery (manufactur\w+|production|plants?|factor(y|ies))\b|\bgigafactor(y|ies)\b|"
    r"\bcell production\b",
    "recycling": r"재활용|리사이클|폐배터리|순환\s?경제|\brecycl\w+|\bcircular economy\b",
    "rd": r"연구\s?개발|R&D|공동\s?연구|기술\s?개발|연구를|\bresearch\b|\bR&D\b|"
    r"\btechnology development\b",
    "training": r"인력\s?양성|연수|학위|인재\s?양성|\btraining\b|\bcapacity[- ]building\b|"
    r"\bscholarships?\b|\bdegrees?\b",
    "investment": r"투자|합작|\bJV\b|\bjoint ventures?\b|\binvest\w*|\bfinancing\b",
    "policy-dialogue": r"정책|대화|위원회|협의체|공급망\s?(협력|안정|강화)|\bpolicy\b|\bdialogue\b|"
    r"\bcommittee\b|supply[- ]chain (cooperation|resilience|security)",
}
STAGE_PATTERNS = {slug: re.compile(regex, re.IGNORECASE) for slug, regex in STAGE_WORDS.items()}


def find_stages(sentences, known):
    """{stage slug: (sentence, start, end)} for the stages (of those in the catalogue) the
    telling sentences name, at the first words naming each."""
    found = {}
    for sentence, weight in weighed_sentences(sentences):
        if weight < 0.5:
            continue
        for slug, regex in STAGE_PATTERNS.items():
            match = regex.search(sentence.text) if slug in known and slug not in found else None
            if match:
                found[slug] = (
                    sentence,
                    sentence.start + match.start(),
                    sentence.start + match.end(),
                )
    return found
