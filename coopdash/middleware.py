"""Site-wide middleware: the security headers Django does not set itself
(Content-Security-Policy, Permissions-Policy, and framing for static files too), and a 503
for a statement the database cancelled for running too long.

Public pages get a strict policy: only our own files, no inline script or style, no
framing, forms that post only to us. The admin also allows inline style attributes, which
Django's admin templates still use; its scripts are files, so scripts stay strict there too.
"""

from django.conf import settings
from django.db import OperationalError
from django.shortcuts import render

STRICT = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
ADMIN = STRICT.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
PERMISSIONS = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_PATH

    def __call__(self, request):
        response = self.get_response(request)
        policy = ADMIN if request.path.startswith(self.admin_prefix) else STRICT
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS)
        # Placed before WhiteNoise, so static files get these too; Django's own
        # XFrameOptionsMiddleware (after WhiteNoise) sees only views.
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response


# What the databases say when they stop a statement: PostgreSQL's query_canceled, and SQLite's
# interruption by coopdash/sqlite/base.py.
CANCELLED = ("canceling statement due to statement timeout", "interrupted")


class StatementTimeoutMiddleware:
    """A statement stopped by DJANGO_STATEMENT_TIMEOUT answers 503 with a page that says
    what happened, instead of a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError) and str(exception).strip().startswith(CANCELLED):
            response = render(request, "503.html", status=503)
            response["Retry-After"] = "30"
            return response
        return None
