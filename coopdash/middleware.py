"""Response headers Django does not set itself: Content-Security-Policy and
Permissions-Policy.

Public pages get a strict policy: only our own files, no inline script or style, no
framing, forms that post only to us. The admin also allows inline style attributes, which
Django's admin templates still use; its scripts are files, so scripts stay strict there too.
"""

from django.conf import settings

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
        return response
