"""A document's review: the forms prefilled from its draft, and the acceptance that turns
the reviewed draft into catalogue records through partners.services.record_agreement."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import formset_factory
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.dates import parse_partial
from partners.models import Source
from partners.services import record_agreement

from . import forms

PartyFormSet = formset_factory(forms.PartyForm, extra=1)
NewInstitutionFormSet = formset_factory(forms.NewInstitutionForm, extra=0)
MineralFormSet = formset_factory(forms.MineralForm, extra=1)
MilestoneFormSet = formset_factory(forms.MilestoneForm, extra=1)
FigureFormSet = formset_factory(forms.FigureForm, extra=1)
PlaceFormSet = formset_factory(forms.PlaceForm, extra=1)

# A milestone's title for the event the article reports: our words, by kind.
MILESTONES = {
    "mou": ("MOU signed", "양해각서 서명"),
    "agreement": ("Agreement signed", "협약 체결"),
    "rd-agreement": ("Agreement signed", "협약 체결"),
    "centre": ("Opening ceremony", "개소식"),
    "oda": ("Project agreed", "사업 약정"),
    "committee": ("Committee meeting", "위원회 회의"),
    "conference": ("Conference held", "컨퍼런스 개최"),
    "meeting": ("Meeting held", "회의 개최"),
    "visit": ("Site visit", "현장 방문"),
    "research": ("Research agreed", "연구 합의"),
}
CONFIDENCE = {
    "high": gettext_lazy("high confidence"),
    "medium": gettext_lazy("medium confidence"),
    "low": gettext_lazy("low confidence"),
}
FORMSETS = ["parties", "new_institutions", "minerals", "milestones", "figures", "places"]


@dataclass
class Review:
    agreement: forms.AgreementForm
    parties: object
    new_institutions: object
    minerals: object
    milestones: object
    figures: object
    places: object
    source: forms.SourceForm
    outcome: forms.OutcomeForm
    errors: list

    @property
    def adding_source(self):
        return self.outcome.is_valid() and self.outcome.cleaned_data["outcome"] != "new"

    def is_valid(self, article):
        parts = [self.outcome, self.source]
        if not self.adding_source:
            parts += [self.agreement] + [getattr(self, name) for name in FORMSETS]
        for part in parts:
            part.is_valid()  # every part, so that the page shows every error at once
        forms.refuse_copies(self.source, article, forms.OWN_WORDS["source"])
        if not self.adding_source:
            forms.refuse_copies(self.agreement, article, forms.OWN_WORDS["agreement"])
        return all(part.is_valid() for part in parts)


def as_date(value):
    """A proposal's partial date ("2023-11") as (first day, precision)."""
    return parse_partial(value) if value else (None, None)


def initial(document):
    """Each form's initial data, from the document's draft."""
    proposal = document.draft.proposal
    event, place = proposal["event"], proposal.get("place") or {}
    date, precision = as_date(event["date"])
    start, start_precision = as_date(event.get("start"))
    end, end_precision = as_date(event.get("end"))
    korean = proposal["language"] == "ko"
    new = [row for row in proposal["institutions"] if row["new"]]
    covered = {row["country"] for row in proposal["institutions"] if row["role"] != "context"}
    title = MILESTONES.get(event["kind"], ("", ""))
    return {
        "agreement": {
            "kind": event["kind"],
            "status": event["status"],
            "date": date,
            "date_precision": precision or "day",
            # Read from one article: confirmed only where the article is sure of it.
            "date_confidence": "high" if event["confidence"]["date"] == "high" else "medium",
            "start_date": start,
            "start_precision": start_precision or "year",
            "end_date": end,
            "end_precision": end_precision or "year",
            "country": place.get("country") or "",
            "city_en": place.get("city_en", ""),
            "city_ko": place.get("city_ko", ""),
            "stages": proposal["stages"],
        },
        "parties": [party_initial(row, new, korean) for row in proposal["institutions"]]
        + [
            {"country": row["code"], "role": "participant"}
            for row in proposal["countries"]
            if row["code"] not in covered
        ],
        "new_institutions": [
            {
                "name_en": row["name_en"],
                "name_ko": row["name_ko"],
                "acronym": row["acronym"],
                "kind": row["kind"],
                "country": row["country"] or "",
            }
            for row in new
        ],
        "minerals": [{"mineral": row["slug"]} for row in proposal["minerals"]],
        "milestones": [
            {
                "title_en": title[0],
                "title_ko": title[1],
                "date": date,
                "date_precision": precision,
                "is_planned": event["status"] == "planned",
            }
        ]
        if date
        else [],
        "figures": [
            {
                "label_ko" if korean else "label_en": row["label"],
                "value": row["value"],
                "unit_en": row["unit"],
                "unit_ko": row["unit_ko"],
                "qualifier": row["qualifier"],
            }
            for row in proposal["figures"]
        ],
        "places": [
            {"name_en": row["name_en"], "name_ko": row["name_ko"], "country": row["country"]}
            for row in proposal.get("places", [])
        ],
        "source": {
            "kind": "news",
            "publisher_ko" if korean else "publisher_en": document.publisher,
            "published": document.published or proposal.get("published"),
            "url": document.url,
            "language": document.language,
        },
        "outcome": {
            "outcome": f"source-of:{proposal['matches'][0]['slug']}"
            if proposal["matches"]
            else "new"
        },
    }


def party_initial(row, new, korean):
    values = {"role": row["role"]}
    if row["new"]:
        values["institution"] = f"new:{new.index(row)}"
    else:
        values["institution"] = row["slug"]
    person = row.get("representative")
    if person:
        suffix = "ko" if korean else "en"
        values[f"representative_{suffix}"] = person["name"]
        values[f"representative_title_{suffix}"] = person["title"]
    return values


def evidence_keys(proposal):
    """For each proposed row of each formset, the key of the proposal it shows (see
    evidence.spans), in the order initial() gives the rows."""
    covered = {row["country"] for row in proposal["institutions"] if row["role"] != "context"}
    new = [i for i, row in enumerate(proposal["institutions"]) if row["new"]]
    return {
        "parties": [f"institutions.{i}" for i in range(len(proposal["institutions"]))]
        + [
            f"countries.{i}"
            for i, row in enumerate(proposal["countries"])
            if row["code"] not in covered
        ],
        "new_institutions": [f"institutions.{i}" for i in new],
        "minerals": [f"minerals.{i}" for i in range(len(proposal["minerals"]))],
        "milestones": ["date"] if proposal["event"]["date"] else [],
        "figures": [f"figures.{i}" for i in range(len(proposal["figures"]))],
        "places": [f"places.{i}" for i in range(len(proposal.get("places", [])))],
    }


def annotate(review, proposal, anchors):
    """Give each proposed row the id of the mark that shows its words, and its confidence."""
    for name, keys in evidence_keys(proposal).items():
        for form, key in zip(getattr(review, name).forms, keys):
            group, _dot, index = key.partition(".")
            row = proposal[group][int(index)] if index else {}
            form.evidence = anchors.get(key)
            form.confidence = CONFIDENCE.get(row.get("confidence"), "")


def build(document, data=None):
    """The review's forms, bound to `data` when the admin posted them."""
    proposal = document.draft.proposal
    values = initial(document)
    for name in FORMSETS:
        values[name] = [{"include": True, **row} for row in values[name]]
    countries = forms.country_choices()
    new_names = [
        (index, row["name_ko"] or row["name_en"])
        for index, row in enumerate(r for r in proposal["institutions"] if r["new"])
    ]

    def formset(cls, name, **kwargs):
        return cls(data, initial=values[name], prefix=name, form_kwargs=kwargs)

    return Review(
        agreement=forms.AgreementForm(data, initial=values["agreement"], prefix="agreement"),
        parties=formset(
            PartyFormSet,
            "parties",
            institutions=forms.institution_choices(new_names),
            countries=countries,
        ),
        new_institutions=formset(NewInstitutionFormSet, "new_institutions", countries=countries),
        minerals=formset(MineralFormSet, "minerals"),
        milestones=formset(MilestoneFormSet, "milestones"),
        figures=formset(FigureFormSet, "figures"),
        places=formset(PlaceFormSet, "places", countries=countries),
        source=forms.SourceForm(data, initial=values["source"], prefix="source"),
        outcome=forms.OutcomeForm(
            data,
            initial=values["outcome"],
            prefix="outcome",
            matches=[(m["slug"], m["title_en"]) for m in proposal["matches"]],
        ),
        errors=[],
    )


def included(formset):
    return [form for form in formset.forms if form.cleaned_data.get("include")]


def rows(formset, fields):
    return [{k: form.cleaned_data[k] for k in fields} for form in included(formset)]


def accept(document, review, user):
    """Write the reviewed draft into the catalogue, in one transaction, and link the
    document to the agreement. Errors from the catalogue are attached to the forms."""
    source = review.source.cleaned_data
    source_fields = {
        k: source[k]
        for k in ("slug", "kind", "title_en", "title_ko", "publisher_en", "publisher_ko")
    }
    source_fields.update(
        published=source["published"],
        url=source["url"],
        language=source["language"],
        published_precision="day",
    )
    link = {"source": source["slug"], "note_en": source["note_en"], "note_ko": source["note_ko"]}
    comment = _("From intake document #%(pk)d (%(name)s)") % {
        "pk": document.pk,
        "name": document.headline or document.filename or _("pasted text"),
    }
    try:
        with transaction.atomic():
            if review.adding_source:
                target = review.outcome.cleaned_data["outcome"].removeprefix("source-of:")
                agreement = record_agreement(
                    user=user,
                    comment=comment,
                    agreement=target,
                    sources=[source_fields],
                    source_links=[link],
                )
            else:
                agreement = record_agreement(
                    user=user,
                    comment=comment,
                    sources=[source_fields],
                    source_links=[link],
                    **catalogue_items(review),
                )
            document.agreement = agreement
            document.source = Source.objects.get(slug=source["slug"])
            document.accepted_by, document.accepted_at = user, timezone.now()
            document.save()
            document.draft.decisions = (
                {"outcome": "source"} if review.adding_source else decisions(review)
            )
            document.draft.save()
    except ValidationError as error:
        attach(review, error)
        return None
    return agreement


def catalogue_items(review):
    """The service's arguments for a new agreement, from the reviewed forms."""
    data = dict(review.agreement.cleaned_data)
    stages = data.pop("stages")
    agreement = {k: v for k, v in data.items() if v not in (None, "") or k == "country"}
    agreement["country"] = data["country"] or None
    new_forms = review.new_institutions.forms
    new_slugs = {
        f"new:{index}": form.cleaned_data["slug"]
        for index, form in enumerate(new_forms)
        if form.cleaned_data.get("include")
    }
    parties = []
    for row in rows(
        review.parties,
        [
            "institution",
            "country",
            "role",
            "representative_en",
            "representative_ko",
            "representative_title_en",
            "representative_title_ko",
        ],
    ):
        if row["institution"].startswith("new:"):
            # A party whose new institution was declined names a slug nobody creates: the
            # service says which party that is.
            row["institution"] = new_slugs.get(row["institution"], row["institution"])
        parties.append({**row, "order": len(parties)})
    figures = rows(
        review.figures, ["label_en", "label_ko", "value", "unit_en", "unit_ko", "qualifier"]
    )
    milestones = rows(
        review.milestones, ["title_en", "title_ko", "date", "date_precision", "is_planned"]
    )
    places = rows(review.places, ["name_en", "name_ko", "country"])
    return {
        "agreement": agreement,
        "institutions": [
            {
                k: form.cleaned_data[k]
                for k in ("slug", "name_en", "name_ko", "acronym", "kind", "country")
            }
            for form in included(review.new_institutions)
        ],
        "parties": parties,
        "minerals": rows(review.minerals, ["mineral"]),
        "milestones": with_slugs(milestones, "title_en"),
        "key_figures": [
            {**row, "order": i} for i, row in enumerate(with_slugs(figures, "label_en"))
        ],
        "places": with_slugs(places, "name_en"),
        "stages": stages,
    }


def with_slugs(items, field):
    """Give each child a slug, unique within the agreement, from its English name."""
    taken = set()
    for item in items:
        base = slugify(item[field])[:40] or "item"
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        item["slug"] = slug
    return items


def attach(review, error):
    """Show the service's errors (keyed `item.field`) on the form rows they belong to."""
    mapping = {"agreement": [review.agreement], "sources": [review.source]}
    for name, formset in [
        ("parties", review.parties),
        ("institutions", review.new_institutions),
        ("minerals", review.minerals),
        ("milestones", review.milestones),
        ("key_figures", review.figures),
        ("places", review.places),
    ]:
        mapping[name] = included(formset)
    for key, messages in error.message_dict.items():
        item, _dot, field = key.partition(".")
        name, _bracket, index = item.partition("[")
        targets = mapping.get(name, [])
        position = int(index.rstrip("]")) if index else 0
        form = targets[position] if position < len(targets) else None
        if form is not None and field in form.fields:
            form.add_error(field, messages)
        else:
            review.errors.extend(f"{key}: {message}" for message in messages)


def decisions(review):
    """Per part of the draft, how many proposals were accepted as they were, corrected, or
    declined (unticked); rows the admin added count as added."""
    summary = {}
    for name in FORMSETS:
        counts = {"accepted": 0, "corrected": 0, "declined": 0, "added": 0}
        formset = getattr(review, name)
        for index, form in enumerate(formset.forms):
            proposed = index < formset.initial_form_count()
            include = form.cleaned_data.get("include")
            if not proposed:
                counts["added"] += bool(include)
            elif not include:
                counts["declined"] += 1
            elif [f for f in form.changed_data if f != "include"]:
                counts["corrected"] += 1
            else:
                counts["accepted"] += 1
        summary[name] = counts
    changed = set(review.agreement.changed_data)
    for field in (
        "kind",
        "status",
        "date",
        "date_precision",
        "country",
        "city_en",
        "city_ko",
        "stages",
    ):
        summary[field] = "corrected" if field in changed else "accepted"
    return summary
