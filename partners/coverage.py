"""The coverage matrix: minerals against partner countries, counted in the database.

Rows are Korea's strategic minerals first, then the other critical minerals, then anything
else the selection names; rows with no agreement stay visible, because a gap is the point.
"""

from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from .models import AgreementMineral, Country, Mineral

MAX_COLUMNS = 20


def build(agreements):
    columns = list(Country.objects.partners(agreements)[:MAX_COLUMNS])
    selected = agreements.values("pk")
    # One aggregate per column, for direct tags and, in a second query, for group members.
    per_column = {
        f"c{index}": Count(
            "agreement",
            distinct=True,
            filter=Q(agreement__in=agreements.model.objects.with_country(country).values("pk")),
        )
        for index, country in enumerate(columns)
    }
    links = AgreementMineral.objects.filter(agreement__in=selected).order_by()
    # Elements count their own tags; a group counts its own tags and its members' tags,
    # distinct agreements over both (rolled up by the group's id).
    direct = {
        row["mineral_id"]: row
        for row in links.values("mineral_id").annotate(
            total=Count("agreement", distinct=True), **per_column
        )
    }
    rolled = {
        row["row"]: row
        for row in links.values(row=Coalesce("mineral__group_id", "mineral_id")).annotate(
            total=Count("agreement", distinct=True), **per_column
        )
    }
    minerals = Mineral.objects.filter(
        Q(is_critical=True) | Q(pk__in=list(direct)) | Q(pk__in=list(rolled))
    ).order_by("-is_strategic", "-is_critical", "name_en")
    rows = []
    for mineral in minerals:
        source = rolled if mineral.kind == Mineral.Kind.GROUP else direct
        counts = source.get(mineral.pk, {})
        rows.append(
            {
                "mineral": mineral,
                "total": counts.get("total", 0),
                "cells": [counts.get(f"c{i}", 0) for i in range(len(columns))],
            }
        )
    return {"columns": columns, "rows": rows}
