"""The one index of names: every way people write an institution, a country or a mineral."""

import json
from pathlib import Path

import pytest

from partners.models import Alias, Revision
from partners.names import NameIndex, current_index, stems

from .helpers import FIXTURES

pytestmark = pytest.mark.django_db


@pytest.fixture
def index():
    return NameIndex.build()


def slugs(names):
    return {(n.model, n.pk) for n in names}


def test_lookup_ignores_case_spaces_and_punctuation(index, kigam):
    assert slugs(index.lookup("한국 지질자원연구원")) == {("institution", kigam.pk)}
    assert slugs(index.lookup("kigam")) == slugs(index.lookup("K.I.G.A.M."))
    assert slugs(index.lookup("지자연의")) == {("institution", kigam.pk)}  # particle off


def test_a_former_name_is_dated(index):
    motie = [n for n in index.lookup("MOTIE") if n.kind == Alias.Kind.FORMER]
    assert motie and motie[0].until.isoformat() == "2025-10-01"


def test_stems_take_a_particle_off_only_after_two_syllables():
    assert stems("몽골의") == ["몽골의", "몽골"]
    assert stems("포항시와") == ["포항시와", "포항시"]
    assert stems("인도") == ["인도"]  # India, not 인 + the particle 도
    assert stems("lithium") == ["lithium"]


def test_mentions_find_names_in_running_text_with_their_offsets(index, kigam, mongolia):
    text = "지자연은 몽골의 울란바토르에서 한국지질자원연구원 분석 장비를 공개했다."
    found = [(m.text, m.name.model, m.name.pk) for m in index.mentions(text)]
    assert ("지자연", "institution", kigam.pk) in found
    assert ("몽골", "country", mongolia.pk) in found
    assert ("한국지질자원연구원", "institution", kigam.pk) in found
    for mention in index.mentions(text):
        assert text[mention.start : mention.end] == mention.text


def test_mentions_prefer_the_longest_name_and_respect_latin_words(index):
    text = "고려대학교 연구진. The EU must act; MUST and Europe were not parties."
    found = [m.text for m in index.mentions(text)]
    assert "고려대학교" in found and "고려대" not in found
    assert "EU" in found and found.count("MUST") == 1  # "must" is a word, not the university
    assert not any(m.text == "EU" and m.start > text.index("Europe") for m in index.mentions(text))


def test_containing_matches_parts_of_names_but_short_codes_whole(index, kigam):
    assert kigam.pk in index.containing("Geoscience", "institution")
    assert index.containing("EU", "institution") == {
        n.pk for n in index.lookup("EU", "institution")
    }


def test_the_index_follows_the_data_revision(kigam, django_capture_on_commit_callbacks):
    before = current_index()
    assert current_index() is before  # kept for the revision
    with django_capture_on_commit_callbacks(execute=True):
        Alias.objects.create(institution=kigam, name="지질자원연", language="ko", kind="short")
    assert Revision.current() and current_index() is not before
    assert slugs(current_index().lookup("지질자원연")) == {("institution", kigam.pk)}


def test_other_names_in_the_fixtures_are_names_not_remarks():
    aliases = [
        record["fields"]["name"]
        for path in FIXTURES
        for record in json.loads(Path(path).read_text(encoding="utf-8"))
        if record["model"] == "partners.alias"
    ]
    assert aliases
    for name in aliases:
        assert ";" not in name and not name.lower().startswith(("not ", "see ")), name
        assert len(name) <= 80, name
