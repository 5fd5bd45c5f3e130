"""One queryset method per page, so each page's queries live in one named place.

Pages take an agreement selection (the FilterSet's queryset) and ask these methods for what
they show; the counting happens in the database, never by loading every row into Python.
"""

from django.db import models
from django.db.models import Count, Max, Min, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, ExtractYear

HOME = "KR"  # The dashboard is about Korea's partners; Korea itself is the centre of the map.

# Roles that make a country or institution a partner. Bodies "named in context" are shown on
# an agreement's page but are not counted as partners anywhere.
PARTNER_ROLES_EXCLUDED = ("context",)


def party_country_expression(prefix=""):
    """The country a party stands for: its own, else its institution's."""
    return Coalesce(f"{prefix}country_id", f"{prefix}institution__country_id")


class AgreementQuerySet(models.QuerySet):
    def with_mineral(self, mineral):
        """Agreements naming `mineral`, or any member of it when it is a group."""
        from .models import AgreementMineral

        links = AgreementMineral.objects.filter(Q(mineral=mineral) | Q(mineral__group=mineral))
        return self.filter(pk__in=links.values("agreement_id"))

    def with_country(self, country):
        """Agreements that involve `country`: held there, or with it or one of its
        institutions as a party (not one named only in context)."""
        from .models import Party

        parties = Party.objects.exclude(role__in=PARTNER_ROLES_EXCLUDED).filter(
            Q(country=country) | Q(institution__country=country)
        )
        return self.filter(Q(country=country) | Q(pk__in=parties.values("agreement_id")))

    def with_institution(self, institution):
        """Agreements where `institution` or one of its parts is named."""
        from .models import Party

        parties = Party.objects.filter(
            Q(institution=institution) | Q(institution__parent=institution)
        )
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
        """Rows of the agreement list and the exports.

        Preloads the place's country, the parties (not those named only in context) with
        their institutions and countries, and the minerals: three queries in all.
        """
        return self._summary_prefetches().prefetch_related("stages")

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
        return self.aggregate(first=Min(ExtractYear("date")), last=Max(ExtractYear("date")))


class CountryQuerySet(models.QuerySet):
    def with_agreement_counts(self, agreements):
        """Countries involved in `agreements`, each with `n_agreements`, counted in the
        database: a country is involved when the agreement takes place there, or when it
        or one of its institutions is a party (other than one named only in context)."""
        from .models import Agreement, Party

        party_agreements = (
            Party.objects.exclude(role__in=PARTNER_ROLES_EXCLUDED)
            .annotate(cid=party_country_expression())
            .filter(cid=OuterRef(OuterRef("pk")))
            .values("agreement_id")
        )
        counts = (
            Agreement.objects.filter(pk__in=agreements.values("pk"))
            .filter(Q(country=OuterRef("pk")) | Q(pk__in=party_agreements))
            .order_by()
            .values(one=models.Value(1))
            .annotate(n=Count("pk", distinct=True))
            .values("n")
        )
        return self.annotate(n_agreements=Coalesce(Subquery(counts), 0)).filter(n_agreements__gt=0)

    def partners(self, agreements):
        """Partner countries (all but Korea) of `agreements`, most agreements first."""
        return (
            self.with_agreement_counts(agreements)
            .exclude(code=HOME)
            .order_by("-n_agreements", "name_en")
        )


class MineralQuerySet(models.QuerySet):
    def with_agreement_counts(self, agreements):
        """Each mineral with `n_agreements`: agreements that name it or, for a group, any of
        its members."""
        from .models import AgreementMineral

        counts = (
            AgreementMineral.objects.filter(agreement__in=agreements.values("pk"))
            .filter(Q(mineral=OuterRef("pk")) | Q(mineral__group=OuterRef("pk")))
            .values(dummy=models.Value(1))
            .annotate(n=Count("agreement", distinct=True))
            .values("n")
        )
        return self.annotate(n_agreements=Coalesce(Subquery(counts), 0))


class InstitutionQuerySet(models.QuerySet):
    def with_agreement_counts(self, agreements):
        from .models import Party

        counts = (
            Party.objects.filter(agreement__in=agreements.values("pk"))
            .exclude(role__in=PARTNER_ROLES_EXCLUDED)
            .filter(Q(institution=OuterRef("pk")) | Q(institution__parent=OuterRef("pk")))
            .values(dummy=models.Value(1))
            .annotate(n=Count("agreement", distinct=True))
            .values("n")
        )
        return self.annotate(n_agreements=Coalesce(Subquery(counts), 0))


__all__ = ["AgreementQuerySet", "CountryQuerySet", "InstitutionQuerySet", "MineralQuerySet"]
