"""A selection as an Excel workbook: the agreements sheet with the CSV's columns, and an
"about" sheet that says what was selected, when, from which data revision and how to read
the columns, in the reader's language.

openpyxl's write-only mode keeps one row at a time in memory and writes the sheet to a
temporary file, so 100,000 agreements cost no more memory than ten. Every value is a text
cell (a date at month precision must not become the 1st of the month, a code must not
become a number), and a text starting like a formula is written as text with Excel's "quote
prefix" (the apostrophe a person types), so it is shown, edited and read back as typed and is
never run (OWASP, "CSV injection").
"""

import tempfile

from django.utils.translation import gettext_lazy, pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from .text import FORMULA_START

# How a cell holds several values: separated by a semicolon and a space, as in the CSV.
# A party is its English name and its role in brackets: "Korea Institute of Geoscience and
# Mineral Resources (signatory)".
SEPARATOR = "; "

# Column widths in characters: wide enough for most values, never wider than a screen.
WIDTHS = {
    "slug": 34,
    "title_en": 48,
    "title_ko": 36,
    "kind": 13,
    "status": 11,
    "date": 11,
    "date_precision": 9,
    "date_confidence": 9,
    "start": 11,
    "end": 11,
    "country": 8,
    "city_en": 14,
    "city_ko": 12,
    "partner_countries": 14,
    "parties": 60,
    "minerals": 28,
    "stages": 24,
    "sources": 50,
    "url": 40,
}

MEANINGS = {
    "slug": gettext_lazy(
        "The agreement's permanent identifier. On import it decides whether a row updates an "
        "agreement (an identifier already recorded) or adds one."
    ),
    "title_en": gettext_lazy("Title in English."),
    "title_ko": gettext_lazy("Title in Korean."),
    "kind": gettext_lazy(
        "mou, agreement, rd-agreement, centre, oda, committee, conference, meeting, visit or "
        "research."
    ),
    "status": gettext_lazy("planned, active, completed or ended."),
    "date": gettext_lazy(
        "The defining date (signing, opening, meeting) as text at its precision: 2023, "
        "2023-11 or 2023-11-30. A month is never shown as the 1st of that month."
    ),
    "date_precision": gettext_lazy("year, month or day: how much of the date is known."),
    "date_confidence": gettext_lazy("high (confirmed), medium (likely) or low (unconfirmed)."),
    "start": gettext_lazy("When it took effect or started, at its precision; may be empty."),
    "end": gettext_lazy("When it ended or ends, at its precision; may be empty."),
    "country": gettext_lazy("Where it was signed, held or is based: a two-letter ISO code."),
    "city_en": gettext_lazy("City in English."),
    "city_ko": gettext_lazy("City in Korean."),
    "partner_countries": gettext_lazy(
        "Every country other than Korea that the agreement involves, as ISO codes: the "
        "countries of its parties and the place."
    ),
    "parties": gettext_lazy(
        "Institutions or governments taking part, each as its English name with its role in "
        "brackets: “Korea Institute of Geoscience and Mineral Resources (signatory)”."
    ),
    "minerals": gettext_lazy("The minerals it concerns, by identifier (lithium, rare-earths)."),
    "stages": gettext_lazy("Value-chain stages, by identifier (exploration, processing)."),
    "sources": gettext_lazy(
        "Where it comes from: each source's address, or its identifier when it has none."
    ),
    "url": gettext_lazy("The agreement's page on coopdash (not read on import)."),
}


def text_cell(sheet, value, font=None):
    """A text cell that is never a formula, whatever it starts with."""
    cell = WriteOnlyCell(sheet, value=None)
    cell.value = "" if value is None else str(value)
    cell.data_type = "s"
    if cell.value.startswith(FORMULA_START):
        cell.quotePrefix = True
    if font is not None:
        cell.font = font
    return cell


def write(columns, records, about, out):
    """Write the workbook to the binary file `out`: `records` (dicts of `columns`, list
    values for multi-valued cells) on the first sheet, `about` ((label, value) pairs) on
    the second."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(pgettext("sheet name", "agreements"))
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        letter = sheet_column(index)
        sheet.column_dimensions[letter].width = WIDTHS.get(column, 16)
    bold = Font(bold=True)
    sheet.append([text_cell(sheet, column, bold) for column in columns])
    for record in records:
        sheet.append(
            [
                text_cell(sheet, SEPARATOR.join(v) if isinstance(v, list) else v)
                for v in (record[c] for c in columns)
            ]
        )
    if columns:
        sheet.auto_filter.ref = f"A1:{sheet_column(len(columns))}1"

    notes = book.create_sheet(pgettext("sheet name", "about"))
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 100
    wrapped = Alignment(wrap_text=True, vertical="top")
    for label, value in about:
        value_cell = text_cell(notes, value)
        value_cell.alignment = wrapped
        notes.append([text_cell(notes, label, bold), value_cell])
    book.save(out)


def sheet_column(index):
    """The column letter of a 1-based index (A … Z, AA …)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def spooled():
    """A temporary file for a workbook being written: in memory while small."""
    return tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
