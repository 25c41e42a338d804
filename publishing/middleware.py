"""Full-page cache for anonymous readers, and the HTTP caching headers of public pages.

How it stays correct:

* Keys carry the **content version** (publishing.version), bumped on commit whenever
  a row readers can see is saved or deleted (publishing.invalidation). A publish, edit,
  unpublish or notice change therefore invalidates every surface at once: the article,
  each listing, feed and sitemap that shows it; a draft's save invalidates nothing.
* Every entry expires no later than the **next visibility change** (the earliest
  deadline an app registered: go-live, embargo end, expiry, rights end, notice taking
  effect), so a scheduled article appears on its exact second with a warm cache.
* Only anonymous requests are served from or stored in the cache: a session or
  messages cookie, an Authorization header or a staff path (``/admin/``,
  ``/preview/``...) bypasses it, and responses that set cookies, use the CSRF
  token or say ``private``/``no-store``/``no-cache`` are never stored.

A hit costs no database query: one version read, one cache read, and a response
rebuilt from the stored bytes and headers.
"""

import hashlib
import logging
import math
import time
from functools import wraps

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe
from redis.exceptions import RedisError

from .query_params import page_query
from .version import CacheUnavailable, current_state, page_cache

logger = logging.getLogger("newsroom.cache")

CACHEABLE_STATUSES = frozenset({200, 301, 404, 410})
# Headers recomputed for every response rather than stored.
_PER_RESPONSE_HEADERS = frozenset({"cache-control", "expires", "date", "age"})
_NEVER_STORE_DIRECTIVES = ("private", "no-store", "no-cache")


def _setting(name, default):
    return getattr(settings, name, default)


# --- opting out ------------------------------------------------------------------


def page_cache_exempt(view):
    """Never store this view's responses in the shared page cache (nor let a CDN keep them)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.page_cache_exempt = True
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-cache"
        return response

    return wrapper


# --- HTTP caching headers ------------------------------------------------------------


def cache_control(seconds_left):
    """`Cache-Control` for a public page whose content may change in `seconds_left` seconds.

    A CDN may keep the page for s-maxage and then serve it stale for up to
    stale-while-revalidate/stale-if-error more. Stale content was public when it
    was fetched, so staleness can never show an article early; it could show an
    expired one late, which is why the whole window (s-maxage + stale) is capped
    at the next visibility change.

    Caches count whole seconds from when they receive the header (nginx: its clock's second
    plus s-maxage), a moment after it was written: a window of every whole second left could
    reach into the deadline's own second. So the windows end a second before the change.
    """
    left = max(0, math.floor(seconds_left) - 1) if seconds_left != math.inf else 10**9
    max_age = min(_setting("PAGE_CACHE_MAX_AGE", 30), left)
    s_maxage = min(_setting("PAGE_CACHE_S_MAXAGE", 60), left)
    stale = max(0, min(_setting("PAGE_CACHE_STALE_WHILE_REVALIDATE", 30), left - s_maxage))
    stale_error = max(0, min(_setting("PAGE_CACHE_STALE_IF_ERROR", 300), left - s_maxage))
    return (
        f"public, max-age={max_age}, s-maxage={s_maxage}, "
        f"stale-while-revalidate={stale}, stale-if-error={stale_error}"
    )


# --- the middleware ----------------------------------------------------------------


def _bypasses_cache(request):
    if request.method not in ("GET", "HEAD"):
        return True
    if any(request.path.startswith(prefix) for prefix in _excluded_paths()):
        return True
    cookies = request.COOKIES
    if cookies and any(name in cookies for name in _bypass_cookies()):
        return True
    return "HTTP_AUTHORIZATION" in request.META


def _excluded_paths():
    return _setting("PAGE_CACHE_EXCLUDED_PATHS", ("/admin/", "/preview/"))


def _bypass_cookies():
    # A CSRF cookie alone does not bypass: cached pages never carry a token (see _storable).
    return (settings.SESSION_COOKIE_NAME, "messages")


def _storable(request, response):
    if response.status_code not in CACHEABLE_STATUSES or response.streaming:
        return False
    if getattr(response, "page_cache_exempt", False) or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # the page carries a CSRF token: one reader's, never everyone's
    if connection.in_atomic_block:
        return False  # rendered from rows that may yet be rolled back
    vary = {name.strip().lower() for name in response.get("Vary", "").split(",") if name.strip()}
    if vary - {"cookie"}:
        return False  # one key per URL cannot hold per-language or per-encoding variants
    control = response.get("Cache-Control", "").lower()
    return not any(directive in control for directive in _NEVER_STORE_DIRECTIVES)


def _key(version, request):
    # Only the parameters the view reads: a tracking parameter is not a new page.
    url = f"{request.scheme}://{request.get_host()}{request.path}?{page_query(request).urlencode()}"
    return f"page-cache:{version}:{hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()}"


class PageCacheMiddleware:
    """Place right after WhiteNoise: a hit skips every middleware below it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _setting("PAGE_CACHE_ENABLED", True):
            return self.get_response(request)
        if _bypasses_cache(request):
            response = self.get_response(request)
            if not response.has_header("Cache-Control") and request.method in ("GET", "HEAD"):
                # Staff pages are never for shared caches.
                response["Cache-Control"] = "private, no-cache"
            return response

        cache = page_cache()
        now = time.time()
        try:
            version, next_change = current_state(cache, now)
            key = _key(version, request)
            entry = cache.get(key)
        except CacheUnavailable as error:
            logger.warning("Page cache unavailable (%s); serving from the database.", error)
            return self.get_response(request)
        except (RedisError, OSError) as error:
            logger.warning("Page cache unavailable (%s); serving from the database.", error)
            return self.get_response(request)

        if entry is not None and entry[0] > now:
            return self._respond(request, entry, (next_change or entry[0]) - now)

        response = self.get_response(request)
        if next_change is None or not _storable(request, response):
            return response
        seconds_left = next_change - now
        if not response.has_header("ETag"):
            digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
            response["ETag"] = f'"{digest}"'
        last_modified = parse_http_date_safe(response.get("Last-Modified", "")) or int(now)
        response["Last-Modified"] = http_date(last_modified)
        timeout = min(_setting("PAGE_CACHE_TTL", 600), seconds_left)
        if timeout >= 1:
            headers = tuple(
                (name, value)
                for name, value in response.items()
                if name.lower() not in _PER_RESPONSE_HEADERS
            )
            entry = (now + timeout, response.status_code, headers, response.content, last_modified)
            try:
                cache.set(key, entry, math.ceil(timeout))
            except (RedisError, OSError) as error:
                logger.warning("Page cache write failed (%s).", error)
        # From the clock now, not at the request's start: a slow render must not stretch the
        # windows past the change by its own duration.
        response["Cache-Control"] = cache_control(next_change - time.time())
        return self._conditional(request, response, last_modified)

    def _respond(self, request, entry, seconds_left):
        _expires, status, headers, content, last_modified = entry
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response.headers[name] = value
        response["Cache-Control"] = cache_control(seconds_left)
        return self._conditional(request, response, last_modified)

    @staticmethod
    def _conditional(request, response, last_modified):
        if response.status_code != 200:
            return response
        if "HTTP_IF_NONE_MATCH" not in request.META and (
            "HTTP_IF_MODIFIED_SINCE" not in request.META
        ):
            return response
        return get_conditional_response(
            request, etag=response["ETag"], last_modified=last_modified, response=response
        )
