"""Writes into the catalogue from outside the admin: the intake review, the command line and
the spreadsheet import all go through `record_agreement`.

Everything it is given is built into model objects, validated with `full_clean()` as the
admin and `loaddata` validate them, and saved in one transaction, as one django-reversion
revision with the user and a comment naming where it came from. A single bad item saves
nothing, and the error names the item and the field: `parties[2].role`.
"""

import reversion
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CheckConstraint
from django.utils.translation import gettext as _

from .models import (
    Agreement,
    AgreementMineral,
    AgreementSource,
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

# How each model's foreign keys are named in the data given: by natural key.
REFERENCES = {
    Institution: {"country": (Country, "code"), "parent": (Institution, "slug")},
    Agreement: {"country": (Country, "code"), "parent": (Agreement, "slug")},
    Party: {"institution": (Institution, "slug"), "country": (Country, "code")},
    AgreementMineral: {"mineral": (Mineral, "slug")},
    AgreementSource: {"source": (Source, "slug")},
    Place: {"country": (Country, "code")},
    Source: {},
    Milestone: {},
    KeyFigure: {},
}


def record_agreement(
    *,
    user,
    comment,
    agreement,
    changes=None,
    removals=None,
    institutions=(),
    sources=(),
    parties=(),
    minerals=(),
    milestones=(),
    key_figures=(),
    places=(),
    stages=(),
    source_links=(),
):
    """Record an agreement with everything that belongs to it, or add to one.

    `agreement` is a dict of a new agreement's fields, or the slug of an existing
    agreement that the other items are added to (a further source for an event already
    recorded). `institutions` and `sources` are new records, created first, so that the
    parties and source links can name them. Every other item is a dict of its model's
    fields; foreign keys are given by natural key (`"country": "MN"`, `"institution":
    "kigam"`, `"mineral": "lithium"`, `"source": "slug"`), and `stages` are stage slugs.

    For an existing agreement, `changes` are fields to set on it (`{"title_en": …,
    "country": "MN"}`) and `removals` what to take away from it, by natural key:
    `{"parties": [(institution slug or "", country code or "", role)], "minerals":
    [slug], "stages": [slug], "source_links": [source slug]}`. Removals come before
    additions, and the agreement must still cite a source afterwards.

    Returns the agreement. Raises ValidationError keyed `item.field` (`agreement.slug`,
    `parties[2].role`); nothing is saved then.
    """
    # The revision is filled by hand, once, at the end: left to django-reversion's save
    # signal, every party, mineral or source link saved re-read the whole agreement (half
    # of a 1,000-row sheet's saving time).
    with transaction.atomic(), reversion.create_revision(manage_manually=True):
        reversion.set_user(user)
        reversion.set_comment(comment)
        for index, fields in enumerate(institutions):
            item = f"institutions[{index}]"
            reversion.add_to_revision(saved(build(Institution, fields, item), item))
        for index, fields in enumerate(sources):
            item = f"sources[{index}]"
            reversion.add_to_revision(saved(build(Source, fields, item), item))

        if isinstance(agreement, str):
            record = referenced(Agreement, "slug", agreement, "agreement", "slug")
            new = False
            if changes:
                changed = build(Agreement, changes, "agreement")
                for field in changes:
                    setattr(record, field, getattr(changed, field))
                saved(record, "agreement")
            if removals:
                remove(record, removals)
        else:
            record = saved(build(Agreement, agreement, "agreement"), "agreement")
            new = True
            if not source_links:
                raise ValidationError({"source_links": no_source()})
        children = [
            ("parties", Party, parties),
            ("minerals", AgreementMineral, minerals),
            ("milestones", Milestone, milestones),
            ("key_figures", KeyFigure, key_figures),
            ("places", Place, places),
            ("source_links", AgreementSource, source_links),
        ]
        for name, model, items in children:
            for index, fields in enumerate(items):
                item = f"{name}[{index}]"
                saved(build(model, fields, item, agreement=record), item)
        stage_records = [
            referenced(Stage, "slug", slug, f"stages[{index}]", "slug")
            for index, slug in enumerate(stages)
        ]
        if new:
            record.stages.set(stage_records)
        else:
            record.stages.add(*stage_records)
            record.save(update_fields=["updated_at"])  # the record changed: say when
            if removals and not record.source_links.exists():
                raise ValidationError({"source_links": no_source()})
        reversion.add_to_revision(record)
        return record


def no_source():
    return _("Cite at least one source: every agreement has to say where it comes from.")


def remove(record, removals):
    """Take parties, minerals, stages and source links away from `record` (see
    `record_agreement`); naming one it does not have is an error."""
    for index, (institution, country, role) in enumerate(removals.get("parties", ())):
        deleted, _by_model = Party.objects.filter(
            agreement=record,
            institution__slug=institution or None,
            country__code=country or None,
            role=role,
        ).delete()
        if not deleted:
            raise ValidationError(
                {f"removals.parties[{index}]": _("The agreement has no such party.")}
            )
    links = [
        ("minerals", AgreementMineral, "mineral__slug"),
        ("source_links", AgreementSource, "source__slug"),
    ]
    for name, model, key in links:
        for index, value in enumerate(removals.get(name, ())):
            deleted, _by_model = model.objects.filter(agreement=record, **{key: value}).delete()
            if not deleted:
                raise ValidationError(
                    {
                        f"removals.{name}[{index}]": _("The agreement has no “%(value)s”.")
                        % {"value": value}
                    }
                )
    stages = removals.get("stages", ())
    if stages:
        record.stages.remove(*Stage.objects.filter(slug__in=stages))
    # Deletions send no signal that moves the data revision (signals.py): say so here.
    schedule_bump()


def build(model, fields, item, agreement=None):
    """An unsaved `model` object from `fields`, its foreign keys looked up by natural key."""
    fields = dict(fields)
    names = {f.name for f in model._meta.get_fields() if f.concrete}
    unknown = sorted(set(fields) - names)
    if unknown:
        raise ValidationError(
            {
                f"{item}.{unknown[0]}": _("%(model)s has no field “%(field)s”.")
                % {"model": model._meta.verbose_name, "field": unknown[0]}
            }
        )
    for field, (target, key) in REFERENCES[model].items():
        value = fields.get(field)
        if value in (None, ""):
            fields[field] = None
        elif not isinstance(value, target):
            fields[field] = referenced(target, key, value, item, field)
    if agreement is not None:
        fields["agreement"] = agreement
    return model(**fields)


def referenced(model, key, value, item, field):
    try:
        return model.objects.get(**{key: value})
    except model.DoesNotExist:
        raise ValidationError(
            {
                f"{item}.{field}": _("There is no %(model)s “%(value)s”.")
                % {"model": model._meta.verbose_name, "value": value}
            }
        ) from None


def saved(obj, item):
    """Validate `obj` as the admin does and save it; errors are keyed `item.field`.

    The check constraints are left to the database, which enforces them on save: Django
    validates each one with a query of its own before saving (more than half of a 1,000-row
    sheet's saving time), and the models' `clean()` explains their rules to a person first.
    A violation the database still finds is reported on the item, by the constraint's
    name."""
    try:
        obj.full_clean(validate_constraints=False)
        validate_unique_constraints(obj)
    except ValidationError as error:
        raise ValidationError(
            {
                (item if field == "__all__" else f"{item}.{field}"): messages
                for field, messages in error.message_dict.items()
            }
        ) from None
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as error:
        names = [c.name for c in obj._meta.constraints if c.name in str(error)]
        raise ValidationError(
            {
                item: _("The record breaks the rule “%(rule)s”.")
                % {"rule": names[0] if names else error}
            }
        ) from None
    return obj


def validate_unique_constraints(obj, exclude=None):
    """`Model.validate_constraints` without the check constraints (see `saved`)."""
    errors = {}
    for model, constraints in obj.get_constraints():
        for constraint in constraints:
            if isinstance(constraint, CheckConstraint):
                continue
            try:
                constraint.validate(model, obj, exclude=exclude, using=obj._state.db or "default")
            except ValidationError as error:
                errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
