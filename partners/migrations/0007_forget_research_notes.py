"""The curated record no longer cites our own research notes, and three agreements name the
ministries that signed them instead of bare countries (issue #11). `loaddata` adds and
updates but never deletes, so a database loaded before then would keep the old rows: they
go here. Nothing else is touched; a fresh database has none of them."""

from django.db import migrations

STALE_PARTIES = [
    ("ca-kr-critical-minerals-mou-2023", "CA", "signatory"),
    ("ca-kr-critical-minerals-mou-2023", "KR", "signatory"),
    ("kr-mn-rare-metal-joint-committee", "KR", "participant"),
    ("kr-mn-rare-metal-joint-committee", "MN", "participant"),
    ("kr-mn-rare-metal-supply-chain-mou-2023", "KR", "signatory"),
    ("kr-mn-rare-metal-supply-chain-mou-2023", "MN", "signatory"),
]


def forget(apps, schema_editor):
    Party = apps.get_model("partners", "Party")
    AgreementSource = apps.get_model("partners", "AgreementSource")
    Source = apps.get_model("partners", "Source")
    for agreement, country, role in STALE_PARTIES:
        Party.objects.filter(
            agreement__slug=agreement, country__code=country, institution=None, role=role
        ).delete()
    AgreementSource.objects.filter(source__slug="coopdash-research-notes").delete()
    Source.objects.filter(slug="coopdash-research-notes").delete()


class Migration(migrations.Migration):
    dependencies = [("partners", "0006_more_languages_and_kinds")]

    operations = [migrations.RunPython(forget, migrations.RunPython.noop)]
