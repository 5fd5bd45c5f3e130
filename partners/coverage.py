"""The coverage matrix: minerals against partner countries, counted in the database.

Rows are Korea's strategic minerals first, then the other critical minerals, then anything
else the selection names; rows with no agreement stay visible, because a gap is the point.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from .counts import (
    country_pairs,
    mineral_counts,
    mineral_tags,
    partner_countries,
    record_wide,
    within,
)
from .models import AgreementMineral, Mineral

MAX_COLUMNS = 20


@record_wide
def cells(agreements, rolled, columns):
    """{(mineral row, country id): agreements} for the countries of `columns` (ids): the
    selection's (agreement, mineral) pairs joined to its (agreement, country) pairs, grouped,
    in one query. A tag counts towards its mineral or, `rolled`, towards its group."""
    if not columns:
        return {}
    row = Coalesce("mineral__group_id", "mineral_id") if rolled else F("mineral_id")
    links = (
        AgreementMineral.objects.filter(within(agreements))
        .order_by()
        .annotate(aid=F("agreement_id"), row=row)
        .values_list("aid", "row")
    )
    try:
        link_sql, link_params = links.query.sql_with_params()
        pair_sql, pair_params = country_pairs(agreements)
    except EmptyResultSet:
        return {}
    marks = ", ".join(["%s"] * len(columns))
    with connections[agreements.db].cursor() as cursor:
        cursor.execute(
            f'SELECT m."row", c."cid", COUNT(DISTINCT m."aid") FROM ({link_sql}) m '
            f'INNER JOIN ({pair_sql}) c ON c."aid" = m."aid" '
            f'WHERE c."cid" IN ({marks}) GROUP BY m."row", c."cid"',
            (*link_params, *pair_params, *columns),
        )
        return {(row, cid): n for row, cid, n in cursor.fetchall()}


def build(agreements):
    columns = partner_countries(agreements)[:MAX_COLUMNS]
    totals = mineral_counts(agreements)
    # Elements count their own tags; a group counts its own tags and its members' tags,
    # distinct agreements over both (rolled up by the group's id).
    ids = tuple(c.pk for c in columns)
    direct, rolled = cells(agreements, False, ids), cells(agreements, True, ids)
    minerals = (
        Mineral.objects.filter(Q(is_critical=True) | Q(pk__in=list(totals)))
        .select_related("group")
        .order_by("-is_strategic", "-is_critical", "name_en")
    )
    tags = mineral_tags(agreements)
    rows = []
    for mineral in minerals:
        source = rolled if mineral.kind == Mineral.Kind.GROUP else direct
        group = mineral.group_id
        rows.append(
            {
                "mineral": mineral,
                "total": totals.get(mineral.pk, 0),
                # Agreements that name only the element's group (rare earths, not neodymium):
                # shown apart, so that a member is not mistaken for a gap.
                "via_group": tags.get(group, 0) if group else 0,
                "cells": [
                    (
                        source.get((mineral.pk, c.pk), 0),
                        direct.get((group, c.pk), 0) if group else 0,
                    )
                    for c in columns
                ],
            }
        )
    return {"columns": columns, "rows": rows}
