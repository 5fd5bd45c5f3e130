"""Where the event took place: a city and its country.

Cities the catalogue already knows (of its institutions, agreements and places) are found
by name; others by how articles place an event (울란바토르 소재, 하노이에서 열린, signed in
Jakarta). A dateline ([밴쿠버=…기자], "SEOUL, Nov. 30 (Yonhap) --") says where the reporter
was, so it counts only when nothing else does; failing any, the host's or the organiser's
city is proposed, with low confidence.
"""

import re
from dataclasses import dataclass

from partners.models import Party
from partners.names import HANGUL, PARTICLES, compact

from .catalogue import COUNTRY, word_start
from .text import CAPTION, HEADING, LEAD

# "X에서 열린", and "X 소재" after a country (몽골 울란바토르 소재): 소재 is also "material".
KO_PLACED = re.compile(
    r"(?<![가-힣])(?P<city>[가-힣]{2,8}?)(시|군)?(에서|에 위치한|에 있는)(?=\s|$)"
)
KO_LOCATED = re.compile(r"(?<![가-힣])(?P<city>[가-힣]{2,8})\s소재(?=\s)")
# 타슈켄트에 지질정보센터를 세우고: where a project builds its site.
KO_SITED = re.compile(
    r"(?<![가-힣])(?P<city>[가-힣]{2,8}?)에\s(?=[^.\n]{0,24}(세우|설립|건립|구축|조성|짓))"
)
KO_EVENT_AFTER = re.compile(r"^\s?(에서|소재|에 위치|에 있는)")
EN_PLACED = re.compile(r"\b(?:in|at)\s(?P<city>[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)\b")
DATELINE = re.compile(
    r"^\s*[\[(](?P<city>[가-힣A-Za-z]+)\s?=|^(?P<en>[A-Z]{3,}(?:\s[A-Z]{3,})?),\s(?:[A-Z][a-z]{2}\.?\s\d{1,2}|\w+\s\d{1,2})"
)
# A dateline on its own line below the headline: "SEOUL, November 17 (AJP) --".
LINE_DATELINE = re.compile(
    r"^(?P<city>)(?P<en>[A-Z]{3,}(?:\s[A-Z]{3,})?),\s[A-Z][a-z]+\.?\s\d{1,2}\s?\([^)]{2,20}\)\s?(--|—|-)",
    re.MULTILINE,
)
KO_LINE_DATELINE = re.compile(
    r"^\s*[\[(](?:[^\]=]{0,12}ㅣ)?(?P<city>[가-힣]+)\s?=(?P<en>)", re.MULTILINE
)
NOT_CITY = re.compile(
    r"(실|관|장|홀|센터|청|원|사|소|층|궁|호텔|본사|현장|공장|일대|지역|현지|국내|해외|행사|회의|양국|"
    r"대학|학교|연구동|서명식|브리핑|테이블|광산|광구|부지|분야|공급망|측면|회담|정상회의|자리|계기|"
    r"차원|과정|가운데|시장|단계|협력|사업)$|^(이날|오는|지난|현지시간|시청|본부)$"
)
# A building named after its city (서울롯데호텔, 정부서울청사) places the event in the city;
# a mine or project named after a town (더보(Dubbo)광산, the Dubbo project) does not.
BUILDING_AFTER = re.compile(r"^[가-힣]{0,6}(호텔|청사|궁|센터|컨벤션)")
BUILDING_BEFORE = re.compile(r"정부$")
NAMED_AFTER = re.compile(
    r"^\)?(\s?\([^)]{0,30}\))?\s?(광산|광구|프로젝트|\b(mine|project|deposit)s?\b)", re.IGNORECASE
)
# Where a visit went: "visit to the Philippines", 인도네시아를 국빈 방문, 방한 (a visit to Korea).
EN_VISIT = re.compile(r"\bvisit(ing|ed|s)?\s(to|in)\s(the\s)?$", re.IGNORECASE)
KO_VISIT = re.compile(r"^\s?(을|를|에)?\s?(국빈\s?|공식\s?|실무\s?)?방문")
KO_IN_KOREA = re.compile(r"방한|訪韓")
NOT_EN_CITY = re.compile(
    r"^(The|This|That|January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Korea|South|"
    r"North|Addition|Particular|Total|Partnership|English|Korean)\b"
)
WEIGHTS = {HEADING: 2.0, LEAD: 2.0, CAPTION: 2.0}


@dataclass
class PlaceFound:
    city_en: str
    city_ko: str
    country: str
    sentence: object
    start: int
    end: int
    score: float

    @property
    def confidence(self):
        return "high" if self.score >= 5 else "medium" if self.score >= 3 else "low"


def known_cities(article):
    """Catalogue cities written in the text, as (start, end, (city_en, city_ko, code))."""
    text, found = article.text, []
    folded = text.casefold()
    for city in article.records.cities.values():
        for name in {city[0], city[1]} - {""}:
            needle = name.casefold()
            position = folded.find(needle)
            while position != -1:
                end = position + len(needle)
                rest = tail_word(text, end)
                if NAMED_AFTER.match(text[end : end + 40]):
                    ok = False
                elif HANGUL.search(name):
                    ok = (
                        word_start(text, position) or BUILDING_BEFORE.search(text[:position])
                    ) and (
                        not rest
                        or rest in PARTICLES
                        or rest[0] in "시군"
                        or rest.startswith(("소재", "에서"))
                        or BUILDING_AFTER.match(rest)
                    )
                else:
                    ok = not re.match(r"\w", text[end : end + 1]) and (
                        position == 0 or not re.match(r"\w", text[position - 1])
                    )
                if ok:
                    found.append((position, end, city))
                position = folded.find(needle, position + 1)
    return found


def tail_word(text, end):
    stop = end
    while stop < len(text) and HANGUL.match(text[stop]):
        stop += 1
    return text[end:stop]


REGIONS = re.compile(
    r"^(Africa|Asia|Europe|Latin America|South America|North America|Central Asia|Middle East|"
    r"Oceania|아프리카|아시아|유럽|중남미|남미|북미|중앙아시아|중동|동남아)$"
)


def place(article, event_sentences, parties, party_countries):
    """The proposed place, or None. `event_sentences` tell the event (its wording, its
    date); `parties` are the proposed catalogue institutions (Proposed); a city the
    catalogue does not know takes the country written beside it, else the one foreign
    party country, else the host's or organiser's."""
    text, candidates = article.text, []
    hits = [(h.start, h.end) for h in article.hits if h.model != COUNTRY]
    dateline = (
        DATELINE.search(text[:300])
        or KO_LINE_DATELINE.search(text[:1200])
        or LINE_DATELINE.search(text[:1200])
    )
    for start, end, (city_en, city_ko, code) in known_cities(article):
        sentence = article.sentence(start)
        if sentence is None or not sentence.telling:
            continue
        if dateline and dateline.start() <= start < dateline.end():
            continue  # where the reporter is; weighed below
        score = scored(article, sentence, start, end, event_sentences) + 0.5
        # The country the text writes just before the city (탄자니아 다르에스살람) wins over
        # the catalogue's, which may come from a body based there for another country.
        code = country_before(article, sentence, start) or code
        candidates.append(PlaceFound(city_en, city_ko, code, sentence, start, end, score))
    known_spans = [(c.start, c.end) for c in candidates]
    for sentence in article.sentences:
        if not sentence.telling:
            continue
        korean = bool(HANGUL.search(sentence.text))
        regex = KO_PLACED if korean else EN_PLACED
        matches = list(regex.finditer(sentence.text))
        if korean:
            matches += list(KO_SITED.finditer(sentence.text))
            matches += [
                m for m in KO_LOCATED.finditer(sentence.text) if after_country(article, sentence, m)
            ]
        for match in matches:
            start, end = sentence.start + match.start("city"), sentence.start + match.end("city")
            city = match["city"]
            if any(s < end and start < e for s, e in hits + known_spans):
                continue
            if (NOT_CITY if korean else NOT_EN_CITY).search(city) or REGIONS.match(city):
                continue
            if not korean and article.index.lookup(city):
                continue
            code = country_near(article, sentence, start)
            # Found by how articles place an event, so placed; but a name nobody has checked.
            score = scored(article, sentence, start, end, event_sentences, placed=True) - 0.5
            candidates.append(
                PlaceFound(
                    "" if korean else city,
                    city if korean else "",
                    code,
                    sentence,
                    start,
                    end,
                    score,
                )
            )
    if dateline:
        city = dateline["city"] or (dateline["en"] or "").title()
        known = article.records.cities.get(compact(city))
        start = dateline.start("city") if dateline["city"] else dateline.start("en")
        sentence = article.sentence(start) or article.sentences[0]
        en, ko, code = known or (
            ("" if HANGUL.search(city) else city),
            (city if HANGUL.search(city) else ""),
            "",
        )
        candidates.append(PlaceFound(en, ko, code, sentence, start, start + len(city), 0.5))
    foreign = [code for code in party_countries if code != "KR"]
    if candidates:
        best = max(candidates, key=lambda c: (c.score, -c.start))
        if best.score >= 2 or not parties:
            if not best.country:
                best.country = (
                    foreign[0] if len(foreign) == 1 else fallback_country(article, parties)
                )
            return best
    # An unnamed place: a body's home city only for an event at home; abroad, the country
    # a visit went to, else the one foreign partner's.
    if not foreign:
        return from_institution(article, parties)
    return (
        visited(article, event_sentences)
        or from_institution(article, parties, (Party.Role.HOST, Party.Role.ORGANISER))
        or partner_country(article, foreign, parties)
    )


def visited(article, event_sentences):
    """The country of the visit the event sentences (else the lead) speak of, as a place
    with no city."""
    telling = [s for s in article.sentences if s in event_sentences] + [
        s for s in article.sentences if s.kind in (HEADING, LEAD, CAPTION)
    ]
    for sentence in telling:
        if sentence is None:
            continue
        for hit in article.hits_of(COUNTRY):
            if hit.ambiguous or not sentence.contains(hit.start):
                continue
            before = article.text[max(0, hit.start - 20) : hit.start]
            after = article.text[hit.end : hit.end + 12]
            if EN_VISIT.search(before) or KO_VISIT.match(after):
                code = article.records.country_code(hit.pk)
                return PlaceFound("", "", code, sentence, hit.start, hit.end, 1.0)
        found = KO_IN_KOREA.search(sentence.text)
        if found:
            start = sentence.start + found.start()
            return PlaceFound("", "", "KR", sentence, start, start + len(found[0]), 1.0)
    return None


def partner_country(article, foreign, parties):
    if len(set(foreign)) != 1:
        return None
    anchor = next(iter(parties), None)
    sentence = anchor.sentence if anchor else article.sentences[0]
    start, end = (anchor.start, anchor.end) if anchor else (sentence.start, sentence.start)
    return PlaceFound("", "", foreign[0], sentence, start, end, 0.5)


def after_country(article, sentence, match):
    start = sentence.start + match.start("city")
    return any(
        h.model == COUNTRY and 0 <= start - h.end <= 1
        for h in article.hits
        if sentence.contains(h.start)
    )


def scored(article, sentence, start, end, event_sentences, placed=False):
    """How surely a city mention is the event's place: by the sentence, and whether the
    words around it place something there (울란바토르에서, in Ottawa)."""
    score = WEIGHTS.get(sentence.kind, 1.0)
    if sentence in event_sentences:
        score += 1.5
    before = article.text[max(0, start - 4) : start]
    after = article.text[end : end + 8]
    if placed or KO_EVENT_AFTER.match(after) or re.search(r"\b(in|at)\s$", before):
        score += 2.0
    return score


def country_near(article, sentence, start):
    """The country written just before a city (몽골 울란바토르, Hanoi, Vietnam)."""
    for hit in article.hits_of(COUNTRY):
        if hit.ambiguous or not sentence.contains(hit.start):
            continue
        if 0 <= start - hit.end <= 2 or 0 <= hit.start - (start + 1) <= 16:
            return article.records.country_code(hit.pk)
    return ""


def country_before(article, sentence, start):
    """The country written immediately before a city, if any."""
    for hit in article.hits_of(COUNTRY):
        if not hit.ambiguous and sentence.contains(hit.start) and 0 <= start - hit.end <= 1:
            return article.records.country_code(hit.pk)
    return ""


def fallback_country(article, parties):
    for role in (Party.Role.HOST, Party.Role.ORGANISER):
        for proposed in parties:
            if proposed.role == role and proposed.key[0] == "institution":
                return article.records.institutions[proposed.key[1]].country
    return ""


def from_institution(
    article, parties, roles=(Party.Role.HOST, Party.Role.ORGANISER, Party.Role.SIGNATORY)
):
    """The host's city, else the organiser's, else nothing: the article does not say."""
    for role in roles:
        for proposed in sorted(parties, key=lambda p: -p.score):
            if proposed.role != role or proposed.key[0] != "institution":
                continue
            record = article.records.institutions[proposed.key[1]]
            if record.city_en or record.city_ko:
                return PlaceFound(
                    record.city_en,
                    record.city_ko,
                    record.country,
                    proposed.sentence,
                    proposed.start,
                    proposed.end,
                    1.0,
                )
    return None


def other_places(article, main):
    """Other catalogue cities the article names where it tells the event: places the
    agreement may involve besides its main one."""
    seen = {compact(main.city_en or main.city_ko)} if main else set()
    for start, end, (city_en, city_ko, code) in sorted(known_cities(article)):
        sentence = article.sentence(start)
        key = compact(city_en or city_ko)
        if sentence is None or not sentence.telling or key in seen:
            continue
        seen.add(key)
        yield {
            "name_en": city_en,
            "name_ko": city_ko,
            "country": code,
            "evidence": sentence.evidence,
            "mention": {"start": start, "end": end},
            "confidence": "low",
        }
