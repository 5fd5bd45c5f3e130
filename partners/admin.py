import reversion
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from .history import HistoryAdmin
from .models import (
    Agreement,
    AgreementMineral,
    AgreementSource,
    Alias,
    Country,
    Institution,
    KeyFigure,
    Milestone,
    Mineral,
    Party,
    Place,
    Source,
    Stage,
)
from .signals import schedule_bump


class DataAdmin(HistoryAdmin):
    """Every admin here keeps history (django-reversion, reverted safely: history.py) and
    moves the data revision on deletion, so cached public pages never outlive a deleted
    record (saves move it through the post_save signal)."""

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        schedule_bump()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        schedule_bump()


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 0
    fields = ["name", "language", "kind", "until", "until_precision", "note_en", "note_ko"]


@admin.register(Country)
class CountryAdmin(DataAdmin):
    inlines = [AliasInline]
    list_display = ["code", "name_en", "name_ko", "alpha3", "numeric", "latitude", "longitude"]
    search_fields = ["code", "alpha3", "numeric", "name_en", "name_ko"]
    ordering = ["name_en"]


@admin.register(Mineral)
class MineralAdmin(DataAdmin):
    inlines = [AliasInline]
    list_display = [
        "name_en",
        "name_ko",
        "symbol",
        "kind",
        "group",
        "is_critical",
        "is_strategic",
        "is_rare_metal",
    ]
    list_filter = ["kind", "is_critical", "is_strategic", "is_rare_metal", "group"]
    search_fields = ["slug", "name_en", "name_ko", "symbol"]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["group"]
    list_select_related = ["group"]


@admin.register(Stage)
class StageAdmin(DataAdmin):
    list_display = ["name_en", "name_ko", "order"]
    list_editable = ["order"]
    search_fields = ["slug", "name_en", "name_ko"]
    prepopulated_fields = {"slug": ["name_en"]}


# Every admin edit is kept as a revision: an agreement's revision holds its parties,
# minerals, milestones, figures, places and source links, so reverting it restores them.
CHILDREN = ["parties", "mineral_links", "milestones", "key_figures", "places", "source_links"]
for child in (Party, AgreementMineral, Milestone, KeyFigure, Place, AgreementSource):
    reversion.register(child)
reversion.register(Agreement, follow=CHILDREN)


# Addresses typed without a scheme are https ones (Django 6's default, chosen now).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Institution)
class InstitutionAdmin(DataAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name_en", "name_ko", "acronym", "kind", "country", "parent", "city_en"]
    list_filter = ["kind", ("country", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["slug", "name_en", "name_ko", "acronym", "aliases__name"]
    inlines = [AliasInline]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["country", "parent"]
    list_select_related = ["country", "parent"]
    fieldsets = [
        (None, {"fields": ["name_en", "name_ko", "acronym", "slug", "kind"]}),
        (
            _("Where"),
            {
                "fields": [
                    "country",
                    "parent",
                    "city_en",
                    "city_ko",
                    "latitude",
                    "longitude",
                    "website",
                ]
            },
        ),
        (_("Notes"), {"fields": ["note_en", "note_ko"]}),
    ]


@admin.register(Alias)
class AliasAdmin(DataAdmin):
    list_display = ["name", "kind", "language", "institution", "country", "mineral", "until"]
    list_filter = ["kind", "language"]
    search_fields = ["name", "institution__name_en", "country__name_en", "mineral__name_en"]
    autocomplete_fields = ["institution", "country", "mineral"]
    list_select_related = ["institution", "country", "mineral"]


@admin.register(Source)
class SourceAdmin(DataAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["title_en", "publisher_en", "published", "kind", "language", "seed_file"]
    list_filter = ["kind", "language"]
    search_fields = ["slug", "title_en", "title_ko", "publisher_en", "publisher_ko", "url"]
    prepopulated_fields = {"slug": ["title_en"]}
    date_hierarchy = "published"


class PartyInline(admin.TabularInline):
    model = Party
    extra = 0
    autocomplete_fields = ["institution", "country"]
    fields = [
        "institution",
        "country",
        "role",
        "representative_en",
        "representative_ko",
        "representative_title_en",
        "representative_title_ko",
        "confidence",
        "note_en",
        "order",
    ]


class AgreementMineralInline(admin.TabularInline):
    model = AgreementMineral
    extra = 0
    autocomplete_fields = ["mineral"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = [
        "title_en",
        "title_ko",
        "slug",
        "date",
        "date_precision",
        "confidence",
        "is_planned",
        "note_en",
    ]
    prepopulated_fields = {"slug": ["title_en"]}


class KeyFigureInline(admin.TabularInline):
    model = KeyFigure
    extra = 0
    fields = [
        "label_en",
        "label_ko",
        "slug",
        "qualifier",
        "value",
        "unit_en",
        "unit_ko",
        "as_of",
        "as_of_precision",
        "order",
    ]
    prepopulated_fields = {"slug": ["label_en"]}


class PlaceInline(admin.TabularInline):
    model = Place
    extra = 0
    fields = ["name_en", "name_ko", "slug", "country", "latitude", "longitude", "note_en"]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["country"]


class AtLeastOneSourceFormSet(BaseInlineFormSet):
    """Every agreement cites a source. (The admin ignores `validate_min` on inlines.)"""

    def clean(self):
        super().clean()
        kept = [
            form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if not kept:
            raise ValidationError(
                _("Cite at least one source: every agreement has to say where it comes from.")
            )


class AgreementSourceInline(admin.TabularInline):
    model = AgreementSource
    formset = AtLeastOneSourceFormSet
    extra = 0
    min_num = 1
    autocomplete_fields = ["source"]
    verbose_name = _("source")
    verbose_name_plural = _("sources (at least one)")


@admin.register(Agreement)
class AgreementAdmin(DataAdmin):
    # Reversion's list, with a link to the spreadsheet import where one is installed.
    change_list_template = "admin/partners/agreement/change_list.html"
    list_display = ["title_en", "kind", "status", "date_display", "country", "n_parties"]
    list_filter = [
        "kind",
        "status",
        "date_confidence",
        "stages",
        ("country", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = [
        "slug",
        "title_en",
        "title_ko",
        "summary_en",
        "summary_ko",
        "parties__institution__name_en",
        "parties__institution__name_ko",
        "parties__institution__acronym",
    ]
    prepopulated_fields = {"slug": ["title_en"]}
    autocomplete_fields = ["country", "parent", "related"]
    filter_horizontal = ["stages"]
    date_hierarchy = "date"
    list_select_related = ["country"]
    save_on_top = True
    inlines = [
        PartyInline,
        AgreementMineralInline,
        MilestoneInline,
        KeyFigureInline,
        PlaceInline,
        AgreementSourceInline,
    ]
    fieldsets = [
        (None, {"fields": ["title_en", "title_ko", "slug", "kind", "status"]}),
        (
            _("When"),
            {
                "fields": [
                    ("date", "date_precision", "date_confidence"),
                    "date_note_en",
                    "date_note_ko",
                    ("start_date", "start_precision"),
                    ("end_date", "end_precision"),
                ]
            },
        ),
        (
            _("Where"),
            {
                "fields": [
                    "country",
                    ("city_en", "city_ko"),
                    ("latitude", "longitude"),
                    "place_note_en",
                    "place_note_ko",
                ]
            },
        ),
        (_("What"), {"fields": ["summary_en", "summary_ko", "stages", "parent", "related"]}),
    ]

    def get_queryset(self, request):
        # Ordered explicitly: a grouped queryset drops Meta.ordering, and the autocomplete
        # would paginate an unordered list.
        return (
            super()
            .get_queryset(request)
            .annotate(party_count=Count("parties"))
            .order_by(*Agreement._meta.ordering)
        )

    @admin.display(description=_("date"), ordering="date")
    def date_display(self, obj):
        return obj.date_display

    @admin.display(description=_("parties"), ordering="party_count")
    def n_parties(self, obj):
        return obj.party_count


@admin.register(Party)
class PartyAdmin(DataAdmin):
    list_display = ["agreement", "institution", "country", "role", "representative_en"]
    list_filter = ["role", "confidence"]
    search_fields = [
        "agreement__title_en",
        "agreement__title_ko",
        "institution__name_en",
        "institution__name_ko",
        "institution__acronym",
        "country__name_en",
        "country__name_ko",
        "representative_en",
        "representative_ko",
    ]
    autocomplete_fields = ["agreement", "institution", "country"]
    list_select_related = ["agreement", "institution", "country"]


@admin.register(Milestone)
class MilestoneAdmin(DataAdmin):
    list_display = ["title_en", "agreement", "date", "date_precision", "is_planned", "confidence"]
    list_filter = ["is_planned", "confidence", "date_precision"]
    search_fields = ["title_en", "title_ko", "agreement__title_en", "agreement__title_ko"]
    autocomplete_fields = ["agreement"]
    date_hierarchy = "date"
    list_select_related = ["agreement"]
    prepopulated_fields = {"slug": ["title_en"]}


@admin.register(KeyFigure)
class KeyFigureAdmin(DataAdmin):
    list_display = ["label_en", "agreement", "qualifier", "value", "unit_en", "as_of"]
    search_fields = ["label_en", "label_ko", "agreement__title_en", "agreement__title_ko"]
    autocomplete_fields = ["agreement"]
    list_select_related = ["agreement"]
    prepopulated_fields = {"slug": ["label_en"]}


@admin.register(Place)
class PlaceAdmin(DataAdmin):
    list_display = ["name_en", "name_ko", "agreement", "country"]
    search_fields = ["name_en", "name_ko", "agreement__title_en"]
    autocomplete_fields = ["agreement", "country"]
    list_select_related = ["agreement", "country"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(AgreementMineral)
class AgreementMineralAdmin(DataAdmin):
    list_display = ["agreement", "mineral", "note_en"]
    search_fields = ["agreement__title_en", "mineral__name_en", "mineral__name_ko"]
    autocomplete_fields = ["agreement", "mineral"]
    list_select_related = ["agreement", "mineral"]


@admin.register(AgreementSource)
class AgreementSourceAdmin(DataAdmin):
    list_display = ["agreement", "source", "note_en"]
    search_fields = ["agreement__title_en", "source__title_en", "source__publisher_en"]
    autocomplete_fields = ["agreement", "source"]
    list_select_related = ["agreement", "source"]


admin.site.site_header = _("coopdash administration")
admin.site.site_title = _("coopdash admin")
admin.site.index_title = _("Korea's critical-mineral partnerships")
