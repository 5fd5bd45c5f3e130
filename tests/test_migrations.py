"""Data migrations: what a database loaded from older fixtures keeps is cleaned up."""

import importlib

import pytest
from django.apps import apps

from partners.models import Agreement, AgreementSource, Party, Source

pytestmark = pytest.mark.django_db

forget = importlib.import_module("partners.migrations.0007_forget_research_notes").forget


def test_the_research_notes_and_the_replaced_country_parties_go(canada, korea, kigam):
    mou = Agreement.objects.get(slug="ca-kr-critical-minerals-mou-2023")
    notes = Source.objects.create(
        slug="coopdash-research-notes",
        kind="report",
        title_en="x",
        title_ko="x",
        publisher_en="coopdash",
    )
    AgreementSource.objects.create(agreement=mou, source=notes)
    Party.objects.create(agreement=mou, country=canada, role="signatory")
    kept = Party.objects.create(agreement=mou, country=korea, role="witness")
    parties = Party.objects.count()

    forget(apps, None)

    assert not Source.objects.filter(slug="coopdash-research-notes").exists()
    assert not mou.parties.filter(country=canada, role="signatory").exists()
    assert Party.objects.filter(pk=kept.pk).exists()  # only the named rows go
    assert Party.objects.count() == parties - 1
    assert mou.source_links.exists()  # its public sources stay
