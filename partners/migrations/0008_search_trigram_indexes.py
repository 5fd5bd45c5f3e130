"""On PostgreSQL, trigram indexes for the search of titles and summaries (search.py).

A search term of three characters or more is looked up in them instead of reading every
title and summary: "lithium" at 100,000 agreements, 63 ms → under a millisecond
(docs/PERFORMANCE.md). The indexes are on `UPPER(column)`, which is what Django's
`icontains` compares on PostgreSQL. pg_trgm ships with PostgreSQL and is a trusted extension
(PostgreSQL 13 and later): the database's owner may create it. Where it cannot be created,
the migration says so and goes on without the indexes: the search works, reading every row.

Nothing is done on other databases.
"""

from django.db import DatabaseError, migrations, transaction

COLUMNS = ["title_en", "title_ko", "summary_en", "summary_ko"]


def index_name(column):
    return f"agreement_{column}_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("partners", "Agreement")._meta.db_table
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        print(f"\n  pg_trgm is not available ({error}); search reads every title and summary.")
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index_name(column)} ON {table} "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index_name(column)}")


class Migration(migrations.Migration):
    dependencies = [("partners", "0007_forget_research_notes")]

    operations = [migrations.RunPython(create, drop)]
