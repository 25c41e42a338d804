"""Full-page cache for anonymous readers, and the HTTP caching headers of public pages.

How it stays correct:

* Keys carry a **content version**, one integer bumped on commit whenever a model
  that shapes public output is saved or deleted (``newsroom.cache_invalidation``).
  A publish, edit, unpublish or notice change therefore invalidates every
  surface at once: the article, each listing, feed and sitemap that shows it.
* Every entry expires no later than the **next visibility change** (scheduled
  go-live, embargo end, expiry, notice taking effect), computed once per
  version, so a scheduled article appears on its exact second with a warm cache.
* Only anonymous requests are served from or stored in the cache: a session or
  messages cookie, an Authorization header or a staff path (``/admin/``,
  ``/preview/``...) bypasses it, and responses that set cookies, use the CSRF
  token or say ``private``/``no-store``/``no-cache`` are never stored.

A hit costs no database query: one version read, one cache read, and a response
rebuilt from the stored bytes and headers.

With a process-local cache (LocMemCache, the embedded default) the version lives
in a small memory-mapped file shared by all gunicorn workers of the host, so an
editor's save in one worker invalidates the pages cached in the others. With a
shared cache (Redis) it lives in the cache itself.
"""

import fcntl
import hashlib
import logging
import math
import mmap
import os
import secrets
import struct
import time
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import Error as DatabaseFailure
from django.db import connection
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe
from django.utils.module_loading import import_string
from redis.exceptions import RedisError

from .query_params import page_query

logger = logging.getLogger("newsroom.cache")

VERSION_KEY = "page-cache:version"
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


# --- the content version -----------------------------------------------------------


def _seed():
    # A fresh counter starts at a random point, so a lost counter (flushed Redis,
    # deleted file) never repeats a version whose pages or next-change time a
    # worker might still hold.
    return secrets.randbits(62)


class FileVersion:
    """An integer in an 8-byte memory-mapped file: shared by every process of the host."""

    _format = struct.Struct("<Q")

    def __init__(self, path):
        self.path = str(path)
        self._fd = None
        self._map = None

    def _open(self):
        if self._map is None:
            os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                if os.fstat(fd).st_size < self._format.size:
                    os.pwrite(fd, self._format.pack(_seed()), 0)
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
            self._map = mmap.mmap(fd, self._format.size)
            self._fd = fd
        return self._map

    def get(self):
        return self._format.unpack_from(self._open())[0]

    def bump(self):
        shared = self._open()
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            self._format.pack_into(shared, 0, self._format.unpack_from(shared)[0] + 1)
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)


class CacheVersion:
    """The version as a key of a shared cache (Redis)."""

    def __init__(self, cache):
        self.cache = cache

    def get(self):
        version = self.cache.get(VERSION_KEY)
        if version is None:
            self.cache.add(VERSION_KEY, _seed(), timeout=None)
            version = self.cache.get(VERSION_KEY)
        if version is None:
            raise CacheUnavailable("the page cache version cannot be read")
        return version

    def bump(self):
        try:
            self.cache.incr(VERSION_KEY)
        except ValueError:
            if not self.cache.add(VERSION_KEY, _seed(), timeout=None):
                raise CacheUnavailable("the page cache version cannot be bumped") from None


class CacheUnavailable(Exception):
    pass


_file_versions = {}
# Set when a bump failed (cache down during a save): retried before the next read,
# so pages rendered before the save are not served once the cache is back.
_pending_bump = False


def _cache():
    return caches[_setting("PAGE_CACHE_ALIAS", "default")]


def _version_store(cache):
    if isinstance(cache, LocMemCache):
        path = str(_setting("PAGE_CACHE_VERSION_FILE", "var/page-cache-version"))
        store = _file_versions.get(path)
        if store is None:
            store = _file_versions[path] = FileVersion(path)
        return store
    return CacheVersion(cache)


def bump_version():
    """Invalidate every cached page. Called on commit by newsroom.cache_invalidation."""
    global _pending_bump
    try:
        _version_store(_cache()).bump()
        _pending_bump = False
    except Exception as error:
        _pending_bump = True
        logger.warning("Page cache version not bumped (%s); will retry.", error)


def content_version():
    """The version of public content, shared by every worker: bumped on each commit that
    changes it. Other per-process snapshots (legal.state) key on it to stay in step."""
    try:
        return _version_store(_cache()).get()
    except Exception:  # the cache is down: callers rebuild from the database
        return None


# --- the next visibility change, once per version ---------------------------------


def next_visibility_change():
    """The earliest future moment (a timestamp) at which any public page may change by itself.

    Sources are the callables named in PAGE_CACHE_VISIBILITY_SOURCES, each returning
    an aware datetime or None.
    """
    moments = []
    for path in _setting("PAGE_CACHE_VISIBILITY_SOURCES", ()):
        moment = import_string(path)()
        if moment is not None:
            moments.append(moment.timestamp())
    return min(moments) if moments else math.inf


# (version, next change timestamp) for this process.
_state = (None, math.inf)


def current_state(cache, now):
    """(version, timestamp of the next visibility change); one DB query per version and process.
    The change is None while the database is down: stored pages then live to their own expiry."""
    global _state
    store = _version_store(cache)
    if _pending_bump:
        bump_version()
    version = store.get()
    known_version, next_change = _state
    if known_version == version and now < next_change:
        return version, next_change
    # Shared caches hold it once for all processes, until the change itself.
    shared_key = f"page-cache:next-change:{version}"
    next_change = cache.get(shared_key)
    if next_change is None or now >= next_change:
        try:
            next_change = next_visibility_change()
        except DatabaseFailure:
            return version, None
        if next_change > now and not isinstance(cache, LocMemCache):
            timeout = None if next_change == math.inf else math.ceil(next_change - now)
            cache.set(shared_key, next_change, timeout)
    _state = (version, next_change)
    return version, next_change


def content_state(now):
    """(content version, timestamp of the next visibility change), for other caches that
    must follow the page cache's rules (newsroom.fragments). Raises when the cache is down."""
    return current_state(_cache(), now)


# --- HTTP caching headers ------------------------------------------------------------


def cache_control(seconds_left):
    """`Cache-Control` for a public page whose content may change in `seconds_left` seconds.

    A CDN may keep the page for s-maxage and then serve it stale for up to
    stale-while-revalidate/stale-if-error more. Stale content was public when it
    was fetched, so staleness can never show an article early; it could show an
    expired one late, which is why the whole window (s-maxage + stale) is capped
    at the next visibility change.
    """
    left = max(0, int(seconds_left)) if seconds_left != math.inf else 10**9
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

        cache = _cache()
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
        response["Cache-Control"] = cache_control(seconds_left)
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


# --- the default visibility sources ---------------------------------------------------


def next_article_change():
    """Next scheduled go-live, embargo end or expiry: the one rule in ArticleQuerySet."""
    from articles.models import Article

    return Article.objects.next_visibility_change()


def next_notice_change():
    """Next notice version taking effect (NoticeVersion.objects.in_force() compares with the clock)."""
    from django.utils import timezone

    from legal.models import NoticeVersion

    upcoming = NoticeVersion.objects.filter(effective_at__gt=timezone.now())
    return upcoming.order_by("effective_at").values_list("effective_at", flat=True).first()
