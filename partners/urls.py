from django.urls import path

from . import exports, views

app_name = "partners"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("agreements/", views.agreement_list, name="list"),
    path("agreements.csv", exports.export_csv, name="export-csv"),
    path("agreements.json", exports.export_json, name="export-json"),
    path("agreements.atom", exports.AgreementFeed(), name="feed"),
    path("agreements/<slug:slug>/", views.agreement_detail, name="agreement"),
    path("map/", views.map_page, name="map"),
    path("timeline/", views.timeline, name="timeline"),
    path("coverage/", views.coverage, name="coverage"),
    path("countries/", views.country_list, name="countries"),
    path("countries/<str:code>/", views.country_detail, name="country"),
    path("institutions/", views.institution_list, name="institutions"),
    path("institutions/<slug:slug>/", views.institution_detail, name="institution"),
    path("minerals/", views.mineral_list, name="minerals"),
    path("minerals/<slug:slug>/", views.mineral_detail, name="mineral"),
]
