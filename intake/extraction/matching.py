"""Is the event already recorded? Agreements that probably report the same event: close in
date, of the same or a neighbouring kind, with the same partners, and with their title's
words in the article."""

import datetime
import re

from django.db.models import Prefetch

from partners.models import Agreement, Party
from partners.names import compact

from .dates import DAY, MONTH

NEIGHBOURS = [
    {"mou", "agreement", "rd-agreement"},
    {"centre", "oda"},
    {"committee", "meeting"},
    {"conference", "meeting"},
]
WINDOW = {DAY: 10, MONTH: 45}  # days either side of the proposed date
SHOW = 0.55  # the score from which a match is proposed
TITLE_WORD = re.compile(r"[가-힣A-Za-z0-9&]{2,}")
COMMON_WORDS = {
    "korea",
    "korean",
    "the",
    "and",
    "for",
    "with",
    "on",
    "of",
    "mou",
    "한국",
    "협력",
    "cooperation",
    "agreement",
}


def candidates(date, precision):
    queryset = Agreement.objects.prefetch_related(
        Prefetch(
            "parties",
            queryset=Party.objects.exclude(role=Party.Role.CONTEXT).select_related(
                "institution__country", "country"
            ),
        )
    ).only("slug", "title_en", "title_ko", "kind", "date", "date_precision")
    if date is None:
        return queryset.none()
    days = WINDOW.get(precision, 400)
    return queryset.filter(
        date__range=(date - datetime.timedelta(days=days), date + datetime.timedelta(days=days))
    )


def title_share(agreement, squeezed):
    """The largest share of an agreement's title words (English or Korean) in the text."""
    best = 0.0
    for title in (agreement.title_en, agreement.title_ko):
        words = {compact(w) for w in TITLE_WORD.findall(title) if w.lower() not in COMMON_WORDS}
        if words:
            best = max(best, sum(1 for w in words if w in squeezed) / len(words))
    return best


def matches(text, date, precision, kind, institutions, countries):
    """[(agreement, score, reasons)] best first. `institutions` and `countries` are the
    proposed parties' catalogue pks and ISO codes."""
    squeezed = compact(text)
    found = []
    for agreement in candidates(date, precision):
        days = abs((agreement.date - date).days)
        closeness = 1.0 if days <= 1 else 0.7 if days <= 3 else 0.4
        same_kind = (
            1.0
            if agreement.kind == kind
            else 0.5
            if any({agreement.kind, kind} <= group for group in NEIGHBOURS)
            else 0.0
        )
        slugs = {
            p.institution_id: p.institution.slug
            for p in agreement.parties.all()
            if p.institution_id
        }
        theirs_institutions = set(slugs)
        theirs_countries = {
            p.home_country.code for p in agreement.parties.all() if p.home_country is not None
        }
        shared_institutions = theirs_institutions & set(institutions)
        shared_countries = theirs_countries & set(countries)
        # Another partner's agreement of the same week (Korea's MOUs with two countries at
        # one summit) is not the same event.
        if (
            (theirs_countries - {"KR"})
            and (set(countries) - {"KR"})
            and not (shared_countries - {"KR"})
        ):
            continue
        union = len(theirs_institutions | set(institutions)) + len(
            theirs_countries | set(countries)
        )
        partners = (len(shared_institutions) + len(shared_countries)) / union if union else 0.0
        title = title_share(agreement, squeezed)
        score = 0.25 * closeness + 0.2 * same_kind + 0.3 * min(1.0, 2 * partners) + 0.25 * title
        if score < SHOW:
            continue
        reasons = {
            "days_apart": days,
            "same_kind": agreement.kind == kind,
            "kind": agreement.kind,
            "shared_institutions": sorted(slugs[pk] for pk in shared_institutions),
            "shared_countries": sorted(shared_countries),
            "title_words": round(title, 2),
        }
        found.append((agreement, round(score, 2), reasons))
    return sorted(found, key=lambda item: -item[1])
