"""The one selection of agreements that every page and export shares.

The list, the map, the timeline, the coverage matrix and the exports all read the same
query string through `AgreementFilter`, so a URL means the same selection everywhere.
"""

import django_filters
from django import forms
from django.core.cache import cache
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import search
from .counts import most_involved
from .models import Agreement, Country, Institution, Mineral, Revision, Stage
from .names import current_index


def unknown(what):
    """A form error that names the unknown value, e.g. ?mineral=unobtainium."""
    return {"invalid_choice": what}


SORTS = {
    "-date": _("newest first"),
    "date": _("oldest first"),
    "title": _("title"),
    "kind": _("kind"),
}


SUGGESTED_INSTITUTIONS = 40


def option_tags(choices):
    """(value, `<option>` tag) of each (value, label) choice, escaped once."""
    return [
        (str(key), f'<option value="{escape(key)}">{escape(label)}</option>')
        for key, label in choices
    ]


class QuickSelect(forms.Select):
    """A <select> written in Python. Django renders each option through a template, which
    took half the time of a page whose filter offers some 250 countries; the options of
    records (`NamedChoices`) are even written once per data revision and language."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        choices = self.choices
        # Not list()ed: list() asks a ModelChoiceIterator for its length first, which is one
        # more COUNT query.
        tags = choices.tags() if isinstance(choices, NamedChoices) else option_tags(choices)
        options = "".join(
            tag.replace('">', '" selected>', 1) if key in chosen else tag for key, tag in tags
        )
        final = self.build_attrs(self.attrs, attrs)
        opening = format_html('<select name="{}"{}>', name, flatatt(final))
        return mark_safe(opening + options + "</select>")


class NamedChoices(ModelChoiceIterator):
    """(identifier, name in the reader's language) of every record, in that language's
    alphabetical order: worked out once per data revision and language, not on every page
    (some 250 countries became as many model instances on each request)."""

    kept = {}

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.remembered()[0]

    def tags(self):
        """(value, `<option>` tag) of every choice, the empty one first if any."""
        blank = [] if self.field.empty_label is None else [("", self.field.empty_label)]
        return option_tags(blank) + self.remembered()[1]

    def remembered(self):
        key = (self.queryset.model._meta.label, get_language(), Revision.current())
        kept = self.kept.get(key)
        if kept is None:
            attribute = self.field.to_field_name
            choices = sorted(
                ((str(getattr(record, attribute)), record.name) for record in self.queryset),
                key=lambda choice: choice[1],
            )
            if len(self.kept) > 32:  # older revisions
                self.kept.clear()
            kept = self.kept[key] = (choices, option_tags(choices))
        return kept


class NamedChoiceField(django_filters.fields.ModelChoiceField):
    """Records offered by their name in the reader's language (`Bilingual`)."""

    iterator = NamedChoices


class NamedChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = NamedChoiceField


class InstitutionInput(forms.TextInput):
    """A text box with the most involved institutions as suggestions (a <datalist>): a
    drop-down of every institution would outgrow the page as the record grows."""

    template_name = "partners/widgets/institution_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["attrs"]["list"] = f"{widget['attrs'].get('id', name)}-options"
        widget["suggestions"] = suggested_institutions()
        return context


def suggested_institutions():
    """The institutions with the most agreements overall, for the filter's suggestions: the
    same on every page, so kept in the cache for the current data revision."""
    return cache.get_or_set(
        f"suggested-institutions:{Revision.current()}",
        lambda: most_involved(Agreement.objects.all(), SUGGESTED_INSTITUTIONS),
    )


class InstitutionField(forms.CharField):
    """An institution by identifier (slug) or by any name in the name index: English or
    Korean, acronym, short form (산업부), former name (MOTIE)."""

    widget = InstitutionInput

    default_error_messages = {
        "ambiguous": _(
            "“%(value)s” names several institutions: %(choices)s. Use the identifier in brackets."
        ),
    }

    def __init__(self, *, error_messages=None, **kwargs):
        super().__init__(max_length=300, error_messages=error_messages, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        found = Institution.objects.filter(slug=value).first()
        if found is not None:
            return found
        named = {name.pk for name in current_index().lookup(value, "institution")}
        if len(named) > 1:
            choices = Institution.objects.filter(pk__in=named).order_by("slug")
            raise forms.ValidationError(
                self.error_messages["ambiguous"],
                code="ambiguous",
                params={
                    "value": value,
                    "choices": "; ".join(f"{i.name} ({i.slug})" for i in choices),
                },
            )
        if not named:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return Institution.objects.get(pk=named.pop())

    def prepare_value(self, value):
        return value.slug if isinstance(value, Institution) else value


class InstitutionFilter(django_filters.Filter):
    field_class = InstitutionField


class SearchField(forms.CharField):
    def validate(self, value):
        super().validate(value)
        if value:
            search.split_terms(value)


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


class SelectionForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start is not None and end is not None and start > end:
            raise forms.ValidationError(
                _("“From year” (%(start)s) is after “To year” (%(end)s); swap them."),
                params={"start": start, "end": end},
            )
        return data


def years_marked(queryset, values):
    """`queryset`, marked with its (first, last) year when `values` (the filters in use)
    are a year range and nothing else: counts.py then sums the record's counts per year."""
    used = {name for name, value in values.items() if value not in (None, "") and name != "sort"}
    if used and used <= {"year_from", "year_to"}:
        first, last = values.get("year_from"), values.get("year_to")
        queryset._years = (
            None if first in (None, "") else int(first),
            None if last in (None, "") else int(last),
        )
    return queryset


class AgreementFilter(django_filters.FilterSet):
    q = SearchFilter(
        label=_("Search"),
        method="search",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("title, summary, party")}),
    )
    country = NamedChoiceFilter(
        label=_("Country"),
        queryset=Country.objects.all(),
        to_field_name="code",
        method="filter_country",
        widget=QuickSelect,
        error_messages=unknown(_("No country has the code “%(value)s”; use ISO codes such as MN.")),
    )
    institution = InstitutionFilter(
        label=_("Institution"),
        method="filter_institution",
        error_messages=unknown(_("There is no institution “%(value)s”; pick one from the list.")),
    )
    mineral = NamedChoiceFilter(
        label=_("Mineral"),
        queryset=Mineral.objects.all(),
        to_field_name="slug",
        method="filter_mineral",
        widget=QuickSelect,
        error_messages=unknown(_("There is no mineral “%(value)s”; pick one from the list.")),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=Agreement.Kind.choices,
        widget=QuickSelect,
        error_messages=unknown(_("There is no kind “%(value)s”; pick one from the list.")),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Agreement.Status.choices,
        widget=QuickSelect,
        error_messages=unknown(_("There is no status “%(value)s”; pick one from the list.")),
    )
    stage = django_filters.ModelChoiceFilter(
        label=_("Value-chain stage"),
        queryset=Stage.objects.all(),
        to_field_name="slug",
        field_name="stages",
        widget=QuickSelect,
        error_messages=unknown(_("There is no stage “%(value)s”; pick one from the list.")),
    )
    year_from = django_filters.NumberFilter(
        label=_("From year"),
        field_name="date",
        lookup_expr="year__gte",
        min_value=1900,
        max_value=2100,
    )
    year_to = django_filters.NumberFilter(
        label=_("To year"),
        field_name="date",
        lookup_expr="year__lte",
        min_value=1900,
        max_value=2100,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort"),
        choices=list(SORTS.items()),
        method="sort_by",
        empty_label=None,
        widget=QuickSelect,
        error_messages=unknown(_("Cannot sort by “%(value)s”; pick one from the list.")),
    )

    class Meta:
        model = Agreement
        fields = []
        form = SelectionForm

    def search(self, queryset, name, value):
        """Agreements matching every term (search.py). The matching ids are worked out once
        per request, however many of the page's queries (and facets) use the selection."""
        if getattr(self, "_search", None) is None or self._search[0] != value:
            self._search = (value, search.matching_ids(search.split_terms(value)))
        return queryset.filter(pk__in_ids=self._search[1])

    def filter_country(self, queryset, name, value):
        return queryset.with_country(value)

    def filter_institution(self, queryset, name, value):
        return queryset.with_institution(value)

    def filter_mineral(self, queryset, name, value):
        return queryset.with_mineral(value)

    def sort_by(self, queryset, name, value):
        order = {
            "-date": ["-date", "slug"],
            "date": ["date", "slug"],
            "title": ["title_en", "slug"],
            "kind": ["kind", "-date", "slug"],
        }[value]
        return queryset.order_by(*order)

    def without(self, key):
        """The selection with the filter on `key` left out (facets count over it, so that
        their links, which replace `key`, open the number they show). The form's cleaned
        values are reused, not validated again."""
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        if not self.is_bound or self.form.cleaned_data.get(key) in (None, ""):
            return years_marked(self.qs, self.form.cleaned_data if self.is_bound else {})
        queryset = self.queryset.all()
        values = {name: v for name, v in self.form.cleaned_data.items() if name != key}
        for name, value in values.items():
            queryset = self.filters[name].filter(queryset, value)
        return years_marked(queryset, values)

    # -- what pages show about the selection --------------------------------------------

    def active(self):
        """The filters in use, as (name, label, shown value) for headings and remove links."""
        if not self.is_bound or not self.form.is_valid():
            return []
        active = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, "") or name == "sort":
                continue
            field = self.form.fields[name]
            if hasattr(value, "name"):
                shown = value.name
            elif getattr(field, "choices", None) and name in ("kind", "status"):
                shown = dict(field.choices).get(value, value)
            else:
                shown = value
            active.append((name, field.label, shown))
        return active


KEYS = (*AgreementFilter.base_filters, "page")


def canonical(params):
    """The selection a query string makes, as the pages read it: each filter (and the page)
    once, with its last value as the filter takes it, empty ones left out, in a fixed
    order. Query strings that make the same selection have the same canonical form."""
    found = {}
    for key in KEYS:
        values = params.getlist(key) if hasattr(params, "getlist") else [params.get(key)]
        if values and values[-1] not in (None, ""):
            found[key] = str(values[-1])
    return found


def selection(request):
    """The filterset for a request and the agreements it selects (none when invalid)."""
    filterset = AgreementFilter(request.GET or None, queryset=Agreement.objects.all())
    if filterset.is_bound and not filterset.is_valid():
        return filterset, Agreement.objects.none()
    return filterset, filterset.qs
