"""Synthetic agreements for measuring coopdash at scale, and removing them again.

Every synthetic record's slug starts with `synthetic-`, and nothing curated is ever changed:
synthetic agreements point at curated countries, minerals and stages, and at synthetic
institutions and sources of their own. The proportions follow the seed data (about five
parties, one or two minerals and milestones, one key figure and one or two sources per
agreement), and the same seed gives the same data.
"""

import datetime
import random

from django.db import connection, transaction

from .dates import Precision, truncate
from .models import (
    HOME,
    Agreement,
    AgreementMineral,
    AgreementSource,
    Country,
    Institution,
    KeyFigure,
    Milestone,
    Mineral,
    Party,
    Source,
    Stage,
)
from .signals import schedule_bump

PREFIX = "synthetic-"
FOREIGN_ROLES = ["signatory", "participant", "counterpart", "host", "business"]
KOREAN_ROLES = ["signatory", "organiser", "implementer", "funder"]


def refresh_statistics():
    """After a bulk load or removal, let the query planner see the tables as they are:
    VACUUM ANALYZE on PostgreSQL (dead rows from a removal otherwise slow every scan),
    ANALYZE on SQLite, and inside a transaction (VACUUM cannot run there)."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def remove():
    """Delete every synthetic record; return how many agreements went."""
    with transaction.atomic():
        agreements = Agreement.objects.filter(slug__startswith=PREFIX)
        count = agreements.count()
        # Children cascade from their agreement; parties must go before institutions.
        Party.objects.filter(agreement__slug__startswith=PREFIX).delete()
        AgreementSource.objects.filter(agreement__slug__startswith=PREFIX).delete()
        AgreementMineral.objects.filter(agreement__slug__startswith=PREFIX).delete()
        agreements.delete()
        Institution.objects.filter(slug__startswith=PREFIX).delete()
        Source.objects.filter(slug__startswith=PREFIX).delete()
        schedule_bump()  # bulk deletes send no signals; cached pages must go
    refresh_statistics()
    return count


def _pick_date(rng):
    day = datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randrange(27 * 365))
    precision = rng.choices(list(Precision), weights=[8, 1, 1])[0]
    return truncate(day, precision), precision


def generate(count, seed=1, batch_size=2000):
    """Add `count` synthetic agreements with their children; return the number added."""
    rng = random.Random(seed)
    countries = list(Country.objects.exclude(latitude=None).order_by("code"))
    korea = next(c for c in countries if c.code == HOME)
    foreign = [c for c in countries if c.code != HOME]
    minerals = list(Mineral.objects.order_by("slug"))
    stages = list(Stage.objects.order_by("slug"))
    kinds, statuses = Agreement.Kind.values, Agreement.Status.values
    start = Agreement.objects.filter(slug__startswith=PREFIX).count()

    with transaction.atomic():
        n_institutions = max(10, count // 10)
        institutions = Institution.objects.bulk_create(
            [
                Institution(
                    slug=f"{PREFIX}{start + i:07d}-inst",
                    name_en=f"Synthetic institution {start + i}",
                    name_ko=f"합성 기관 {start + i}",
                    kind=rng.choice(["government", "research", "university", "company"]),
                    country=(country := korea if i % 3 == 0 else rng.choice(foreign)),
                    latitude=country.latitude,
                    longitude=country.longitude,
                )
                for i in range(n_institutions)
            ],
            batch_size=batch_size,
        )
        korean = [i for i in institutions if i.country_id == korea.pk]
        abroad = [i for i in institutions if i.country_id != korea.pk]
        sources = Source.objects.bulk_create(
            [
                Source(
                    slug=f"{PREFIX}{start + i:07d}-src",
                    kind="news",
                    title_en=f"Synthetic source {start + i}",
                    title_ko=f"합성 출처 {start + i}",
                    publisher_en="coopdash benchmark",
                    published=datetime.date(2026, 1, 1),
                )
                for i in range(max(5, count // 20))
            ],
            batch_size=batch_size,
        )

        for offset in range(0, count, batch_size):
            size = min(batch_size, count - offset)
            agreements = []
            for i in range(start + offset, start + offset + size):
                day, precision = _pick_date(rng)
                span = rng.random() < 0.15
                agreements.append(
                    Agreement(
                        slug=f"{PREFIX}{i:07d}",
                        title_en=f"Synthetic agreement {i}",
                        title_ko=f"합성 협력 {i}",
                        kind=rng.choice(kinds),
                        status=rng.choice(statuses),
                        date=day,
                        date_precision=precision,
                        start_date=day.replace(month=1, day=1) if span else None,
                        end_date=day.replace(year=day.year + rng.randint(1, 5), month=1, day=1)
                        if span
                        else None,
                        country=rng.choice(foreign) if rng.random() < 0.6 else korea,
                        summary_en="Generated for benchmarks.",
                        summary_ko="성능 측정용으로 만든 기록.",
                    )
                )
            agreements = Agreement.objects.bulk_create(agreements)
            _children(rng, agreements, korean, abroad, foreign, minerals, stages, sources)
        schedule_bump()  # bulk_create sends no signals; cached pages must go
    refresh_statistics()
    return count


def _children(rng, agreements, korean, abroad, foreign, minerals, stages, sources):
    parties, links, milestones, figures, cited, staged = [], [], [], [], [], []
    Through = Agreement.stages.through
    for agreement in agreements:
        parties.append(
            Party(
                agreement=agreement, institution=rng.choice(korean), role=rng.choice(KOREAN_ROLES)
            )
        )
        for institution in rng.sample(abroad, k=rng.randint(1, 3)):
            parties.append(
                Party(agreement=agreement, institution=institution, role=rng.choice(FOREIGN_ROLES))
            )
        for country in rng.sample(foreign, k=rng.choice([0, 0, 1, 2])):
            parties.append(Party(agreement=agreement, country=country, role="participant"))
        for mineral in rng.sample(minerals, k=rng.choice([0, 1, 1, 2, 3])):
            links.append(AgreementMineral(agreement=agreement, mineral=mineral))
        for n in range(rng.choice([0, 1, 1, 2, 3])):
            milestones.append(
                Milestone(
                    agreement=agreement,
                    slug=f"m{n}",
                    title_en=f"Milestone {n}",
                    title_ko=f"일정 {n}",
                    date=agreement.date,
                    date_precision=agreement.date_precision,
                    is_planned=rng.random() < 0.2,
                )
            )
        if rng.random() < 0.6:
            figures.append(
                KeyFigure(
                    agreement=agreement,
                    slug="value",
                    label_en="Value",
                    label_ko="값",
                    value=rng.randint(1, 10_000),
                    unit_en="t",
                    unit_ko="톤",
                )
            )
        for source in rng.sample(sources, k=rng.choice([1, 1, 2])):
            cited.append(AgreementSource(agreement=agreement, source=source))
        for stage in rng.sample(stages, k=rng.randint(1, 3)):
            staged.append(Through(agreement_id=agreement.pk, stage_id=stage.pk))
    Party.objects.bulk_create(parties, batch_size=5000)
    AgreementMineral.objects.bulk_create(links, batch_size=5000)
    Milestone.objects.bulk_create(milestones, batch_size=5000)
    KeyFigure.objects.bulk_create(figures, batch_size=5000)
    AgreementSource.objects.bulk_create(cited, batch_size=5000)
    Through.objects.bulk_create(staged, batch_size=5000)
