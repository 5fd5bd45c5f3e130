"""/health/: whether this instance can serve, for load balancers. Never cached.

The database is needed (503 without it); the cache is an accelerator, so a cache that does
not answer is reported but the instance stays healthy."""

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache


def cache_state():
    cache = caches[settings.PAGE_CACHE_ALIAS]
    available = getattr(cache, "available", None)
    return "ok" if available is None or available() else "unavailable"


@never_cache
def health(request):
    state = {"release": settings.RELEASE, "cache": cache_state()}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable", **state}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", **state})


def live(request):
    """/health/live/: the process answers (no database); also the trivial view that
    benchmarks compare the pages against."""
    return HttpResponse("ok", content_type="text/plain")
