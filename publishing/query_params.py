"""Which query parameters shape a public page: the ones its view declares it reads.

Links arrive with tracking parameters (`utm_*`, `fbclid`, `gclid`...) that change
nothing on the page. A view says what it reads,

    @reads_query_params("q", "page")
    def search(request): ...

and the full-page cache keys the page on those parameters only (so `?page=2` and
`?utm_source=x&page=2` are one render and one entry), while links the page builds
back to itself (pagination) carry the same parameters and nothing else, so every
response under one key is the same bytes.

A parameter may be declared with the function that reads it, which gives its value
as the view will use it, or None when the view ignores it:

    @reads_query_params(q=clean_query, page=listing_page_number)

Then the key and the links hold that value, so `?page=01`, `?page=x` and `?page=1`
(all the first page) share the plain address's entry instead of one render each.

A view that declares nothing is keyed on its whole query string, as before: a view
that forgets to declare costs extra renders, never a wrong page (a listing keyed
without its `?page=` would serve page 1 for every page). Every public view of the
site declares (tests/test_page_cache_keys.py checks), and so does a path that
resolves to no view: a trailing-slash redirect copies the query string.
"""

from functools import wraps

from django.http import QueryDict
from django.urls import Resolver404, resolve


def reads_query_params(*names, **normalised):
    """Declare the query parameters `view` reads; none at all for `@reads_query_params()`.

    `names` are kept as sent; each keyword names a parameter and the function that reads
    its last value (None when absent) into what the view uses, None or "" for "as if
    absent". The view must read the parameter with the same function.
    """

    def declare(view):
        @wraps(view)
        def reader(request, *args, **kwargs):
            return view(request, *args, **kwargs)

        reader.query_params = frozenset(names) | frozenset(normalised)
        reader.query_param_readers = dict(normalised)
        return reader

    return declare


def declared_view(request):
    """The request's view, or None when no view answers the path."""
    match = request.resolver_match
    if match is None:  # middleware runs before URL resolution
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return None
    return match.func


def declared_params(request):
    """The names the request's view reads, or None when it does not say (or there is none)."""
    return getattr(declared_view(request), "query_params", None)


def page_query(request):
    """The part of the query string that shapes this page, sorted by name: a QueryDict,
    declared parameters as their view reads them."""
    if not request.META.get("QUERY_STRING"):
        return QueryDict(mutable=True)
    view = declared_view(request)
    names = getattr(view, "query_params", None)
    if names is None:
        return request.GET.copy()
    readers = getattr(view, "query_param_readers", {})
    kept = QueryDict(mutable=True)
    for name in sorted(names):
        if name in readers:
            value = readers[name](request.GET.get(name))
            if value is not None and value != "":
                kept[name] = str(value)
        elif name in request.GET:
            kept.setlist(name, request.GET.getlist(name))
    return kept
