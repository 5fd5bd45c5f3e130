"""Whole-page cache for the public pages, keyed by the data revision.

A page is rendered once per revision of the data (models.Revision, moved by every save and
admin deletion) and per URL, language and host, then served from the cache with one query
(reading the revision) until the data changes. Nothing is served stale: a change makes a new
key, and the old entries simply age out.

Only visitors without a session or messages cookie are served from the cache; signed-in
staff see pages rendered for them (with their "edit" links). Each entry keeps a gzip copy made
once, so pages travel compressed without compressing on every request, and an ETag, so a
browser revalidating a page it has gets a 304.
"""

import gzip
import hashlib
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile

from .models import Revision

ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
MAX_BODY = 2 * 1024 * 1024  # larger responses are served live, never held in memory
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")


def cacheable_request(request):
    return (
        settings.PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def page_key(request, token):
    query = urlencode(sorted((k, v) for k, values in request.GET.lists() for v in values))
    raw = "\n".join(
        [token, translation.get_language(), request.build_absolute_uri(request.path), query]
    )
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def keepable(request, response):
    return (
        response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def entry_for(response, body):
    """What to keep of a fresh response."""
    return {
        "headers": {k: response[k] for k in KEPT_HEADERS if response.has_header(k)},
        "body": body,
        "gzip": gzip.compress(body, compresslevel=6, mtime=0),
        # Weak: the same ETag names the plain and the gzip form of one page.
        "etag": 'W/"' + hashlib.md5(body, usedforsecurity=False).hexdigest() + '"',
    }


def response_for(request, entry):
    compressed = ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")) and len(
        entry["gzip"]
    ) < len(entry["body"])
    response = HttpResponse(entry["gzip"] if compressed else entry["body"])
    for name, value in entry["headers"].items():
        response[name] = value
    if compressed:
        response["Content-Encoding"] = "gzip"
    response["ETag"] = entry["etag"]
    response["Cache-Control"] = "no-cache"  # keep it, but ask us before reusing it
    patch_vary_headers(response, ["Accept-Encoding", "Cookie"])
    return get_conditional_response(request, etag=entry["etag"], response=response)


def keep_when_done(response, content, cache, key):
    chunks, size = [], 0
    for chunk in content:
        if size <= MAX_BODY:
            chunks.append(chunk)
            size += len(chunk)
        yield chunk
    if size <= MAX_BODY:
        cache.set(key, entry_for(response, b"".join(chunks)))


def cached_page(view):
    """Serve `view` from the page cache when the request allows it (see module doc)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not cacheable_request(request):
            return view(request, *args, **kwargs)
        cache = caches[settings.PAGE_CACHE_ALIAS]
        key = page_key(request, Revision.current())
        entry = cache.get(key)
        if entry is None:
            response = view(request, *args, **kwargs)
            if not keepable(request, response):
                return response
            if response.streaming:
                # Exports stream, so a large one never sits in memory whole; one that
                # ends up small enough is kept once it has been sent.
                response.streaming_content = keep_when_done(
                    response, response.streaming_content, cache, key
                )
                return response
            if len(response.content) > MAX_BODY:
                return response
            entry = entry_for(response, response.content)
            cache.set(key, entry)
        return response_for(request, entry)

    return wrapper
