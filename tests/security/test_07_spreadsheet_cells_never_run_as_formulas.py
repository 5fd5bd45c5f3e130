"""Finding 7 (medium): CSV formula injection.

A title beginning with =, +, -, @, a tab or a carriage return left the CSV export as a live
formula for Excel and LibreOffice. Now such a cell is given a leading apostrophe (OWASP's
advice), which spreadsheet programs show as text.
"""

import csv
import io

import pytest

from tests.factories import make_agreement
from tests.helpers import text

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1)",
    "\t=1",
    "\r=1",
]


@pytest.mark.parametrize("title", HOSTILE)
def test_a_cell_that_would_run_is_exported_as_text(client, title):
    make_agreement(slug="hostile-title", title_en=title, city_en=title)
    body = text(client.get("/en/agreements.csv")).lstrip("\ufeff")
    row = next(r for r in csv.DictReader(io.StringIO(body)) if r["slug"] == "hostile-title")
    assert row["title_en"] == "'" + title and row["city_en"] == "'" + title


def test_ordinary_cells_are_left_alone(client, canada_mou):
    body = text(client.get("/en/agreements.csv")).lstrip("\ufeff")
    row = next(r for r in csv.DictReader(io.StringIO(body)) if r["slug"] == canada_mou.slug)
    assert row["title_en"] == canada_mou.title_en and row["date"] == "2026-01-28"
