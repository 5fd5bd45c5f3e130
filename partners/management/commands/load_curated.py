"""Load every curated fixture, in order: `manage.py load_curated` (for a checkout, the same
as `manage.py loaddata fixtures/*.json`; for an installed wheel, the fixtures inside it)."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Load all curated fixtures (validated; all or nothing), in their numbered order."

    def handle(self, *args, **options):
        fixtures = sorted(str(path) for path in Path(settings.FIXTURE_DIRS[0]).glob("*.json"))
        if not fixtures:
            raise CommandError(f"No fixtures in {settings.FIXTURE_DIRS[0]}.")
        call_command("loaddata", *fixtures, verbosity=options["verbosity"])
        self.stdout.write(f"Loaded {len(fixtures)} curated fixture files.")
