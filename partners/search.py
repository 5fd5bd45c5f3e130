"""Free-text search: what people type, matched against names first and text second.

An agreement matches a query when it matches every term of it. A term matches
- a party named by it: an institution (or the body it is part of) under any name in the name
  index — official names in both languages, acronyms, short forms (산업부, 지자연), former names
  (MOTIE) — or a representative;
- a country the agreement involves, under any of its names (몽골, Mongolia, MN);
- a mineral it names, under any name or variant (몰리브덴), or any member of a group;
- its titles or summaries.

A Korean particle is taken off a term that names nothing with it (몽골의 → 몽골, 포항시와 →
포항시). Names are matched against the small name index in memory, so the database filters
agreements by indexed ids; titles and summaries are scanned once; and the matching ids are
computed once per request, then reused by every query of the page through one parameter.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .models import Agreement, AgreementMineral, Institution, Mineral, Party
from .names import compact, current_index, stems

MAX_TERMS = 5
MAX_TERM_LENGTH = 40
# A term of fewer characters has no trigram for PostgreSQL's indexes to look up (몽골): it
# stays in the one scan of every title and summary.
TRIGRAM = 3


def split_terms(value):
    """The distinct terms of a query, in order (the same word twice is searched once).
    Raises ValidationError, with a message that says what to change, for more than
    MAX_TERMS terms or a term longer than MAX_TERM_LENGTH characters: each term costs a scan
    of every title and summary."""
    terms, seen = [], set()
    for term in value.split():
        key = term.casefold()
        if key not in seen:
            seen.add(key)
            terms.append(term)
    if len(terms) > MAX_TERMS:
        raise ValidationError(
            ngettext_lazy(
                "Search for at most %(limit)d word at a time (this search has %(count)d).",
                "Search for at most %(limit)d words at a time (this search has %(count)d).",
                "limit",
            ),
            code="too_many_terms",
            params={"limit": MAX_TERMS, "count": len(terms)},
        )
    for term in terms:
        if len(term) > MAX_TERM_LENGTH:
            raise ValidationError(
                _("“%(term)s…” is too long for a search word: use at most %(limit)d characters."),
                code="term_too_long",
                params={"term": term[:20], "limit": MAX_TERM_LENGTH},
            )
    return terms


@dataclass
class Term:
    """One search term, resolved against the name index."""

    text: str  # what titles and summaries are searched for
    institutions: set = field(default_factory=set)
    countries: set = field(default_factory=set)
    minerals: set = field(default_factory=set)
    agreements: set = field(default_factory=set)  # through a representative's name

    @classmethod
    def resolve(cls, term, index):
        """The term, or the word without its particle when only that names something."""
        forms = stems(term)
        for form in forms:
            found = cls(
                text=form,
                institutions=index.containing(form, "institution"),
                countries=index.containing(form, "country"),
                minerals=index.containing(form, "mineral"),
                agreements=index.representing(form),
            )
            if found.names_something():
                return found
        return cls(text=forms[-1])

    def names_something(self):
        return bool(self.institutions or self.countries or self.minerals or self.agreements)

    def condition(self):
        """The agreements this term matches, as one condition on agreements."""
        text = (
            Q(title_en__icontains=self.text)
            | Q(title_ko__icontains=self.text)
            | Q(summary_en__icontains=self.text)
            | Q(summary_ko__icontains=self.text)
        )
        if connection.vendor == "postgresql" and len(self.text) >= TRIGRAM:
            # Apart, so that PostgreSQL answers it from its trigram indexes (migration 0008)
            # instead of reading every title and summary.
            text = Q(pk__in=Agreement.objects.filter(text).values("pk"))
        condition = text
        if self.agreements:
            condition |= Q(pk__in_ids=self.agreements)
        if self.institutions:
            # The institutions and their parts (a university's centres).
            family = self.institutions | set(
                Institution.objects.filter(parent__in_ids=self.institutions).values_list(
                    "pk", flat=True
                )
            )
            parties = Party.objects.filter(institution__in_ids=family)
            condition |= Q(pk__in=parties.values("agreement_id"))
        if self.countries:
            partners = Party.objects.partners()
            condition |= (
                Q(country__in_ids=self.countries)
                | Q(pk__in=partners.filter(country__in_ids=self.countries).values("agreement_id"))
                | Q(
                    pk__in=partners.filter(institution__country__in_ids=self.countries).values(
                        "agreement_id"
                    )
                )
            )
        if self.minerals:
            family = self.minerals | set(
                Mineral.objects.filter(group__in_ids=self.minerals).values_list("pk", flat=True)
            )
            links = AgreementMineral.objects.filter(mineral__in_ids=family)
            condition |= Q(pk__in=links.values("agreement_id"))
        return condition


def matching_ids(terms):
    """Ids of the agreements that match every term: one query, however many terms."""
    index = current_index()
    condition = Q()
    for term in terms:
        if compact(term):
            condition &= Term.resolve(term, index).condition()
    return list(Agreement.objects.filter(condition).order_by().values_list("pk", flat=True))
