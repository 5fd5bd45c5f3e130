"""Layout of the timeline: a shared year axis with one row per partner country.

A small selection is drawn mark by mark (a point per agreement, a bar for programmes with
a start and an end); a large one as circles sized by the number of agreements per row and
year, counted in the database, so the page stays small at any scale.
"""

import datetime
from dataclasses import dataclass, field

from .counts import country_years, home_only_years, involved_codes, total, year_range
from .models import HOME

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
    partners: int = 0  # partner countries in the selection; rows show the first MAX_ROWS
    shown: int = MAX_ROWS


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


def build(agreements, partners, domestic_label, aggregate=None, count=None):
    """`agreements` is the selection; `partners` its partner countries with counts. Rows
    are the first MAX_ROWS partners, then "Korea only" for agreements with no partner
    country. Above MAX_MARKS agreements (or with `aggregate`), each row shows circles per
    year instead of a mark per agreement; both modes place an agreement in the rows of the
    countries it involves (`Agreement.involved_countries`, `counts.country_pairs`).
    `count`, the number of agreements, when the caller has counted them already."""
    bounds = year_range(agreements)
    if bounds["first"] is None:
        return None
    first = min(y for y in (bounds["first"], bounds["start"]) if y is not None)
    last = max(y for y in (bounds["last"], bounds["end"]) if y is not None)
    axis = Axis(first, last)
    rows = [
        Row(key=c.code, label=c.name, country=c, count=c.n_agreements) for c in partners[:MAX_ROWS]
    ]
    domestic = Row(key=HOME, label=domestic_label)
    if aggregate is None:
        aggregate = (total(agreements) if count is None else count) > MAX_MARKS
    if aggregate:
        yearly(agreements, rows, domestic, axis)
    else:
        marked(agreements, rows, domestic, axis)
    if domestic.marks:
        rows.append(domestic)
    for index, row in enumerate(rows):
        row.y = AXIS_HEIGHT + index * ROW_HEIGHT + ROW_HEIGHT / 2
    return Timeline(
        rows=rows,
        years=[{"year": y, "x": axis.x(y)} for y in range(axis.first, axis.last + 1)],
        width=WIDTH,
        height=AXIS_HEIGHT + len(rows) * ROW_HEIGHT + 10,
        aggregated=aggregate,
        first=first,
        last=last,
        partners=len(partners),
    )


def yearly(agreements, rows, domestic, axis):
    """Circles sized by the agreements per row and year, counted in the database."""
    by_id = {row.country.pk: row for row in rows}
    per_year = [
        (by_id[cid], year, n)
        for (cid, year), n in country_years(agreements).items()
        if cid in by_id
    ]
    per_year += [(domestic, year, n) for year, n in home_only_years(agreements).items()]
    largest = max((n for _row, _year, n in per_year), default=1)
    for row, year, n in sorted(per_year, key=lambda item: item[1]):
        row.marks.append(
            {
                "x": axis.x(year + 0.5),
                "n": n,
                "year": year,
                "r": round(3 + 9 * (n / largest) ** 0.5, 1),
            }
        )
    domestic.count = sum(mark["n"] for mark in domestic.marks)


def marked(agreements, rows, domestic, axis):
    """A mark per agreement (a bar for a programme with a start and an end)."""
    by_code = {row.key: row for row in rows}
    involved = involved_codes(agreements)
    for agreement in agreements.for_timeline_marks():
        codes = involved.get(agreement.pk, set()) - {HOME}
        x = axis.x(year_fraction(agreement.start_date or agreement.date))
        mark = {
            "agreement": agreement,
            "x": x,
            "year": agreement.date.year,
            # A programme's bar runs to the end of its last year.
            "width": round(axis.x(year_fraction(agreement.end_date) + 1) - x, 1)
            if agreement.is_span
            else None,
            "planned": agreement.status == agreement.Status.PLANNED,
        }
        targets = [by_code[c] for c in codes if c in by_code] if codes else [domestic]
        for row in targets:
            row.marks.append(mark)
    domestic.count = len(domestic.marks)
