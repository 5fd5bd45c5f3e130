"""Reading an uploaded spreadsheet (CSV or XLSX) into rows of text, refusing what is not one.

Everything is checked before it is parsed: the size of the upload, what the bytes are (an
XLSX is a zip archive; a password-protected workbook is an OLE container; anything else must
be text), the uncompressed size of every part of the archive (a "zip bomb" of a few
kilobytes can unpack to gigabytes) and the number of rows. A formula is refused by cell:
the sheet should hold values. openpyxl parses the XML through defusedxml.
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from partners.text import clean_text, restore_formula_text

MAX_BYTES = 5 * 1024 * 1024  # an upload
MAX_UNPACKED = 50 * 1024 * 1024  # an XLSX's parts, uncompressed, all together
MAX_RATIO = 100  # uncompressed / compressed, per part (text XML compresses ~10:1)
MAX_PARTS = 200
MAX_ROWS = 5000  # rows of agreements, the header not counted
MAX_COLUMNS = 60
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted workbooks and the old .xls


class Unreadable(Exception):
    """A file that is not a spreadsheet coopdash can read; the message says what to do."""


@dataclass
class Sheet:
    columns: list  # header names as given, stripped
    rows: list  # (sheet row number, [values]) of rows that are not empty


def read(data, filename=""):
    """The sheet in `data` (bytes of a CSV or XLSX file)."""
    if len(data) > MAX_BYTES:
        raise Unreadable(
            _("The file is larger than %(limit)d MB: split the sheet into smaller ones.")
            % {"limit": MAX_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise Unreadable(_("The file is empty."))
    if data.startswith(OLE):
        raise Unreadable(
            _(
                "This is a password-protected workbook or an old Excel (.xls) file: save it "
                "without a password as an Excel workbook (.xlsx) or as CSV, and upload that."
            )
        )
    if data.startswith(b"PK"):
        return read_xlsx(data)
    return read_csv(data)


def not_a_sheet():
    return Unreadable(
        _(
            "This is not a spreadsheet coopdash can read: upload an Excel workbook (.xlsx) or "
            "a CSV file, for example one exported from coopdash."
        )
    )


def read_xlsx(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise not_a_sheet() from None
    if "xl/workbook.xml" not in {part.filename for part in parts}:
        raise not_a_sheet()
    unpacked = sum(part.file_size for part in parts)
    if (
        len(parts) > MAX_PARTS
        or unpacked > MAX_UNPACKED
        or any(part.file_size > MAX_RATIO * max(part.compress_size, 1024) for part in parts)
    ):
        raise Unreadable(
            _(
                "This workbook unpacks to far more than its size (%(size)d MB or more): it is "
                "not an ordinary sheet of agreements. Save the sheet alone as a new workbook."
            )
            % {"size": max(unpacked // (1024 * 1024), 1)}
        )
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError):
        raise not_a_sheet() from None
    except Exception:  # openpyxl raises many kinds on a damaged archive  # noqa: BLE001
        raise not_a_sheet() from None
    try:
        sheet = book.worksheets[0]
        found, blank = [], 0
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            if blank > 1000:  # formatting down to row 1,048,576: the data has ended
                break
            values = []
            for cell in cells[:MAX_COLUMNS]:
                if getattr(cell, "data_type", None) == "f":
                    raise Unreadable(
                        _(
                            "Cell %(cell)s holds a formula (%(formula)s). coopdash reads "
                            "values only: copy the sheet and paste it as values (Paste "
                            "Special → Values), then upload again."
                        )
                        % {"cell": cell.coordinate, "formula": str(cell.value)[:40]}
                    )
                values.append(xlsx_value(cell.value))
            if any(v != "" for v in values):
                blank = 0
                found.append((number, values))
                too_many(len(found) - 1)
            else:
                blank += 1
    finally:
        book.close()
    return table(found)


def xlsx_value(value):
    """A cell's value as text, but dates, kept as dates (the column decides)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return restore_formula_text(clean_text(str(value)).strip())


def read_csv(data):
    if b"\x00" in data[:4096]:
        raise not_a_sheet()
    for encoding in ("utf-8-sig", "cp949"):  # Excel in Korean saves CSV in CP949
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise not_a_sheet()
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    if not first.count(delimiter):
        raise not_a_sheet()
    found = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, values in enumerate(reader, start=1):  # the row as a sheet shows it
            # A CSV exported by coopdash marks a cell that starts like a formula with an
            # apostrophe (exports.neutralise_formula): read back what was meant.
            values = [restore_formula_text(clean_text(v).strip()) for v in values[:MAX_COLUMNS]]
            if any(values):
                found.append((number, values))
                too_many(len(found) - 1)
    except csv.Error:
        raise not_a_sheet() from None
    return table(found)


def too_many(rows):
    if rows > MAX_ROWS:
        raise Unreadable(
            _(
                "The sheet has more than %(limit)d rows: import it in parts of at most "
                "%(limit)d rows."
            )
            % {"limit": MAX_ROWS}
        )


def table(found):
    """The first row that is not empty is the header; row numbers are those the sheet shows."""
    if not found:
        raise Unreadable(_("The file is empty."))
    header = [str(v).strip() for v in found[0][1]]
    return Sheet(header, found[1:])
