"""Django's loaddata, made to say which record of a fixture is wrong, and why.

Django's own message names at best a model and a primary key, and our fixtures have no
primary keys. This command validates every object with the model's full_clean() before
saving it, and when anything fails it reports the fixture file, the record (by its natural
key fields) and the field. As in Django's loaddata, all the fixtures of one call load in
one transaction, so a failure leaves the database exactly as it was.
"""

import json

from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.core.management.commands import loaddata


def describe(model_label, fields):
    """Name a fixture record the way a maintainer would look for it in the file."""
    keys = [
        f"{name}={fields[name]!r}"
        for name in (
            "agreement",
            "slug",
            "code",
            "institution",
            "country",
            "mineral",
            "source",
            "role",
        )
        if fields.get(name) not in (None, "")
    ]
    return f"{model_label} [{', '.join(keys) or 'no key fields'}]"


class Command(loaddata.Command):
    help = loaddata.Command.help + " Every record is validated first; errors name the record."

    def save_obj(self, obj):
        instance = obj.object
        # Fixtures load in dependency order, so a reference that cannot be resolved now is
        # a wrong key, except a reference to a record of the same model later in the file
        # (an agreement's parent): Django resolves those at the end of the load.
        deferred = obj.deferred_fields or {}
        problems = "; ".join(
            f"{field.name}: no record with the key {value!r}; check the spelling, and that "
            f"its fixture is loaded before this one"
            for field, value in deferred.items()
            if field.related_model is not type(instance)
        )
        if not problems:
            problems = self.check_primary_key(instance)
        if not problems:
            try:
                # Uniqueness is left to the database: a record loaded a second time
                # updates itself through its natural key.
                instance.full_clean(
                    exclude=[field.name for field in deferred],
                    validate_unique=False,
                    validate_constraints=False,
                )
            except ValidationError as error:
                problems = "; ".join(
                    f"{field}: {' '.join(messages)}"
                    for field, messages in error.message_dict.items()
                )
        if problems:
            fields = {f.name: getattr(instance, f.attname) for f in instance._meta.concrete_fields}
            for f in instance._meta.concrete_fields:
                if f.is_relation and getattr(instance, f.attname) is not None:
                    related = getattr(instance, f.name)
                    natural = getattr(related, "natural_key", None)
                    fields[f.name] = natural()[0] if natural else related.pk
            raise CommandError(
                f"Invalid record {describe(instance._meta.label_lower, fields)}: {problems}"
            )
        return super().save_obj(obj)

    def check_primary_key(self, instance):
        """Fixtures name records by natural key. A record that also carries a primary key
        must name the same row both ways: otherwise loading it would overwrite an unrelated
        record (say, another agreement) in place."""
        if instance.pk is None or not hasattr(instance, "natural_key"):
            return ""
        manager = type(instance)._default_manager.db_manager(self.using)
        key = instance.natural_key()
        at_pk = manager.filter(pk=instance.pk).first()
        if at_pk is not None and at_pk.natural_key() != key:
            return (
                f"pk: {instance.pk} is the primary key of another record ({at_pk.natural_key()}); "
                "fixtures name records by their natural key: remove the pk"
            )
        try:
            named = manager.get_by_natural_key(*key)
        except type(instance).DoesNotExist:
            return ""
        if named.pk != instance.pk:
            return (
                f"pk: the record {key} is the row with primary key {named.pk}, not "
                f"{instance.pk}; remove the pk"
            )
        return ""

    def load_label(self, fixture_label):
        try:
            return super().load_label(fixture_label)
        except CommandError:
            raise
        except Exception as error:
            culprit = self.find_culprit(fixture_label)
            if culprit:
                raise CommandError(f"{culprit}: {error}") from error
            raise

    def find_culprit(self, fixture_label):
        """Name the first record that cannot be deserialised on its own.

        Runs only after a failure, inside the transaction that is about to roll back, so
        the records before the culprit are in the database as they were during the load.
        """

        for fixture_file, _dir, _name in self.find_fixtures(fixture_label):
            if not fixture_file.endswith(".json"):
                continue
            try:
                with open(fixture_file, encoding="utf-8") as handle:
                    records = json.load(handle)
            except (OSError, ValueError) as error:
                return f"{fixture_file} is not valid JSON ({error})"
            if not isinstance(records, list):
                return (
                    f"{fixture_file} is not a list of records: a fixture is a JSON list of "
                    f'objects with "model" and "fields", not a {type(records).__name__}'
                )
            for index, record in enumerate(records):
                if not isinstance(record, dict) or not isinstance(record.get("fields"), dict):
                    return (
                        f"{fixture_file}, record {index + 1}: not an object with "
                        f'"model" and "fields" ({json.dumps(record, ensure_ascii=False)[:80]})'
                    )
                try:
                    list(serializers.deserialize("python", [record], using=self.using))
                except Exception:
                    return (
                        f"{fixture_file}, record {index + 1} "
                        f"{describe(record.get('model', '?'), record.get('fields', {}))}"
                    )
        return None
