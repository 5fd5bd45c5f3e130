"""One article being read: its text, sentences and catalogue names, and the few catalogue
facts the extraction needs about the records it names (read once, in a handful of queries)."""

from dataclasses import dataclass, field

from partners.models import Agreement, Country, Institution, Mineral, Place, Stage
from partners.names import compact

from . import catalogue
from .text import sentence_at, sentences


@dataclass(frozen=True, slots=True)
class InstitutionRecord:
    pk: int
    slug: str
    name_en: str
    name_ko: str
    acronym: str
    kind: str
    country: str  # ISO code, "" for international organisations
    parent: int | None
    city_en: str
    city_ko: str


@dataclass
class Records:
    institutions: dict
    children: dict
    countries: dict  # pk → (code, name_en, name_ko)
    minerals: dict  # pk → (slug, name_en, name_ko, kind)
    stages: set
    cities: dict  # compact city name → (city_en, city_ko, country code)

    @classmethod
    def load(cls):
        institutions, children = {}, {}
        for row in Institution.objects.values_list(
            "pk",
            "slug",
            "name_en",
            "name_ko",
            "acronym",
            "kind",
            "country__code",
            "parent_id",
            "city_en",
            "city_ko",
        ):
            record = InstitutionRecord(*row[:6], row[6] or "", *row[7:])
            institutions[record.pk] = record
            if record.parent:
                children.setdefault(record.parent, []).append(record.pk)
        countries = {
            pk: (code, en, ko)
            for pk, code, en, ko in Country.objects.values_list("pk", "code", "name_en", "name_ko")
        }
        minerals = {
            pk: (slug, en, ko, kind)
            for pk, slug, en, ko, kind in Mineral.objects.values_list(
                "pk", "slug", "name_en", "name_ko", "kind"
            )
        }
        cities = {}
        # Where agreements and their places happened first: an institution's city may be
        # abroad for its country (an embassy).
        for model in (Place, Agreement, Institution):
            country = "country__code"
            for en, ko, code in (
                model.objects.exclude(city_en="")
                .values_list("city_en", "city_ko", country)
                .distinct()
            ):
                for name in (en, ko):
                    if name and code:
                        cities.setdefault(compact(name), (en, ko, code))
        return cls(
            institutions,
            children,
            countries,
            minerals,
            set(Stage.objects.values_list("slug", flat=True)),
            cities,
        )

    def country_code(self, pk):
        return self.countries[pk][0]


@dataclass
class Article:
    text: str
    published: object  # datetime.date or None
    language: str
    index: object
    records: Records
    sentences: list = field(init=False)
    hits: list = field(init=False)

    def __post_init__(self):
        self.sentences = sentences(self.text)
        self.hits = catalogue.hits(self.index, self.text)

    def sentence(self, position):
        return sentence_at(self.sentences, position)

    def hits_of(self, model):
        return [h for h in self.hits if h.model == model]
