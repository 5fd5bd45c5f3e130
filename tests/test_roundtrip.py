"""dumpdata of the whole database, loaded into an empty one, gives the same data."""

import io
import json

import pytest
from django.core.management import call_command

from partners.models import (
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

pytestmark = pytest.mark.django_db

ORDER = [
    Country,
    Mineral,
    Stage,
    Institution,
    Source,
    Agreement,
    Party,
    AgreementMineral,
    Milestone,
    KeyFigure,
    Place,
    AgreementSource,
]


def dump():
    out = io.StringIO()
    call_command(
        "dumpdata",
        "partners",
        exclude=["partners.Revision"],  # the cache key, not data (README: backups)
        natural_foreign=True,
        natural_primary=True,
        indent=1,
        stdout=out,
    )
    return out.getvalue()


def test_dump_and_load_into_an_empty_database_gives_the_same_data(tmp_path):
    before = dump()
    fixture = tmp_path / "everything.json"
    fixture.write_text(before, encoding="utf-8")
    Agreement.objects.update(parent=None)
    Institution.objects.update(parent=None)
    Mineral.objects.update(group=None)
    for model in reversed(ORDER):
        model.objects.all().delete()
    assert Agreement.objects.count() == 0
    call_command("loaddata", str(fixture), verbosity=0)
    assert dump() == before


def test_a_child_listed_before_its_parent_still_loads(tmp_path):

    records = [
        {
            "model": "partners.agreement",
            "fields": {
                "slug": "late-child",
                "title_en": "Child",
                "title_ko": "하위",
                "kind": "centre",
                "status": "active",
                "date": "2024-01-01",
                "summary_en": "x",
                "summary_ko": "x",
                "parent": ["late-parent"],
            },
        },
        {
            "model": "partners.agreement",
            "fields": {
                "slug": "late-parent",
                "title_en": "Parent",
                "title_ko": "상위",
                "kind": "oda",
                "status": "active",
                "date": "2023-01-01",
                "summary_en": "x",
                "summary_ko": "x",
            },
        },
    ]
    fixture = tmp_path / "forward.json"
    fixture.write_text(json.dumps(records), encoding="utf-8")
    call_command("loaddata", str(fixture), verbosity=0)
    assert Agreement.objects.get(slug="late-child").parent.slug == "late-parent"
