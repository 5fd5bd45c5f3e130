"""`manage.py intake extract` prints one JSON proposal and writes nothing; `intake evaluate`
scores the extraction against annotated cases."""

import io
import json
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.helpers import CASES

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    result = call_command("intake", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue(), result


def test_extract_prints_one_json_object_in_the_documented_shape():
    path = CASES / "ko_tanzania_graphite_agreement.txt"
    printed, _summary = run("extract", str(path), "--published", "2024-06-05", "--format", "json")
    proposal = json.loads(printed)  # one object, nothing around it
    assert proposal["language"] == "ko" and proposal["published"] == "2024-06-05"
    event = proposal["event"]
    assert (event["date"], event["precision"], event["kind"], event["status"]) == (
        "2024-06-03",
        "day",
        "agreement",
        "active",
    )
    assert set(proposal["place"]) >= {"city_en", "city_ko", "country", "evidence"}
    assert {"code", "evidence"} <= set(proposal["countries"][0])
    assert {"slug", "name_en", "name_ko", "acronym", "country", "role", "new", "evidence"} <= set(
        proposal["institutions"][0]
    )
    assert {"name", "title", "institution", "evidence"} <= set(proposal["people"][0])
    assert {"slug", "name_en", "evidence"} <= set(proposal["minerals"][0])
    figure = proposal["figures"][0]
    assert {"value", "unit", "label", "evidence"} <= set(figure)
    assert isinstance(figure["value"], int)
    assert isinstance(proposal["stages"], list) and isinstance(proposal["matches"], list)
    assert set(proposal["event"]["evidence"]["date"]) == {"start", "end"}


def test_extract_reads_the_language_and_date_it_is_given(db, tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("The agreement was signed on Monday.", encoding="utf-8")
    proposal = json.loads(
        run("extract", str(path), "--published", "2024-06-25", "--language", "ko")[0]
    )
    assert proposal["language"] == "ko" and proposal["event"]["date"] == "2024-06-24"


def test_extract_never_writes_to_the_database():
    path = CASES / "en_canada_mou_paraphrase.txt"
    with CaptureQueriesContext(connection) as queries:
        run("extract", str(path), "--published", "2026-01-30")
    written = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert queries.captured_queries and written == []


@pytest.mark.parametrize(
    "args,message",
    [
        (["extract", "/no/such/file.txt"], "Cannot read"),
        (["extract", "{empty}"], "empty"),
        (["extract", "{text}", "--published", "30/11/2023"], "not a date"),
        (["evaluate", "/no/such/folder"], "is not a folder"),
    ],
)
def test_bad_input_is_a_clear_error(db, tmp_path, args, message):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "text.txt").write_text("Some text.", encoding="utf-8")
    args = [a.format(empty=tmp_path / "empty.txt", text=tmp_path / "text.txt") for a in args]
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_evaluate_prints_recall_precision_and_the_misses(tmp_path):
    for name in ("ko_vietnam_rare_earth_mou", "en_finland_research_30_nov"):
        shutil.copy(CASES / f"{name}.txt", tmp_path)
        expected = json.loads((CASES / f"{name}.expected.json").read_text(encoding="utf-8"))
        if name.startswith("en_"):
            expected["minerals"].append({"slug": "graphite"})  # a mineral the article lacks
        (tmp_path / f"{name}.expected.json").write_text(json.dumps(expected), encoding="utf-8")
    printed, summary = run("evaluate", str(tmp_path))
    assert summary == "2 cases scored."
    minerals = next(line for line in printed.splitlines() if line.startswith("minerals"))
    assert minerals.split()[1:4] == ["83%", "100%", "5/6"]
    assert "en_finland_research_30_nov: missing graphite" in printed
    assert "event.date" in printed and "ms per article warm" in printed


def test_evaluate_finds_texts_in_another_folder(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    shutil.copy(CASES / "ko_press_release_seminar.txt", texts)
    shutil.copy(CASES / "ko_press_release_seminar.expected.json", tmp_path)
    with pytest.raises(CommandError, match="has its article text"):
        run("evaluate", str(tmp_path))
    printed, _summary = run("evaluate", str(tmp_path), "--texts", str(texts))
    assert "published" in printed
