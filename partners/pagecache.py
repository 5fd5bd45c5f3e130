"""Whole-page cache for the public pages, keyed by the data revision.

A page is rendered once per revision of the data (models.Revision, moved by every change)
and per release of the code, canonical URL, language and host, then served from the cache
with one query (reading the revision; none with a shared cache, which holds the revision
too: models.Revision.read) until the data changes. Nothing is served stale: a
change makes a new key, and the old entries simply age out.

What is kept is bounded, because anyone can make new URLs:
- only canonical URLs: a query string with unknown parameters, empty values or a parameter
  given twice is redirected to the canonical URL of the selection the pages actually use
  (filters.canonical), so junk makes no new entries and `?country=AU&country=ID` is never
  served the page of `?country=ID&country=AU`;
- only valid selections (a filter error is rendered, not kept) and 200 responses without
  cookies;
- one gzip copy per page, at most MAX_ENTRY bytes (decompressed for the rare client that
  does not take gzip), in a cache of DJANGO_CACHE_ENTRIES entries;
- no exports: CSV, JSON and XLSX of arbitrary selections are made every time.

Signed-in users get pages rendered for them (staff see "edit" links); anyone else is served
from the cache, whatever cookies they send. Entries carry an ETag, so a browser revalidating a
page it has gets a 304.
"""

import gzip
import hashlib
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile

from .filters import canonical
from .models import Revision

ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
MAX_ENTRY = 256 * 1024  # compressed bytes; a larger page is served live, never kept
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")


def cacheable_request(request):
    # A session cookie alone does not make a visitor staff: the session is looked up (one
    # query, only when there is such a cookie) and anyone not signed in is served the cache.
    return (
        settings.PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
    )


def canonical_query(request):
    return urlencode(canonical(request.GET))


def page_key(request, token):
    raw = "\n".join(
        [
            settings.RELEASE,
            token,
            translation.get_language(),
            request.build_absolute_uri(request.path),
            canonical_query(request),
        ]
    )
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def keepable(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(response, "selection_refused", False)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def entry_for(response):
    """What to keep of a fresh response: its headers, one gzip copy, an ETag."""
    return {
        "headers": {k: response[k] for k in KEPT_HEADERS if response.has_header(k)},
        "gzip": gzip.compress(response.content, compresslevel=6, mtime=0),
        # Weak: the same ETag names the plain and the gzip form of one page.
        "etag": 'W/"' + hashlib.md5(response.content, usedforsecurity=False).hexdigest() + '"',
    }


def response_for(request, entry, hit=True):
    compressed = bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))
    response = HttpResponse(entry["gzip"] if compressed else gzip.decompress(entry["gzip"]))
    for name, value in entry["headers"].items():
        response[name] = value
    if compressed:
        response["Content-Encoding"] = "gzip"
    response["ETag"] = entry["etag"]
    response["Cache-Control"] = "no-cache"  # keep it, but ask us before reusing it
    # Whether this server found the page in the cache (its proxy's log counts hit ratios).
    response["X-Cache"] = "hit" if hit else "miss"
    patch_vary_headers(response, ["Accept-Encoding", "Cookie"])
    return get_conditional_response(request, etag=entry["etag"], response=response)


def redirect_to_canonical(request):
    """A redirect when the query string has anything the pages do not read, else None."""
    kept = canonical(request.GET)
    given = [(key, value) for key, values in request.GET.lists() for value in values]
    if len(given) == len(kept) and set(given) <= set(kept.items()):
        return None  # the same parameters, perhaps in another order
    query = urlencode(kept)
    return HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)


def cached_page(view):
    """Serve `view` from the page cache when the request allows it (see module doc)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method in ("GET", "HEAD") and (redirect := redirect_to_canonical(request)):
            return redirect
        if not cacheable_request(request):
            return view(request, *args, **kwargs)
        cache = caches[settings.PAGE_CACHE_ALIAS]
        key = page_key(request, Revision.current())
        entry = cache.get(key)
        if entry is not None:
            return response_for(request, entry)
        response = view(request, *args, **kwargs)
        if not keepable(request, response):
            return response
        entry = entry_for(response)
        if len(entry["gzip"]) > MAX_ENTRY:
            return response
        cache.set(key, entry)
        return response_for(request, entry, hit=False)

    return wrapper
