from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from .health import health, live

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("health/", health, name="health"),
    path("health/live/", live, name="live"),
]
urlpatterns += i18n_patterns(path("", include("partners.urls")))
