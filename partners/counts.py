"""Counting across a whole selection of agreements, in the database.

Each function takes a selection (an agreement queryset, usually the FilterSet's) and returns
plain counts or records with `n_agreements`; nothing loads every agreement into Python. A
filtered selection is worked out once per request (`selected_ids`) and its counts read the
ids.

For the whole record (an unfiltered selection), and for the agreements of one country,
institution or mineral (their pages, marked by `kept`), the counts are the same on every page
until the data changes, so they are computed once per data revision and kept in the cache
(`record_wide`): shared by every page, and by every server when the cache is Redis. The
first page that needs them after a change computes them; the others read them.
"""

import hashlib
from functools import wraps

from django.core.cache import caches
from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.db.models.functions import Coalesce

from .models import (
    HOME,
    Agreement,
    AgreementMineral,
    Country,
    Institution,
    Mineral,
    Party,
    Revision,
)
from .sql import Year


def is_everything(agreements):
    """True when `agreements` is every agreement, so counts need no join to the selection."""
    return agreements.model is Agreement and not agreements.query.where


def kept(agreements, name):
    """Mark a selection whose counts are kept per data revision like the whole record's,
    under `name`: a country's, an institution's or a mineral's agreements (their pages)."""
    agreements._kept_as = name
    return agreements


def record_wide(function):
    """Keep `function`'s result for the whole record, or a selection marked by `kept`, per
    data revision (and per its other arguments) in the cache; compute it for any other
    selection."""

    @wraps(function)
    def counted(agreements, *args):
        selection = "all" if is_everything(agreements) else getattr(agreements, "_kept_as", None)
        if selection is None:
            return function(agreements, *args)
        token = Revision.current(agreements.db)
        arguments = hashlib.sha256(repr(args).encode()).hexdigest()[:16]
        key = f"counts:{function.__name__}:{selection}:{arguments}:{token}"
        cache = caches["default"]
        value = cache.get(key)
        if value is None:
            value = function(agreements, *args)
            cache.set(key, value)
        return value

    return counted


def selected_ids(agreements):
    """The ids of a selection, worked out once and kept on the queryset: the counts of a page
    then read them through one parameter (sql.InIds) instead of running the selection's
    subqueries again in each of their queries."""
    ids = getattr(agreements, "_selected_ids", None)
    if ids is None:
        ids = list(agreements.order_by().values_list("pk", flat=True))
        agreements._selected_ids = ids
    return ids


def built_of_subqueries(agreements):
    """Whether the selection holds subqueries (a country, a mineral, an institution, a
    stage): those are worked out once; one made only of conditions on the agreements' own
    columns (years, kind, status, a search's ids) is cheaper run again as a subquery than
    fetched (62,000 ids for "from 2010": 104 ms to pass them, 59 ms to run it again, on
    PostgreSQL at 100,000 agreements). Asked by every count of a page: worked out once per
    selection."""
    answer = getattr(agreements, "_built_of_subqueries", None)
    if answer is None:
        try:
            answer = " IN (SELECT " in str(agreements.query)
        except EmptyResultSet:  # a refused selection selects nothing
            answer = False
        agreements._built_of_subqueries = answer
    return answer


def within(agreements, lookup="agreement"):
    """A filter keeping rows whose `lookup` is in the selection (nothing when it is all)."""
    if is_everything(agreements):
        return Q()
    if built_of_subqueries(agreements):
        return Q(**{f"{lookup}__in_ids": selected_ids(agreements)})
    return Q(**{f"{lookup}__in": agreements.values("pk")})


def narrowed(agreements):
    """The selection, as a filter on its ids when it is built of subqueries."""
    if is_everything(agreements) or not built_of_subqueries(agreements):
        return agreements
    return Agreement.objects.filter(pk__in_ids=selected_ids(agreements))


def ranked(objects, counts, keep_zero=False):
    """The records of `objects` with `n_agreements` read from `counts`, most first, then by
    English name: one more query. Counts are attached in Python; a CASE branch per record
    made SQLite slower than the counting."""
    if not keep_zero:
        objects = objects.filter(pk__in=list(counts))
    rows = list(objects)
    for obj in rows:
        obj.n_agreements = counts.get(obj.pk, 0)
    rows.sort(key=lambda obj: (-obj.n_agreements, obj.name_en))
    return rows


def with_counts(objects, counts):
    """Attach `n_agreements` from a counts dict to the records of one page, in their order."""
    objects = list(objects)
    for obj in objects:
        obj.n_agreements = counts.get(obj.pk, 0)
    return objects


# --- Countries ----------------------------------------------------------------------------


def country_pairs(agreements, year=False):
    """SQL and parameters of the (aid, cid) pairs of the selection, with `year` (of the
    agreement's defining date) as a third column if asked: each agreement with each country
    it involves. This is the rule of `Agreement.involved_countries` in SQL: where it takes
    place, and the country each partner stands for (`PartyQuerySet.homes`).
    Raises EmptyResultSet for an empty selection."""
    by_party = Party.objects.filter(within(agreements)).homes()
    by_place = (
        narrowed(agreements)
        .exclude(country=None)
        .order_by()
        .annotate(aid=models.F("pk"), cid=models.F("country_id"))
    )
    columns = ["aid", "cid"]
    if year:
        by_party = by_party.annotate(year=Year("agreement__date"))
        by_place = by_place.annotate(year=Year("date"))
        columns.append("year")
    by_party, by_place = by_party.values_list(*columns), by_place.values_list(*columns)
    return by_party.union(by_place, all=True).query.sql_with_params()


@record_wide
def country_counts(agreements):
    """{country id: agreements} over `agreements`, in one grouped query; an agreement that
    involves a country in two ways counts once. (A correlated subquery per country took
    minutes at 2,000 agreements on SQLite.)"""
    try:
        sql, params = country_pairs(agreements)
    except EmptyResultSet:
        return {}
    with connections[agreements.db].cursor() as cursor:
        cursor.execute(
            f'SELECT "cid", COUNT(DISTINCT "aid") FROM ({sql}) pairs GROUP BY "cid"', params
        )
        return dict(cursor.fetchall())


def countries(agreements):
    """The countries `agreements` involve, most agreements first, with `n_agreements`."""
    return ranked(Country.objects.all(), country_counts(agreements))


def partner_countries(agreements):
    """Korea's partners (every involved country but Korea), most agreements first."""
    return ranked(Country.objects.exclude(code=HOME), country_counts(agreements))


def involved_codes(agreements):
    """{agreement id: codes of the countries it involves}, from the same pairs as every
    country count: the rows of the timeline's marks, without loading a party."""
    try:
        sql, params = country_pairs(agreements)
    except EmptyResultSet:
        return {}
    codes = {}
    with connections[agreements.db].cursor() as cursor:
        cursor.execute(
            f'SELECT "aid", "code" FROM ({sql}) pairs '
            f'JOIN "{Country._meta.db_table}" ON "{Country._meta.db_table}"."id" = "cid"',
            params,
        )
        for aid, code in cursor.fetchall():
            codes.setdefault(aid, set()).add(code)
    return codes


@record_wide
def country_years(agreements):
    """{(country id, year): agreements} over the selection, from the same pairs as every
    other country count, so that the timeline's yearly circles hold exactly the agreements
    its per-agreement marks draw."""
    try:
        sql, params = country_pairs(agreements, year=True)
    except EmptyResultSet:
        return {}
    with connections[agreements.db].cursor() as cursor:
        cursor.execute(
            f'SELECT "cid", "year", COUNT(DISTINCT "aid") FROM ({sql}) pairs '
            'GROUP BY "cid", "year"',
            params,
        )
        return {(cid, year): n for cid, year, n in cursor.fetchall()}


@record_wide
def home_only_years(agreements):
    """{year: agreements} of the selection's agreements that involve no country but Korea
    (the timeline's "Korea only" row): no partner standing for another country, and not
    held abroad. An anti-join (NOT EXISTS): PostgreSQL runs `NOT IN (subquery)` over half a
    million parties once per agreement, which took minutes at 100,000 agreements."""
    abroad = Country.objects.exclude(code=HOME).values("pk")
    partner_abroad = Party.objects.homes().filter(agreement=OuterRef("pk"), cid__in=abroad)
    return dict(
        narrowed(agreements)
        .exclude(Exists(partner_abroad))
        .exclude(country__in=abroad)
        .order_by()
        .values(year=Year("date"))
        .annotate(n=Count("pk"))
        .values_list("year", "n")
    )


# --- Minerals -----------------------------------------------------------------------------


def years_only(agreements):
    """(first, last) year when the selection is only a year range (filters.py marks it so),
    else None: its mineral counts are then summed from the record's counts per year."""
    return getattr(agreements, "_years", None)


def summed(per_year, years, part):
    """{row: n} of the years in `years` (first, last; either may be None)."""
    first, last = years
    total = {}
    for year, parts in per_year.items():
        if (first is None or year >= first) and (last is None or year <= last):
            for row, n in parts[part].items():
                total[row] = total.get(row, 0) + n
    return total


@record_wide
def mineral_tags(agreements):
    """{mineral id: agreements that name it themselves} (a group: those naming the group)."""
    if years := years_only(agreements):
        return summed(mineral_years(Agreement.objects.all()), years, "tags")
    return dict(
        AgreementMineral.objects.filter(within(agreements))
        .order_by()
        .values("mineral_id")
        # An agreement names a mineral once (agreement_mineral_once): no DISTINCT to sort.
        .annotate(n=Count("pk"))
        .values_list("mineral_id", "n")
    )


def group_links(links):
    """The links of a group or of its members, each with `row`: the group's id."""
    groups = Mineral.objects.filter(kind=Mineral.Kind.GROUP).values_list("pk", flat=True)
    return links.filter(Q(mineral_id__in=groups) | Q(mineral__group_id__in=groups)).annotate(
        row=Coalesce("mineral__group_id", "mineral_id")
    )


@record_wide
def mineral_counts(agreements):
    """{mineral id: agreements}: an element counts the agreements that name it; a group
    counts those that name it or any member (distinct agreements, two grouped queries)."""
    counts = dict(mineral_tags(agreements))
    if years := years_only(agreements):
        counts.update(summed(mineral_years(Agreement.objects.all()), years, "groups"))
        return counts
    links = AgreementMineral.objects.filter(within(agreements)).order_by()
    rolled = (
        group_links(links)
        .values("row")
        .annotate(n=Count("agreement", distinct=True))
        .values_list("row", "n")
    )
    counts.update(dict(rolled))
    return counts


@record_wide
def mineral_years(agreements):
    """{year: {"tags": {mineral id: n}, "groups": {group id: n}}} of the whole record, kept
    per data revision: a selection of years only (`?year_from=2010`, and every facet of
    minerals over one) sums it instead of counting its agreements. Sums are exact: an
    agreement has one year, so agreements distinct within each year are distinct across them."""
    links = AgreementMineral.objects.filter(within(agreements), agreement__date__isnull=False)
    links = links.order_by().annotate(year=Year("agreement__date"))
    per_year = {}
    for year, mineral, n in (
        links.values("year", "mineral_id")
        .annotate(n=Count("pk"))
        .values_list("year", "mineral_id", "n")
    ):
        per_year.setdefault(year, {"tags": {}, "groups": {}})["tags"][mineral] = n
    rolled = group_links(links).values("year", "row")
    for year, group, n in rolled.annotate(n=Count("agreement", distinct=True)).values_list(
        "year", "row", "n"
    ):
        per_year.setdefault(year, {"tags": {}, "groups": {}})["groups"][group] = n
    return per_year


def through_groups(minerals, tags):
    """Set `via_group` on each element of `minerals` that belongs to a group: how many
    agreements name the group itself (rare earths) rather than the element (neodymium)."""
    for mineral in minerals:
        mineral.via_group = tags.get(mineral.group_id, 0) if mineral.group_id else 0
    return minerals


def minerals(agreements, queryset=None):
    """Every mineral (of `queryset`) with `n_agreements`, zero included, most first."""
    return ranked(
        Mineral.objects.all() if queryset is None else queryset,
        mineral_counts(agreements),
        keep_zero=True,
    )


# --- Institutions -------------------------------------------------------------------------


def partner_parties(agreements):
    """The parties of the selection that name an institution as a partner."""
    return Party.objects.filter(within(agreements), institution__isnull=False).partners()


@record_wide
def institution_counts(agreements):
    """{institution id: agreements}: an institution counts its own agreements and, when it
    has parts (a university's centres), theirs too."""
    parties = partner_parties(agreements).order_by()
    counts = dict(
        parties.values("institution_id")
        .annotate(n=Count("agreement", distinct=True))
        .values_list("institution_id", "n")
    )
    parents = dict(
        parties.exclude(institution__parent=None)
        .values("institution__parent_id")
        .annotate(n=Count("agreement", distinct=True))
        .values_list("institution__parent_id", "n")
    )
    if parents:
        rolled = dict(
            parties.filter(
                Q(institution_id__in=list(parents)) | Q(institution__parent_id__in=list(parents))
            )
            .values(row=Coalesce("institution__parent_id", "institution_id"))
            .annotate(n=Count("agreement", distinct=True))
            .values_list("row", "n")
        )
        counts.update(rolled)
    return counts


@record_wide
def institution_total(agreements):
    """How many institutions `institution_counts` would list, in one query: those named
    as parties, and the bodies they are part of."""
    parties = partner_parties(agreements).order_by()
    own = parties.values_list("institution_id")
    parents = parties.filter(institution__parent__isnull=False).values_list(
        "institution__parent_id"
    )
    return own.union(parents).count()


@record_wide
def top_institutions(agreements, limit, located):
    """{institution id: agreements} of the `limit` institutions with the most agreements in
    the selection (their own, not their parts'); `located`: only those with a point."""
    parties = partner_parties(agreements)
    if located:
        parties = parties.filter(institution__latitude__isnull=False)
    return dict(
        parties.order_by()
        .values("institution_id")
        .annotate(n=Count("agreement", distinct=True))
        .order_by("-n", "institution_id")
        .values_list("institution_id", "n")[:limit]
    )


def most_involved(agreements, limit, located=False):
    """Those institutions as records, most first, each with `n_agreements`."""
    return ranked(Institution.objects.all(), top_institutions(agreements, limit, located))


# --- The selection itself -----------------------------------------------------------------


@record_wide
def total(agreements):
    if is_everything(agreements) or not built_of_subqueries(agreements):
        return agreements.count()
    return len(selected_ids(agreements))


@record_wide
def year_range(agreements):
    """First and last years of the defining dates, and of programme starts and ends.
    (Minimum and maximum of the dates, then their years: extracting a year from every
    row is a Python function call per row on SQLite.)"""
    bounds = (
        narrowed(agreements)
        .order_by()
        .aggregate(
            first=Min("date"), last=Max("date"), start=Min("start_date"), end=Max("end_date")
        )
    )
    return {key: day.year if day else None for key, day in bounds.items()}


def per_value(agreements, field):
    selection = narrowed(agreements).order_by()
    return dict(selection.values(field).annotate(n=Count("pk")).values_list(field, "n"))


@record_wide
def kind_counts(agreements):
    """{kind: agreements}."""
    return per_value(agreements, "kind")


@record_wide
def status_counts(agreements):
    """{status: agreements}."""
    return per_value(agreements, "status")


@record_wide
def stage_counts(agreements):
    """{stage id: agreements}, counted on the agreement–stage links in one grouped pass."""
    return dict(
        Agreement.stages.through.objects.filter(within(agreements))
        .values("stage_id")
        .annotate(n=Count("agreement_id"))
        .values_list("stage_id", "n")
    )
