"""Thin views: a selection from the FilterSet, a queryset method named after the page, a
template. GET never writes."""

from itertools import groupby

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from . import counts, mapsvg
from . import coverage as coverage_table
from . import timeline as timeline_layout
from .facets import facets
from .filters import selection
from .models import Agreement, Country, Institution, Mineral, Party, Revision

PER_PAGE = 25


def page(request, template, context, filterset=None):
    """Render with what every page shows: the selection's filters and the data's age."""
    context.setdefault("filterset", filterset)
    context["active_filters"] = filterset.active() if filterset else []
    context["active_keys"] = {name for name, _label, _value in context["active_filters"]}
    context["data_updated"] = Revision.read().changed_at
    response = render(request, template, context)
    # A refused selection shows its errors, but is never kept by the page cache: any value
    # can be typed, and each would make an entry.
    response.selection_refused = bool(filterset and filterset.is_bound and filterset.errors)
    return response


class CountedPaginator(Paginator):
    """Counted by counts.total, over `selection` (the queryset before its rows' prefetches):
    kept per data revision for the whole record, the selection's ids for the rest."""

    def __init__(self, object_list, per_page, selection=None):
        super().__init__(object_list, per_page)
        self.selection = object_list if selection is None else selection

    @cached_property
    def count(self):
        return counts.total(self.selection)


def paginate(request, queryset, selection=None):
    paginator = CountedPaginator(queryset, PER_PAGE, selection)
    return paginator.get_page(request.GET.get("page"))


def dashboard(request):
    filterset, agreements = selection(request)
    world = mapsvg.for_selection(agreements)
    minerals = counts.mineral_counts(agreements)
    strategic = counts.through_groups(
        counts.ranked(
            Mineral.objects.filter(is_strategic=True).select_related("group"),
            minerals,
            keep_zero=True,
        ),
        counts.mineral_tags(agreements),
    )
    context = {
        "partners": world.partners,
        "map": world,
        "figures": {
            "agreements": counts.total(agreements),
            "partners": len(world.partners),
            "institutions": counts.institution_total(agreements),
            "minerals": Mineral.objects.filter(
                pk__in=[pk for pk, n in minerals.items() if n], kind=Mineral.Kind.ELEMENT
            ).count(),
        },
        "latest": agreements.for_list().order_by("-date", "slug")[:6],
        "strategic": strategic,
    }
    return page(request, "partners/dashboard.html", context, filterset)


def agreement_list(request):
    filterset, agreements = selection(request)
    context = {
        "page_obj": paginate(request, agreements.for_list(), agreements),
        "facets": facets(filterset.without),
        "selection": request.GET,
    }
    return page(request, "partners/agreement_list.html", context, filterset)


def map_page(request):
    filterset, agreements = selection(request)
    world = mapsvg.for_selection(agreements)
    context = {"partners": world.partners, "map": world, "total": counts.total(agreements)}
    return page(request, "partners/map.html", context, filterset)


def timeline(request):
    filterset, agreements = selection(request)
    partners = counts.partner_countries(agreements)
    page_obj = paginate(request, agreements.for_timeline(), agreements)
    layout = timeline_layout.build(
        agreements, partners, _("Korea only"), count=page_obj.paginator.count
    )
    years = [(year, list(items)) for year, items in groupby(page_obj, key=lambda a: a.date.year)]
    context = {"timeline": layout, "page_obj": page_obj, "years": years}
    return page(request, "partners/timeline.html", context, filterset)


def agreement_detail(request, slug):
    agreement = get_object_or_404(Agreement.objects.for_detail(), slug=slug)
    parties = sorted(agreement.parties.all(), key=lambda p: (role_order(p.role), p.order))
    roles = [(role, list(group)) for role, group in groupby(parties, key=lambda p: p.role)]
    labels = dict(Party.Role.choices)
    context = {
        "agreement": agreement,
        "roles": [(labels[role], role, group) for role, group in roles],
        "locator": mapsvg.locator(mapsvg.places_of(agreement, parties)),
    }
    return page(request, "partners/agreement_detail.html", context)


def role_order(role):
    return list(Party.Role.values).index(role)


def hub(request, template, obj, agreements, key, value, extra=None):
    """Country, institution and mineral pages: what Korea does with them, with counts.
    Their facets leave out their own key: a link that replaced it would leave the page."""
    page_obj = paginate(request, agreements.for_list(), agreements)
    context = {
        "object": obj,
        "selection": {key: value},
        "page_obj": page_obj,
        "facets": facets(lambda _key: agreements, omit={key}),
        "total": page_obj.paginator.count,  # counted once, by the paginator
        "aliases": obj.aliases.all(),
        **(extra or {}),
    }
    return page(request, template, context)


def country_detail(request, code):
    country = get_object_or_404(Country, code=code.upper())
    agreements = counts.kept(Agreement.objects.with_country(country), f"country:{country.pk}")
    involved = counts.institution_counts(agreements)
    institutions = sorted(
        counts.with_counts(country.institutions.filter(pk__in=list(involved)), involved),
        key=lambda i: (-i.n_agreements, i.name_en),
    )
    return hub(
        request,
        "partners/country_detail.html",
        country,
        agreements,
        "country",
        country.code,
        {"institutions": institutions},
    )


def institution_detail(request, slug):
    institution = get_object_or_404(
        Institution.objects.select_related("country", "parent"), slug=slug
    )
    return hub(
        request,
        "partners/institution_detail.html",
        institution,
        counts.kept(
            Agreement.objects.with_institution(institution), f"institution:{institution.pk}"
        ),
        "institution",
        institution.slug,
        {"children": institution.children.all()},
    )


def mineral_detail(request, slug):
    mineral = get_object_or_404(Mineral.objects.select_related("group"), slug=slug)
    return hub(
        request,
        "partners/mineral_detail.html",
        mineral,
        counts.kept(Agreement.objects.with_mineral(mineral), f"mineral:{mineral.pk}"),
        "mineral",
        mineral.slug,
        {"members": mineral.members.all()},
    )


def coverage(request):
    filterset, agreements = selection(request)
    context = {"table": coverage_table.build(agreements)}
    return page(request, "partners/coverage.html", context, filterset)


def country_list(request):
    context = {"countries": counts.countries(Agreement.objects.all())}
    return page(request, "partners/country_list.html", context)


def institution_list(request):
    page_obj = paginate(
        request,
        Institution.objects.select_related("country").order_by("country__name_en", "name_en"),
    )
    page_obj.object_list = counts.with_counts(
        page_obj.object_list, counts.institution_counts(Agreement.objects.all())
    )
    return page(request, "partners/institution_list.html", {"page_obj": page_obj})


def mineral_list(request):
    minerals = sorted(
        counts.minerals(Agreement.objects.all(), Mineral.objects.select_related("group")),
        key=lambda m: (not m.is_strategic, not m.is_critical, -m.n_agreements, m.name_en),
    )
    return page(request, "partners/mineral_list.html", {"minerals": minerals})
