"""Add synthetic agreements for benchmarks, or remove them: `synthetic --count 10000`,
`synthetic --remove`. Curated records are never touched."""

from django.core.management.base import BaseCommand, CommandError

from partners import synthetic


class Command(BaseCommand):
    help = "Generate (or --remove) synthetic agreements for measuring coopdash at scale."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1000, help="agreements to add")
        parser.add_argument(
            "--seed", type=int, default=1, help="random seed (same seed, same data)"
        )
        parser.add_argument("--remove", action="store_true", help="delete all synthetic records")

    def handle(self, *args, count, seed, remove, **options):
        if remove:
            removed = synthetic.remove()
            self.stdout.write(f"Removed {removed} synthetic agreements.")
            return
        if count < 1:
            raise CommandError("--count must be at least 1.")
        added = synthetic.generate(count, seed=seed)
        self.stdout.write(f"Added {added} synthetic agreements (seed {seed}).")
