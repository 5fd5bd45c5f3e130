"""/health/: whether this instance can serve, for load balancers. Never cached."""

from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def live(request):
    """/health/live/: the process answers (no database); also the trivial view that
    benchmarks compare the pages against."""
    return HttpResponse("ok", content_type="text/plain")
