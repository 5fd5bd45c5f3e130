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
from django.db.models import CheckConstraint, Prefetch, prefetch_related_objects
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
from .signals import schedule_bump, text_cleaned

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
    lookups=None,
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

    `lookups` (a `Lookups`) lets a caller that records many agreements in one transaction
    (a spreadsheet) read each country, institution, mineral, stage and source once.

    Returns the agreement. Raises ValidationError keyed `item.field` (`agreement.slug`,
    `parties[2].role`); nothing is saved then.
    """
    lookups = lookups if lookups is not None else Lookups()
    writing = []  # the (item, object) pairs being written, to name one the database refuses
    try:
        return recorded(
            writing,
            lookups,
            user=user,
            comment=comment,
            agreement=agreement,
            changes=changes,
            removals=removals,
            institutions=institutions,
            sources=sources,
            children={
                "parties": (Party, parties),
                "minerals": (AgreementMineral, minerals),
                "milestones": (Milestone, milestones),
                "key_figures": (KeyFigure, key_figures),
                "places": (Place, places),
                "source_links": (AgreementSource, source_links),
            },
            stages=stages,
        )
    except IntegrityError as error:
        # The transaction (or this call's savepoint in the caller's) is rolled back by now.
        raise broken_rule(error, writing) from None


def recorded(
    writing,
    lookups,
    *,
    user,
    comment,
    agreement,
    changes,
    removals,
    institutions,
    sources,
    children,
    stages,
):
    """`record_agreement`'s work, inside its transaction."""
    # The revision is filled by hand, once, at the end: left to django-reversion's save
    # signal, every party, mineral or source link saved re-read the whole agreement (half
    # of a 1,000-row sheet's saving time). The transaction is ours: django-reversion's own
    # would be one more savepoint.
    with transaction.atomic(), reversion.create_revision(manage_manually=True, atomic=False):
        reversion.set_user(user)
        reversion.set_comment(comment)
        for index, fields in enumerate(institutions):
            item = f"institutions[{index}]"
            reversion.add_to_revision(
                saved(writing, *build(Institution, fields, item, lookups), item)
            )
        for index, fields in enumerate(sources):
            item = f"sources[{index}]"
            reversion.add_to_revision(saved(writing, *build(Source, fields, item, lookups), item))

        if isinstance(agreement, str):
            record = referenced(Agreement, "slug", agreement, "agreement", "slug")
            new = False
            if changes:
                changed, known = build(Agreement, changes, "agreement", lookups)
                for field in changes:
                    setattr(record, field, getattr(changed, field))
                # What it already had was checked when it was saved; clean() still
                # checks the record as a whole.
                unchanged = {f.name for f in Agreement._meta.concrete_fields} - set(changes)
                saved(writing, record, known | unchanged, "agreement", update_fields=changes)
            if removals:
                remove(record, removals)
        else:
            record = saved(writing, *build(Agreement, agreement, "agreement", lookups), "agreement")
            new = True
            if not children["source_links"][1]:
                raise ValidationError({"source_links": no_source()})
        written = {}
        for name, (model, items) in children.items():
            objects = written[model] = []
            for index, fields in enumerate(items):
                item = f"{name}[{index}]"
                obj, known = build(model, fields, item, lookups, agreement=record)
                validated(obj, item, known | {"agreement"}, unique=not new)
                objects.append((item, obj))
            unique_among(objects)
            inserted(writing, model, objects)
            for _item, obj in objects:
                # Added as they are, with the records they name at hand: the history's
                # labels then need no query of their own.
                reversion.add_to_revision(obj)
        stage_records = [
            lookups.get(Stage, "slug", slug, f"stages[{index}]", "slug")
            for index, slug in enumerate(stages)
        ]
        if stage_records:
            record.stages.add(*stage_records)
        if new:
            known_relations(record, written, stage_records)
        else:
            if not changes:
                record.save(update_fields=["updated_at"])  # the record changed: say when
            if removals and not record.source_links.exists():
                raise ValidationError({"source_links": no_source()})
            # Read back with what the history's labels name, a query per relation.
            prefetch_related_objects([record], *HISTORY_RELATIONS)
        reversion.add_to_revision(record)
        record.__dict__.pop("_prefetched_objects_cache", None)  # the history has it now
        return record


# An agreement's relations as django-reversion follows and serializes them (admin.CHILDREN
# and the many-to-many fields), with the records their labels (`__str__`) name.
HISTORY_RELATIONS = [
    Prefetch(name, queryset.order_by())  # in no order: the models' orderings cost joins
    for name, queryset in [
        ("parties", Party.objects.select_related("institution", "country")),
        ("mineral_links", AgreementMineral.objects.select_related("mineral")),
        ("milestones", Milestone.objects.all()),
        ("key_figures", KeyFigure.objects.all()),
        ("places", Place.objects.all()),
        ("source_links", AgreementSource.objects.select_related("source")),
        ("stages", Stage.objects.all()),
        ("related", Agreement.objects.all()),
    ]
]


def known_relations(record, written, stages):
    """Give a new agreement its children, stages and (no) related agreements as if they
    had been prefetched, as Django's `prefetch_related` keeps them: django-reversion then
    writes its history from the objects at hand instead of reading each relation back."""
    cache = record.__dict__.setdefault("_prefetched_objects_cache", {})
    relations = {
        model._meta.get_field("agreement").remote_field.get_accessor_name(): [
            obj for _item, obj in objects
        ]
        for model, objects in written.items()
    }
    relations |= {"stages": list(stages), "related": []}
    for name, objects in relations.items():
        queryset = getattr(record, name).all()
        queryset._result_cache, queryset._prefetch_done = objects, True
        cache[name] = queryset


class Lookups:
    """Records named by natural key, read from the database once each.

    Only what exists is kept, so a record created later in the same transaction (an
    institution a sheet's row proposes) is found when a later item names it."""

    def __init__(self):
        self.found = {}

    def get(self, model, key, value, item, field):
        if (model, key, value) not in self.found:
            self.found[model, key, value] = referenced(model, key, value, item, field)
        return self.found[model, key, value]


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


def build(model, fields, item, lookups, agreement=None):
    """An unsaved `model` object from `fields`, its foreign keys looked up by natural key;
    and the names of the foreign keys that were read from the database (they exist)."""
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
    known = set()
    for field, (target, key) in REFERENCES[model].items():
        value = fields.get(field)
        if value in (None, ""):
            fields[field] = None
        elif not isinstance(value, target):
            fields[field] = lookups.get(target, key, value, item, field)
            known.add(field)
    if agreement is not None:
        fields["agreement"] = agreement
    return model(**fields), known


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


def saved(writing, obj, known, item, update_fields=None):
    """Validate `obj` as the admin does (`validated`) and save it (only `update_fields`,
    if given)."""
    validated(obj, item, known)
    writing[:] = [(item, obj)]
    obj.save(update_fields=update_fields)
    return obj


def validated(obj, item, known=frozenset(), unique=True):
    """Validate `obj` as the admin does; errors are keyed `item.field`.

    The check constraints are left to the database, which enforces them on save: Django
    validates each one with a query of its own before saving (more than half of a 1,000-row
    sheet's saving time), and the models' `clean()` explains their rules to a person first.
    Foreign keys in `known` hold records just read or saved in this transaction, so they
    are not looked up again. `unique=False` leaves the unique constraints to `unique_among`
    (the items of a new agreement can only repeat each other)."""
    try:
        obj.full_clean(exclude=known, validate_constraints=False)
        if unique:
            validate_unique_constraints(obj)
    except ValidationError as error:
        raise ValidationError(
            {
                (item if field == "__all__" else f"{item}.{field}"): messages
                for field, messages in error.message_dict.items()
            }
        ) from None


def broken_rule(error, writing):
    """The ValidationError for a rule the database found broken (`error`) while `writing`
    ((item, object) pairs), named by the constraint and keyed by the item that breaks it.
    The check constraints are left to `clean()` and the database (`validated`), so this is
    rare: two writers at once, or a rule `clean()` does not state."""
    model = type(writing[0][1]) if writing else None
    constraints = [c for c in model._meta.constraints if c.name in str(error)] if model else []
    items = [item for item, _obj in writing]
    if constraints and len(writing) > 1:
        # Several objects went in one statement: ask the database which one breaks it.
        broken = []
        for item, obj in writing:
            try:
                constraints[0].validate(model, obj)
            except ValidationError:
                broken.append(item)
        items = broken or items
    rule = constraints[0].name if constraints else error
    return ValidationError(
        {
            items[0] if items else "__all__": _("The record breaks the rule “%(rule)s”.")
            % {"rule": rule}
        }
    )


def unique_among(objects):
    """The unique constraints among `objects` ((item, obj) pairs of one model), in memory:
    the same party or mineral twice in one call is refused with the admin's message. A
    value left empty never repeats another (as in SQL; the conditional constraints only
    apply where their fields are filled)."""
    seen = {}
    for item, obj in objects:
        for model, constraints in obj.get_constraints():
            for constraint in constraints:
                fields = getattr(constraint, "fields", ())
                if isinstance(constraint, CheckConstraint) or not fields:
                    continue
                values = tuple(getattr(obj, obj._meta.get_field(f).attname) for f in fields)
                if None in values:
                    continue
                if (constraint.name, values) in seen:
                    error = obj.unique_error_message(model, fields)
                    raise ValidationError({item: error.messages})
                seen[constraint.name, values] = item


def inserted(writing, model, objects):
    """Insert `objects` ((item, obj) pairs, validated) in one statement."""
    if not objects:
        return
    for _item, obj in objects:
        text_cleaned(model, obj)  # what pre_save does, which bulk_create does not send
    writing[:] = objects
    model.objects.bulk_create([obj for _item, obj in objects])
    schedule_bump()  # what post_save does


def validate_unique_constraints(obj, exclude=None):
    """`Model.validate_constraints` without the check constraints (see `validated`)."""
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
