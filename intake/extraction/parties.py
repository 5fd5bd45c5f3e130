"""Who takes part: the countries and institutions of the event, each with a role, and the
people the article names with their titles.

A name counts for more where the article tells its event (headline, lead, captions, the
sentence that says it happened), in a compound (한-몽), among the participants; it counts for
less in a passing remark (미국 중심 공급망, the US Inflation Reduction Act). Institutions the
catalogue does not know are proposed as new, with the name as written, a kind guessed from
how the name ends and the country the article gives them.
"""

import re
from dataclasses import dataclass, field

from partners.models import Institution, Party
from partners.names import HANGUL, compact, stems

from .catalogue import COUNTRY, INSTITUTION
from .kinds import EVENT
from .text import CAPTION, HEADING, LEAD

R = Party.Role
PARTY_SCORE = 3.0  # a country or institution scoring less is context, not a party

PARTICIPANTS = re.compile(
    r"참석|참여|참가|대표단|정부 인사|관계자|\battend\w*|\bparticipat\w*|\bjoined\b|"
    r"\btook part\b|\bdelegat\w*|\bofficials?\b",
    re.IGNORECASE,
)
PASSING_AFTER = re.compile(
    r"^(의\s?)?(중심|주도|산\b|발\b|\S{0,6}(법|정책|시장|규제|관세|제재|보조금|감축법))|"
    r"^(-led|-dominated|-based|-made|'s (\w+ )?(law|act|policy|market|tariffs?|sanctions|"
    r"Inflation Reduction Act|export))",
)
BOTH = re.compile(
    r"양국|양측|\bboth countries\b|\bthe two countries\b|\bboth sides\b", re.IGNORECASE
)

ROLE_WORDS = [
    (
        R.ORGANISER,
        r"개최|주최|열었|열고|열어|개소식을|\bhost(ed|s)\b|\borgani[sz]ed\b|\bheld\b|\bconvened\b",
    ),
    (R.BUSINESS, r"비즈니스|\bbusiness (meetings?|matchmaking)\b|1:1"),
    (R.PRESENTER, r"발표|축사|개회사|기조\s?연설|\bpresent(ed|s)\b|\bkeynote\b|\bbriefed\b"),
    (
        R.IMPLEMENTER,
        r"주관\s?기관|수행|시행|\bimplement\w*|\bcarr(y|ied|ies) out\b|\blead agency\b",
    ),
    (R.FUNDER, r"공적\s?개발\s?원조|ODA\s?사업|사업비|재원|\bfund(ed|s|ing)\b|\bfinanc\w+"),
    (R.SIGNATORY, r"체결|서명|맺|\bsign(ed|s|ing)?\b|\binked\b|\bconcluded\b"),
    (R.PARTICIPANT, r"참석|참여|참가|\battend\w*|\bparticipat\w*|\bjoined\b|\btook part\b"),
]
ROLE_PATTERNS = [(role, re.compile(regex, re.IGNORECASE)) for role, regex in ROLE_WORDS]
SUBJECT = re.compile(r"^(\([^)]*\))?(은|는|이|가|측은)(\s|$)")
WITH = re.compile(r"^(\([^)]*\))?(와|과|와의|과의)(\s|$)")
AT = re.compile(r"^\s?(\([^)]*\))?(\s?내)?\s?(에서|에 있는|소재)")
AT_EN = re.compile(r"\b(at|in)\s+(the\s+)?$", re.IGNORECASE)
AGREEING = {"mou", "agreement", "rd-agreement", "committee"}


@dataclass
class Proposed:
    """One proposed party (or person), with the sentence that supports it."""

    key: tuple  # what identifies it: ("institution", pk), ("country", pk), ("new", name)
    score: float
    sentence: object
    start: int
    end: int
    role: str = ""
    values: dict = field(default_factory=dict)

    @property
    def confidence(self):
        return "high" if self.score >= 4.5 else "medium" if self.score >= PARTY_SCORE else "low"


def base_score(sentence):
    if sentence.kind in (HEADING, LEAD, CAPTION):
        return 2.0
    return 1.0 if sentence.telling else 0.0


def score_mention(article, start, end, sentence, event_sentence):
    text = article.text
    score = base_score(sentence)
    if sentence is event_sentence or EVENT.search(sentence.text):
        score += 1.0
    if PARTICIPANTS.search(sentence.text):
        score += 1.0
    after = text[end : end + 24]
    if PASSING_AFTER.search(after):
        score -= 2.5
    return score


def countries(article, event_sentence):
    """Country parties named in the article (not yet those of the institutions)."""
    found = {}
    for hit in article.hits_of(COUNTRY):
        if hit.ambiguous:
            continue
        sentence = article.sentence(hit.start)
        if sentence is None or not sentence.telling:
            continue
        if hit.kind == "acronym" and not (
            hit.compound or article.text[max(0, hit.start - 4) : hit.start].lower() == "the "
        ):
            continue  # two capitals are a country code only in "the US" or "US-Korea"
        score = score_mention(article, hit.start, hit.end, sentence, event_sentence)
        if hit.compound:
            score += 2.0
        key = (COUNTRY, hit.pk)
        current = found.get(key)
        if current is None:
            found[key] = Proposed(key, score, sentence, hit.start, hit.end)
        else:
            if score > current.score:
                current.score, current.sentence = score, sentence
                current.start, current.end = hit.start, hit.end
            current.score += 0.25
    if BOTH.search(article.text) and sum(1 for p in found.values() if p.score >= 2) == 2:
        for proposed in found.values():
            proposed.score += 0.5 if proposed.score >= 2 else 0
    return [p for p in found.values() if p.score >= PARTY_SCORE]


# --- Institutions ------------------------------------------------------------------------

LIST_JOIN = re.compile(r"^\s*(,|·|、|및|와|과|and|, and)\s*$")
LIST_TAIL = re.compile(
    r"^\s*(등\s*)?(\d+\s*개\s*)?(대학|기관|학교|대)?\s*(?P<word>[가-힣A-Za-z0-9]+(센터|연구소|사업단|연구원))"
)


def institution_mentions(article):
    """Institution hits with ambiguous acronyms resolved where the text says whose they are
    (영남대 … ICC → Yeungnam's ICC) and list members resolved to the part the list names
    (포스텍, 고려대 … 등 8개 대학 기업협업센터 → each university's collaboration centre).
    Returns (pk, start, end) of every mention."""
    records = article.records
    hits = article.hits_of(INSTITUTION)
    resolved = []
    for index, hit in enumerate(hits):
        if not hit.ambiguous:
            resolved.append([hit.pk, hit.start, hit.end])
            continue
        # An ambiguous acronym: the nearest institution before it, in the same sentence,
        # whose part carries that acronym.
        sentence = article.sentence(hit.start)
        for previous in reversed(hits[:index]):
            if previous.ambiguous or sentence is None or previous.start < sentence.start:
                continue
            if hit.start - previous.end > 40:
                break
            parts = [pk for pk in hit.pks if records.institutions[pk].parent == previous.pk]
            if len(parts) == 1:
                resolved = [r for r in resolved if r[1] != previous.start]
                resolved.append([parts[0], previous.start, hit.end])
                break
    resolved.sort(key=lambda r: r[1])
    return resolve_lists(article, resolved)


def resolve_lists(article, resolved):
    text, records = article.text, article.records
    runs, run = [], []
    for item in resolved:
        if run and LIST_JOIN.match(text[run[-1][2] : item[1]]):
            run.append(item)
        else:
            if len(run) >= 2:
                runs.append(run)
            run = [item]
    if len(run) >= 2:
        runs.append(run)
    for run in runs:
        match = LIST_TAIL.match(text[run[-1][2] : run[-1][2] + 40])
        if not match:
            continue
        word = compact(match["word"])
        for item in run:
            part = part_named(records, item[0], word)
            if part is not None:
                item[0] = part
    return resolved


def part_named(records, pk, word):
    """The one part (child) of an institution whose name holds `word`, or the longest
    ending of it (기업협업센터 → 협업센터 → 센터)."""
    parts = records.children.get(pk, [])
    for size in range(len(word), 1, -1):
        ending = word[-size:]
        named = [p for p in parts if ending in compact(records.institutions[p].name_ko)]
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            return None
    return None


def skip_title(after):
    """What follows a name once its holder's title is passed: 산업통상부 장관과 → 과."""
    match = re.match(r"^\s?(\S+\s)?(\S*?)(" + "|".join(KO_TITLES) + r")", after)
    return after[match.end() :] if match else after


def role_for(article, sentence, start, end, kind, event_sentence):
    """The role a mention's sentence gives an institution. A Korean verb follows its
    subject and objects, so only what comes after the name can give it a role there."""
    text = article.text
    after = text[end : sentence.end]
    before = text[max(sentence.start, start - 30) : start]
    korean = bool(HANGUL.search(sentence.text))
    said = after if korean else sentence.text
    at = AT.match(after) or AT_EN.search(before)
    if at and (sentence is event_sentence or EVENT.search(sentence.text)):
        return R.HOST
    untitled = skip_title(after)
    subject = bool(SUBJECT.match(after) or SUBJECT.match(untitled)) or bool(
        re.match(r"^\s?\([^)]*\)\s?(은|는|이|가)\s", after)
    )
    partner = bool(WITH.match(after) or WITH.match(untitled))
    if not korean:
        opening = re.sub(r"(?i)\b(the|korea's|[A-Z]\w+'s)\s*$", "", before).strip()
        subject = subject or not opening or bool(re.search(r"\b(by|and)\s$", before))
        partner = partner or bool(re.search(r"\b(with|between|and)\s(the\s)?$", before))
    for role, regex in ROLE_PATTERNS:
        # A business meeting is named before those who take part in it (비즈니스 면담에서는 …).
        if not regex.search(sentence.text if role == R.BUSINESS else said):
            continue
        if role == R.SIGNATORY and kind not in AGREEING:
            continue
        if role == R.ORGANISER and not subject:
            continue
        if role == R.SIGNATORY and not (subject or partner or sentence is event_sentence):
            continue
        return role
    if sentence is event_sentence or sentence.kind in (HEADING, LEAD):
        return R.PARTICIPANT
    return R.CONTEXT


def institutions(article, mentions, kind, event_sentence):
    """Catalogue institutions named in telling sentences: parties with a role, or bodies
    named in context. `mentions` are institution_mentions(article)."""
    found = {}
    for pk, start, end in mentions:
        sentence = article.sentence(start)
        if sentence is None or not sentence.telling:
            continue
        score = score_mention(article, start, end, sentence, event_sentence)
        role = role_for(article, sentence, start, end, kind, event_sentence)
        if role != R.CONTEXT:
            score += 1.0
        key = (INSTITUTION, pk)
        current = found.get(key)
        if current is None or (score, role != R.CONTEXT) > (
            current.score,
            current.role != R.CONTEXT,
        ):
            found[key] = Proposed(key, score, sentence, start, end, role)
            if current is not None:
                found[key].score += 0.25
        else:
            current.score += 0.25
    for proposed in found.values():
        if proposed.score < PARTY_SCORE - 0.5 and proposed.role not in (R.HOST, R.ORGANISER):
            proposed.role = R.CONTEXT
    # A university named beside its own centre stands for the centre: the centre is the party.
    parties = {key[1] for key, p in found.items() if p.role != R.CONTEXT}
    parents = {article.records.institutions[pk].parent for pk in parties}
    return [p for key, p in found.items() if key[1] not in parents]


# --- New institutions --------------------------------------------------------------------

KO_ORG_ENDINGS = (
    r"연구원|연구소|연구센터|지질조사소|지질조사국|지질자원청|대학교|공사|공단|재단|협회|진흥원|"
    r"개발원|기구|은행|홀딩스|그룹|본부|위원회|협력단|사업단|청|"
    r"(자원|산업|통상|에너지|광물|광업|환경|외교|경제|재무|재정|기획|개발|과학|기술|무역|교통|국토|"
    r"농업|광산|천연자원|지질|투자|공업|상공|혁신)부"
)
KO_ORG = re.compile(
    rf"(?<![가-힣A-Za-z0-9])(?P<name>(㈜|\(주\))?([가-힣A-Za-z0-9&·]*[가-힣])?({KO_ORG_ENDINGS})(㈜)?)"
    r"(?=[은는이가을를의와과에도로]|\(|\s|$|[,.’'\"”)])"
)
KO_NOT_ORG = re.compile(
    r"^(책임|선임|수석|연구|박사|객원|초빙|정부|내부|외부|일부|전부|본부|각|국내|해외|관련|주요|해당|"
    r"우수|동|이|그|저|지자체|자체|공공|민간|사업|전담)?(연구원|연구소|본부|그룹|기구|공사|청|부)$"
)
# An English body's name ends in what it is (… Agency, … Corporation) or starts with it
# (Ministry of …, Geological Survey of …); forums and conferences are events, not bodies.
KO_ENDING_ONLY = re.compile(
    r"^(\S{0,2}(위원회|센터|재단|협회|공단|공사|대학교|기구|그룹|본부|사업단|협력단))$"
)
EN_HEAD_LAST = re.compile(
    r"\b(Agency|Institute|University|Corporation|Corp|Company|Co|Ltd|Inc|Group|Council|Commission|"
    r"Authority|Survey|Bank|Fund|Association|Cent(re|er)|Foundation|Office|Administration|"
    r"Service|Organi[sz]ation|Holdings|Chamber|Mining|Metals|Partnership|Ministry|Department)$"
)
EN_HEAD_FIRST = re.compile(
    r"^(Ministry|Department|Institute|University|Bank|Office|Agency|Embassy|Council|Commission|"
    r"(\w+ )?Survey|Cent(re|er)|Academy) (of|for)\b"
)
EN_EVENT_NAME = re.compile(r"\b(Forum|Conference|Summit|Seminar|Symposium|Expo|Week|Dialogue)\b")
EN_ORG = re.compile(
    r"\b(?P<name>(?:[A-Z][\w&'’.-]*)(?:,?\s(?:[A-Z][\w&'’.-]*|of|and|for|the|&)){0,8})"
)
EN_SMALL = {"of", "and", "for", "the", "&"}
MONTHS = re.compile(
    r"^(January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$"
)
KINDS_BY_ENDING = [
    (r"(Partnership|국제기구|International \w+)$", Institution.Kind.INTERNATIONAL),
    (r"(대학교|대학|University|College)$", Institution.Kind.UNIVERSITY),
    (
        r"(연구원|연구소|연구센터|Institute|Survey|조사소|조사국|Laboratory)$",
        Institution.Kind.RESEARCH,
    ),
    (r"(센터|Centre|Center)$", Institution.Kind.CENTRE),
    (r"(위원회|Committee|Commission|Council)$", Institution.Kind.COMMITTEE),
    (r"(의회|Parliament|Assembly)$", Institution.Kind.LEGISLATURE),
    (
        r"(㈜|\(주\)|그룹|홀딩스|Group|Holdings|Ltd|Inc|Corp|Co|Company|Mining|Metals)",
        Institution.Kind.COMPANY,
    ),
    (r"^(시|도|군|Province|City)$|(시청|도청|군청|Province|City)$", Institution.Kind.LOCAL),
]
CREATED = re.compile(
    r"신설|설치|출범|발족|\bestablish\w*|\bcreat\w*|\bset up\b|\blaunch\w*", re.IGNORECASE
)
QUOTED = re.compile(r"[‘'\"“「『][^’'\"”」』\n]{2,80}[’'\"”」』]")


def guess_kind(name):
    for regex, kind in KINDS_BY_ENDING:
        if re.search(regex, name):
            return kind
    return Institution.Kind.GOVERNMENT


def new_institutions(article, kind, event_sentence, taken):
    """Bodies the catalogue does not know, named where the article tells its event: the
    name as written (with the country written before it: 탄자니아 광물부), a guessed kind
    and the country the text gives them. `taken` are the spans of catalogue institutions."""
    text = article.text
    quoted = [(m.start(), m.end()) for m in QUOTED.finditer(text)]
    found, created = {}, set()
    for sentence in article.sentences:
        if not sentence.telling:
            continue
        korean = bool(HANGUL.search(sentence.text))
        for start, end, name in candidates(article, sentence, korean, taken):
            if any(s <= start and end <= e for s, e in quoted):
                continue  # a quoted name is the event's (a centre, a conference), not a body
            if guess_kind(name) == Institution.Kind.COMMITTEE and (
                CREATED.search(sentence.text) or compact(name) in created
            ):
                created.add(compact(name))
                continue  # a committee the agreement sets up is an agreement of its own
            if any(m.name.model == INSTITUTION for m in article.index.mentions(name)):
                continue  # a catalogue body run together with other words
            score = score_mention(article, start, end, sentence, event_sentence)
            role = role_for(article, sentence, start, end, kind, event_sentence)
            score += 1.0 if role != R.CONTEXT else 0.0
            key = ("new", compact(name))
            if key in found:
                found[key].score += 0.25
                found[key].values["spans"].append((start, end))
                found[key].values["acronym"] = found[key].values["acronym"] or acronym_after(
                    text, end
                )
                continue
            found[key] = Proposed(
                key,
                score,
                sentence,
                start,
                end,
                role,
                {
                    "name": name,
                    "kind": guess_kind(name),
                    "country": country_of_new(article, start, end, name),
                    "acronym": acronym_after(text, end),
                    "language": "ko" if korean else "en",
                    "spans": [(start, end)],
                },
            )
    for proposed in found.values():
        if proposed.score < PARTY_SCORE - 0.5 and proposed.role not in (R.HOST, R.ORGANISER):
            proposed.role = R.CONTEXT
    return list(found.values())


def candidates(article, sentence, korean, taken):
    """(start, end, name) of the names in a sentence that look like a body's."""
    regex = KO_ORG if korean else EN_ORG
    for match in regex.finditer(sentence.text):
        start, end = sentence.start + match.start("name"), sentence.start + match.end("name")
        name = match["name"]
        if korean:
            if KO_NOT_ORG.match(name) or KO_ENDING_ONLY.match(name) or len(name) < 3:
                continue
            country = country_hit_before(article, start)
            if country is not None and country.compound:
                continue  # 한-몽 희소금속협력위원회: the name of a joint body, the event's own
            if country is not None:
                start = country.start
        else:
            # Cut off a catalogue body the run of capitals begins with (KIGAM and the …),
            # and what no name ends with (… on October).
            for s, e in taken:
                if start <= s < end and e < end:
                    start = e
            name = trim_english(re.sub(r"^[A-Z][\w-]*['’]s\s", "", article.text[start:end]))
            if not name:
                continue
            start = article.text.index(name, start)
            end = start + len(name)
            if EN_EVENT_NAME.search(name) or not (
                EN_HEAD_LAST.search(name) or EN_HEAD_FIRST.match(name)
            ):
                continue
        if any(s < end and start < e for s, e in taken):
            continue
        yield start, end, article.text[start:end]


def country_hit_before(article, start):
    """The country name written just before `start` (탄자니아 광물부, Vietnam's …)."""
    for hit in article.hits_of(COUNTRY):
        if not hit.ambiguous and 0 <= start - hit.end <= 1:
            return hit
    return None


def trim_english(name):
    words = name.replace(",", " ,").split()
    while words and (words[0] in EN_SMALL or words[0] in ("The", "A", "An", ",")):
        words.pop(0)
    while words and (words[-1] in EN_SMALL or words[-1] == "," or MONTHS.match(words[-1])):
        words.pop()
    return " ".join(words).replace(" ,", ",")


def acronym_after(text, end):
    match = re.match(r"\s?\(([A-Z][A-Za-z&]{1,9})[,)]", text[end : end + 14])
    return match.group(1) if match else ""


def country_of_new(article, start, end, name):
    """The country a new body belongs to: written just before it (탄자니아 광물부,
    Tanzania's Ministry of Minerals), inside its name (Geological Survey of Tanzania), as an
    adjective (Indonesian); a Korean name starting with 한국/국립 is Korea's."""
    for hit in article.hits_of(COUNTRY):
        if hit.ambiguous:
            continue
        if start <= hit.start and hit.end <= end:
            return article.records.country_code(hit.pk)
        gap = article.text[hit.end : start]
        if 0 <= start - hit.end <= 3 and re.fullmatch(r"\s?|'s\s|’s\s|의\s?", gap):
            return article.records.country_code(hit.pk)
    if re.search(r"\b(International|Global|World|United Nations)\b|Partnership$|국제기구$", name):
        return ""
    if re.match(r"(한국|국립|Korea)", name):
        return "KR"
    return ""


# --- People ------------------------------------------------------------------------------

KO_TITLES = sorted(
    [
        "대표이사",
        "부사장",
        "부회장",
        "이사장",
        "위원장",
        "비서실장",
        "부센터장",
        "센터장",
        "부시장",
        "부지사",
        "도지사",
        "구청장",
        "군수",
        "시장",
        "부총리",
        "총리",
        "장관",
        "차관보",
        "차관",
        "대사",
        "총영사",
        "청장",
        "처장",
        "국장",
        "실장",
        "본부장",
        "단장",
        "원장",
        "부원장",
        "소장",
        "총장",
        "부총장",
        "학장",
        "교수",
        "연구원",
        "박사",
        "회장",
        "사장",
        "대표",
        "의장",
        "부의장",
        "대통령",
        "부통령",
        "사무총장",
        "특사",
        "전무",
        "상무",
        "부장",
        "팀장",
    ],
    key=len,
    reverse=True,
)
KO_SURNAMES = set(
    "김이박최정강조윤장임한오서신권황안송전홍유고문양손배백허남심노하곽성차주우구민류나진지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉사부가복태목형피두감음빈동온호좌"
)
PAREN = re.compile(r"\([^()\n]*\)")
TITLE_THEN_NAME = re.compile(r"\((?P<title>[가-힣]{2,8})\s(?P<name>[가-힣]{2,4})\)")
TOKEN = re.compile(r"\S+")
NOT_NAMES = {
    "관계자",
    "관계자들",
    "참석자",
    "기자",
    "이날",
    "행사",
    "현지",
    "한국",
    "대한민국",
    "우리",
    "정부",
    "양국",
    "전문가",
    "전문가들",
    "주요",
    "등",
}
VERBISH = re.compile(r"(고|해|며|인|한|된|서|게|던|여|다|지|면|어|아|와|과)$")
AMBIGUOUS_TITLES = {"시장", "대표", "연구원", "사장", "박사"}  # market, typical, institute…


def masked(text):
    """`text` with its bracketed asides blanked (offsets kept): 김정관(오른쪽) → 김정관."""
    return PAREN.sub(lambda m: " " * len(m.group(0)), text)


def bare(token):
    """A word without its punctuation and particle, and whether a particle went."""
    word = token.strip("“”\"'‘’,.·:;▲△■▶◆◇※•")
    forms = stems(word)
    return forms[-1], len(forms) > 1


def title_of(word):
    return next((title for title in KO_TITLES if word.endswith(title)), None)


def name_like(word):
    return 2 <= len(word) <= 6 and bool(re.fullmatch(r"[가-힣]+", word)) and word not in NOT_NAMES


def foreign_word(word):
    return 1 <= len(word) <= 6 and bool(re.fullmatch(r"[가-힣]+", word)) and word not in NOT_NAMES


def people_ko(article, sentence, spans):
    """권이균 한국지질자원연구원 원장, 김남일 포항시 부시장, 윤현수 기후환경과학외교국장,
    멜라니 졸리 캐나다 산업부 장관, and (원장 권이균). Yields (name, title, start, end)."""
    for match in TITLE_THEN_NAME.finditer(sentence.text):
        if title_of(match["title"]) and match["name"][0] in KO_SURNAMES:
            start = sentence.start + match.start()
            yield match["name"], match["title"], start, sentence.start + match.end()
    inside = [(s, e) for s, e, _who in spans]

    def named(token):
        return any(s <= token[0] < e for s, e in inside)

    def within(token):
        return any(s <= token[0] and token[1] <= e for s, e in inside)

    tokens = [
        (sentence.start + m.start(), sentence.start + m.end(), *bare(m.group(0)))
        for m in TOKEN.finditer(masked(sentence.text))
    ]
    for i, token in enumerate(tokens):
        _start, title_end, word, particle = token
        title = title_of(word)
        if not title or within(token):
            continue
        if not particle and i + 1 < len(tokens) and title_of(tokens[i + 1][2]):
            continue  # 대통령 비서실장: the title goes on
        j = i - 1
        # Back over the affiliation: catalogue names and words of the title (대통령 비서실장).
        while (
            j >= 0
            and i - j <= 5
            and not tokens[j][3]
            and (named(tokens[j]) or title_of(tokens[j][2]))
        ):
            j -= 1
        if j < 0 or tokens[j][3] or not name_like(tokens[j][2]) or title_of(tokens[j][2]):
            continue
        affiliated = j < i - 1
        korean = tokens[j][2][0] in KO_SURNAMES and len(tokens[j][2]) == 3
        first = j
        # A foreign name written in Hangul has up to three words (쩐 반 하이, 안토니 마방데);
        # a Korean name is one word, after a word with a particle (협약식에는 김남일 …).
        while first > 0 and j - first < 2 and (affiliated or not korean):
            before = tokens[first - 1]
            if before[3] or named(before) or title_of(before[2]) or not foreign_word(before[2]):
                break
            if VERBISH.search(before[2]):
                break  # 맺고 강훈식, 비롯해 백인규: a verb before a Korean name
            first -= 1
        if first < j:
            korean = False
        if not korean and (not affiliated or word in AMBIGUOUS_TITLES):
            continue  # a foreign name is told from other words by who it works for
        name = " ".join(t[2] for t in tokens[first : j + 1])
        words = masked(article.text[tokens[j][1] : title_end]).split()
        yield name, " ".join(bare(w)[0] for w in words), tokens[first][0], title_end


EN_TITLES = (
    r"(?:Deputy |Vice |Prime |First |Acting |Trade |Industry |Foreign |Energy |Finance |Mines |"
    r"Mining )?(?:Minister|Secretary|President|Ambassador|Director(?:-General| General)?|"
    r"Chairman|Chairwoman|Chair|CEO|Chief Executive|Governor|Mayor|Professor|Commissioner|"
    r"Administrator|Premier|Chancellor|Head|Envoy|Chief of Staff)"
)
EN_NAME = r"(?:[A-Z]\.\s?)?[A-ZÀ-Þ][\w’'À-ÿ-]+(?:\s(?:[A-Z]\.\s?)?[A-ZÀ-Þ][\w’'À-ÿ-]+){1,2}"
EN_OF = r"(?:\s(?:of|for)\s(?:the\s)?[A-Z][\w’'-]*(?:,?\s(?:and\s)?[A-Z][\w’'-]*)*?)?"
# Minister Mélanie Joly; Finnish Minister of Economic Affairs Aino Laine
EN_TITLE_NAME = re.compile(
    rf"(?P<title>(?:[A-Z][\w&’'-]*\s){{0,4}}{EN_TITLES}{EN_OF})\s+(?P<name>{EN_NAME})\b"
)
# Mélanie Joly, Canada's Minister of Industry, …; Lee Pyeong-koo, vice president of KIGAM, …
EN_NAME_TITLE = re.compile(
    rf"(?P<name>{EN_NAME}),\s+(?P<title>(?:the\s)?(?:[\w’'&-]+\s){{0,6}}?(?i:{EN_TITLES})"
    r"(?:\s(?:of|for|to|at)\s[\w’'&\s,-]{2,80}?)?)(?=[,.;]|\s(?:said|says|and|who|led)\b)"
)
# Canada's industry minister, Mélanie Joly, …
EN_TITLE_COMMA_NAME = re.compile(
    rf"(?P<title>(?:[\w’'&-]+\s){{0,4}}(?i:{EN_TITLES})),\s(?P<name>{EN_NAME})(?=,|\s(?:said|says)\b)"
)
NOT_EN_NAMES = re.compile(
    r"^(The|A|An|In|On|At|For|Korea|South|North|Canada|Mongolia|Ministry|Minister|January|February|"
    r"March|April|May|June|July|August|September|October|November|December)\b"
)


def people_en(article, sentence, spans):
    """Minister Mélanie Joly; KIGAM President Kwon Yi-kyun; Mélanie Joly, Canada's Minister
    of Industry. Yields (name, title, start, end)."""
    for regex in (EN_TITLE_NAME, EN_NAME_TITLE, EN_TITLE_COMMA_NAME):
        for match in regex.finditer(sentence.text):
            name = re.sub(r"['’]s$", "", match["name"].strip())  # President Moon's visit
            if regex is EN_TITLE_NAME and re.search(r"\s(of|for)\s", match["title"]):
                # Minister of Economic Affairs Aino Laine: the name is the last two words.
                words = (match["title"] + " " + name).split()
                name = " ".join(words[-2:])
            if NOT_EN_NAMES.match(name) or article.index.lookup(name) or EN_HEAD_LAST.search(name):
                continue
            title = " ".join(match["title"].split())
            yield name, title, sentence.start + match.start(), sentence.start + match.end()


def people(article, spans):
    """People with their title and, where the title names one, their institution: a
    catalogue pk or the name of a proposed new body. `spans` are (start, end, who) of the
    institutions found. A surname met again (졸리 장관) is the same person."""
    found = {}
    for sentence in article.sentences:
        if not sentence.telling:
            continue
        read = people_ko if HANGUL.search(sentence.text) else people_en
        for name, title, start, end in read(article, sentence, spans):
            key = compact(name)
            same = next((k for k in found if k.endswith(key) or key.endswith(k)), None)
            if same is not None:
                if len(key) > len(same):
                    found[key] = found.pop(same)
                    found[key].values["name"] = name
                continue
            who = next(
                (w for s, e, w in spans if start <= s and e <= end and w[0] != COUNTRY), None
            )
            found[key] = Proposed(
                ("person", key),
                3.0,
                sentence,
                start,
                end,
                values={"name": name, "title": title, "institution": who},
            )
    return list(found.values())
