"""One queryset method per page, so each page's queries live in one named place.

Pages take an agreement selection (the FilterSet's queryset) and ask these methods for what
they show; the counting happens in the database, never by loading every row into Python.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models import Count, Max, Min, Prefetch, Q
from django.db.models.functions import Cast, Coalesce, Concat, LPad

HOME = "KR"  # The dashboard is about Korea's partners; Korea itself is the centre of the map.

# Roles that make a country or institution a partner. Bodies "named in context" are shown on
# an agreement's page but are not counted as partners anywhere.
PARTNER_ROLES_EXCLUDED = ("context",)


class Year(models.Func):
    """The year of a date as an integer, in SQL on every database: Django's ExtractYear is
    a Python function called per row on SQLite, which made yearly counts slow there."""

    template = "CAST(EXTRACT(YEAR FROM %(expressions)s) AS INTEGER)"
    output_field = models.IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="CAST(strftime('%%%%Y', %(expressions)s) AS INTEGER)"
        )


SEPARATOR = "\x1f"  # between the items joined into one column (ASCII unit separator)
KEY = "\x1e"  # between an item's sort key and its value (ASCII record separator)


class Joined(models.Aggregate):
    """The strings of a group joined with SEPARATOR, in the database: GROUP_CONCAT on
    SQLite, STRING_AGG on PostgreSQL. Order is not guaranteed; items carry their sort key."""

    function = "GROUP_CONCAT"
    output_field = models.TextField()

    def __init__(self, expression, **extra):
        super().__init__(expression, models.Value(SEPARATOR), **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="STRING_AGG", **extra)


def joined(queryset, *parts):
    """A correlated subquery joining, per agreement, `parts` (concatenated) of the rows of
    `queryset` (which has an `agreement` foreign key) into one string."""
    return models.Subquery(
        queryset.filter(agreement=models.OuterRef("pk"))
        .order_by()
        .values("agreement")
        .annotate(items=Joined(Concat(*parts, output_field=models.TextField())))
        .values("items")
    )


def padded(field, width=12):
    return LPad(Cast(field, models.CharField()), width, models.Value("0"))


def is_everything(agreements):
    """True when `agreements` is every agreement, so counts need no join to the selection."""
    return agreements.model._meta.model_name == "agreement" and not agreements.query.where


def within(agreements, lookup="agreement"):
    """A filter keeping rows whose `lookup` is in the selection (nothing when it is all)."""
    if is_everything(agreements):
        return Q()
    return Q(**{f"{lookup}__in": agreements.values("pk")})


def party_country_expression(prefix=""):
    """The country a party stands for: its own, else its institution's."""
    return Coalesce(f"{prefix}country_id", f"{prefix}institution__country_id")


class AgreementQuerySet(models.QuerySet):
    # The filters below name the matching ids in an indexed subquery (`field IN (SELECT id
    # ...)`) rather than OR-ing conditions across a join, which made SQLite scan every
    # party or mineral tag for every selection.

    def with_mineral(self, mineral):
        """Agreements naming `mineral`, or any member of it when it is a group."""
        from .models import AgreementMineral, Mineral

        family = Mineral.objects.filter(Q(pk=mineral.pk) | Q(group=mineral.pk)).values("pk")
        links = AgreementMineral.objects.filter(mineral__in=family)
        return self.filter(pk__in=links.values("agreement_id"))

    def with_country(self, country):
        """Agreements that involve `country`: held there, or with it or one of its
        institutions as a party (not one named only in context)."""
        from .models import Institution, Party

        partners = Party.objects.exclude(role__in=PARTNER_ROLES_EXCLUDED)
        institutions = Institution.objects.filter(country=country.pk).values("pk")
        return self.filter(
            Q(country=country.pk)
            | Q(pk__in=partners.filter(country=country.pk).values("agreement_id"))
            | Q(pk__in=partners.filter(institution__in=institutions).values("agreement_id"))
        )

    def with_institution(self, institution):
        """Agreements where `institution` or one of its parts is named."""
        from .models import Institution, Party

        family = Institution.objects.filter(Q(pk=institution.pk) | Q(parent=institution.pk)).values(
            "pk"
        )
        parties = Party.objects.filter(institution__in=family)
        return self.filter(pk__in=parties.values("agreement_id"))

    def _summary_prefetches(self):
        from .models import AgreementMineral, Party

        return self.select_related("country").prefetch_related(
            Prefetch(
                "parties",
                queryset=Party.objects.exclude(role__in=PARTNER_ROLES_EXCLUDED).select_related(
                    "institution__country", "country"
                ),
                to_attr="partner_parties",
            ),
            Prefetch(
                "mineral_links",
                queryset=AgreementMineral.objects.select_related("mineral").order_by(
                    "mineral__name_en"
                ),
            ),
        )

    def for_list(self):
        """Rows of the agreement list and the country, institution and mineral pages.

        Preloads the place's country, the parties (not those named only in context) with
        their institutions and countries, and the minerals: three queries in all.
        """
        return self._summary_prefetches()

    def for_export(self):
        """Rows of the CSV and JSON exports in one query, however many: the parties,
        minerals, stages and sources of each agreement come as ids joined into one column
        each, read against small lookup tables (`exports.ExportLookups`), so the export streams
        from a server-side cursor with bounded memory and a constant number of queries.
        The joined columns touch only the link tables through their agreement index: joins
        to names inside the per-row subqueries made PostgreSQL hash whole tables per row."""
        from .models import AgreementMineral, AgreementSource, Party

        V = models.Value
        return self.select_related("country").annotate(
            export_parties=joined(
                Party.objects.exclude(role__in=PARTNER_ROLES_EXCLUDED),
                padded("order", 5),
                padded("pk"),
                V(KEY),
                Coalesce(Cast("institution_id", models.CharField()), V("")),
                V(":"),
                Coalesce(Cast("country_id", models.CharField()), V("")),
                V(":"),
                "role",
            ),
            export_minerals=joined(AgreementMineral.objects.all(), V(KEY), "mineral_id"),
            export_stages=joined(self.model.stages.through.objects.all(), V(KEY), "stage_id"),
            export_sources=joined(AgreementSource.objects.all(), padded("pk"), V(KEY), "source_id"),
        )

    def for_timeline(self):
        """Agreements with what the timeline draws: parties (for grouping by partner country)
        and milestones, in date order."""
        return self._summary_prefetches().prefetch_related("milestones").order_by("date", "slug")

    def for_detail(self):
        """One agreement's page: parties grouped by role with their institutions, minerals
        with their groups, stages, milestones, key figures, places, sources, parent, children
        and related agreements, each in one query."""
        from .models import AgreementMineral, AgreementSource, Party, Place

        return self.select_related("country", "parent").prefetch_related(
            Prefetch(
                "parties",
                queryset=Party.objects.select_related(
                    "institution__country", "institution__parent", "country"
                ),
            ),
            Prefetch(
                "mineral_links",
                queryset=AgreementMineral.objects.select_related("mineral__group"),
            ),
            Prefetch("source_links", queryset=AgreementSource.objects.select_related("source")),
            "stages",
            "milestones",
            "key_figures",
            Prefetch("places", queryset=Place.objects.select_related("country")),
            "children",
            "related",
        )

    def year_range(self):
        """First and last years of the defining dates, and of programme starts and ends.
        (Minimum and maximum of the dates, then their years: extracting a year from every
        row is a Python function call per row on SQLite.)"""
        bounds = self.order_by().aggregate(
            first=Min("date"), last=Max("date"), start=Min("start_date"), end=Max("end_date")
        )
        return {key: day.year if day else None for key, day in bounds.items()}


def ranked(objects, counts, keep_zero=False):
    """The records of `objects` with `n_agreements` read from `counts` (computed by the
    grouped queries below), most first, then by English name: one more query. Counts are
    attached in Python; a CASE branch per record made SQLite slower than the counting."""
    if not keep_zero:
        objects = objects.filter(pk__in=list(counts))
    rows = list(objects)
    for obj in rows:
        obj.n_agreements = counts.get(obj.pk, 0)
    rows.sort(key=lambda obj: (-obj.n_agreements, obj.name_en))
    return rows


def country_pairs(agreements):
    """SQL and parameters of the (aid, cid) pairs of the selection: each agreement with
    each country it involves, held there or a party (or a party's institution) of it,
    other than one named only in context. Raises EmptyResultSet for an empty selection."""
    from .models import Party

    by_party = (
        Party.objects.filter(within(agreements))
        .exclude(role__in=PARTNER_ROLES_EXCLUDED)
        .annotate(aid=models.F("agreement_id"), cid=party_country_expression())
        .exclude(cid=None)
        .order_by()
        .values_list("aid", "cid")
    )
    by_place = (
        agreements.exclude(country=None)
        .order_by()
        .annotate(aid=models.F("pk"), cid=models.F("country_id"))
        .values_list("aid", "cid")
    )
    return by_party.union(by_place, all=True).query.sql_with_params()


def country_counts(agreements):
    """{country id: agreements} over `agreements`, in one grouped query.

    A country is involved when the agreement takes place there, or when it or one of its
    institutions is a party; an agreement counted both ways is counted once: the pairs of
    both kinds are joined with UNION ALL and counted distinct, grouped, in the database.
    (A correlated subquery per country took minutes at 2,000 agreements on SQLite.)
    """
    try:
        sql, params = country_pairs(agreements)
    except EmptyResultSet:
        return {}
    with connections[agreements.db].cursor() as cursor:
        cursor.execute(
            f'SELECT "cid", COUNT(DISTINCT "aid") FROM ({sql}) pairs GROUP BY "cid"', params
        )
        return dict(cursor.fetchall())


def mineral_counts(agreements):
    """{mineral id: agreements}: an element counts the agreements that name it; a group
    counts those that name it or any member (distinct agreements, two grouped queries)."""
    from .models import AgreementMineral

    links = AgreementMineral.objects.filter(within(agreements)).order_by()
    direct = dict(
        links.values("mineral_id")
        .annotate(n=Count("agreement", distinct=True))
        .values_list("mineral_id", "n")
    )
    rolled = dict(
        links.values(row=Coalesce("mineral__group_id", "mineral_id"))
        .annotate(n=Count("agreement", distinct=True))
        .values_list("row", "n")
    )
    # Rolled-up rows keyed by a group's id are the group's counts; for elements that belong
    # to a group, only the direct count is theirs.
    counts = dict(direct)
    groups = set(links.exclude(mineral__group=None).values_list("mineral__group_id", flat=True))
    for pk in groups:
        counts[pk] = rolled.get(pk, 0)
    return counts


def institution_counts(agreements):
    """{institution id: agreements}: an institution counts its own agreements and, when it
    has parts (a university's centres), theirs too."""
    from .models import Party

    parties = (
        Party.objects.filter(within(agreements))
        .exclude(role__in=PARTNER_ROLES_EXCLUDED)
        .exclude(institution=None)
        .order_by()
    )
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


def institution_total(agreements):
    """How many institutions `institution_counts` would list, in one query: those named
    as parties, and the bodies they are part of."""
    from .models import Party

    parties = (
        Party.objects.filter(within(agreements), institution__isnull=False)
        .exclude(role__in=PARTNER_ROLES_EXCLUDED)
        .order_by()
    )
    own = parties.values_list("institution_id")
    parents = parties.filter(institution__parent__isnull=False).values_list(
        "institution__parent_id"
    )
    return own.union(parents).count()


class CountryQuerySet(models.QuerySet):
    def with_agreement_counts(self, agreements):
        """Countries involved in `agreements` as a list, most agreements first, each with
        `n_agreements` (see country_counts)."""
        return ranked(self, country_counts(agreements))

    def partners(self, agreements):
        """Partner countries (all but Korea) of `agreements`, most agreements first."""
        return self.exclude(code=HOME).with_agreement_counts(agreements)


class MineralQuerySet(models.QuerySet):
    def with_agreement_counts(self, agreements):
        """Every mineral as a list, with `n_agreements` (see mineral_counts), zero included,
        most agreements first."""
        return ranked(self, mineral_counts(agreements), keep_zero=True)


class InstitutionQuerySet(models.QuerySet):
    def most_involved(self, agreements, limit, located=False):
        """The `limit` institutions with the most agreements in the selection (their own,
        not their parts'), most first, each with `n_agreements`; `located` keeps those
        with a point on the map. Two queries: a grouped count of parties, then the rows."""
        from .models import Party

        parties = Party.objects.filter(within(agreements), institution__isnull=False).exclude(
            role__in=PARTNER_ROLES_EXCLUDED
        )
        if located:
            parties = parties.filter(institution__latitude__isnull=False)
        top = dict(
            parties.order_by()
            .values("institution_id")
            .annotate(n=Count("agreement", distinct=True))
            .order_by("-n", "institution_id")
            .values_list("institution_id", "n")[:limit]
        )
        return ranked(self, top)


__all__ = ["AgreementQuerySet", "CountryQuerySet", "InstitutionQuerySet", "MineralQuerySet"]
