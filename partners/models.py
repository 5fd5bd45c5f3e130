"""Korea's critical-mineral partnerships: who, on what, through which agreement, on whose word.

Every fixture-loaded model has a natural key, so fixtures name records by slug or code
rather than by primary key and load twice without duplicates.
"""

import datetime
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connections, models, transaction
from django.db.models import Prefetch, Q
from django.db.models.functions import Cast, Coalesce
from django.db.models.signals import class_prepared
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from .dates import Precision, format_partial, is_truncated, truncate
from .i18n import Bilingual, localized_reverse
from .sql import KEY, joined, padded


def quick_choice_labels(sender, **kwargs):
    """`get_FOO_display()` of our models as one dictionary look-up. Django's builds a
    dictionary of every choice on each call: some fifty calls made a tenth of a list page's
    time."""
    if sender._meta.app_label != "partners":
        return
    for field in sender._meta.concrete_fields:
        if field.choices:
            setattr(sender, f"get_{field.name}_display", choice_label(field))


def choice_label(field):
    labels = dict(field.flatchoices)
    attname = field.attname

    def display(self):
        value = getattr(self, attname)
        return labels.get(value, value)

    display.__doc__ = f"The label of {field.name}'s value."
    return display


class_prepared.connect(quick_choice_labels)

# The dashboard is about Korea's partners: Korea is the centre of the map, and every other
# country an agreement involves is a partner.
HOME = "KR"


class Confidence(models.TextChoices):
    """How sure we are of a fact (the H/M/L of docs/DATA.md)."""

    HIGH = "high", _("confirmed")
    MEDIUM = "medium", _("likely")
    LOW = "low", _("unconfirmed")


# Dates of this record fall between these: one mistyped year (20233) would otherwise stretch
# the timeline a thousand years. The filter's year range is the same.
EARLIEST, LATEST = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)
PLAUSIBLE = [
    MinValueValidator(EARLIEST, _("Dates run from 1900 to 2100 here: check the year.")),
    MaxValueValidator(LATEST, _("Dates run from 1900 to 2100 here: check the year.")),
]


def plausible_dates(prefix, *fields):
    """The database's side of PLAUSIBLE, one named constraint per date field."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__range": (EARLIEST, LATEST)}),
            name=f"{prefix}_{name}_plausible",
        )
        for name in fields
    ]


LATITUDE = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE = [MinValueValidator(-180), MaxValueValidator(180)]


def coordinate_constraints(prefix):
    """Latitude and longitude are given together or not at all, and within range."""
    return [
        models.CheckConstraint(
            condition=Q(latitude__isnull=True, longitude__isnull=True)
            | Q(latitude__isnull=False, longitude__isnull=False),
            name=f"{prefix}_lat_lon_together",
        ),
        models.CheckConstraint(
            condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
            name=f"{prefix}_latitude_range",
        ),
        models.CheckConstraint(
            condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
            name=f"{prefix}_longitude_range",
        ),
    ]


def clean_coordinates(obj):
    if (obj.latitude is None) != (obj.longitude is None):
        missing = "longitude" if obj.longitude is None else "latitude"
        raise ValidationError(
            {missing: _("Give both latitude and longitude, or leave both empty.")}
        )


def clean_partial_date(obj, date_field, precision_field):
    """Store a partial date truncated to its precision, and say so if it was not."""
    value, precision = getattr(obj, date_field), getattr(obj, precision_field)
    if value is not None and not is_truncated(value, precision):
        setattr(obj, date_field, truncate(value, precision))


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Located(models.Model):
    """A place on the map: a city name in both languages and an optional point."""

    city_en = models.CharField(_("city (English)"), max_length=120, blank=True)
    city_ko = models.CharField(_("city (Korean)"), max_length=120, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=LATITUDE,
        help_text=_("WGS84 decimal degrees, north positive."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=LONGITUDE,
        help_text=_("WGS84 decimal degrees, east positive."),
    )

    city = Bilingual()

    class Meta:
        abstract = True

    @property
    def has_point(self):
        return self.latitude is not None and self.longitude is not None


# --- Reference data -----------------------------------------------------------------------


class CountryManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Country(models.Model):
    code = models.CharField(
        _("ISO code"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Two capital letters, e.g. KR."))],
        help_text=_("ISO 3166-1 alpha-2, e.g. KR, MN, CA."),
    )
    alpha3 = models.CharField(
        _("alpha-3 code"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Three capital letters, e.g. KOR."))],
    )
    numeric = models.CharField(
        _("numeric code"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^\d{3}$", _("Three digits, e.g. 410."))],
        help_text=_("ISO 3166-1 numeric; joins the country to its shape on the map."),
    )
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ko = models.CharField(_("name (Korean)"), max_length=100)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=LATITUDE,
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=LONGITUDE,
        help_text=_("A representative point inside the country, where the map draws arcs."),
    )

    name = Bilingual()
    name_other = Bilingual(other=True)

    objects = CountryManager()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = coordinate_constraints("country")

    def __str__(self):
        return self.name_en

    def get_absolute_url(self):
        return localized_reverse("partners:country", self.code.lower())

    @property
    def is_home(self):
        return self.code == HOME

    def natural_key(self):
        return (self.code,)

    def clean(self):
        clean_coordinates(self)


class Mineral(models.Model):
    class Kind(models.TextChoices):
        ELEMENT = "element", _("element or material")
        GROUP = "group", _("group of minerals")

    slug = models.SlugField(_("slug"), unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ko = models.CharField(_("name (Korean)"), max_length=100)
    symbol = models.CharField(
        _("symbol"),
        max_length=8,
        blank=True,
        help_text=_("Chemical symbol, e.g. Li; blank for groups."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ELEMENT)
    group = models.ForeignKey(
        "self",
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        limit_choices_to={"kind": Kind.GROUP},
        help_text=_(
            "The group this mineral belongs to (neodymium → rare earths). A filter on the "
            "group also finds agreements that name only a member."
        ),
    )
    is_critical = models.BooleanField(
        _("critical mineral"),
        default=False,
        help_text=_("One of Korea's 33 critical minerals (strategy of 2023-02-27)."),
    )
    is_strategic = models.BooleanField(
        _("strategic mineral"),
        default=False,
        help_text=_("One of the 10 strategic minerals among the 33 critical ones."),
    )
    is_rare_metal = models.BooleanField(
        _("rare metal"),
        default=False,
        help_text=_("Counts among Korea's 35 rare metals (희소금속), alone or through its group."),
    )
    note_en = models.TextField(_("note (English)"), blank=True)
    note_ko = models.TextField(_("note (Korean)"), blank=True)

    name = Bilingual()
    name_other = Bilingual(other=True)
    note = Bilingual()

    objects = SlugManager()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("mineral")
        verbose_name_plural = _("minerals")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_strategic=False) | Q(is_critical=True),
                name="mineral_strategic_is_critical",
            ),
            models.CheckConstraint(
                condition=Q(kind="element") | Q(group__isnull=True),
                name="mineral_group_has_no_group",
            ),
        ]

    def __str__(self):
        return f"{self.name_en} ({self.symbol})" if self.symbol else self.name_en

    def get_absolute_url(self):
        return localized_reverse("partners:mineral", self.slug)

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        errors = {}
        if self.is_strategic and not self.is_critical:
            errors["is_strategic"] = _(
                "A strategic mineral is one of the critical minerals: tick “critical” too."
            )
        if self.kind == self.Kind.GROUP and self.group_id:
            errors["group"] = _("A group cannot itself belong to a group; leave this empty.")
        if self.group_id and self.group_id == self.pk:
            errors["group"] = _("A mineral cannot be its own group.")
        if errors:
            raise ValidationError(errors)


class Stage(models.Model):
    """A step of the value chain an agreement works on (exploration … policy dialogue)."""

    slug = models.SlugField(_("slug"), unique=True)
    name_en = models.CharField(_("name (English)"), max_length=60)
    name_ko = models.CharField(_("name (Korean)"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    name = Bilingual()

    objects = SlugManager()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("value-chain stage")
        verbose_name_plural = _("value-chain stages")

    def __str__(self):
        return self.name_en

    def natural_key(self):
        return (self.slug,)


class Institution(Located):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("ministry or government agency")
        REGIONAL = "regional", _("state or provincial government")
        LOCAL = "local", _("local government")
        LEGISLATURE = "legislature", _("legislature or council")
        RESEARCH = "research", _("research institute")
        UNIVERSITY = "university", _("university")
        CENTRE = "centre", _("centre")
        COMPANY = "company", _("company")
        ASSOCIATION = "association", _("industry association")
        INTERNATIONAL = "international", _("international organisation")
        COMMITTEE = "committee", _("committee")

    slug = models.SlugField(_("slug"), unique=True)
    name_en = models.CharField(
        _("name (English)"),
        max_length=200,
        help_text=_("The official English name where one exists; otherwise say so in the note."),
    )
    name_ko = models.CharField(_("name (Korean)"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=20, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="institutions",
        help_text=_("Leave empty only for international organisations."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_(
            "The body this one belongs to, e.g. a university for its collaboration centre."
        ),
    )
    website = models.URLField(_("website"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    note_ko = models.TextField(_("note (Korean)"), blank=True)

    name = Bilingual()
    name_other = Bilingual(other=True)
    note = Bilingual()

    objects = SlugManager()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="international", country__isnull=True)
                | (~Q(kind="international") & Q(country__isnull=False)),
                name="institution_country_unless_international",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=models.F("pk")),
                name="institution_not_own_parent",
            ),
            *coordinate_constraints("institution"),
        ]

    def __str__(self):
        return f"{self.name_en} ({self.acronym})" if self.acronym else self.name_en

    def get_absolute_url(self):
        return localized_reverse("partners:institution", self.slug)

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        clean_coordinates(self)
        if self.kind == self.Kind.INTERNATIONAL and self.country_id:
            raise ValidationError(
                {"country": _("An international organisation has no country; leave it empty.")}
            )
        if self.kind and self.kind != self.Kind.INTERNATIONAL and not self.country_id:
            raise ValidationError(
                {"country": _("Choose the country, or set the kind to international organisation.")}
            )
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": _("An institution cannot be part of itself or of its own parts.")}
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class AliasManager(models.Manager):
    def get_by_natural_key(self, institution, country, mineral, name):
        return self.get(
            institution__slug=institution or None,
            country__code=country or None,
            mineral__slug=mineral or None,
            name=name,
        )


class Alias(models.Model):
    """Another name people use for an institution, a country or a mineral.

    The official names live on the record itself (`name_en`, `name_ko`, `acronym`); these
    are the others that search, the filters and the intake recognise: former names (with the
    date they went out of use), short forms (산업부, 지자연), spelling variants (몰리브덴),
    adjectives (Mongolian) and the syllable a country takes in compounds (몽 in 한-몽).
    Names only: a remark such as "not Pusan National University" belongs in a note.
    """

    class Kind(models.TextChoices):
        ACRONYM = "acronym", _("acronym")
        SHORT = "short", _("short form")
        FORMER = "former", _("former name")
        VARIANT = "variant", _("spelling variant")
        ADJECTIVE = "adjective", _("adjective")
        COMPOUND = "compound", _("form used in compounds")

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="aliases",
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="aliases",
    )
    mineral = models.ForeignKey(
        Mineral,
        verbose_name=_("mineral"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="aliases",
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("As people write it: 산업부, KORES, 몰리브덴, Mongolian, 몽 (as in 한-몽)."),
    )
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=[("ko", _("Korean")), ("en", _("English"))],
        blank=True,
        help_text=_("Leave empty for a name used in both languages, such as most acronyms."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    until = models.DateField(
        _("in use until"),
        null=True,
        blank=True,
        validators=PLAUSIBLE,
        help_text=_("For a former name: when it stopped being used (a renaming, a merger)."),
    )
    until_precision = models.CharField(
        _("precision"), max_length=5, choices=Precision.choices, default=Precision.MONTH
    )
    note_en = models.CharField(_("note (English)"), max_length=300, blank=True)
    note_ko = models.CharField(_("note (Korean)"), max_length=300, blank=True)

    note = Bilingual()

    objects = AliasManager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("other name")
        verbose_name_plural = _("other names")
        constraints = [
            models.CheckConstraint(
                condition=Q(institution__isnull=False, country__isnull=True, mineral__isnull=True)
                | Q(institution__isnull=True, country__isnull=False, mineral__isnull=True)
                | Q(institution__isnull=True, country__isnull=True, mineral__isnull=False),
                name="alias_names_one_record",
            ),
            models.UniqueConstraint(
                fields=["institution", "name"],
                condition=Q(institution__isnull=False),
                name="alias_once_per_institution",
            ),
            models.UniqueConstraint(
                fields=["country", "name"],
                condition=Q(country__isnull=False),
                name="alias_once_per_country",
            ),
            models.UniqueConstraint(
                fields=["mineral", "name"],
                condition=Q(mineral__isnull=False),
                name="alias_once_per_mineral",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(kind="former"),
                name="alias_only_former_names_end",
            ),
            *plausible_dates("alias", "until"),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (
            self.institution.slug if self.institution_id else "",
            self.country.code if self.country_id else "",
            self.mineral.slug if self.mineral_id else "",
            self.name,
        )

    natural_key.dependencies = ["partners.institution", "partners.country", "partners.mineral"]

    @property
    def owner(self):
        return self.institution or self.country or self.mineral

    @property
    def until_display(self):
        return format_partial(self.until, self.until_precision)

    def clean(self):
        clean_partial_date(self, "until", "until_precision")
        owners = [self.institution_id, self.country_id, self.mineral_id]
        if sum(owner is not None for owner in owners) != 1:
            raise ValidationError(
                _("An other name belongs to exactly one institution, country or mineral.")
            )
        if self.until and self.kind != self.Kind.FORMER:
            raise ValidationError(
                {"until": _("Only a former name has an end date; set the kind to former name.")}
            )


class Source(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", _("news article")
        PRESS_RELEASE = "press-release", _("government press release")
        OFFICIAL = "official", _("official announcement or document")
        REPORT = "report", _("report or study")

    slug = models.SlugField(_("slug"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title_en = models.CharField(
        _("description (English)"),
        max_length=300,
        help_text=_("What the source reports, in our own words (never its headline copied)."),
    )
    title_ko = models.CharField(_("description (Korean)"), max_length=300)
    publisher_en = models.CharField(_("publisher (English)"), max_length=200)
    publisher_ko = models.CharField(_("publisher (Korean)"), max_length=200, blank=True)
    published = models.DateField(_("published"), null=True, blank=True, validators=PLAUSIBLE)
    published_precision = models.CharField(
        _("precision"), max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    url = models.URLField(_("URL"), max_length=500, blank=True)
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=[
            ("ko", _("Korean")),
            ("en", _("English")),
            ("de", _("German")),
            ("es", _("Spanish")),
            ("fr", _("French")),
            ("id", _("Indonesian")),
            ("it", _("Italian")),
            ("ja", _("Japanese")),
        ],
        default="ko",
    )
    seed_file = models.CharField(
        _("seed document"),
        max_length=100,
        blank=True,
        help_text=_("File name in shared/seeds/ when the source is one of the seed documents."),
    )
    note_en = models.TextField(_("note (English)"), blank=True)
    note_ko = models.TextField(_("note (Korean)"), blank=True)

    title = Bilingual()
    publisher = Bilingual()
    note = Bilingual()

    objects = SlugManager()

    class Meta:
        ordering = ["-published", "slug"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.CheckConstraint(
                condition=Q(published_precision__in=Precision.values),
                name="source_valid_precision",
            ),
            *plausible_dates("source", "published"),
        ]

    def __str__(self):
        return f"{self.publisher_en}, {self.published_display}: {self.title_en}"

    def natural_key(self):
        return (self.slug,)

    @property
    def published_display(self):
        return format_partial(self.published, self.published_precision)

    def clean(self):
        clean_partial_date(self, "published", "published_precision")


# --- Agreements ---------------------------------------------------------------------------


def involved(place, homes):
    """The countries an agreement involves: where it takes place (`place`, or None) and
    the country each of its partners stands for (`homes`: `Party.home_country`, None for an
    international organisation). Records or ids alike. This is the one rule in Python;
    `counts.country_pairs` is the same rule in SQL."""
    return {country for country in (place, *homes) if country is not None}


class ListedIterable(models.query.ModelIterable):
    """Agreements as `for_list()` gives them: each with `listed_countries` (the countries it
    involves) and `listed_minerals` (the minerals it names, by name). Read as (agreement,
    country) and (agreement, mineral) pairs and the few records they name: prefetching the
    parties with their institutions and countries made four model objects per party and
    took more time than the rest of the list page."""

    def __iter__(self):
        agreements = list(super().__iter__())
        if agreements:
            self.tag(agreements, self.queryset.db)
        yield from agreements

    @staticmethod
    def tag(agreements, using):
        ids = [agreement.pk for agreement in agreements]
        homes, links = {}, {}
        for aid, cid in (
            Party.objects.using(using).filter(agreement__in=ids).homes().values_list("aid", "cid")
        ):
            homes.setdefault(aid, set()).add(cid)
        for aid, mid in (
            AgreementMineral.objects.using(using)
            .filter(agreement__in=ids)
            .values_list("agreement_id", "mineral_id")
        ):
            links.setdefault(aid, []).append(mid)
        places = {agreement.country_id for agreement in agreements} - {None}
        countries = Country.objects.using(using).in_bulk(places.union(*homes.values()))
        minerals = Mineral.objects.using(using).in_bulk(set().union(*links.values()))
        for agreement in agreements:
            agreement.listed_countries = involved(
                countries.get(agreement.country_id),
                (countries[cid] for cid in homes.get(agreement.pk, ())),
            )
            agreement.listed_minerals = sorted(
                (minerals[mid] for mid in links.get(agreement.pk, ())), key=lambda m: m.name_en
            )


class AgreementQuerySet(models.QuerySet):
    # The filters below name the matching ids in an indexed subquery (`field IN (SELECT id
    # ...)`) rather than OR-ing conditions across a join, which made SQLite scan every
    # party or mineral tag for every selection.

    def with_mineral(self, mineral):
        """Agreements naming `mineral`, or any member of it when it is a group."""
        family = Mineral.objects.filter(Q(pk=mineral.pk) | Q(group=mineral.pk)).values("pk")
        links = AgreementMineral.objects.filter(mineral__in=family)
        return self.filter(pk__in=links.values("agreement_id"))

    def with_country(self, country):
        """Agreements that involve `country` (`Agreement.involved_countries`): held there, or
        with a partner standing for it: the country itself or one of its institutions (two
        indexed subqueries; `PartyQuerySet.homes` is the same rule as pairs)."""
        partners = Party.objects.partners()
        institutions = Institution.objects.filter(country=country.pk).values("pk")
        return self.filter(
            Q(country=country.pk)
            | Q(pk__in=partners.filter(country=country.pk).values("agreement_id"))
            | Q(pk__in=partners.filter(institution__in=institutions).values("agreement_id"))
        )

    def with_institution(self, institution):
        """Agreements where `institution` or one of its parts is named."""
        family = Institution.objects.filter(Q(pk=institution.pk) | Q(parent=institution.pk)).values(
            "pk"
        )
        parties = Party.objects.filter(institution__in=family)
        return self.filter(pk__in=parties.values("agreement_id"))

    def for_list(self):
        """Rows of the agreement list, the dashboard, the feed and the country, institution
        and mineral pages: each agreement with the countries it involves and the minerals it
        names (`ListedIterable`), five queries in all."""
        queryset = self.select_related(None)
        queryset._iterable_class = ListedIterable
        return queryset

    def for_export(self):
        """Rows of the CSV and JSON exports in one query, however many: the parties,
        minerals, stages and sources of each agreement come as ids joined into one column
        each, read against small lookup tables (`exports.ExportLookups`), so the export streams
        from a server-side cursor with bounded memory and a constant number of queries.
        The joined columns touch only the link tables through their agreement index: joins
        to names inside the per-row subqueries made PostgreSQL hash whole tables per row."""
        V = models.Value
        return self.select_related("country").annotate(
            export_parties=joined(
                Party.objects.partners(),
                padded("order", 5),
                padded("pk"),
                V(KEY),
                Coalesce(Cast("institution_id", models.CharField()), V("")),
                V(":"),
                Coalesce(Cast("country_id", models.CharField()), V("")),
                V(":"),
                "role",
            ),
            export_minerals=joined(AgreementMineral.objects.all(), V(KEY), "mineral_id"),
            export_stages=joined(self.model.stages.through.objects.all(), V(KEY), "stage_id"),
            export_sources=joined(AgreementSource.objects.all(), padded("pk"), V(KEY), "source_id"),
        )

    def for_timeline_marks(self):
        """What the timeline's marks need, and no more: each agreement's dates, title and
        status (the rows it is drawn in come from `counts.involved_codes`)."""
        return self.only(
            "slug",
            "title_en",
            "title_ko",
            "status",
            "date",
            "date_precision",
            "start_date",
            "start_precision",
            "end_date",
            "end_precision",
        ).order_by("date", "slug")

    def for_timeline(self):
        """The timeline's chronology: agreements with their milestones, in date order (its
        marks come from `for_timeline_marks`)."""
        return self.prefetch_related("milestones").order_by("date", "slug")

    def for_detail(self):
        """One agreement's page: parties grouped by role with their institutions, minerals
        with their groups, stages, milestones, key figures, places, sources, parent, children
        and related agreements, each in one query."""
        return self.select_related("country", "parent").prefetch_related(
            Prefetch(
                "parties",
                queryset=Party.objects.select_related(
                    "institution__country", "institution__parent", "country"
                ),
            ),
            Prefetch(
                "mineral_links",
                queryset=AgreementMineral.objects.select_related("mineral__group"),
            ),
            Prefetch("source_links", queryset=AgreementSource.objects.select_related("source")),
            "stages",
            "milestones",
            "key_figures",
            Prefetch("places", queryset=Place.objects.select_related("country")),
            "children",
            "related",
        )


class Agreement(Located):
    class Kind(models.TextChoices):
        MOU = "mou", _("memorandum of understanding")
        AGREEMENT = "agreement", _("cooperation agreement")
        RD_AGREEMENT = "rd-agreement", _("R&D agreement")
        CENTRE = "centre", _("cooperation centre")
        ODA = "oda", _("ODA project")
        COMMITTEE = "committee", _("joint committee")
        CONFERENCE = "conference", _("conference or forum")
        MEETING = "meeting", _("meeting or business meetings")
        VISIT = "visit", _("site visit")
        RESEARCH = "research", _("research project or study")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ACTIVE = "active", _("signed / active")
        COMPLETED = "completed", _("completed")
        ENDED = "ended", _("ended or lapsed")

    slug = models.SlugField(
        _("slug"),
        unique=True,
        max_length=100,
        help_text=_("Permanent identifier used in URLs and fixtures; change it only with care."),
    )
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_ko = models.CharField(_("title (Korean)"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    date = models.DateField(
        _("date"),
        validators=PLAUSIBLE,
        help_text=_(
            "The defining date: signing, opening, meeting. With month or year precision, any "
            "day in that month or year will do; it is stored as the first day."
        ),
    )
    date_precision = models.CharField(
        _("date precision"), max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    date_confidence = models.CharField(
        _("date confidence"),
        max_length=6,
        choices=Confidence.choices,
        default=Confidence.HIGH,
        help_text=_("Anything short of confirmed needs a date note saying why."),
    )
    date_note_en = models.CharField(_("date note (English)"), max_length=300, blank=True)
    date_note_ko = models.CharField(_("date note (Korean)"), max_length=300, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True, validators=PLAUSIBLE)
    start_precision = models.CharField(
        _("start precision"), max_length=5, choices=Precision.choices, default=Precision.YEAR
    )
    end_date = models.DateField(_("end"), null=True, blank=True, validators=PLAUSIBLE)
    end_precision = models.CharField(
        _("end precision"), max_length=5, choices=Precision.choices, default=Precision.YEAR
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("place: country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements_held",
        help_text=_("Where it was signed, held or is based."),
    )
    place_note_en = models.CharField(_("place note (English)"), max_length=300, blank=True)
    place_note_ko = models.CharField(_("place note (Korean)"), max_length=300, blank=True)
    summary_en = models.TextField(_("summary (English)"), help_text=_("In our own words."))
    summary_ko = models.TextField(_("summary (Korean)"), help_text=_("In our own words."))
    stages = models.ManyToManyField(
        Stage, verbose_name=_("value-chain stages"), blank=True, related_name="agreements"
    )
    minerals = models.ManyToManyField(
        Mineral,
        verbose_name=_("minerals"),
        through="AgreementMineral",
        blank=True,
        related_name="agreements",
    )
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), through="AgreementSource", related_name="agreements"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_(
            "The agreement this one comes from: a centre's opening belongs to its ODA project; "
            "a committee comes from an MOU."
        ),
    )
    related = models.ManyToManyField(
        "self", verbose_name=_("related agreements"), blank=True, symmetrical=True
    )
    # Not auto_now: fixtures load with raw saves, and a record without this field must
    # still load (it takes the load time); save() stamps every ordinary save.
    updated_at = models.DateTimeField(_("last updated"), default=timezone.now, editable=False)

    title = Bilingual()
    title_other = Bilingual(other=True)
    summary = Bilingual()
    date_note = Bilingual()
    place_note = Bilingual()

    objects = SlugManager.from_queryset(AgreementQuerySet)()

    class Meta:
        ordering = ["-date", "slug"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="agreement_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(date_precision__in=Precision.values)
                & Q(start_precision__in=Precision.values)
                & Q(end_precision__in=Precision.values),
                name="agreement_valid_precision",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=models.F("pk")),
                name="agreement_not_own_parent",
            ),
            *coordinate_constraints("agreement"),
            *plausible_dates("agreement", "date", "start_date", "end_date"),
        ]
        indexes = [
            models.Index(fields=["date"], name="agreement_date_idx"),
            models.Index(fields=["kind", "date"], name="agreement_kind_date_idx"),
            # "Data updated" on every page reads the latest change.
            models.Index(fields=["updated_at"], name="agreement_updated_idx"),
        ]

    def __str__(self):
        return self.title_en

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return localized_reverse("partners:agreement", self.slug)

    def natural_key(self):
        return (self.slug,)

    @property
    def date_display(self):
        return format_partial(self.date, self.date_precision)

    @property
    def start_display(self):
        return format_partial(self.start_date, self.start_precision)

    @property
    def end_display(self):
        return format_partial(self.end_date, self.end_precision)

    @property
    def is_span(self):
        return self.start_date is not None and self.end_date is not None

    @property
    def involved_countries(self):
        """The countries the agreement involves (see `involved`), as `for_list()` read them,
        else from its parties."""
        listed = getattr(self, "listed_countries", None)
        if listed is not None:
            return listed
        parties = self.parties.partners().select_related("country", "institution__country")
        return involved(self.country, (party.home_country for party in parties))

    @property
    def partner_countries(self):
        """Countries other than Korea that the agreement involves, in name order."""
        return sorted(
            (c for c in self.involved_countries if not c.is_home), key=lambda c: c.name_en
        )

    def clean(self):
        clean_coordinates(self)
        clean_partial_date(self, "date", "date_precision")
        clean_partial_date(self, "start_date", "start_precision")
        clean_partial_date(self, "end_date", "end_precision")
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _(
                "The end (%(end)s) is before the start (%(start)s). Check both dates and "
                "their precision."
            ) % {"end": self.end_display, "start": self.start_display}
        if self.date_confidence != Confidence.HIGH and not (self.date_note_en or self.date_note_ko):
            errors["date_note_en"] = _(
                "The date is not confirmed: say in a date note what is known and from where."
            )
        if self.parent_id and self.pk and self.parent_id == self.pk:
            errors["parent"] = _("An agreement cannot be part of itself.")
        if errors:
            raise ValidationError(errors)


class PartyQuerySet(models.QuerySet):
    def partners(self):
        """Parties that make their institution or country a partner: all but those named
        only in context."""
        return self.exclude(role__in=Party.NOT_PARTNER_ROLES)

    def homes(self):
        """(`aid`, `cid`): each partner's agreement and the country it stands for (its own,
        or its institution's; `Party.home_country` in SQL)."""
        return (
            self.partners()
            .annotate(
                aid=models.F("agreement_id"), cid=Coalesce("country_id", "institution__country_id")
            )
            .exclude(cid=None)
            .order_by()
        )


class PartyManager(models.Manager.from_queryset(PartyQuerySet)):
    def get_by_natural_key(self, agreement, institution, country, role):
        return self.get(
            agreement__slug=agreement,
            institution__slug=institution or None,
            country__code=country or None,
            role=role,
        )


class Party(models.Model):
    """An institution or a country taking part in an agreement, in one role."""

    class Role(models.TextChoices):
        SIGNATORY = "signatory", _("signatory")
        ORGANISER = "organiser", _("organiser")
        HOST = "host", _("host")
        IMPLEMENTER = "implementer", _("implementer")
        COUNTERPART = "counterpart", _("counterpart")
        FUNDER = "funder", _("funder or owner")
        PARTICIPANT = "participant", _("participant")
        PRESENTER = "presenter", _("presenter")
        BUSINESS = "business", _("business-meeting participant")
        WITNESS = "witness", _("attendee or witness")
        CONTEXT = "context", _("named in context (not a party)")

    # Bodies an article names without making them parties: shown on the agreement's page,
    # never counted as partners.
    NOT_PARTNER_ROLES = (Role.CONTEXT,)

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="parties"
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parties",
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parties",
        help_text=_("Only when the source names a country's government, not a specific body."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    representative_en = models.CharField(_("representative (English)"), max_length=120, blank=True)
    representative_ko = models.CharField(_("representative (Korean)"), max_length=120, blank=True)
    representative_title_en = models.CharField(
        _("representative's title (English)"), max_length=200, blank=True
    )
    representative_title_ko = models.CharField(
        _("representative's title (Korean)"), max_length=200, blank=True
    )
    confidence = models.CharField(
        _("confidence"), max_length=6, choices=Confidence.choices, default=Confidence.HIGH
    )
    note_en = models.CharField(_("note (English)"), max_length=300, blank=True)
    note_ko = models.CharField(_("note (Korean)"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    representative = Bilingual()
    representative_title = Bilingual()
    note = Bilingual()

    objects = PartyManager()

    class Meta:
        ordering = ["agreement", "order", "pk"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.CheckConstraint(
                condition=Q(institution__isnull=False, country__isnull=True)
                | Q(institution__isnull=True, country__isnull=False),
                name="party_institution_xor_country",
            ),
            models.UniqueConstraint(
                fields=["agreement", "institution", "role"],
                condition=Q(institution__isnull=False),
                name="party_unique_institution_role",
            ),
            models.UniqueConstraint(
                fields=["agreement", "country", "role"],
                condition=Q(country__isnull=False),
                name="party_unique_country_role",
            ),
        ]

    def __str__(self):
        return f"{self.party.name_en if self.party else '?'} — {self.get_role_display()}"

    def natural_key(self):
        return (
            self.agreement.slug,
            self.institution.slug if self.institution_id else "",
            self.country.code if self.country_id else "",
            self.role,
        )

    natural_key.dependencies = ["partners.agreement", "partners.institution", "partners.country"]

    @property
    def party(self):
        return self.institution if self.institution_id else self.country

    @property
    def home_country(self):
        """The country a party stands for: its own, or its institution's (none for an
        international organisation)."""
        return self.country if self.country_id else self.institution.country

    @property
    def is_partner(self):
        return self.role not in self.NOT_PARTNER_ROLES

    def clean(self):
        if bool(self.institution_id) == bool(self.country_id):
            raise ValidationError(
                _("Choose either an institution or a country for each party, not both or neither.")
            )


class AgreementMineralManager(models.Manager):
    def get_by_natural_key(self, agreement, mineral):
        return self.get(agreement__slug=agreement, mineral__slug=mineral)


class AgreementMineral(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="mineral_links")
    mineral = models.ForeignKey(Mineral, on_delete=models.PROTECT, related_name="agreement_links")
    note_en = models.CharField(_("note (English)"), max_length=200, blank=True)
    note_ko = models.CharField(_("note (Korean)"), max_length=200, blank=True)

    note = Bilingual()

    objects = AgreementMineralManager()

    class Meta:
        ordering = ["agreement", "mineral__name_en"]
        verbose_name = _("mineral of an agreement")
        verbose_name_plural = _("minerals of agreements")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "mineral"], name="agreement_mineral_once")
        ]

    def __str__(self):
        return f"{self.agreement.slug}: {self.mineral.slug}"

    def natural_key(self):
        return (self.agreement.slug, self.mineral.slug)

    natural_key.dependencies = ["partners.agreement", "partners.mineral"]


class AgreementSourceManager(models.Manager):
    def get_by_natural_key(self, agreement, source):
        return self.get(agreement__slug=agreement, source__slug=source)


class AgreementSource(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="source_links")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="agreement_links")
    note_en = models.CharField(_("what it supports (English)"), max_length=300, blank=True)
    note_ko = models.CharField(_("what it supports (Korean)"), max_length=300, blank=True)

    note = Bilingual()

    objects = AgreementSourceManager()

    class Meta:
        ordering = ["agreement", "source__published"]
        verbose_name = _("source of an agreement")
        verbose_name_plural = _("sources of agreements")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "source"], name="agreement_source_once")
        ]

    def __str__(self):
        return f"{self.agreement.slug}: {self.source.slug}"

    def natural_key(self):
        return (self.agreement.slug, self.source.slug)

    natural_key.dependencies = ["partners.agreement", "partners.source"]


class AgreementChildManager(models.Manager):
    def get_by_natural_key(self, agreement, slug):
        return self.get(agreement__slug=agreement, slug=slug)


class AgreementChild(models.Model):
    """A record that belongs to one agreement and is named by a slug within it."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE)
    slug = models.SlugField(
        _("slug"), help_text=_("Unique within the agreement; names the record in fixtures.")
    )

    objects = AgreementChildManager()

    class Meta:
        abstract = True

    def natural_key(self):
        return (self.agreement.slug, self.slug)

    natural_key.dependencies = ["partners.agreement"]


class Milestone(AgreementChild):
    """A dated event in an agreement's life: signed, met, opened, ends."""

    title_en = models.CharField(_("event (English)"), max_length=200)
    title_ko = models.CharField(_("event (Korean)"), max_length=200)
    date = models.DateField(_("date"), validators=PLAUSIBLE)
    date_precision = models.CharField(
        _("precision"), max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    confidence = models.CharField(
        _("confidence"), max_length=6, choices=Confidence.choices, default=Confidence.HIGH
    )
    is_planned = models.BooleanField(
        _("planned"),
        default=False,
        help_text=_("Tick when the source announces the event rather than reports it happened."),
    )
    note_en = models.CharField(_("note (English)"), max_length=300, blank=True)
    note_ko = models.CharField(_("note (Korean)"), max_length=300, blank=True)

    title = Bilingual()
    note = Bilingual()

    class Meta:
        ordering = ["date", "slug"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        default_related_name = "milestones"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "slug"], name="milestone_slug_once"),
            models.CheckConstraint(
                condition=Q(date_precision__in=Precision.values),
                name="milestone_valid_precision",
            ),
            *plausible_dates("milestone", "date"),
        ]

    def __str__(self):
        return f"{self.date_display} {self.title_en}"

    @property
    def date_display(self):
        return format_partial(self.date, self.date_precision)

    def clean(self):
        clean_partial_date(self, "date", "date_precision")


class KeyFigure(AgreementChild):
    """A number a source gives, e.g. annual cobalt recovery 1,500 t."""

    class Qualifier(models.TextChoices):
        EXACT = "", _("exactly")
        ABOUT = "about", _("about")
        AT_LEAST = "at-least", _("at least")
        UP_TO = "up-to", _("up to")

    label_en = models.CharField(_("label (English)"), max_length=200)
    label_ko = models.CharField(_("label (Korean)"), max_length=200)
    qualifier = models.CharField(
        _("qualifier"), max_length=10, choices=Qualifier.choices, blank=True, default=""
    )
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    unit_en = models.CharField(_("unit (English)"), max_length=40, blank=True)
    unit_ko = models.CharField(_("unit (Korean)"), max_length=40, blank=True)
    as_of = models.DateField(_("as of"), null=True, blank=True, validators=PLAUSIBLE)
    as_of_precision = models.CharField(
        _("precision"), max_length=5, choices=Precision.choices, default=Precision.MONTH
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    label = Bilingual()
    unit = Bilingual()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        default_related_name = "key_figures"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "slug"], name="keyfigure_slug_once"),
            *plausible_dates("keyfigure", "as_of"),
        ]

    def __str__(self):
        return f"{self.label_en}: {self.value.normalize():f} {self.unit_en}".strip()

    @property
    def as_of_display(self):
        return format_partial(self.as_of, self.as_of_precision)

    def clean(self):
        clean_partial_date(self, "as_of", "as_of_precision")


class Place(AgreementChild, Located):
    """Another place an agreement involves: a region, a site, a hub."""

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ko = models.CharField(_("name (Korean)"), max_length=200)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="places"
    )
    note_en = models.CharField(_("note (English)"), max_length=300, blank=True)
    note_ko = models.CharField(_("note (Korean)"), max_length=300, blank=True)

    name = Bilingual()
    note = Bilingual()

    class Meta:
        ordering = ["agreement", "slug"]
        verbose_name = _("place involved")
        verbose_name_plural = _("places involved")
        default_related_name = "places"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "slug"], name="place_slug_once"),
            *coordinate_constraints("place"),
        ]

    def __str__(self):
        return self.name_en

    def clean(self):
        clean_coordinates(self)


def aware(value):
    """A datetime read with plain SQL: SQLite gives it as naive UTC text or datetime."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def revision_cache():
    alias = settings.REVISION_CACHE_ALIAS
    return caches[alias] if alias else None


def revision_key(using):
    return f"revision:{using}"


class RevisionState(NamedTuple):
    token: str
    changed_at: datetime.datetime | None


# Inside a request (see `Revision.remembered`), the revision read per database.
_remembered = ContextVar("coopdash_revision", default=None)


class Revision(models.Model):
    """One row that changes whenever the data does: the key of every cached page, and the
    "data last updated" time every page shows.

    Saves, many-to-many changes, admin deletions, fixture loads, migrations and the synthetic
    data commands move it once per transaction, when it commits (see signals.py); a page
    cached under an older token is never served again. A token rather than a counter, so a
    rolled-back bump can never name a page twice.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("data revision")

    def __str__(self):
        return f"{self.token} ({self.changed_at:%Y-%m-%d %H:%M:%S})"

    @classmethod
    def read(cls, using="default"):
        """The current token and when it moved: one row, never written here. Every cached
        page asks, so this is plain SQL (building the ORM query cost more than running it),
        and within `remembered()` it is asked once. With a shared cache (settings.
        REVISION_CACHE_ALIAS) it is read from there, and from the database only every
        REVISION_TIMEOUT seconds."""
        memo = _remembered.get()
        if memo is not None and using in memo:
            return memo[using]
        shared = revision_cache()
        state = shared.get(revision_key(using)) if shared else None
        if state is None:
            with connections[using].cursor() as cursor:
                cursor.execute(f"SELECT token, changed_at FROM {cls._meta.db_table} WHERE id = 1")
                row = cursor.fetchone()
            state = RevisionState(row[0], aware(row[1])) if row else RevisionState("none", None)
            if shared:
                # `add`, never `set`: a server that read the database just before a change
                # must not put back the revision that the change's own `set` replaced.
                shared.add(revision_key(using), state, settings.REVISION_TIMEOUT)
        if memo is not None:
            memo[using] = state
        return state

    @classmethod
    def current(cls, using="default"):
        return cls.read(using).token

    @classmethod
    @contextmanager
    def remembered(cls):
        """Read the revision once per database within the block (a request); a bump inside
        it is seen at once."""
        reset = _remembered.set({})
        try:
            yield
        finally:
            _remembered.reset(reset)

    @classmethod
    def bump(cls, using="default"):
        """Move the revision now. Code that saves data does not call this: signals.py moves
        it once, when the saving transaction commits."""
        values = {"token": uuid.uuid4().hex, "changed_at": timezone.now()}
        if not cls.objects.using(using).filter(pk=1).update(**values):
            cls.objects.using(using).update_or_create(pk=1, defaults=values)
        if shared := revision_cache():
            # Every server's next request sees it, once the data it names is committed. If
            # this write fails, the revision the cache holds expires within REVISION_TIMEOUT.
            state = RevisionState(**values)
            transaction.on_commit(
                lambda: shared.set(revision_key(using), state, settings.REVISION_TIMEOUT),
                using=using,
            )
        memo = _remembered.get()
        if memo is not None:
            memo.pop(using, None)
