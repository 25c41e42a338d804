"""Cached template fragments: the site's navigation and footer, and article cards.

Public pages share most of their markup: every page has the same navigation and
footer, and a card looks the same on the home page, its section, its tags and its
authors' pages. Templates cache those pieces with

    {% load fragments %}
    {% cached_fragment "site-footer" year %}...{% endcached_fragment %}

and cards with `{% article_card article %}` (articles/templatetags/news.py); Python
code with `cached_html()`. Everything a fragment shows must be covered by the content
version or by the values named in its key. Fragments are kept under the page cache's
rules (publishing.middleware), so a fragment can never show what a page could not:

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
from django.core.cache.utils import make_template_fragment_key
from django.db import connection

from .version import content_state

ALIAS = "fragments"
_UNSET = object()


class FragmentCacheSnapshotMiddleware:
    """Reads the content version before the view reads any row.

    A version read after the rows could be one that an editor's commit bumped in
    between, and a fragment of the old rows would then be kept under the new version.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in ("GET", "HEAD"):
            fragment_cache(request)


def fragment_cache(request=None):
    """(cache, content version, deadline) for this request, or None: render afresh.

    The deadline (a timestamp) is the next visibility change, or FRAGMENT_CACHE_TTL
    from now if that comes first; entries are stored with it and never served after it.
    """
    found = getattr(request, "_fragment_cache", _UNSET)
    if found is _UNSET:
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
        version, next_change = content_state(now)
    except Exception:  # the shared cache is down: render everything, keep nothing
        return None
    if next_change is None:  # the database cannot say when fragments go stale
        return None
    return cache, version, min(now + getattr(settings, "FRAGMENT_CACHE_TTL", 600), next_change)


def cached_html(request, name, vary_on, render):
    """`render()`, or the HTML it gave for the same name and values under this version."""
    found = fragment_cache(request)
    if found is None:
        return render()
    key = make_template_fragment_key(name, [found[1], *vary_on])
    html = read(found, key)
    if html is None:
        html = render()
        keep(found, key, html)
    return html


def read(found, key):
    """The kept value, or None when there is none or its deadline has passed."""
    cache, _version, _deadline = found
    entry = cache.get(key)
    if entry is None or time.time() >= entry[0]:
        return None
    return entry[1]


def keep(found, key, value):
    cache, _version, deadline = found
    if connection.in_atomic_block:
        # Rendered from rows that may yet be rolled back, and a rollback bumps no version.
        return
    seconds = deadline - time.time()
    if seconds >= 1:
        cache.set(key, (deadline, value), math.ceil(seconds))
