"""The XLSX export: the CSV's columns as text cells, a frozen and sized header, dates at
their precision, an "about" sheet in the reader's language, formulas kept out; and a workbook
that LibreOffice opens and converts with Korean intact."""

import csv
import io
import shutil
import subprocess

import openpyxl
import pytest
from django.urls import reverse

from partners.exports import COLUMNS
from partners.models import Agreement, Revision
from tests.helpers import in_ci
from tests.sheets import export_bytes, export_workbook

pytestmark = pytest.mark.django_db


def test_the_workbook_has_the_csv_columns_and_every_agreement(client):
    book = export_workbook(client)
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    assert len(rows) - 1 == Agreement.objects.count()
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width > 20


def test_a_month_precision_date_stays_a_month(client):
    agreement = Agreement.objects.filter(date_precision="month").first()
    assert agreement is not None
    sheet = export_workbook(client).worksheets[0]
    header = [c.value for c in sheet[1]]
    (row,) = [r for r in sheet.iter_rows(min_row=2) if r[0].value == agreement.slug]
    cell = row[header.index("date")]
    assert cell.value == agreement.date_display and len(cell.value) == 7
    assert cell.data_type == "s"


def test_the_about_sheet_speaks_the_readers_language(client):
    book = export_workbook(client, lang="ko", country="MN")
    about = dict(book.worksheets[1].iter_rows(values_only=True))
    assert "country=MN" in about["선택"]
    assert about["데이터 개정"] == Revision.current()
    assert "2023-11" in about["date"]


def test_the_same_selection_as_the_list(client, mongolia):
    sheet = export_workbook(client, country="MN").worksheets[0]
    slugs = {r[0] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert slugs == set(Agreement.objects.with_country(mongolia).values_list("slug", flat=True))


def test_a_bad_selection_is_refused(client):
    response = client.get(reverse("partners:export-xlsx"), {"year_from": "abc"})
    assert response.status_code == 400


def test_cells_starting_like_a_formula_stay_text(client, pohang):
    Agreement.objects.filter(pk=pohang.pk).update(title_en="=cmd|' /C calc'!A0")
    sheet = export_workbook(client).worksheets[0]
    (row,) = [r for r in sheet.iter_rows(min_row=2) if r[0].value == pohang.slug]
    cell = row[1]
    assert cell.value == "=cmd|' /C calc'!A0"
    assert cell.data_type == "s" and cell.quotePrefix


def test_libreoffice_opens_the_workbook_with_korean_intact(client, tmp_path, pohang):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        message = "LibreOffice (soffice) not found: apt-get install -y libreoffice-calc-nogui"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    path = tmp_path / "agreements.xlsx"
    path.write_bytes(export_bytes(client))
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    rows = list(csv.reader(io.StringIO((tmp_path / "agreements.csv").read_text("utf-8"))))
    assert rows[0] == COLUMNS
    (row,) = [r for r in rows if r[0] == pohang.slug]
    assert row[COLUMNS.index("title_ko")] == pohang.title_ko
    assert row[COLUMNS.index("date")] == pohang.date_display
    assert len(rows) - 1 == Agreement.objects.count()
    # The workbook LibreOffice writes back reads as the same sheet.
    assert openpyxl.load_workbook(path).worksheets[0].max_row == len(rows)
