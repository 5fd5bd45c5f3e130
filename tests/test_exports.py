"""CSV, JSON and Atom exports take the list's query string and give the same rows."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners import synthetic
from partners.exports import COLUMNS, ExportLookups, row
from partners.models import Agreement

from .helpers import body, listed_slugs, text

pytestmark = pytest.mark.django_db


def list_slugs(client, **params):
    """The slugs of every page of the list, in order."""
    found, number = [], 1
    while True:
        page = text(client.get(reverse("partners:list"), {**params, "page": number}))
        found += listed_slugs(page)
        if 'rel="next"' not in page:
            return found
        number += 1


def json_export(client, params):
    response = client.get(reverse("partners:export-json"), params)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return json.loads(body(response))


def csv_rows(client, **params):
    response = client.get(reverse("partners:export-csv"), params)
    assert response["Content-Type"].startswith("text/csv")
    content = text(response)
    assert content.startswith("\ufeff")  # spreadsheet programs then read the Korean right
    return list(csv.DictReader(io.StringIO(content.lstrip("\ufeff"))))


@pytest.mark.parametrize(
    "params", [{}, {"mineral": "lithium"}, {"country": "MN"}, {"q": "KIGAM", "year_from": "2024"}]
)
def test_csv_and_json_match_the_list(client, params):
    expected = list_slugs(client, **params)
    rows = csv_rows(client, **params)
    assert [row["slug"] for row in rows] == expected
    data = json_export(client, params)
    assert data["count"] == len(expected)
    assert [a["slug"] for a in data["agreements"]] == expected


def test_csv_has_a_stable_column_order_and_both_languages(client, mongolia_centre):
    rows = csv_rows(client, mineral="tungsten")
    assert list(rows[0]) == COLUMNS
    centre = next(r for r in rows if r["slug"] == mongolia_centre.slug)
    assert centre["title_ko"] == "한-몽 희소금속협력센터"
    assert centre["partner_countries"] == "MN"
    assert "tungsten" in centre["minerals"].split("; ")
    assert centre["url"].endswith(mongolia_centre.get_absolute_url())


def test_json_keeps_dates_at_their_precision(client):
    data = json_export(client, {"country": "MN"})
    exploration = next(
        a for a in data["agreements"] if a["slug"] == "kigam-mongolia-critical-mineral-exploration"
    )
    assert exploration["date"] == "2025-12" and exploration["date_confidence"] == "medium"


BAD = {"year_from": "abc", "mineral": "unobtainium"}


def test_json_reports_a_bad_filter_as_a_400_with_the_errors(client):
    response = client.get(reverse("partners:export-json"), BAD)
    assert response.status_code == 400
    assert {"year_from", "mineral"} <= set(response.json()["errors"])


@pytest.mark.parametrize("name", ["partners:export-csv", "partners:feed"])
def test_csv_and_atom_report_a_bad_filter_as_a_400_with_the_errors(client, name):
    """Never an empty 200 that a script would take for an empty selection."""
    response = client.get(reverse(name), BAD)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = text(response).splitlines()
    assert "year_from: Enter a number." in lines
    assert any(line.startswith("mineral: There is no mineral “unobtainium”") for line in lines)


def test_atom_feed_is_valid_and_follows_the_selection(client):
    response = client.get(reverse("partners:feed"), {"country": "CA"})
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert titles and all(t for t in titles)
    assert any("Canada–Korea MOU on industrial collaboration" in t for t in titles)
    assert not any("Pohang" in t for t in titles)


def test_the_one_query_export_matches_the_records(rf):
    """The export joins each agreement's lists in SQL; read them back through the ORM's
    relations, one agreement at a time, and compare."""

    synthetic.generate(60, seed=13)
    request = rf.get("/")
    lookups = ExportLookups()
    exported = {a.slug: row(a, request, lookups) for a in Agreement.objects.for_export()}
    assert len(exported) == Agreement.objects.count()
    listed = {a.slug: a for a in Agreement.objects.for_list()}
    for agreement in Agreement.objects.all():
        record = exported[agreement.slug]
        assert record["partner_countries"] == [c.code for c in agreement.partner_countries]
        assert listed[agreement.slug].partner_countries == agreement.partner_countries
        parties = agreement.parties.partners().order_by("order", "pk")
        assert record["parties"] == [
            f"{(p.institution or p.country).name_en} ({p.role})" for p in parties
        ]
        minerals = agreement.mineral_links.order_by("mineral__name_en")
        assert record["minerals"] == [link.mineral.slug for link in minerals]
        assert [m.slug for m in listed[agreement.slug].listed_minerals] == record["minerals"]
        assert record["stages"] == [s.slug for s in agreement.stages.all()]
        links = agreement.source_links.select_related("source").order_by(
            F("source__published").asc(nulls_first=True), "pk"
        )
        assert record["sources"] == [link.source.url or link.source.slug for link in links]


def test_exports_run_the_same_queries_for_any_number_of_rows(client, django_assert_num_queries):

    def count(url):
        with CaptureQueriesContext(connection) as captured:
            body(client.get(url))
        return len(captured)

    urls = [reverse("partners:export-csv"), reverse("partners:export-json")]
    before = [count(url + "?sort=date") for url in urls]
    synthetic.generate(1200, seed=14)  # more rows than one fetch of the server-side cursor
    assert [count(url + "?sort=title") for url in urls] == before
