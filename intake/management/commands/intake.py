"""`manage.py intake extract FILE` prints what coopdash proposes from an article, as one
JSON object (docs/INTAKE.md); `manage.py intake evaluate DIR` scores the extraction
against annotated cases. Neither writes to the database."""

import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from intake.evaluation import evaluate, report
from intake.extraction import extract
from intake.reading import Unreadable, read_upload


def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD).") from error


class Command(BaseCommand):
    help = "Propose an agreement record from an article, or score the proposals."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        read = commands.add_parser("extract", help="Print the proposal for one article.")
        read.add_argument("file", help="A .txt, .html or .pdf article.")
        read.add_argument("--published", type=iso_date, help="Publication date, YYYY-MM-DD.")
        read.add_argument("--language", choices=["ko", "en"], help="Default: detected.")
        read.add_argument("--format", choices=["json"], default="json")
        score = commands.add_parser("evaluate", help="Score extraction on annotated cases.")
        score.add_argument("folder", help="Folder of NAME.expected.json (and NAME.txt) files.")
        score.add_argument(
            "--texts",
            action="append",
            default=[],
            help="Another folder to find NAME.txt in (repeatable), e.g. ../shared/seeds.",
        )
        score.add_argument(
            "--proposals", help="Write each case's proposal as NAME.proposal.json into this folder."
        )

    def handle(self, *args, action, **options):
        return getattr(self, action)(**options)

    def extract(self, file, published=None, language=None, **options):
        path = Path(file)
        try:
            reading = read_upload(path.name, path.read_bytes())
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        except Unreadable as error:
            raise CommandError(str(error)) from error
        if published is None and reading.published:
            published = datetime.date.fromisoformat(reading.published)
        proposal = extract(reading.text, published=published, language=language)
        for key in ("headline", "url", "publisher"):
            proposal[key] = getattr(reading, key) or None
        self.stdout.write(json.dumps(proposal, ensure_ascii=False, indent=1))

    def evaluate(self, folder, texts, proposals=None, **options):
        if not Path(folder).is_dir():
            raise CommandError(f"{folder} is not a folder.")
        write = None
        if proposals:
            out = Path(proposals)
            out.mkdir(parents=True, exist_ok=True)

            def write(name, proposal):
                target = out / name.replace(".expected.json", ".proposal.json")
                target.write_text(json.dumps(proposal, ensure_ascii=False, indent=1), "utf-8")

        tallies, timings, peak, missing = evaluate(folder, texts, write)
        if missing:
            self.stderr.write(f"No article text for: {', '.join(missing)} (use --texts).")
        if not timings:
            raise CommandError(f"No case in {folder} has its article text.")
        self.stdout.write(report(tallies, timings, peak))
        return f"{len(timings)} cases scored."
