"""Layout of the timeline: a shared year axis with one row per partner country.

A small selection is drawn mark by mark (a point per agreement, a bar for programmes with
a start and an end); a large one as circles sized by the number of agreements per row and
year, counted in the database, so the page stays small at any scale.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import Coalesce

from .querysets import HOME, PARTNER_ROLES_EXCLUDED, Year, within

MAX_MARKS = 300  # above this many agreements, draw counts per year instead of marks
MAX_ROWS = 15
LABEL_WIDTH = 170
ROW_HEIGHT = 28
AXIS_HEIGHT = 30
WIDTH = 960


@dataclass
class Row:
    key: str
    label: str
    country: object = None
    count: int = 0
    marks: list = field(default_factory=list)
    y: float = 0

    @property
    def top(self):
        return self.y - 5


@dataclass
class Timeline:
    rows: list
    years: list
    width: int
    height: int
    aggregated: bool
    first: int
    last: int


def year_fraction(day):
    start = datetime.date(day.year, 1, 1)
    return day.year + (day - start).days / 365.25


class Axis:
    def __init__(self, first, last):
        self.first, self.last = first, last + 1
        self.span = max(self.last - self.first, 1)

    def x(self, year_value):
        usable = WIDTH - LABEL_WIDTH - 20
        return round(LABEL_WIDTH + (year_value - self.first) / self.span * usable, 1)


def build(agreements, partners, domestic_label):
    """`agreements` is the selection; `partners` its partner countries with counts."""
    from .models import Party

    bounds = agreements.year_range()
    if bounds["first"] is None:
        return None
    first = min(y for y in (bounds["first"], bounds["start"]) if y is not None)
    last = max(y for y in (bounds["last"], bounds["end"]) if y is not None)
    axis = Axis(first, last)
    rows = [
        Row(key=c.code, label=c.name, country=c, count=c.n_agreements) for c in partners[:MAX_ROWS]
    ]
    domestic = Row(key=HOME, label=domestic_label)
    by_key = {row.key: row for row in rows}
    total = agreements.count()
    aggregated = total > MAX_MARKS
    if aggregated:
        per_year = (
            Party.objects.filter(within(agreements))
            .exclude(role__in=PARTNER_ROLES_EXCLUDED)
            .annotate(
                code=Coalesce("country__code", "institution__country__code"),
                year=Year("agreement__date"),
            )
            .filter(code__in=list(by_key))
            .values("code", "year")
            .annotate(n=Count("agreement", distinct=True))
        )
        largest = max((r["n"] for r in per_year), default=1)
        for r in per_year:
            by_key[r["code"]].marks.append(
                {
                    "x": axis.x(r["year"] + 0.5),
                    "n": r["n"],
                    "year": r["year"],
                    "r": round(3 + 9 * (r["n"] / largest) ** 0.5, 1),
                }
            )
    else:
        for agreement in agreements.for_timeline():
            codes = {
                p.home_country.code for p in agreement.partner_parties if p.home_country is not None
            } - {HOME}
            if agreement.country_id and agreement.country.code != HOME:
                codes.add(agreement.country.code)
            x = axis.x(year_fraction(agreement.start_date or agreement.date))
            mark = {
                "agreement": agreement,
                "x": x,
                # A programme's bar runs to the end of its last year.
                "width": round(axis.x(year_fraction(agreement.end_date) + 1) - x, 1)
                if agreement.is_span
                else None,
                "planned": agreement.status == agreement.Status.PLANNED,
            }
            targets = [by_key[c] for c in codes if c in by_key] or ([] if codes else [domestic])
            for row in targets:
                row.marks.append(mark)
            if not codes:
                domestic.count += 1
    if domestic.marks or domestic.count:
        rows.append(domestic)
    for index, row in enumerate(rows):
        row.y = AXIS_HEIGHT + index * ROW_HEIGHT + ROW_HEIGHT / 2
    return Timeline(
        rows=rows,
        years=[{"year": y, "x": axis.x(y)} for y in range(axis.first, axis.last + 1)],
        width=WIDTH,
        height=AXIS_HEIGHT + len(rows) * ROW_HEIGHT + 10,
        aggregated=aggregated,
        first=first,
        last=last,
    )
