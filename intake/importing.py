"""A sheet of agreements brought into the catalogue: first what each row would do (the
preview), then, once an admin confirms, all of it in one transaction through
`partners.services.record_agreement` (the same validation as the admin and `loaddata`).

A row updates the agreement its identifier (`slug`) names; a row without one is compared
with the recorded events as the intake compares an article (`extraction.matching`) and
updates the agreement it matches, or adds a new one. Every value is read into the form the
catalogue keeps (a record's primary key, a date and its precision) and compared with the
agreement's own, so a row exported and imported unchanged is unchanged, and a changed cell is
exactly one change. Names of countries, institutions and minerals are looked up in the name
index, in English or Korean; a name of no institution becomes a proposal, created only if
the admin confirms it.
"""

import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from partners.dates import Precision, format_partial, is_truncated, parse_partial
from partners.exports import COLUMNS
from partners.models import (
    HOME,
    Agreement,
    AgreementMineral,
    AgreementSource,
    Confidence,
    Country,
    Institution,
    Mineral,
    Party,
    Source,
    Stage,
    involved,
)
from partners.names import HANGUL, compact, current_index
from partners.services import Lookups, record_agreement, validate_unique_constraints

from .extraction.matching import matches

NEW, CHANGED, UNCHANGED, ERROR = "new", "changed", "unchanged", "error"
# Columns a sheet may have beyond the export's, and other names people give columns.
EXTRA = ["date_note_en", "date_note_ko", "summary_en", "summary_ko"]
ALIASES = {"countries": "partner_countries", "identifier": "slug", "id": "slug"}
READ = [c for c in COLUMNS if c != "url"] + EXTRA
TEXTS = ["title_en", "title_ko", "city_en", "city_ko", *EXTRA]
CHOICES = {
    "kind": Agreement.Kind,
    "status": Agreement.Status,
    "date_confidence": Confidence,
}
DATES = {
    "date": ("date", "date_precision"),
    "start": ("start_date", "start_precision"),
    "end": ("end_date", "end_precision"),
}
SETS = ["parties", "minerals", "stages", "sources", "partner_countries"]
# Where the model's validation errors show: the column an admin can correct.
MODEL_COLUMNS = {
    "date_precision": "date",
    "start_date": "start",
    "start_precision": "start",
    "end_date": "end",
    "end_precision": "end",
    "date_note_en": "date_confidence",
    "date_note_ko": "date_confidence",
    "__all__": "",
}
SPLIT = re.compile(r"\s*(?:;|\n)\s*")
PARTY = re.compile(r"^(?P<name>.*?)\s*[(（]\s*(?P<role>[^()（）]+?)\s*[)）]\s*$")
# The role of a country added through the countries column alone.
COUNTRY_ROLE = Party.Role.PARTICIPANT


@dataclass
class Change:
    column: str
    old: str
    new: str
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)


@dataclass
class Row:
    number: int
    state: str = NEW
    slug: str = ""
    title: str = ""
    matched: str = ""  # how a row without identifier was matched to an agreement
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (column, message)
    values: dict = field(default_factory=dict)  # canonical values read from the sheet
    agreement: Agreement | None = None
    proposals: set = field(default_factory=set)  # keys of new institutions it names
    proposed: dict = field(default_factory=dict)  # their names as written, by key
    old: dict = field(default_factory=dict)  # the agreement's values before the import

    def error(self, column, message):
        self.errors.append((column, str(message)))


@dataclass
class Proposal:
    """A party's name that is no institution of the catalogue."""

    key: str
    name: str
    country: int | None
    rows: list = field(default_factory=list)
    include: bool = True


@dataclass
class Plan:
    columns: list  # the columns read, as the sheet names them
    ignored: list  # columns of the sheet that are not read
    rows: list
    proposals: dict  # key → Proposal

    def count(self, state):
        return sum(1 for row in self.rows if row.state == state)

    @property
    def counts(self):
        return {state: self.count(state) for state in (NEW, CHANGED, UNCHANGED, ERROR)}

    @property
    def fingerprint(self):
        """What the admin saw, so that a confirmation applies exactly that."""
        seen = [
            (r.number, r.state, r.slug, [(c.column, c.old, c.new) for c in r.changes], r.errors)
            for r in self.rows
        ]
        return hashlib.sha256(json.dumps(seen, ensure_ascii=False).encode()).hexdigest()


class Catalogue:
    """The reference tables, read once per import: countries, institutions, minerals,
    stages and sources, and the name index."""

    def __init__(self):
        self.index = current_index()
        self.countries = {
            pk: (code, en) for pk, code, en in Country.objects.values_list("pk", "code", "name_en")
        }
        self.country_codes = {code: pk for pk, (code, _en) in self.countries.items()}
        self.home = self.country_codes.get(HOME)
        self.institutions = {
            row[0]: row[1:]
            for row in Institution.objects.values_list(
                "pk", "slug", "name_en", "name_ko", "acronym", "country_id"
            )
        }
        self.institution_slugs = {v[0]: pk for pk, v in self.institutions.items()}
        self.institution_names = {}
        for pk, (_slug, en, ko, acronym, _country) in self.institutions.items():
            for name in (en, ko, acronym):
                if name:
                    self.institution_names.setdefault(compact(name), set()).add(pk)
        self.minerals = dict(Mineral.objects.values_list("pk", "slug"))
        self.mineral_slugs = {slug: pk for pk, slug in self.minerals.items()}
        self.stages = {}
        self.stage_names = {}
        for pk, slug, en, ko in Stage.objects.values_list("pk", "slug", "name_en", "name_ko"):
            self.stages[pk] = slug
            for name in (slug, en, ko):
                self.stage_names[compact(name)] = pk
        self.sources = {}
        self.source_keys = {}
        for pk, slug, url in Source.objects.values_list("pk", "slug", "url"):
            self.sources[pk] = (slug, url)
            self.source_keys[slug] = pk
            if url:
                self.source_keys.setdefault(url, pk)

    # --- names → records ---------------------------------------------------------------

    def country(self, text):
        if text.upper() in self.country_codes:
            return self.country_codes[text.upper()]
        found = {n.pk for n in self.index.lookup(text, "country")}
        return found.pop() if len(found) == 1 else None

    def mineral(self, text):
        if text in self.mineral_slugs:
            return self.mineral_slugs[text]
        found = {n.pk for n in self.index.lookup(text, "mineral")}
        return found.pop() if len(found) == 1 else None

    def party(self, text):
        """("i", pk) or ("c", pk), "ambiguous" or None."""
        if text in self.institution_slugs:
            return ("i", self.institution_slugs[text])
        exact = self.institution_names.get(compact(text), set())
        if len(exact) == 1:
            return ("i", next(iter(exact)))
        if len(exact) > 1:
            return "ambiguous"
        if (country := self.country(text)) is not None:
            return ("c", country)
        found = {n.pk for n in self.index.lookup(text, "institution")}
        if len(found) == 1:
            return ("i", found.pop())
        return "ambiguous" if found else None

    # --- records → the sheet's text ------------------------------------------------------

    def party_text(self, party, proposals):
        (kind, key), role = party
        if kind == "i":
            name = self.institutions[key][1]
        elif kind == "c":
            name = self.countries[key][1]
        else:
            name = proposals[key].name
        return f"{name} ({role})"

    def text(self, column, value, proposals):
        if column in SETS:
            items = {
                "parties": lambda v: self.party_text(v, proposals),
                "minerals": self.minerals.get,
                "stages": self.stages.get,
                "sources": lambda pk: self.sources[pk][1] or self.sources[pk][0],
                "partner_countries": lambda pk: self.countries[pk][0],
            }[column]
            return sorted(items(v) for v in value)
        if column in DATES:
            return format_partial(*value) if value[0] else ""
        if column == "country":
            return self.countries[value][0] if value else ""
        return value or ""

    def home_of(self, party, proposals):
        (kind, key), _role = party
        if kind == "c":
            return key
        if kind == "i":
            return self.institutions[key][4]
        return proposals[key].country

    def partner_countries(self, place, parties, proposals):
        homes = (self.home_of(p, proposals) for p in parties if p[1] not in Party.NOT_PARTNER_ROLES)
        return frozenset(involved(place, homes)) - {self.home}


def current(agreements):
    """The canonical values of recorded agreements ({pk: {column: value}}): five queries."""
    values = {}
    ids = [a.pk for a in agreements]
    for a in agreements:
        values[a.pk] = {
            "slug": a.slug,
            **{c: getattr(a, c) for c in TEXTS},
            **{c: getattr(a, c) for c in CHOICES},
            **{
                c: (getattr(a, d), getattr(a, p)) if getattr(a, d) else (None, None)
                for c, (d, p) in DATES.items()
            },
            "date_precision": a.date_precision,
            "country": a.country_id,
            "parties": set(),
            "minerals": set(),
            "stages": set(),
            "sources": set(),
        }
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for aid, institution, country, role in (
            Party.objects.partners()
            .filter(agreement_id__in=chunk)
            .values_list("agreement_id", "institution_id", "country_id", "role")
        ):
            who = ("i", institution) if institution else ("c", country)
            values[aid]["parties"].add((who, role))
        links = [
            ("minerals", AgreementMineral.objects, "mineral_id"),
            ("stages", Agreement.stages.through.objects, "stage_id"),
            ("sources", AgreementSource.objects, "source_id"),
        ]
        for column, manager, key in links:
            for aid, pk in manager.filter(agreement_id__in=chunk).values_list("agreement_id", key):
                values[aid][column].add(pk)
    return values


def columns_of(header):
    """{column: position} of the columns read, and the names of those not read."""
    positions, ignored = {}, []
    for position, name in enumerate(header):
        key = ALIASES.get(name.strip().lower(), name.strip().lower())
        if key in READ and key not in positions:
            positions[key] = position
        elif name.strip():
            ignored.append(name)
    return positions, ignored


class MissingColumns(Exception):
    pass


def plan(sheet, *, user, decisions=None):
    """What importing `sheet` would do. `decisions` ({proposal key: (include, country pk)})
    are the admin's answers about new institutions; without them every proposal counts as
    accepted, with the country guessed from its row."""
    positions, ignored = columns_of(sheet.columns)
    if "slug" not in positions and not {"title_en", "title_ko"} & set(positions):
        raise MissingColumns(
            _(
                "The sheet needs a column “slug” (the identifier) or the titles (“title_en”, "
                "“title_ko”) in its first row. Its first row has: %(names)s."
            )
            % {"names": ", ".join(n for n in sheet.columns if n) or "—"}
        )
    catalogue = Catalogue()
    may_add = user.has_perm("partners.add_agreement")
    may_add_institutions = user.has_perm("partners.add_institution")
    rows = [read_row(number, values, positions, catalogue) for number, values in sheet.rows]

    slugs = {row.values.get("slug") for row in rows if row.values.get("slug")}
    recorded = {a.slug: a for a in Agreement.objects.filter(slug__in=slugs)}
    proposals = {}
    for row in rows:
        for (kind, key), _role in row.values.get("parties", ()):
            if kind == "new":
                proposal = proposals.setdefault(key, Proposal(key, row.proposed[key], None))
                proposal.rows.append(row.number)
    for key, proposal in proposals.items():
        if decisions is not None and key in decisions:
            include, proposal.country = decisions[key]
            proposal.include = include and may_add_institutions
        else:
            proposal.include = may_add_institutions
            proposal.country = guess_country(proposal, rows, catalogue)

    # Rows without an identifier: the same event already recorded?
    for row in rows:
        if row.errors or row.values.get("slug"):
            continue
        found = same_event(row, catalogue, proposals)
        if found is not None:
            agreement, score = found
            recorded[agreement.slug] = agreement
            row.values["slug"] = agreement.slug
            row.matched = _(
                "No identifier: matched to the recorded “%(title)s” (same date, kind, "
                "partners and title words; score %(score).2f). Give the row another identifier "
                "to add it as a new agreement."
            ) % {"title": agreement.title_en, "score": score}
    known = current(list(recorded.values()))

    seen, taken = set(), set()
    for row in rows:
        slug = row.values.get("slug")
        if slug and slug in seen:
            row.error(
                "slug", _("Another row above has the identifier “%(slug)s”.") % {"slug": slug}
            )
        seen.add(slug)
        agreement = recorded.get(slug) if slug else None
        row.agreement = agreement
        if agreement is not None:
            compare(row, known[agreement.pk], positions, catalogue, proposals)
        else:
            create(row, positions, catalogue, proposals, may_add, taken)
        for key in row.proposals:
            if not proposals[key].include:
                row.error(
                    "parties",
                    _(
                        "“%(name)s” is no institution of the catalogue: correct the name, or "
                        "add it (tick it under “New institutions”)."
                    )
                    % {"name": proposals[key].name}
                    if may_add_institutions
                    else _(
                        "“%(name)s” is no institution of the catalogue, and you may not add "
                        "institutions: correct the name."
                    )
                    % {"name": proposals[key].name},
                )
        if not row.errors and row.state != UNCHANGED:
            validate(row, catalogue, proposals)
        if row.errors:
            row.state = ERROR
        row.slug = row.values.get("slug", "")
        row.title = agreement.title_en if agreement else row.values.get("title_en", "")
    read_columns = [sheet.columns[p] for p in sorted(positions.values())]
    return Plan(read_columns, ignored, rows, proposals)


def read_row(number, cells, positions, catalogue):
    row = Row(number)
    raw = {c: (cells[p] if p < len(cells) else "") for c, p in positions.items()}
    values = row.values
    for column, cell in raw.items():
        if column in TEXTS or column == "slug":
            values[column] = cell if isinstance(cell, str) else cell.isoformat()
        elif column in CHOICES:
            if cell == "":
                continue
            choice = read_choice(CHOICES[column], cell)
            if choice is None:
                row.error(
                    column,
                    _("“%(value)s” is not one of: %(choices)s.")
                    % {"value": cell, "choices": ", ".join(CHOICES[column].values)},
                )
            else:
                values[column] = choice
        elif column in DATES:
            read_date(row, column, cell, raw.get("date_precision", ""))
        elif column == "date_precision":
            continue  # checked against the date (read_date)
        elif column == "country":
            if cell == "":
                values["country"] = None
            elif (pk := catalogue.country(str(cell))) is None:
                row.error("country", unknown_country(cell))
            else:
                values["country"] = pk
        else:
            read_set(row, column, "" if cell is None else str(cell), catalogue)
    return row


def read_choice(choices, text):
    folded = str(text).strip().casefold()
    for value, label in choices.choices:
        if folded in (value, str(label).casefold()):
            return value
    with translation.override("ko"):  # the labels in Korean too
        for value, label in choices.choices:
            if folded == str(label).casefold():
                return value
    return None


def read_date(row, column, cell, precision_cell):
    if cell in ("", None):
        if column == "date":
            row.values[column] = None
        else:
            row.values[column] = (None, None)
        return
    given = str(precision_cell).strip().lower() if precision_cell else ""
    if isinstance(cell, datetime.date):
        # A date the spreadsheet program made of what was typed: read at the precision
        # column's precision when it is the first day of that month or year.
        day = cell.date() if isinstance(cell, datetime.datetime) else cell
        precision = given if column == "date" and given in Precision.values else Precision.DAY
        if not is_truncated(day, precision):
            precision = Precision.DAY
        value = (day, precision)
    else:
        try:
            value = parse_partial(str(cell).strip())
        except ValueError:
            row.error(
                column,
                _(
                    "“%(value)s” is not a date: write it as 2023, 2023-11 or 2023-11-30 (year, "
                    "month or day)."
                )
                % {"value": cell},
            )
            return
    if column == "date" and given and given != value[1]:
        row.error(
            "date_precision",
            _(
                "The precision is “%(given)s” but the date %(date)s is given to the "
                "%(precision)s: make the two agree."
            )
            % {"given": given, "date": format_partial(*value), "precision": value[1]},
        )
        return
    row.values[column] = value


def unknown_country(text):
    return _(
        "There is no country “%(value)s”: write its two-letter ISO code (MN) or its name in "
        "English or Korean."
    ) % {"value": text}


def read_set(row, column, text, catalogue):
    items = [item for item in SPLIT.split(text.strip()) if item]
    found = set()
    for item in items:
        if column == "partner_countries":
            pk = catalogue.country(item)
            if pk is None:
                row.error(column, unknown_country(item))
            elif pk != catalogue.home:
                found.add(pk)
        elif column == "minerals":
            pk = catalogue.mineral(item)
            if pk is None:
                row.error(
                    column,
                    _(
                        "There is no mineral “%(value)s”: write its identifier (lithium, "
                        "rare-earths) or its name in English or Korean."
                    )
                    % {"value": item},
                )
            else:
                found.add(pk)
        elif column == "stages":
            pk = catalogue.stage_names.get(compact(item))
            if pk is None:
                row.error(
                    column,
                    _("There is no value-chain stage “%(value)s”: use one of %(stages)s.")
                    % {"value": item, "stages": ", ".join(sorted(catalogue.stages.values()))},
                )
            else:
                found.add(pk)
        elif column == "sources":
            pk = catalogue.source_keys.get(item)
            if pk is None:
                row.error(
                    column,
                    _(
                        "There is no source “%(value)s”: add the source in the admin first "
                        "(Sources), then give its address or identifier here."
                    )
                    % {"value": item},
                )
            else:
                found.add(pk)
        else:
            party = read_party(row, item, catalogue)
            if party is not None:
                found.add(party)
    row.values[column] = found


def read_party(row, item, catalogue):
    match = PARTY.match(item)
    role = read_choice(Party.Role, match["role"]) if match else None
    if role is None:
        row.error(
            "parties",
            _(
                "“%(value)s” has no role: write the name and its role in brackets, "
                "“Name (signatory)”; the roles are %(roles)s."
            )
            % {"value": item, "roles": ", ".join(Party.Role.values)},
        )
        return None
    name = match["name"]
    who = catalogue.party(name)
    if who == "ambiguous":
        row.error(
            "parties",
            _(
                "Several institutions are called “%(value)s”: write the identifier (slug) of "
                "the one you mean."
            )
            % {"value": name},
        )
        return None
    if who is None:
        key = compact(name)
        row.proposed[key] = name
        row.proposals.add(key)
        who = ("new", key)
    return (who, role)


def guess_country(proposal, rows, catalogue):
    """A new institution's country: the one country of its first row that no other party
    or the place accounts for; Korea for a Korean name; else none."""
    for row in rows:
        if row.number != proposal.rows[0]:
            continue
        others = [p for p in row.values.get("parties", ()) if p[0][0] != "new"]
        left = set(row.values.get("partner_countries", ())) - catalogue.partner_countries(
            row.values.get("country"), others, {}
        )
        if len(left) == 1:
            return left.pop()
    return catalogue.home if HANGUL.search(proposal.name) else None


def same_event(row, catalogue, proposals):
    values = row.values
    date = values.get("date")
    if not date or not values.get("kind"):
        return None
    parties = values.get("parties", set())
    institutions = [key for (kind, key), _role in parties if kind == "i"]
    countries = [
        catalogue.countries[pk][0]
        for pk in catalogue.partner_countries(values.get("country"), parties, proposals)
        | set(values.get("partner_countries", ()))
    ]
    text = " ".join(values.get(c, "") for c in ("title_en", "title_ko"))
    found = matches(text, date[0], date[1], values["kind"], institutions, countries)
    return (found[0][0], found[0][1]) if found else None


def settle_parties(row, old, positions, catalogue, proposals):
    """The parties the row leaves the agreement with: as the sheet lists them (or as they
    are), with a country party for a country named only in the countries column."""
    values = row.values
    parties = set(values["parties"]) if "parties" in positions else set(old["parties"])
    place = values["country"] if "country" in values else old["country"]
    if "partner_countries" not in values:
        return parties
    wanted = set(values["partner_countries"])
    implied = catalogue.partner_countries(place, parties, proposals)
    if implied - wanted and "parties" not in positions:
        # A country taken out of the countries column: take its country party out too.
        parties = {p for p in parties if not (p[0][0] == "c" and p[0][1] in implied - wanted)}
        implied = catalogue.partner_countries(place, parties, proposals)
    for pk in sorted(wanted - implied):
        parties.add((("c", pk), COUNTRY_ROLE))
    if extra := implied - wanted:
        row.error(
            "partner_countries",
            _(
                "%(countries)s: involved through the parties or the place, but missing from "
                "this column. Add them here, or take them out of the parties and the place."
            )
            % {"countries": ", ".join(sorted(catalogue.countries[pk][0] for pk in extra))},
        )
    return parties


def compare(row, old, positions, catalogue, proposals):
    if row.errors:
        return
    values = row.values
    if "sources" in values and not values["sources"]:
        row.error("sources", _("Every agreement cites at least one source: give one here."))
        return
    parties = settle_parties(row, old, positions, catalogue, proposals)
    if row.errors:
        return
    new = {**values, "parties": parties}
    new.pop("partner_countries", None)
    for column in READ:
        if column in ("slug", "date_precision", "partner_countries") or column not in new:
            continue
        if column == "date" and new["date"] is None:
            row.error("date", _("Every agreement has a date: give one."))
            continue
        before = old[column]
        after = new[column]
        if column in SETS:
            before, after = set(before), set(after)
        if before == after:
            continue
        if column in SETS:
            was = catalogue.text(column, before, proposals)
            now = catalogue.text(column, after, proposals)
            row.changes.append(
                Change(
                    column,
                    "; ".join(was),
                    "; ".join(now),
                    added=sorted(catalogue.text(column, after - before, proposals)),
                    removed=sorted(catalogue.text(column, before - after, proposals)),
                )
            )
        else:
            row.changes.append(
                Change(
                    column,
                    catalogue.text(column, before, proposals),
                    catalogue.text(column, after, proposals),
                )
            )
    if "partner_countries" in values:
        was = catalogue.partner_countries(old["country"], old["parties"], proposals)
        now = catalogue.partner_countries(new.get("country", old["country"]), parties, proposals)
        if was != now:
            row.changes.append(
                Change(
                    "partner_countries",
                    "; ".join(catalogue.text("partner_countries", was, proposals)),
                    "; ".join(catalogue.text("partner_countries", now, proposals)),
                )
            )
    row.values["parties"] = parties
    row.old = old
    row.state = CHANGED if row.changes else UNCHANGED


def create(row, positions, catalogue, proposals, may_add, taken):
    values = row.values
    if not may_add:
        row.error("slug", _("This row adds an agreement, and you may not add agreements."))
        return
    for column in ("title_en", "title_ko", "kind"):
        if not values.get(column):
            row.error(column, _("A new agreement needs a value here."))
    if not values.get("date"):
        row.error("date", _("A new agreement needs a date: 2023, 2023-11 or 2023-11-30."))
    if not values.get("sources"):
        row.error(
            "sources",
            _(
                "A new agreement cites at least one source: give the address or identifier "
                "of a recorded source."
            ),
        )
    if row.errors:
        return
    empty = {"country": None, "parties": set()}
    values["parties"] = settle_parties(row, empty, positions, catalogue, proposals)
    if row.errors:
        return
    if not values.get("slug"):
        values["slug"] = new_slug(values, taken)
    row.state = NEW


def new_slug(values, taken):
    """An identifier made of the English title and the year, unused so far."""
    base = slugify(values["title_en"])[:80].strip("-") or "agreement"
    year = str(values["date"][0].year)
    if not base.endswith(year):
        base = f"{base}-{year}"
    slug, n = base, 2
    while slug in taken or Agreement.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def agreement_fields(row):
    """The agreement's own fields the row sets (all of them for a new agreement)."""
    values = row.values
    fields = {}
    for column in TEXTS + list(CHOICES):
        if column in values:
            fields[column] = values[column]
    for column, (date_field, precision_field) in DATES.items():
        if column in values:
            date, precision = values[column] or (None, None)
            fields[date_field] = date
            if precision:
                fields[precision_field] = precision
    if "country" in values:
        fields["country"] = values["country"]
    return fields


def new_fields(row, catalogue):
    fields = {
        "slug": row.values["slug"],
        "status": Agreement.Status.ACTIVE
        if row.values["date"][0] <= timezone.localdate()
        else Agreement.Status.PLANNED,
        **agreement_fields(row),
    }
    fields.setdefault("summary_en", fields["title_en"])
    fields.setdefault("summary_ko", fields["title_ko"])
    if not fields["summary_en"]:
        fields["summary_en"] = fields["title_en"]
    if not fields["summary_ko"]:
        fields["summary_ko"] = fields["title_ko"]
    return fields


def validate(row, catalogue, proposals):
    """The model's own validation of the agreement the row leaves (as the admin's)."""
    if row.state == NEW:
        agreement = Agreement(**with_country(new_fields(row, catalogue), catalogue))
        exclude = []
    else:
        agreement = row.agreement  # a copy of the database's, never saved here
        changes = with_country(changed_fields(row), catalogue)
        for name, value in changes.items():
            setattr(agreement, name, value)
        exclude = [] if "slug" in changes else ["slug"]
    try:
        # As record_agreement validates (services.saved): check constraints are left to
        # clean() and the database.
        agreement.full_clean(
            exclude=exclude, validate_unique="slug" not in exclude, validate_constraints=False
        )
        validate_unique_constraints(agreement, exclude=exclude)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            column = MODEL_COLUMNS.get(name, name)
            for message in messages:
                row.error(column, message)


def with_code(fields, catalogue):
    """`fields` with the country as its code (a natural key, for record_agreement)."""
    fields = dict(fields)
    if fields.get("country"):
        fields["country"] = catalogue.countries[fields["country"]][0]
    return fields


def with_country(fields, catalogue):
    fields = dict(fields)
    if "country" in fields:
        fields["country_id"] = fields.pop("country")
    return fields


def changed_fields(row):
    """The agreement's fields among the row's changes."""
    columns = {change.column for change in row.changes}
    fields = agreement_fields(row)
    keep = set()
    for column in columns:
        if column in DATES:
            keep.update(DATES[column])
        else:
            keep.add(column)
    return {name: value for name, value in fields.items() if name in keep}


# --- Saving ------------------------------------------------------------------------------


class ImportFailed(Exception):
    def __init__(self, row, error):
        super().__init__(f"row {row.number}: {error}")
        self.row, self.error = row, error


def save(the_plan, *, user, filename, proposals_fields, only_valid=False):
    """Apply the plan in one transaction; returns {state: count} of what was saved.
    `proposals_fields` are the new institutions' fields by proposal key."""
    if the_plan.count(ERROR) and not only_valid:
        raise ValueError("the plan has rows in error")
    catalogue = Catalogue()
    created = {}
    saved = {NEW: 0, CHANGED: 0}
    lookups = Lookups()  # each country, institution, mineral… read once for the sheet
    with transaction.atomic():
        for row in the_plan.rows:
            if row.state not in (NEW, CHANGED):
                continue
            institutions = []
            for key in sorted(row.proposals):
                if key not in created:
                    fields = dict(proposals_fields[key])
                    fields["slug"] = unique_institution_slug(fields["slug"], created)
                    created[key] = fields["slug"]
                    institutions.append(fields)
            comment = _("Imported from the sheet “%(file)s”, row %(row)d.") % {
                "file": filename,
                "row": row.number,
            }
            try:
                if row.state == NEW:
                    record_agreement(
                        user=user,
                        comment=comment,
                        agreement=with_code(new_fields(row, catalogue), catalogue),
                        institutions=institutions,
                        lookups=lookups,
                        **additions(
                            row,
                            row.values["parties"],
                            set(),
                            set(),
                            set(),
                            set(),
                            catalogue,
                            created,
                        ),
                    )
                else:
                    apply_changes(row, user, comment, institutions, catalogue, created, lookups)
            except ValidationError as error:
                raise ImportFailed(row, error) from None
            saved[row.state] += 1
    return saved


def unique_institution_slug(slug, created):
    base, n = slug[:46], 2
    while Institution.objects.filter(slug=slug).exists() or slug in created.values():
        slug, n = f"{base}-{n}", n + 1
    return slug


def party_key(party, catalogue, created):
    (kind, key), role = party
    if kind == "i":
        return {"institution": catalogue.institutions[key][0], "country": None, "role": role}
    if kind == "c":
        return {"institution": None, "country": catalogue.countries[key][0], "role": role}
    return {"institution": created[key], "country": None, "role": role}


def additions(row, parties, minerals, stages, sources, old_parties, catalogue, created):
    values = row.values
    return {
        "parties": [
            party_key(p, catalogue, created)
            for p in sorted(parties - old_parties, key=lambda p: (p[0][0], str(p[0][1]), p[1]))
        ],
        "minerals": [
            {"mineral": catalogue.minerals[pk]}
            for pk in sorted(set(values.get("minerals", minerals)) - minerals)
        ],
        "stages": [
            catalogue.stages[pk] for pk in sorted(set(values.get("stages", stages)) - stages)
        ],
        "source_links": [
            {"source": catalogue.sources[pk][0]}
            for pk in sorted(set(values.get("sources", sources)) - sources)
        ],
    }


def apply_changes(row, user, comment, institutions, catalogue, created, lookups):
    old = row.old
    columns = {change.column for change in row.changes}
    changes = changed_fields(row)
    changes = with_code(changes, catalogue)
    parties = row.values["parties"]
    removals = {
        "parties": [
            tuple(
                party_key(p, catalogue, created)[k] or ""
                for k in ("institution", "country", "role")
            )
            for p in old["parties"] - parties
        ],
        "minerals": [
            catalogue.minerals[pk]
            for pk in old["minerals"] - row.values.get("minerals", old["minerals"])
        ]
        if "minerals" in columns
        else [],
        "stages": [
            catalogue.stages[pk] for pk in old["stages"] - row.values.get("stages", old["stages"])
        ]
        if "stages" in columns
        else [],
        "source_links": [
            catalogue.sources[pk][0]
            for pk in old["sources"] - row.values.get("sources", old["sources"])
        ]
        if "sources" in columns
        else [],
    }
    record_agreement(
        user=user,
        comment=comment,
        agreement=row.agreement.slug,
        changes=changes,
        removals={k: v for k, v in removals.items() if v},
        institutions=institutions,
        lookups=lookups,
        **additions(
            row,
            parties,
            old["minerals"],
            old["stages"],
            old["sources"],
            old["parties"],
            catalogue,
            created,
        ),
    )
