"""Thin views: a selection from the FilterSet, a queryset method named after the page, a
template. GET never writes."""

from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from . import coverage as coverage_table
from . import mapsvg
from . import timeline as timeline_layout
from .filters import selection
from .models import Agreement, Country, Institution, Mineral, Party, Stage
from .querysets import (
    HOME,
    institution_counts,
    institution_total,
    mineral_counts,
    ranked,
    within,
)

PER_PAGE = 25


def page(request, template, context, filterset=None):
    """Render with what every page shows: the selection's filters and the data's age."""
    context.setdefault("filterset", filterset)
    context["active_filters"] = filterset.active() if filterset else []
    context["data_updated"] = Agreement.objects.aggregate(at=Max("updated_at"))["at"]
    return render(request, template, context)


def paginate(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


MAP_POINTS = 60  # institutions drawn on the map: the most involved in the selection


def partner_map(agreements):
    partners = list(Country.objects.partners(agreements))
    institutions = Institution.objects.most_involved(agreements, MAP_POINTS, located=True)
    by_numeric = {
        c.numeric: c
        for c in Country.objects.only(
            "code", "numeric", "name_en", "name_ko", "latitude", "longitude"
        )
    }
    return partners, mapsvg.build(partners, institutions, by_numeric, MAP_POINTS)


def dashboard(request):
    filterset, agreements = selection(request)
    partners, world = partner_map(agreements)
    minerals = mineral_counts(agreements)
    strategic = ranked(Mineral.objects.filter(is_strategic=True), minerals, keep_zero=True)
    context = {
        "partners": partners,
        "map": world,
        "figures": {
            "agreements": agreements.count(),
            "partners": len(partners),
            "institutions": institution_total(agreements),
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
        "page_obj": paginate(request, agreements.for_list()),
        "facets": facets(agreements),
    }
    return page(request, "partners/agreement_list.html", context, filterset)


def facets(agreements):
    """Counts of what each choice would leave, within the current selection, as
    (parameter, heading, [(value, label, count)]) groups."""
    kinds = dict(Agreement.Kind.choices)
    statuses = dict(Agreement.Status.choices)
    by_kind = agreements.order_by().values("kind").annotate(n=Count("pk")).order_by("-n", "kind")
    by_status = (
        agreements.order_by().values("status").annotate(n=Count("pk")).order_by("-n", "status")
    )
    # Counted on the agreement–stage links, grouped: one pass over the selection's links.
    staged = dict(
        Agreement.stages.through.objects.filter(within(agreements))
        .values("stage_id")
        .annotate(n=Count("agreement_id"))
        .values_list("stage_id", "n")
    )
    stages = sorted(
        Stage.objects.filter(pk__in=list(staged)), key=lambda s: (-staged[s.pk], s.order)
    )
    minerals = [m for m in Mineral.objects.with_agreement_counts(agreements) if m.n_agreements]
    countries = Country.objects.with_agreement_counts(agreements)
    groups = [
        ("country", _("Countries"), [(c.code, c.name, c.n_agreements) for c in countries[:15]]),
        ("mineral", _("Minerals"), [(m.slug, m.name, m.n_agreements) for m in minerals[:15]]),
        ("kind", _("Kinds"), [(r["kind"], kinds[r["kind"]], r["n"]) for r in by_kind]),
        ("stage", _("Value-chain stages"), [(s.slug, s.name, staged[s.pk]) for s in stages]),
        ("status", _("Status"), [(r["status"], statuses[r["status"]], r["n"]) for r in by_status]),
    ]
    return [group for group in groups if group[2]]


def map_page(request):
    filterset, agreements = selection(request)
    partners, world = partner_map(agreements)
    context = {"partners": partners, "map": world, "total": agreements.count()}
    return page(request, "partners/map.html", context, filterset)


def timeline(request):
    filterset, agreements = selection(request)
    partners = list(Country.objects.partners(agreements))
    layout = timeline_layout.build(agreements, partners, _("Korea only"))
    page_obj = paginate(request, agreements.for_timeline())
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
        "locator": mapsvg.locator(places_of(agreement, parties)),
    }
    return page(request, "partners/agreement_detail.html", context)


def role_order(role):
    return list(Party.Role.values).index(role)


def places_of(agreement, parties):
    places = []
    if agreement.has_point:
        places.append(
            {
                "label": agreement.city or agreement.title,
                "lat": agreement.latitude,
                "lon": agreement.longitude,
                "main": True,
            }
        )
    places += [
        {"label": p.name, "lat": p.latitude, "lon": p.longitude, "main": False}
        for p in agreement.places.all()
        if p.has_point
    ]
    seen = {(p["lat"], p["lon"]) for p in places}
    for party in parties:
        institution = party.institution
        if party.role != "context" and institution and institution.has_point:
            key = (institution.latitude, institution.longitude)
            if key not in seen:
                seen.add(key)
                places.append(
                    {"label": institution.name, "lat": key[0], "lon": key[1], "main": False}
                )
    return places


def hub(request, template, obj, agreements, param, extra=None):
    """Country, institution and mineral pages: what Korea does with them, with counts."""
    page_obj = paginate(request, agreements.for_list())
    context = {
        "object": obj,
        "param": param,
        "page_obj": page_obj,
        "facets": facets(agreements),
        "total": page_obj.paginator.count,  # counted once, by the paginator
        "aliases": obj.aliases.all(),
        **(extra or {}),
    }
    return page(request, template, context)


def country_detail(request, code):
    country = get_object_or_404(Country, code=code.upper())
    agreements = Agreement.objects.with_country(country)
    counts = institution_counts(agreements)
    institutions = sorted(
        with_counts(country.institutions.filter(pk__in=list(counts)), counts),
        key=lambda i: (-i.n_agreements, i.name_en),
    )
    return hub(
        request,
        "partners/country_detail.html",
        country,
        agreements,
        f"country={country.code}",
        {"institutions": institutions, "is_home": country.code == HOME},
    )


def institution_detail(request, slug):
    institution = get_object_or_404(
        Institution.objects.select_related("country", "parent"), slug=slug
    )
    agreements = Agreement.objects.with_institution(institution)
    return hub(
        request,
        "partners/institution_detail.html",
        institution,
        agreements,
        f"institution={institution.slug}",
        {"children": institution.children.all()},
    )


def mineral_detail(request, slug):
    mineral = get_object_or_404(Mineral.objects.select_related("group"), slug=slug)
    agreements = Agreement.objects.with_mineral(mineral)
    return hub(
        request,
        "partners/mineral_detail.html",
        mineral,
        agreements,
        f"mineral={mineral.slug}",
        {"members": mineral.members.all()},
    )


def coverage(request):
    filterset, agreements = selection(request)
    context = {"table": coverage_table.build(agreements)}
    return page(request, "partners/coverage.html", context, filterset)


def country_list(request):
    countries = Country.objects.with_agreement_counts(Agreement.objects.all())
    return page(request, "partners/country_list.html", {"countries": countries})


def with_counts(objects, counts):
    """Attach `n_agreements` from a counts dict to the records of one page."""
    objects = list(objects)
    for obj in objects:
        obj.n_agreements = counts.get(obj.pk, 0)
    return objects


def institution_list(request):
    page_obj = paginate(
        request,
        Institution.objects.select_related("country").order_by("country__name_en", "name_en"),
    )
    page_obj.object_list = with_counts(
        page_obj.object_list, institution_counts(Agreement.objects.all())
    )
    return page(request, "partners/institution_list.html", {"page_obj": page_obj})


def mineral_list(request):
    minerals = sorted(
        Mineral.objects.select_related("group").with_agreement_counts(Agreement.objects.all()),
        key=lambda m: (not m.is_strategic, not m.is_critical, -m.n_agreements, m.name_en),
    )
    return page(request, "partners/mineral_list.html", {"minerals": minerals})
