"""Read an article and propose the agreement record: deterministic, offline, read-only.

The pipeline, each step in its own module:

1. text: sentences with offsets, and what part of the page each is (headline, lead,
   caption, note, byline);
2. catalogue: the catalogue's names in the text, through the shared name index;
3. kinds: the kind of event and its wording (the sentence that tells it);
4. dates: every date, resolved against the publication date; the event's is the one
   that stands by the event's wording;
5. parties: countries and institutions with roles (known or new), and people;
6. minerals, figures, places, stages;
7. matching: agreements already recorded that probably report the same event.

`extract()` returns the proposal as plain JSON data (docs/INTAKE.md): every value carries
the sentence it came from (`evidence`, character offsets into the text) and a confidence.
It never writes to the database.
"""

import re

from partners.models import Agreement
from partners.names import current_index

from ..reading import detect_language
from . import dates, figures, kinds, matching, minerals, parties, places
from .article import Article, Records
from .text import CAPTION, HEADING, LEAD

VERSION = 1
BACKGROUND = r"^\s?(부터|이후|이래|준공|설립|완공|당시|에\s?(준공|설립|개원|완공|시작))"
REPORTED = r"^\s?(밝혔|전했|말했|발표했|설명했|알렸|공개했)"


def evidence(sentence):
    return sentence.evidence if sentence is not None else None


def span(start, end):
    return {"start": start, "end": end}


def extract(text, *, published=None, language=None, index=None, records=None):
    """The proposal for one article. `published` is a date when the admin or the page's
    metadata gives it; otherwise the article's own stamp (입력 2025.12.15) is used."""
    index = index or current_index()
    records = records or Records.load()
    language = language or detect_language(text)
    published_evidence = None
    if published is None:
        stamp = dates.publication_date(dates.find(text))
        if stamp is not None:
            published, published_evidence = stamp.value, span(stamp.start, stamp.end)
    article = Article(text, published, language, index, records)
    found_dates = dates.find(text, published)
    kind = kinds.find_kind(article.sentences)
    event_sentence = kind.sentence if kind else None

    event_date = choose_event_date(article, found_dates, kind)
    programme = choose_programme(article, found_dates)
    status, status_sentence = kinds.find_status(
        kind.kind if kind else None,
        event_sentence,
        event_date.value if event_date else None,
        published,
        text,
    )
    kind_value = str(kind.kind) if kind else None
    status = str(status)

    mentions = parties.institution_mentions(article)
    known = parties.institutions(article, mentions, kind_value, event_sentence)
    taken = [(start, end) for _pk, start, end in mentions]
    new = parties.new_institutions(article, kind_value, event_sentence, taken)
    spans = [(start, end, ("institution", pk)) for pk, start, end in mentions]
    spans += [(start, end, p.key) for p in new for start, end in p.values["spans"]]
    spans += [(h.start, h.end, ("country", h.pk)) for h in article.hits_of("country")]
    people = parties.people(article, spans)
    countries = parties.countries(article, event_sentence)

    institution_rows = [institution_row(article, p, people) for p in known + new]
    country_rows = country_rows_for(article, countries, known + new)
    event_sentences = {event_sentence, article.sentence(event_date.start) if event_date else None}
    place = places.place(article, event_sentences, known, [row["code"] for row in country_rows])
    stage_sentences = kinds.find_stages(article.sentences, records.stages)
    recorded = []
    # With no date for the event, the publication date stands in: a report comes out
    # within days of what it reports.
    when = (event_date.value, event_date.precision) if event_date else (published, dates.DAY)
    if when[0] is not None and kind_value:
        recorded = matching.matches(
            text,
            when[0],
            when[1],
            kind_value,
            [p.key[1] for p in known if p.role != "context"],
            [row["code"] for row in country_rows],
        )

    return {
        "version": VERSION,
        "language": language,
        "published": published.isoformat() if published else None,
        "published_evidence": published_evidence,
        "event": {
            "date": event_date.iso if event_date else None,
            "precision": event_date.precision if event_date else None,
            "kind": kind_value,
            "status": status,
            "start": dates.iso(programme.value, programme.precision) if programme else None,
            "end": dates.iso(programme.until, programme.until_precision) if programme else None,
            "evidence": {
                "date": evidence(article.sentence(event_date.start)) if event_date else None,
                "kind": evidence(event_sentence),
                "status": evidence(status_sentence),
                "span": evidence(article.sentence(programme.start)) if programme else None,
            },
            "mention": {
                "date": span(event_date.start, event_date.end) if event_date else None,
                "kind": span(kind.start, kind.end) if kind else None,
            },
            "confidence": {
                "date": date_confidence(event_date, article, kind),
                "kind": ("high" if kind.score >= 4 else "medium") if kind else None,
                "status": "medium" if kind else None,
            },
        },
        "place": place_row(place),
        "places": list(places.other_places(article, place)),
        "countries": country_rows,
        "institutions": institution_rows,
        "people": [person_row(article, p, new) for p in people],
        "minerals": [
            {
                "slug": records.minerals[pk][0],
                "name_en": records.minerals[pk][1],
                "name_ko": records.minerals[pk][2],
                "evidence": sentence.evidence,
                "mention": span(hit.start, hit.end),
                "confidence": "high" if sentence.kind in (HEADING, LEAD, CAPTION) else "medium",
            }
            for pk, sentence, hit in minerals.minerals(article)
        ],
        "figures": [
            {
                "value": figure.plain,
                "unit": figure.unit,
                "unit_ko": figure.unit_ko,
                "label": figure.label,
                "qualifier": figure.qualifier,
                "evidence": sentence.evidence,
                "mention": span(figure.start, figure.end),
                "confidence": "medium" if figure.unit else "low",
            }
            for figure, sentence in figures.figures(article, found_dates)
        ],
        "stages": list(stage_sentences),
        "stage_evidence": {slug: s.evidence for slug, (s, _a, _b) in stage_sentences.items()},
        "stage_mention": {slug: span(a, b) for slug, (_s, a, b) in stage_sentences.items()},
        "matches": [
            {
                "slug": agreement.slug,
                "title_en": agreement.title_en,
                "title_ko": agreement.title_ko,
                "date": agreement.date_display,
                "score": score,
                "reason": reason_text(reasons),
                "reasons": reasons,
                "evidence": evidence(
                    article.sentence(event_date.start) if event_date else event_sentence
                ),
            }
            for agreement, score, reasons in recorded
        ],
    }


def choose_event_date(article, found, kind):
    """The date that stands by the event's wording: in the same sentence as the word that
    names the event if any, in the headline, lead or caption before the body; a day before
    a month before a year; never the article's own stamp; not a date of the background
    (지난 2021년 준공된 …, since 2011)."""
    best, best_score = None, None
    for item in found:
        if item.published_line:
            continue
        sentence = article.sentence(item.start)
        if sentence is None or not sentence.telling:
            continue
        score = {dates.DAY: 3.0, dates.MONTH: 2.0, dates.YEAR: 1.0}[item.precision]
        if item.is_span:
            score -= 1.5
        if kind is not None and sentence is kind.sentence:
            score += 4.0 + max(0.0, 1.0 - abs(item.start - kind.start) / 200)
        elif kinds.EVENT.search(sentence.text):
            score += 1.5
        score += {HEADING: 1.5, LEAD: 2.0, CAPTION: 1.5}.get(sentence.kind, 0.0)
        score -= 0.05 * sentence.index
        if item.weekday_ok is False:
            score -= 1.0
        if re.match(BACKGROUND, article.text[item.end : item.end + 10]):
            score -= 3.0
        if re.match(REPORTED, article.text[item.end : item.end + 12]):
            # "10일 밝혔다" is the day of the announcement; another date in the sentence is
            # the event's.
            others = [
                f for f in found if f is not item and not f.is_span and sentence.contains(f.start)
            ]
            score -= 3.0 if others else 1.0
        if best_score is None or score > best_score:
            best, best_score = item, score
    return best


def choose_programme(article, found):
    """A period the article gives (2023~2027): the programme's start and end."""
    for item in found:
        sentence = article.sentence(item.start)
        if item.is_span and sentence is not None and sentence.telling:
            return item
    return None


def date_confidence(item, article, kind):
    if item is None:
        return None
    if item.weekday_ok is False:
        return "low"
    sentence = article.sentence(item.start)
    in_event = (kind is not None and sentence is kind.sentence) or bool(
        kinds.EVENT.search(sentence.text)
    )
    if item.precision == dates.DAY and in_event:
        return "high"
    return "medium" if in_event or not item.relative else "low"


def institution_row(article, proposed, people):
    kind_of_key, value = proposed.key
    person = next((p for p in people if p.values["institution"] == proposed.key), None)
    representative = (
        {"name": person.values["name"], "title": person.values["title"]} if person else None
    )
    common = {
        "role": str(proposed.role),
        "representative": representative,
        "evidence": proposed.sentence.evidence,
        "mention": span(proposed.start, proposed.end),
        "confidence": proposed.confidence,
    }
    if kind_of_key == "institution":
        record = article.records.institutions[value]
        return {
            "slug": record.slug,
            "name_en": record.name_en,
            "name_ko": record.name_ko,
            "acronym": record.acronym,
            "country": record.country or None,
            "kind": record.kind,
            "new": False,
            **common,
        }
    values = proposed.values
    return {
        "slug": None,
        "name_en": values["name"] if values["language"] == "en" else "",
        "name_ko": values["name"] if values["language"] == "ko" else "",
        "acronym": values["acronym"],
        "country": values["country"] or None,
        "kind": values["kind"],
        "new": True,
        **common,
    }


def country_rows_for(article, countries, institutions):
    """The countries named as parties, then those of the institutions taking part."""
    rows = {}
    for proposed in sorted(countries, key=lambda p: -p.score):
        code = article.records.country_code(proposed.key[1])
        rows[code] = {
            "code": code,
            "name_en": article.records.countries[proposed.key[1]][1],
            "via": None,
            "evidence": proposed.sentence.evidence,
            "mention": span(proposed.start, proposed.end),
            "confidence": proposed.confidence,
        }
    for proposed in institutions:
        if proposed.role == "context":
            continue
        if proposed.key[0] == "institution":
            record = article.records.institutions[proposed.key[1]]
            code, via = record.country, record.slug
        else:
            code, via = proposed.values["country"], proposed.values["name"]
        if not code or code in rows:
            continue
        name = next((n for c, n, _ko in article.records.countries.values() if c == code), code)
        rows[code] = {
            "code": code,
            "name_en": name,
            "via": via,
            "evidence": proposed.sentence.evidence,
            "mention": span(proposed.start, proposed.end),
            "confidence": proposed.confidence,
        }
    return list(rows.values())


def person_row(article, proposed, new):
    """A person, with their institution's slug, or the name of a new one as written."""
    who = proposed.values["institution"]
    institution = None
    if who is not None and who[0] == "institution":
        institution = article.records.institutions[who[1]].slug
    elif who is not None:
        institution = next((p.values["name"] for p in new if p.key == who), None)
    return {
        "name": proposed.values["name"],
        "title": proposed.values["title"],
        "institution": institution,
        "evidence": proposed.sentence.evidence,
        "mention": span(proposed.start, proposed.end),
        "confidence": "high" if institution else "medium",
    }


def place_row(found):
    if found is None:
        return None
    return {
        "city_en": found.city_en,
        "city_ko": found.city_ko,
        "country": found.country or None,
        "evidence": found.sentence.evidence,
        "mention": span(found.start, found.end),
        "confidence": found.confidence,
    }


def reason_text(reasons):
    """One line an admin reads: why this agreement may be the same event."""
    parts = []
    days = reasons["days_apart"]
    parts.append("same day" if days == 0 else f"{days} day{'s' if days != 1 else ''} apart")
    kind_label = Agreement.Kind(reasons["kind"]).label
    parts.append(f"same kind ({kind_label})" if reasons["same_kind"] else f"kind {kind_label}")
    shared = reasons["shared_countries"] + reasons["shared_institutions"]
    if shared:
        parts.append(f"{len(shared)} shared partners")
    parts.append(f"{round(100 * reasons['title_words'])}% of its title's words in the text")
    return "; ".join(parts)
