"""The admin's forms: uploading an article, and reviewing what coopdash proposes from it.

The review is a set of small forms, one per part of the record (the agreement, its
parties, new institutions, minerals, milestones, figures, places, the article as a source),
each row with an "include" box: ticked as proposed, corrected by editing, declined by
unticking. Titles, summaries and descriptions start empty: they are the admin's own words,
and one that repeats a long run of the article is refused.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from partners.dates import Precision
from partners.models import (
    Agreement,
    Confidence,
    Country,
    Institution,
    KeyFigure,
    Mineral,
    Party,
    Source,
    Stage,
)
from partners.names import HANGUL

from . import sheets
from .models import LANGUAGES
from .reading import MAX_BYTES

COPIED = 45  # characters: a run this long of the article is a copied sentence


def copied_run(text, article):
    """The first run of COPIED characters of `text` that the article also has, ignoring
    differences of spacing; None when there is none."""
    squeezed = " ".join(text.split())
    article = " ".join(article.split())
    for start in range(0, len(squeezed) - COPIED + 1):
        window = squeezed[start : start + COPIED]
        if window in article:
            return window
    return None


class UploadForm(forms.Form):
    text = forms.CharField(
        label=_("Paste the article"),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
    )
    file = forms.FileField(
        label=_("or upload it"),
        required=False,
        help_text=_(".txt, .html or .pdf, at most 5 MB. Nothing is fetched from the internet."),
    )
    url = forms.URLField(label=_("URL"), required=False, assume_scheme="https")
    publisher = forms.CharField(label=_("publisher"), max_length=200, required=False)
    published = forms.DateField(
        label=_("published"),
        required=False,
        help_text=_("YYYY-MM-DD. Dates such as “last Tuesday” are read against it."),
    )
    language = forms.ChoiceField(
        label=_("language"),
        choices=[("", _("detect"))] + LANGUAGES,
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(limit)d MB; upload the article alone.")
                % {"limit": MAX_BYTES // (1024 * 1024)}
            )
        return upload

    def clean(self):
        data = super().clean()
        if bool(data.get("text", "").strip()) == bool(data.get("file")):
            raise ValidationError(_("Paste the article or upload a file (one of the two)."))
        return data


def choices_of(queryset, label):
    return [("", "—")] + [(obj.natural_key()[0], label(obj)) for obj in queryset]


def institution_choices(new_names=()):
    existing = choices_of(Institution.objects.only("slug", "name_en", "acronym"), lambda i: str(i))
    return existing + [
        (f"new:{index}", _("New: %(name)s") % {"name": name}) for index, name in new_names
    ]


def country_choices():
    return choices_of(Country.objects.only("code", "name_en"), lambda c: f"{c.name_en} ({c.code})")


class DraftForm(forms.Form):
    """A row of a proposal: ticked means accepted, as shown or as corrected."""

    # Ticked for what coopdash proposes (review.initial); an empty row to add one starts
    # unticked, so that its selects, which always send a value, do not make it a proposal.
    include = forms.BooleanField(label=_("include"), required=False)

    def included(self):
        return self.is_valid() and self.cleaned_data.get("include")

    def clean(self):
        data = super().clean()
        if not data.get("include"):
            # A declined row is not checked further.
            self._errors.clear()
        return data


class AgreementForm(forms.Form):
    title_en = forms.CharField(label=_("title (English)"), max_length=300)
    title_ko = forms.CharField(label=_("title (Korean)"), max_length=300)
    slug = forms.SlugField(
        label=_("slug"),
        max_length=100,
        required=False,
        help_text=_("Leave empty to make one from the English title."),
    )
    kind = forms.ChoiceField(label=_("kind"), choices=Agreement.Kind.choices)
    status = forms.ChoiceField(label=_("status"), choices=Agreement.Status.choices)
    date = forms.DateField(label=_("date"))
    date_precision = forms.ChoiceField(label=_("date precision"), choices=Precision.choices)
    date_confidence = forms.ChoiceField(label=_("date confidence"), choices=Confidence.choices)
    date_note_en = forms.CharField(label=_("date note (English)"), max_length=300, required=False)
    date_note_ko = forms.CharField(label=_("date note (Korean)"), max_length=300, required=False)
    start_date = forms.DateField(label=_("start"), required=False)
    start_precision = forms.ChoiceField(
        label=_("start precision"), choices=Precision.choices, initial=Precision.YEAR
    )
    end_date = forms.DateField(label=_("end"), required=False)
    end_precision = forms.ChoiceField(
        label=_("end precision"), choices=Precision.choices, initial=Precision.YEAR
    )
    country = forms.ChoiceField(label=_("place: country"), required=False)
    city_en = forms.CharField(label=_("city (English)"), max_length=120, required=False)
    city_ko = forms.CharField(label=_("city (Korean)"), max_length=120, required=False)
    summary_en = forms.CharField(
        label=_("summary (English)"), widget=forms.Textarea(attrs={"rows": 4})
    )
    summary_ko = forms.CharField(
        label=_("summary (Korean)"), widget=forms.Textarea(attrs={"rows": 4})
    )
    stages = forms.MultipleChoiceField(
        label=_("value-chain stages"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()
        self.fields["stages"].choices = [(s.slug, s.name) for s in Stage.objects.all()]

    def clean(self):
        data = super().clean()
        if not data.get("slug") and data.get("title_en"):
            data["slug"] = slugify(data["title_en"])[:100]
        return data


class PartyForm(DraftForm):
    institution = forms.ChoiceField(label=_("institution"), required=False)
    country = forms.ChoiceField(label=_("country"), required=False)
    role = forms.ChoiceField(label=_("role"), choices=Party.Role.choices)
    representative_en = forms.CharField(
        label=_("representative (English)"), max_length=120, required=False
    )
    representative_ko = forms.CharField(
        label=_("representative (Korean)"), max_length=120, required=False
    )
    representative_title_en = forms.CharField(
        label=_("title (English)"), max_length=200, required=False
    )
    representative_title_ko = forms.CharField(
        label=_("title (Korean)"), max_length=200, required=False
    )

    def __init__(self, *args, institutions=(), countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = institutions
        self.fields["country"].choices = countries

    def clean(self):
        data = super().clean()
        if data.get("include") and bool(data.get("institution")) == bool(data.get("country")):
            raise ValidationError(_("Choose either an institution or a country, not both."))
        return data


class NewInstitutionForm(DraftForm):
    name_en = forms.CharField(label=_("name (English)"), max_length=200)
    name_ko = forms.CharField(label=_("name (Korean)"), max_length=200)
    acronym = forms.CharField(label=_("acronym"), max_length=20, required=False)
    kind = forms.ChoiceField(label=_("kind"), choices=Institution.Kind.choices)
    country = forms.ChoiceField(label=_("country"), required=False)
    slug = forms.SlugField(
        label=_("slug"), required=False, help_text=_("Empty: made from the English name.")
    )

    def __init__(self, *args, countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = countries

    def clean(self):
        data = super().clean()
        if data.get("include") and not data.get("slug") and data.get("name_en"):
            data["slug"] = slugify(data["name_en"])[:50]
        return data


class MineralForm(DraftForm):
    mineral = forms.ChoiceField(label=_("mineral"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mineral"].choices = choices_of(
            Mineral.objects.only("slug", "name_en", "symbol"), str
        )


class MilestoneForm(DraftForm):
    title_en = forms.CharField(label=_("event (English)"), max_length=200)
    title_ko = forms.CharField(label=_("event (Korean)"), max_length=200)
    date = forms.DateField(label=_("date"))
    date_precision = forms.ChoiceField(label=_("precision"), choices=Precision.choices)
    is_planned = forms.BooleanField(label=_("planned"), required=False)


class FigureForm(DraftForm):
    label_en = forms.CharField(label=_("label (English)"), max_length=200)
    label_ko = forms.CharField(label=_("label (Korean)"), max_length=200)
    value = forms.DecimalField(label=_("value"), max_digits=20, decimal_places=4)
    unit_en = forms.CharField(label=_("unit (English)"), max_length=40, required=False)
    unit_ko = forms.CharField(label=_("unit (Korean)"), max_length=40, required=False)
    qualifier = forms.ChoiceField(
        label=_("qualifier"), choices=KeyFigure.Qualifier.choices, required=False
    )


class PlaceForm(DraftForm):
    name_en = forms.CharField(label=_("name (English)"), max_length=200)
    name_ko = forms.CharField(label=_("name (Korean)"), max_length=200)
    country = forms.ChoiceField(label=_("country"))

    def __init__(self, *args, countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = countries


class SourceForm(forms.Form):
    """The article itself, as the catalogue will cite it."""

    kind = forms.ChoiceField(label=_("kind"), choices=Source.Kind.choices)
    title_en = forms.CharField(
        label=_("description (English)"),
        max_length=300,
        help_text=_("What the article reports, in your own words (never its headline)."),
    )
    title_ko = forms.CharField(label=_("description (Korean)"), max_length=300)
    publisher_en = forms.CharField(label=_("publisher (English)"), max_length=200)
    publisher_ko = forms.CharField(label=_("publisher (Korean)"), max_length=200, required=False)
    published = forms.DateField(label=_("published"), required=False)
    url = forms.URLField(label=_("URL"), max_length=500, required=False, assume_scheme="https")
    language = forms.ChoiceField(label=_("language"), choices=LANGUAGES)
    slug = forms.SlugField(label=_("slug"), required=False, help_text=_("Empty: made for you."))
    note_en = forms.CharField(label=_("what it supports (English)"), max_length=300, required=False)
    note_ko = forms.CharField(label=_("what it supports (Korean)"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("slug") and data.get("publisher_en"):
            stamp = data["published"].isoformat() if data.get("published") else "undated"
            words = "-".join(slugify(data.get("title_en", "")).split("-")[:5])
            data["slug"] = slugify(f"{data['publisher_en']}-{stamp}-{words}")[:50].strip("-")
        return data


class OutcomeForm(forms.Form):
    """Record a new agreement, or add the article as a source of one already recorded."""

    outcome = forms.ChoiceField(label=_("outcome"), widget=forms.RadioSelect)

    def __init__(self, *args, matches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [("new", _("Record a new agreement"))] + [
            (
                f"source-of:{slug}",
                _("Add this article as a source of “%(title)s”") % {"title": title},
            )
            for slug, title in matches
        ]


OWN_WORDS = {
    "agreement": [
        "title_en",
        "title_ko",
        "summary_en",
        "summary_ko",
        "date_note_en",
        "date_note_ko",
    ],
    "source": ["title_en", "title_ko", "note_en", "note_ko"],
}


def refuse_copies(form, article, fields):
    """Add an error to each field whose text repeats a long run of the article."""
    if not form.is_valid():
        return
    for name in fields:
        run = copied_run(form.cleaned_data.get(name) or "", article)
        if run:
            form.add_error(
                name,
                _(
                    "This repeats the article word for word (“%(run)s…”). Write it in your own "
                    "words: no sentence of an article is copied into coopdash."
                )
                % {"run": run[:30]},
            )


class SheetUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(
            "An Excel workbook (.xlsx) or a CSV file in the layout of coopdash's export, at "
            "most 5 MB and 5,000 rows. Nothing is saved before you confirm the preview."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > sheets.MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(limit)d MB: split the sheet into smaller ones.")
                % {"limit": sheets.MAX_BYTES // (1024 * 1024)}
            )
        return upload


class ConfirmImportForm(forms.Form):
    fingerprint = forms.CharField(widget=forms.HiddenInput)
    only_valid = forms.BooleanField(
        label=_("Import only the valid rows and leave the rows in error out"), required=False
    )


def proposal_forms(proposals, countries, data=None):
    """One NewInstitutionForm per institution a sheet names that the catalogue lacks,
    proposed ticked, with the name in the field of its language and the country guessed
    from its row."""
    forms_ = []
    for index, proposal in enumerate(proposals.values()):
        korean = HANGUL.search(proposal.name) is not None
        initial = {
            "include": proposal.include,
            "name_en": "" if korean else proposal.name,
            "name_ko": proposal.name if korean else "",
            "country": countries.get(proposal.country, ""),
        }
        form = NewInstitutionForm(
            data, prefix=f"new-{index}", initial=initial, countries=country_choices()
        )
        form.proposal = proposal
        forms_.append(form)
    return forms_
