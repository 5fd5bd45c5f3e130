from django.urls import path, register_converter

from . import exports, views
from .pagecache import cached_page

app_name = "partners"


class CountryCode:
    """Two letters (ISO 3166-1 alpha-2, either case): anything else is a 404 before the
    database is asked (PostgreSQL refuses a NUL byte in a query with an error)."""

    regex = "[A-Za-z]{2}"

    def to_python(self, value):
        return value.upper()

    def to_url(self, value):
        return value.lower()


register_converter(CountryCode, "country")

# Every public page is served from the page cache (pagecache.py); exports stream every time.
urlpatterns = [
    path("", cached_page(views.dashboard), name="dashboard"),
    path("agreements/", cached_page(views.agreement_list), name="list"),
    path("agreements.csv", cached_page(exports.export_csv), name="export-csv"),
    path("agreements.xlsx", cached_page(exports.export_xlsx), name="export-xlsx"),
    path("agreements.json", cached_page(exports.export_json), name="export-json"),
    path("agreements.atom", cached_page(exports.AgreementFeed()), name="feed"),
    path("agreements/<slug:slug>/", cached_page(views.agreement_detail), name="agreement"),
    path("map/", cached_page(views.map_page), name="map"),
    path("timeline/", cached_page(views.timeline), name="timeline"),
    path("coverage/", cached_page(views.coverage), name="coverage"),
    path("countries/", cached_page(views.country_list), name="countries"),
    path("countries/<country:code>/", cached_page(views.country_detail), name="country"),
    path("institutions/", cached_page(views.institution_list), name="institutions"),
    path("institutions/<slug:slug>/", cached_page(views.institution_detail), name="institution"),
    path("minerals/", cached_page(views.mineral_list), name="minerals"),
    path("minerals/<slug:slug>/", cached_page(views.mineral_detail), name="mineral"),
]
