"""The client's address behind the TLS proxy.

Behind the proxy every request comes from the proxy's address; the proxy appends the address
it saw to X-Forwarded-For. Only that last entry, added by a proxy we trust
(DJANGO_TRUSTED_PROXIES), is believed: everything to its left was sent by the client and can
say anything. Login throttling (django-axes) counts failures per user name and this address.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR", "")
    if remote not in settings.TRUSTED_PROXIES:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    last = forwarded[-1].strip()
    try:
        return str(ipaddress.ip_address(last))
    except ValueError:
        return remote
