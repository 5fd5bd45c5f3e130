"""Finding 10 (low): a fixture record carrying a `pk` silently overwrote an unrelated
curated agreement; a fixture that was not a list of objects crashed loaddata with a
traceback. Now the pk must name the same row as the natural key, and a malformed fixture is
named with the record that is wrong. Nothing is loaded in either case."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from partners.models import Agreement
from tests.helpers import FIXTURES

pytestmark = pytest.mark.django_db


def write(tmp_path, records):
    path = tmp_path / "fixture.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_a_pk_that_belongs_to_another_agreement_is_refused(tmp_path, canada_mou, pohang):
    record = next(
        r
        for r in json.loads(Path(FIXTURES[5]).read_text(encoding="utf-8"))
        if r["fields"]["slug"] == canada_mou.slug
    )
    record = {**record, "pk": pohang.pk}  # the Canada MOU's fields, Pohang's row
    with pytest.raises(CommandError) as error:
        call_command("loaddata", write(tmp_path, [record]), verbosity=0)
    assert "pk:" in str(error.value) and canada_mou.slug in str(error.value)
    assert Agreement.objects.get(pk=pohang.pk).slug == pohang.slug


@pytest.mark.parametrize(
    "content,message",
    [
        ({"model": "partners.stage", "fields": {}}, "is not a list of records"),
        (["partners.stage"], "record 1: not an object"),
        ([{"model": "partners.stage"}], "record 1: not an object"),
    ],
)
def test_a_fixture_that_is_not_a_list_of_records_is_named(tmp_path, content, message):
    with pytest.raises(CommandError, match=message):
        call_command("loaddata", write(tmp_path, content), verbosity=0)
