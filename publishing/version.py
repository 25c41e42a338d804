"""The content version: one integer, shared by every worker, bumped when readers' content changes.

Every cached page and fragment is keyed on it, so one bump invalidates them all: the
article, each listing, feed and sitemap that shows it. Bumps happen on commit
(``bump_on_commit``), once per transaction: a rolled-back save invalidates nothing.
Which writes bump is the apps' declaration (publishing.registry, publishing.invalidation).

With a process-local cache (LocMemCache, the embedded default) the version lives in a
small memory-mapped file shared by all gunicorn workers of the host, so an editor's save
in one worker invalidates the pages cached in the others. With a shared cache (Redis) it
lives in the cache itself.

Beside the version, each process keeps the **next visibility change** (the earliest
deadline the apps registered), computed once per version: entries never outlive it, so a
scheduled article appears on its exact second with a warm cache.
"""

import fcntl
import logging
import math
import mmap
import os
import secrets
import struct

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import Error as DatabaseFailure
from django.db import connections, transaction

from .registry import next_visibility_change

logger = logging.getLogger("newsroom.cache")

VERSION_KEY = "page-cache:version"


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


def page_cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def _version_store(cache):
    if isinstance(cache, LocMemCache):
        path = str(getattr(settings, "PAGE_CACHE_VERSION_FILE", "var/page-cache-version"))
        store = _file_versions.get(path)
        if store is None:
            store = _file_versions[path] = FileVersion(path)
        return store
    return CacheVersion(cache)


def bump_version():
    """Invalidate every cached page and fragment now. Writes bump through bump_on_commit."""
    global _pending_bump
    try:
        _version_store(page_cache()).bump()
        _pending_bump = False
    except Exception as error:
        _pending_bump = True
        logger.warning("Page cache version not bumped (%s); will retry.", error)


def bump_on_commit(using="default"):
    """Bump once the current transaction commits (at once outside one); once per transaction
    however many public rows it writes. For bulk writes (`update()`), which send no signal."""
    connection = connections[using]
    # Pages are never stored while a transaction is open (middleware._storable), so no
    # render of uncommitted rows can outlive a rollback.
    if connection.in_atomic_block and any(
        callback is bump_version for _sids, callback, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(bump_version, using=using)


def content_version():
    """The version of public content, shared by every worker: bumped on each commit that
    changes it. Other per-process snapshots (legal.state) key on it to stay in step."""
    try:
        return _version_store(page_cache()).get()
    except Exception:  # the cache is down: callers rebuild from the database
        return None


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
    must follow the page cache's rules (publishing.fragments). Raises when the cache is down."""
    return current_state(page_cache(), now)
