"""Helpers of the spreadsheet tests: workbooks made and read in memory, an upload through
the admin followed to its preview, and the catalogue's dumpdata."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation


def dump():
    """dumpdata of the catalogue (not the revision row, which is the cache's key)."""
    out = io.StringIO()
    call_command(
        "dumpdata",
        "partners",
        exclude=["partners.Revision"],
        natural_foreign=True,
        natural_primary=True,
        indent=1,
        stdout=out,
    )
    return out.getvalue()


def export_bytes(client, lang="en", **params):
    with translation.override(lang):
        url = reverse("partners:export-xlsx")
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return b"".join(response.streaming_content)


def export_workbook(client, **params):
    return openpyxl.load_workbook(io.BytesIO(export_bytes(client, **params)))


def workbook_bytes(book):
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def save_workbook(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    return workbook_bytes(book)


def upload(client, data, name):
    """Upload `data` as `name` and return the preview page."""
    response = client.post(
        reverse("admin:intake_sheetimport_add"), {"file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    return client.get(response["Location"])


def preview_rows(response):
    """(slug, column, old, new) of every change the preview shows."""
    return [
        (row.slug, change.column, change.old, change.new)
        for row in response.context["plan"].rows
        for change in row.changes
    ]
