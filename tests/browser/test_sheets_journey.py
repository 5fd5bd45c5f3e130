"""A sheet goes out and comes back, in Chromium: an analyst's selection downloaded as a
workbook, one title edited in it, imported by an admin through the preview, and the new
title on the public pages."""

import openpyxl
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "kr-mn-rare-metal-cooperation-center"
NEW_TITLE = "Korea–Mongolia rare-metal centre, as retitled in the sheet"


def test_a_selection_goes_out_as_a_workbook_and_an_edit_comes_back(
    visitor, django_user_model, tmp_path
):
    page = visitor.page

    # The analyst narrows the list to Mongolia and downloads it as Excel.
    visitor.goto("/en/agreements/?country=MN")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").first.click()
    workbook = tmp_path / download.value.suggested_filename
    download.value.save_as(workbook)
    assert workbook.suffix == ".xlsx"

    # Every Mongolian agreement is in it, and nothing else; one title is edited.
    book = openpyxl.load_workbook(workbook)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    assert SLUG in rows and all(
        "MN" in (sheet.cell(r, header.index("partner_countries") + 1).value or "")
        for r in rows.values()
    )
    sheet.cell(rows[SLUG], header.index("title_en") + 1, NEW_TITLE)
    edited = tmp_path / "mongolia-edited.xlsx"
    book.save(edited)

    # An admin uploads it; the preview shows that one change and nothing else.
    django_user_model.objects.create_superuser("curator", "c@example.org", "a-long-pass-phrase")
    page.goto(visitor.base + "/admin/login/?next=/admin/intake/sheetimport/add/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", "a-long-pass-phrase")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/intake/sheetimport/add/")
    page.set_input_files("#id_file", str(edited))
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.get_by_role("button", name="Preview the import").click()
    changes = page.locator("#sheet-changes tbody tr")
    assert changes.count() == 1
    assert "title_en" in changes.inner_text() and NEW_TITLE in changes.inner_text()
    assert page.locator("#sheet-errors").count() == 0

    # Saved; the public pages show the new title.
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.get_by_role("button", name="Save the import").click()
    assert page.locator(".messagelist .success").is_visible()
    visitor.goto(f"/en/agreements/{SLUG}/")
    assert NEW_TITLE in page.locator("h1").inner_text()
    visitor.goto("/en/agreements/?country=MN")
    assert page.get_by_role("link", name=NEW_TITLE).count() == 1
    visitor.finish()
