"""Facets: for each filter, the choices and how many agreements each would leave.

A facet's link sets its filter to the choice, replacing the one in use, so each group is
counted over the selection *without its own filter*: the number beside a choice is the
length of the list its link opens (on the list of Mongolia's agreements, "Canada 7" opens
the seven agreements with Canada that match every other filter in use).
"""

from django.utils.translation import gettext_lazy as _

from . import counts
from .models import Agreement, Stage

SHOWN = 15  # choices per group


def by_country(agreements):
    return [(c.code, c.name, c.n_agreements) for c in counts.countries(agreements)[:SHOWN]]


def by_mineral(agreements):
    minerals = [m for m in counts.minerals(agreements) if m.n_agreements]
    return [(m.slug, m.name, m.n_agreements) for m in minerals[:SHOWN]]


def labelled(found, labels):
    """(value, label, count) for the values counted, most first."""
    return [
        (value, labels[value], n)
        for value, n in sorted(found.items(), key=lambda item: (-item[1], item[0]))
    ]


def by_kind(agreements):
    return labelled(counts.kind_counts(agreements), dict(Agreement.Kind.choices))


def by_stage(agreements):
    staged = counts.stage_counts(agreements)
    stages = sorted(
        Stage.objects.filter(pk__in=list(staged)), key=lambda s: (-staged[s.pk], s.order)
    )
    return [(s.slug, s.name, staged[s.pk]) for s in stages]


def by_status(agreements):
    return labelled(counts.status_counts(agreements), dict(Agreement.Status.choices))


GROUPS = [
    ("country", _("Countries"), by_country),
    ("mineral", _("Minerals"), by_mineral),
    ("kind", _("Kinds"), by_kind),
    ("stage", _("Value-chain stages"), by_stage),
    ("status", _("Status"), by_status),
]


def facets(without, omit=()):
    """(parameter, heading, [(value, label, count)]) groups with at least one choice.

    `without(key)` is the selection with the filter on `key` left out (the same selection
    for every key that is not in use); groups whose key is in `omit` are left out (a
    country's page shows no country facet: its links would leave the page's country).
    """
    groups = []
    for key, heading, count in GROUPS:
        if key in omit:
            continue
        options = count(without(key))
        if options:
            groups.append((key, heading, options))
    return groups
