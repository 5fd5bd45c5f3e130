"""Importing a sheet of agreements in the admin: upload, preview (new / changed / unchanged /
error, each error naming row, column and the fix), confirm; who may do it; the round trip
from the XLSX export; malformed files."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reversion.models import Version

from intake.models import SheetImport
from partners.models import Agreement, Institution, Mineral, Revision
from tests.helpers import staff_with
from tests.sheets import (
    dump,
    export_workbook,
    preview_rows,
    save_workbook,
    upload,
    workbook_bytes,
)

pytestmark = pytest.mark.django_db

ADD = reverse("admin:intake_sheetimport_add")


def confirm(client, response, **extra):
    return client.post(
        response.wsgi_request.path,
        {"fingerprint": response.context["plan"].fingerprint, **extra},
    )


# --- The round trip ----------------------------------------------------------------------


def test_the_whole_record_exported_and_imported_unchanged_changes_nothing(
    client, staff_client, django_capture_on_commit_callbacks
):
    before = dump()
    book = export_workbook(client)
    response = upload(staff_client, workbook_bytes(book), "record.xlsx")
    plan = response.context["plan"]
    assert plan.counts == {
        "new": 0,
        "changed": 0,
        "unchanged": Agreement.objects.count(),
        "error": 0,
    }
    assert "Nothing to save" in response.content.decode()
    assert dump() == before


def test_three_changed_cells_are_exactly_three_changes_and_saving_applies_exactly_them(
    client, staff_client, django_capture_on_commit_callbacks, pohang, lithium
):
    before = Revision.current()
    book = export_workbook(client)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    others = [slug for slug in rows if slug != pohang.slug][:2]
    sheet.cell(rows[pohang.slug], header.index("title_en") + 1, "Pohang battery R&D, retitled")
    sheet.cell(rows[others[0]], header.index("date") + 1, "2019-07")
    sheet.cell(rows[others[0]], header.index("date_precision") + 1, "month")
    minerals_cell = sheet.cell(rows[others[1]], header.index("minerals") + 1)
    had = [m for m in (minerals_cell.value or "").split("; ") if m]
    added = Mineral.objects.exclude(slug__in=had).order_by("slug").first().slug
    minerals_cell.value = "; ".join([*had, added])

    response = upload(staff_client, workbook_bytes(book), "edited.xlsx")
    changes = preview_rows(response)
    assert sorted((slug, column) for slug, column, _old, _new in changes) == sorted(
        [(pohang.slug, "title_en"), (others[0], "date"), (others[1], "minerals")]
    )
    untouched = {
        a.slug: a.updated_at for a in Agreement.objects.exclude(slug__in=[pohang.slug, *others])
    }

    with django_capture_on_commit_callbacks(execute=True):
        done = confirm(staff_client, response)
    assert done.status_code == 302
    pohang.refresh_from_db()
    assert pohang.title_en == "Pohang battery R&D, retitled"
    first = Agreement.objects.get(slug=others[0])
    assert (first.date_display, first.date_precision) == ("2019-07", "month")
    second = Agreement.objects.get(slug=others[1])
    assert added in set(second.minerals.values_list("slug", flat=True))
    assert {
        a.slug: a.updated_at for a in Agreement.objects.exclude(slug__in=[pohang.slug, *others])
    } == untouched
    # One history entry per changed agreement, naming the file; one revision bump.
    for slug in (pohang.slug, *others):
        agreement = Agreement.objects.get(slug=slug)
        latest = Version.objects.get_for_object(agreement).first()
        assert "edited.xlsx" in latest.revision.comment
    assert Revision.current() != before
    upload_row = SheetImport.objects.get()
    assert upload_row.is_imported and upload_row.data in (b"", memoryview(b""))
    # Imported again: nothing left to change.
    again = upload(staff_client, workbook_bytes(book), "edited.xlsx")
    assert again.context["plan"].counts["changed"] == 0


def test_the_import_moves_the_data_revision_once(
    client, staff_client, django_capture_on_commit_callbacks, pohang, conference
):
    book = export_workbook(client)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    for r in range(2, sheet.max_row + 1):
        if sheet.cell(r, 1).value in (pohang.slug, conference.slug):
            sheet.cell(r, header.index("city_en") + 1, "Somewhere else")
    response = upload(staff_client, workbook_bytes(book), "two.xlsx")
    bumps = []
    original = Revision.bump

    def counted(using="default"):
        bumps.append(using)
        return original(using)

    Revision.bump = counted
    try:
        with django_capture_on_commit_callbacks(execute=True):
            confirm(staff_client, response)
    finally:
        Revision.bump = original
    assert len(bumps) == 1


# --- A reduced sheet, new rows and new institutions ---------------------------------------


def reduced(*rows, header=("title_en", "title_ko", "kind", "date", "countries", "sources")):
    return save_workbook([list(header), *[list(r) for r in rows]])


def test_a_reduced_sheet_adds_a_new_agreement_with_country_parties(
    staff_client, django_capture_on_commit_callbacks, mongolia_centre
):
    source = mongolia_centre.sources.first()
    data = reduced(
        ["Test partnership on gallium", "갈륨 시험 협력", "mou", "2024-06", "몽골", source.url]
    )
    response = upload(staff_client, data, "reduced.xlsx")
    plan = response.context["plan"]
    assert plan.counts["new"] == 1, plan.rows[0].errors
    with django_capture_on_commit_callbacks(execute=True):
        confirm(staff_client, response)
    agreement = Agreement.objects.get(title_en="Test partnership on gallium")
    assert (agreement.date_display, agreement.date_precision) == ("2024-06", "month")
    assert [c.code for c in agreement.partner_countries] == ["MN"]
    assert agreement.slug == "test-partnership-on-gallium-2024"


def test_a_row_without_identifier_matching_a_recorded_event_updates_it(staff_client, pohang):
    data = reduced(
        [pohang.title_en, pohang.title_ko, pohang.kind, pohang.date_display],
        header=("title_en", "title_ko", "kind", "date"),
    )
    response = upload(staff_client, data, "match.xlsx")
    row = response.context["plan"].rows[0]
    assert row.slug == pohang.slug and row.matched
    assert row.state == "unchanged"


def test_an_unknown_institution_is_proposed_and_created_only_when_confirmed(
    staff_client, django_capture_on_commit_callbacks, pohang
):
    data = save_workbook(
        [["slug", "parties"], [pohang.slug, "Gallium Test Institute (participant)"]]
    )
    response = upload(staff_client, data, "institution.xlsx")
    proposals = response.context["proposals"]
    assert [form.proposal.name for form in proposals] == ["Gallium Test Institute"]
    assert not Institution.objects.filter(name_en="Gallium Test Institute").exists()
    # Unticked: the row is in error, and nothing is saved.
    refused = confirm(staff_client, response)
    assert refused.status_code == 200
    assert refused.context["plan"].counts["error"] == 1
    assert not Institution.objects.filter(name_en="Gallium Test Institute").exists()
    # Ticked and completed: created with the agreement's change.
    with django_capture_on_commit_callbacks(execute=True):
        done = confirm(
            staff_client,
            response,
            **{
                "new-0-include": "on",
                "new-0-name_en": "Gallium Test Institute",
                "new-0-name_ko": "갈륨 시험 연구소",
                "new-0-kind": "research",
                "new-0-country": "KR",
            },
        )
    assert done.status_code == 302, done.context and done.context["plan"].rows[0].errors
    institution = Institution.objects.get(name_en="Gallium Test Institute")
    assert pohang.parties.filter(institution=institution, role="participant").exists()


# --- Errors: each names row, column and the fix; nothing saved -----------------------------


@pytest.mark.parametrize(
    ("column", "value", "column_named", "words"),
    [
        ("partner_countries", "Atlantis", "partner_countries", "no country “Atlantis”"),
        ("minerals", "unobtainium", "minerals", "no mineral “unobtainium”"),
        ("date", "sometime in May", "date", "not a date"),
        ("end", "1999", "end", "before the start"),
        ("sources", "", "sources", "at least one source"),
        ("kind", "treaty", "kind", "not one of"),
        ("parties", "KIGAM", "parties", "has no role"),
    ],
)
def test_an_error_names_the_row_the_column_and_the_fix(
    staff_client, mongolia_centre, column, value, column_named, words
):
    source = mongolia_centre.sources.first().url
    header = [
        "title_en",
        "title_ko",
        "kind",
        "date",
        "start",
        "end",
        "partner_countries",
        "minerals",
        "sources",
        "parties",
    ]
    row = [
        "Error test row",
        "오류 시험 행",
        "mou",
        "2024-05-02",
        "2024-05",
        "",
        "MN",
        "lithium",
        source,
        "KIGAM (signatory)",
    ]
    row[header.index(column)] = value
    before = Agreement.objects.count()
    response = upload(staff_client, save_workbook([header, row]), "errors.xlsx")
    errors = [(r.number, c, m) for r in response.context["plan"].rows for c, m in r.errors]
    assert any(n == 2 and c == column_named and words in m for n, c, m in errors), errors
    page = response.content.decode()
    assert words.split("“")[0] in page
    refused = confirm(staff_client, response)
    assert refused.status_code == 200 and Agreement.objects.count() == before


def test_korean_names_are_matched_through_the_name_index(staff_client, mongolia_centre):
    source = mongolia_centre.sources.first().url
    data = reduced(["Index test", "색인 시험", "양해각서", "2024", "몽골; 캐나다", source])
    response = upload(staff_client, data, "ko.xlsx")
    row = response.context["plan"].rows[0]
    assert row.state == "new", row.errors


def test_import_only_the_valid_rows_leaves_the_rows_in_error_out(
    staff_client, django_capture_on_commit_callbacks, mongolia_centre
):
    source = mongolia_centre.sources.first().url
    data = reduced(
        ["Valid row", "유효한 행", "mou", "2024-01", "MN", source],
        ["Broken row", "잘못된 행", "mou", "not a date", "MN", source],
    )
    response = upload(staff_client, data, "mixed.xlsx")
    assert response.context["plan"].counts == {"new": 1, "changed": 0, "unchanged": 0, "error": 1}
    refused = confirm(staff_client, response)
    assert refused.status_code == 200
    assert not Agreement.objects.filter(title_en="Valid row").exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = confirm(staff_client, response, only_valid="on")
    assert done.status_code == 302
    assert Agreement.objects.filter(title_en="Valid row").exists()
    assert not Agreement.objects.filter(title_en="Broken row").exists()


def test_a_cell_starting_like_a_formula_is_data(
    staff_client, django_capture_on_commit_callbacks, pohang, client
):
    # As Excel keeps what a person types as '=HYPERLINK(1): a text cell, quote-prefixed.
    book = openpyxl.Workbook()
    book.active.append(["slug", "city_en", "city_ko"])
    book.active.append([pohang.slug])
    for ref, value in (("B2", "=HYPERLINK(1)"), ("C2", "@SUM(A1)")):
        book.active[ref] = value
        book.active[ref].data_type = "s"
        book.active[ref].quotePrefix = True
    response = upload(staff_client, workbook_bytes(book), "formula-text.xlsx")
    with django_capture_on_commit_callbacks(execute=True):
        confirm(staff_client, response)
    pohang.refresh_from_db()
    assert (pohang.city_en, pohang.city_ko) == ("=HYPERLINK(1)", "@SUM(A1)")
    # and goes out as text again
    book = export_workbook(client)
    cells = [c for row in book.worksheets[0].iter_rows() for c in row if c.value == "=HYPERLINK(1)"]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)


# --- Malformed files: a clear message, nothing changes -------------------------------------


def refused_upload(client, data, name):
    response = client.post(ADD, {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    assert not SheetImport.objects.exists()
    return " ".join(response.context["form"].errors["file"])


def test_a_file_that_is_no_spreadsheet_is_refused(staff_client):
    message = refused_upload(staff_client, b"%PDF-1.4 binary \x00\x01\x02", "article.xlsx")
    assert "not a spreadsheet" in message


def test_a_password_protected_workbook_is_refused(staff_client):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000
    assert "password" in refused_upload(staff_client, ole, "locked.xlsx")


def test_a_sheet_of_fifty_thousand_rows_is_refused(staff_client):
    lines = ["slug,title_en"] + [f"row-{n},Row {n}" for n in range(50_000)]
    message = refused_upload(staff_client, "\n".join(lines).encode(), "huge.csv")
    assert "more than 5000 rows" in message


def test_a_formula_is_refused_by_its_cell(staff_client):
    book = openpyxl.Workbook()
    book.active.append(["slug", "title_en"])
    book.active.append(["x", "=1+1"])
    out = io.BytesIO()
    book.save(out)
    message = refused_upload(staff_client, out.getvalue(), "formula.xlsx")
    assert "B2" in message and "formula" in message


def test_a_zip_bomb_is_refused_before_it_is_unpacked(staff_client):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<a>" + " " * 200_000_000 + "</a>")
    message = refused_upload(staff_client, out.getvalue(), "bomb.xlsx")
    assert "unpacks" in message


def test_an_oversize_upload_is_refused(staff_client):
    message = refused_upload(staff_client, b"a,b\n" * (2 * 1024 * 1024), "big.csv")
    assert "larger than 5 MB" in message


def test_a_sheet_without_identifier_or_titles_is_sent_back(staff_client):
    data = save_workbook([["kind", "date"], ["mou", "2024"]])
    response = staff_client.post(ADD, {"file": SimpleUploadedFile("x.xlsx", data)})
    preview = staff_client.get(response["Location"], follow=True)
    assert "slug" in preview.content.decode() and "title_en" in preview.content.decode()


def test_a_csv_from_korean_excel_is_read(staff_client, pohang):
    text = f"slug,title_ko\n{pohang.slug},{pohang.title_ko}\n"
    response = upload(staff_client, text.encode("cp949"), "korean.csv")
    assert response.context["plan"].counts["unchanged"] == 1


def test_the_csv_export_imports_unchanged(client, staff_client):
    csv_bytes = b"".join(client.get(reverse("partners:export-csv")).streaming_content)
    response = upload(staff_client, csv_bytes, "record.csv")
    assert response.context["plan"].counts["unchanged"] == Agreement.objects.count()


# --- Permissions ---------------------------------------------------------------------------


def test_only_staff_who_may_change_agreements_import(django_user_model, pohang):
    data = save_workbook([["slug", "city_en"], [pohang.slug, "Elsewhere"]])
    viewer = staff_with(django_user_model, "partners.view_agreement")
    assert viewer.get(ADD).status_code == 403
    assert viewer.post(ADD, {"file": SimpleUploadedFile("x.xlsx", data)}).status_code == 403
    editor = staff_with(django_user_model, "partners.change_agreement", username="editor")
    response = upload(editor, data, "x.xlsx")
    assert response.context["plan"].counts["changed"] == 1
    # Another admin's upload is not theirs to see or confirm.
    assert viewer.get(response.wsgi_request.path).status_code in (302, 403, 404)


def test_new_rows_need_permission_to_add_agreements(django_user_model, mongolia_centre):
    editor = staff_with(django_user_model, "partners.change_agreement")
    source = mongolia_centre.sources.first().url
    data = reduced(["Needs add", "추가 필요", "mou", "2024", "MN", source])
    response = upload(editor, data, "x.xlsx")
    (row,) = response.context["plan"].rows
    assert row.state == "error" and "may not add agreements" in row.errors[0][1]


def test_the_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(ADD)
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_csv_cell_starting_like_a_formula_is_data(staff_client, pohang):
    text = f"slug,city_en,city_ko\n{pohang.slug},'=1+2,-40%\n"
    response = upload(staff_client, text.encode(), "formula.csv")
    (row,) = response.context["plan"].rows
    assert {(c.column, c.new) for c in row.changes} == {("city_en", "=1+2"), ("city_ko", "-40%")}
