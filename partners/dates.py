"""Dates known only in part: sources often give a year or a month, not a day.

A partial date is stored as an ordinary date plus a precision. The date is truncated to
its precision (2023 → 2023-01-01), so that sorting and year filters work in the database,
and it is always shown at its precision, never as a day nobody reported.
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class Precision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


def truncate(value, precision):
    """Return the first day of the month or year that `value` stands for."""
    if value is None:
        return None
    if precision == Precision.YEAR:
        return value.replace(month=1, day=1)
    if precision == Precision.MONTH:
        return value.replace(day=1)
    return value


def is_truncated(value, precision):
    return value is None or truncate(value, precision) == value


def format_partial(value, precision):
    """ISO text at the date's precision: "2023", "2023-11" or "2023-11-30"."""
    if value is None:
        return ""
    if precision == Precision.YEAR:
        return f"{value.year:04d}"
    if precision == Precision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def parse_partial(text):
    """Inverse of format_partial; raise ValueError for anything else."""
    parts = text.split("-")
    if len(parts) == 1:
        return datetime.date(int(parts[0]), 1, 1), Precision.YEAR
    if len(parts) == 2:
        return datetime.date(int(parts[0]), int(parts[1]), 1), Precision.MONTH
    return datetime.date.fromisoformat(text), Precision.DAY
