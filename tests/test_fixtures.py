"""The curated fixtures: they load cleanly and idempotently, and bad ones change nothing."""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from partners.models import Agreement, Country, Institution, Mineral, Party, Source

from . import helpers
from .helpers import FIXTURES, seed_documents

pytestmark = pytest.mark.django_db


def counts():
    return {
        m.__name__: m.objects.count() for m in (Agreement, Party, Institution, Mineral, Country)
    }


def test_loading_the_fixtures_again_changes_nothing():
    before = counts()
    call_command("loaddata", *FIXTURES, verbosity=0)
    assert counts() == before
    assert before["Agreement"] >= 14


def broken_copy(tmp_path, name, change):
    path = next(Path(f) for f in FIXTURES if f.endswith(name))
    records = json.loads(path.read_text(encoding="utf-8"))
    change(records)
    out = tmp_path / f"broken_{name}"
    out.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return str(out)


def test_an_unknown_country_code_names_the_record_and_loads_nothing(tmp_path):
    def change(records):
        records[0]["fields"]["name_en"] = "Renamed before the error"
        kigam = next(r for r in records if r["fields"]["slug"] == "kigam")
        kigam["fields"]["country"] = ["XX"]

    fixture = broken_copy(tmp_path, "04_institutions.json", change)
    first_slug = json.loads(Path(fixture).read_text())[0]["fields"]["slug"]
    before = counts()
    with pytest.raises(CommandError) as error:
        call_command("loaddata", fixture, verbosity=0)
    message = str(error.value)
    assert "partners.institution" in message and "slug='kigam'" in message
    assert "country" in message and "XX" in message
    assert counts() == before
    assert Institution.objects.get(slug=first_slug).name_en != "Renamed before the error"


def test_an_inconsistent_record_names_the_record_and_the_field(tmp_path):
    def change(records):
        records[-1]["fields"]["end_date"] = "2000-01-01"
        records[-1]["fields"]["start_date"] = "2001-01-01"

    fixture = broken_copy(tmp_path, "06_agreements.json", change)
    slug = json.loads(Path(fixture).read_text())[-1]["fields"]["slug"]
    with pytest.raises(CommandError) as error:
        call_command("loaddata", fixture, verbosity=0)
    assert f"slug='{slug}'" in str(error.value)
    assert "end_date" in str(error.value)
    assert Agreement.objects.get(slug=slug).end_date is None


def test_a_malformed_value_names_the_file_and_record(tmp_path):
    def change(records):
        records[1]["fields"]["date"] = "thirtieth of November"

    fixture = broken_copy(tmp_path, "06_agreements.json", change)
    slug = json.loads(Path(fixture).read_text())[1]["fields"]["slug"]
    with pytest.raises(CommandError) as error:
        call_command("loaddata", fixture, verbosity=0)
    assert fixture in str(error.value) and f"slug='{slug}'" in str(error.value)


def test_every_agreement_cites_a_source_and_is_written_in_both_languages():
    for agreement in Agreement.objects.prefetch_related("source_links"):
        assert agreement.source_links.exists(), agreement.slug
        assert agreement.title_en and agreement.title_ko, agreement.slug
        assert agreement.summary_en and agreement.summary_ko, agreement.slug


def test_every_seed_document_is_cited_by_a_source():

    cited = set(Source.objects.exclude(seed_file="").values_list("seed_file", flat=True))
    assert cited == {p.name for p in seed_documents()}


def test_korea_mineral_lists_have_their_official_sizes():
    assert Mineral.objects.filter(is_critical=True).count() == 33
    assert Mineral.objects.filter(is_strategic=True).count() == 10
    # The 35 rare metals: 33 single elements plus the rare earths and the platinum group,
    # each counted as one type.
    types = Mineral.objects.filter(is_rare_metal=True).exclude(
        group__slug__in=["rare-earths", "platinum-group-metals"]
    )
    assert types.count() == 35
    assert Mineral.objects.get(slug="rare-earths").members.count() == 17
    assert Mineral.objects.get(slug="platinum-group-metals").members.count() == 6


def test_all_iso_countries_are_loaded_with_korean_names():
    assert Country.objects.count() == 249
    assert not Country.objects.filter(name_ko="").exists()
    assert Country.objects.get(code="MN").name_ko == "몽골"
    assert Country.objects.get(numeric="410").code == "KR"


def test_no_fixture_sentence_is_copied_from_the_seed_documents():
    """Facts carry over, sentences do not: no 45-character run of mostly Hangul is shared."""

    def norm(text):
        return re.sub(r"\s+", " ", text)

    window = 45
    runs = set()
    for seed in seed_documents():
        text = norm(seed.read_text(encoding="utf-8"))
        for i in range(len(text) - window):
            chunk = text[i : i + window]
            if len(re.findall(r"[\uac00-\ud7a3]", chunk)) >= 20:
                runs.add(chunk)
    for fixture in FIXTURES:
        text = norm(json.dumps(json.loads(Path(fixture).read_text()), ensure_ascii=False))
        copied = [
            text[i : i + window] for i in range(len(text) - window) if text[i : i + window] in runs
        ]
        assert not copied, f"{fixture}: {copied[0]}"


def test_missing_seed_documents_skip_with_the_reason_and_fail_under_ci(tmp_path, monkeypatch):
    """A fresh clone of the repository alone skips the seed tests and says why; CI, which
    runs beside ../shared, fails instead of passing them by comparing against nothing."""
    monkeypatch.setattr(helpers, "SEEDS", tmp_path / "seeds")
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match="seed documents are not in"):
        helpers.seed_documents()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI needs the seed documents"):
        helpers.seed_documents()
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "000_x.txt").write_text("본문", encoding="utf-8")
    assert [p.name for p in helpers.seed_documents()] == ["000_x.txt"]


def test_load_curated_loads_every_fixture_and_changes_nothing_the_second_time():
    before = counts()
    out = io.StringIO()
    call_command("load_curated", stdout=out, verbosity=0)
    assert counts() == before
    assert out.getvalue().strip() == f"Loaded {len(FIXTURES)} curated fixture files."
