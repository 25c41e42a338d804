"""Cached template fragments: the site's navigation and footer, and article cards.

Public pages share most of their markup: every page has the same navigation and
footer, and a card looks the same on the home page, its section, its tags and its
authors' pages. Templates cache those pieces with

    {% load fragments %}
    {% cached_fragment "article-card" article.pk article.lock_version %}...{% endcached_fragment %}

under the page cache's rules (newsroom.page_cache), so a fragment can never show
what a page could not:

* the key carries the **content version**, which every commit that changes public
  content bumps for all workers: an edited headline or a renamed section is never
  served from an old fragment;
* an entry lives no longer than the **next visibility change** (a go-live, embargo
  end, expiry or photo rights end);
* nothing rendered inside a transaction is kept: its rows may yet be rolled back,
  and a rollback bumps no version;
* the cache is this process's memory (the `fragments` alias, whatever the default
  cache): a hit is a dictionary lookup, where Redis would cost a round trip per card.

Fragments are kept whether or not the full-page cache is on; FRAGMENT_CACHE=0 turns
them off.
"""

import math
import time

from django.conf import settings
from django.core.cache import InvalidCacheBackendError, caches
from django.db import connection

from . import page_cache

ALIAS = "fragments"


def fragment_cache(request=None):
    """(cache, content version, seconds to keep) for this request, or None: render afresh."""
    if request is not None and hasattr(request, "_fragment_cache"):
        return request._fragment_cache
    found = _fragment_cache()
    if request is not None:
        request._fragment_cache = found
    return found


def _fragment_cache():
    if not getattr(settings, "FRAGMENT_CACHE_ENABLED", True) or connection.in_atomic_block:
        return None
    try:
        cache = caches[ALIAS]
    except InvalidCacheBackendError:
        return None
    now = time.time()
    try:
        version, next_change = page_cache.content_state(now)
    except Exception:  # the shared cache is down: render everything, keep nothing
        return None
    seconds = min(getattr(settings, "FRAGMENT_CACHE_TTL", 600), next_change - now)
    if seconds < 1:
        return None
    return cache, version, math.floor(seconds)
