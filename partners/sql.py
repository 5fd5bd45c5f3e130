"""SQL expressions that Django does not provide, written once for SQLite and PostgreSQL."""

import json

from django.db import models
from django.db.models.functions import Cast, Concat, LPad


class Year(models.Func):
    """The year of a date as an integer, in SQL on every database: Django's ExtractYear is
    a Python function called per row on SQLite, which made yearly counts slow there."""

    template = "CAST(EXTRACT(YEAR FROM %(expressions)s) AS INTEGER)"
    output_field = models.IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="CAST(strftime('%%%%Y', %(expressions)s) AS INTEGER)"
        )


SEPARATOR = "\x1f"  # between the items joined into one column (ASCII unit separator)
KEY = "\x1e"  # between an item's sort key and its value (ASCII record separator)


class Joined(models.Aggregate):
    """The strings of a group joined with SEPARATOR, in the database: GROUP_CONCAT on
    SQLite, STRING_AGG on PostgreSQL. Order is not guaranteed; items carry their sort key."""

    function = "GROUP_CONCAT"
    output_field = models.TextField()

    def __init__(self, expression, **extra):
        super().__init__(expression, models.Value(SEPARATOR), **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="STRING_AGG", **extra)


def joined(queryset, *parts):
    """A correlated subquery joining, per agreement, `parts` (concatenated) of the rows of
    `queryset` (which has an `agreement` foreign key) into one string."""
    return models.Subquery(
        queryset.filter(agreement=models.OuterRef("pk"))
        .order_by()
        .values("agreement")
        .annotate(items=Joined(Concat(*parts, output_field=models.TextField())))
        .values("items")
    )


def split_joined(value):
    """The values of a Joined column, in the order of their sort keys."""
    if not value:
        return []
    return [item for _key, item in sorted(item.split(KEY, 1) for item in value.split(SEPARATOR))]


def padded(field, width=12):
    return LPad(Cast(field, models.CharField()), width, models.Value("0"))


class InIds(models.Lookup):
    """`pk__in_ids=[...]`: membership in a list of integers passed as ONE parameter, however
    long (a JSON array read by json_each on SQLite, an array on PostgreSQL). A selection
    evaluated once can then be reused by every query of a page without sending thousands of
    parameters, or hitting SQLite's limit on them, each time."""

    lookup_name = "in_ids"
    prepare_rhs = False  # a list of ids, converted below, not one value of the field

    def get_db_prep_lookup(self, value, connection):
        ids = [int(pk) for pk in value]
        if connection.vendor == "postgresql":
            return "%s", [ids]
        return "%s", [json.dumps(ids)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY({rhs}::bigint[])", (*lhs_params, *rhs_params)
        return f"{lhs} IN (SELECT value FROM json_each({rhs}))", (*lhs_params, *rhs_params)


# On every field, and on foreign keys, which take only the lookups registered for relations.
models.Field.register_lookup(InIds)
models.ForeignObject.register_lookup(InIds)
