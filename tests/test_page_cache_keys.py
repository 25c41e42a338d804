"""Page cache keys: a public page is cached once per value of the parameters its view reads.

Links shared on social networks and in newsletters arrive with tracking parameters
(`utm_*`, `fbclid`, `gclid`...), each click a different query string. None of them
changes the page, so none of them may cost a render or a cache entry of its own.
"""

import re

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from .factories import ArticleFactory, SectionFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.page_cache]

TRACKING = [
    "utm_source=newsletter&utm_medium=email&utm_campaign=monday",
    "utm_source=twitter",
    "fbclid=IwAR2xyz",
    "gclid=Cj0KCQiA",
    "utm_content=b&fbclid=other&gclid=again",
]


@pytest.fixture
def section_with_two_pages():
    section = SectionFactory(name="News", slug="news")
    for n in range(25):
        ArticleFactory(section=section, headline=f"Story {n:02d}")
    return section


def test_tracking_parameters_share_the_render_of_the_plain_address(
    client, section_with_two_pages, django_assert_num_queries
):
    url = section_with_two_pages.get_absolute_url()
    plain = client.get(url).content
    for tracking in TRACKING:
        with django_assert_num_queries(0):
            response = client.get(f"{url}?{tracking}")
        assert response.status_code == 200
        assert response.content == plain


def test_article_page_ignores_every_query_parameter(client, django_assert_num_queries):
    article = ArticleFactory(headline="Harbour reopens")
    url = article.get_absolute_url()
    plain = client.get(f"{url}?fbclid=first-click").content
    with django_assert_num_queries(0):
        assert client.get(url).content == plain
    with django_assert_num_queries(0):
        assert client.get(f"{url}?page=7&gclid=x").content == plain


def test_the_page_parameter_still_makes_a_different_page(
    client, section_with_two_pages, django_assert_num_queries
):
    url = section_with_two_pages.get_absolute_url()
    first = client.get(url).content
    second = client.get(f"{url}?utm_source=x&page=2").content
    assert second != first
    assert b"Story 00" in second
    for tracking in TRACKING:
        with django_assert_num_queries(0):
            assert client.get(f"{url}?page=2&{tracking}").content == second


def test_search_words_make_different_pages_and_tracking_does_not(client, django_assert_num_queries):
    ArticleFactory(headline="Harbour reopens after storm")
    ArticleFactory(headline="Council approves budget")
    harbour = client.get("/search/?q=harbour&utm_source=x").content.decode()
    budget = client.get("/search/?q=budget").content.decode()
    assert "reopens after storm" in harbour and "reopens after storm" not in budget
    assert "approves" in budget and "approves" not in harbour
    with django_assert_num_queries(0):
        assert client.get("/search/?gclid=y&q=harbour").content.decode() == harbour


def test_pagination_links_and_canonical_address_never_echo_unread_parameters(
    client, section_with_two_pages
):
    url = section_with_two_pages.get_absolute_url()
    html = client.get(f"{url}?page=2&utm_source=newsletter&fbclid=abc").content.decode()
    hrefs = re.findall(r'<a rel="(?:prev|next)" href="([^"]+)"', html)
    assert hrefs == [url]  # page 1 has one address, without ?page=
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html)[1]
    assert canonical.endswith(f"{url}?page=2")
    assert "utm_source" not in html and "fbclid" not in html


def public_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if any(f"/{route}".startswith(path) for path in settings.PAGE_CACHE_EXCLUDED_PATHS):
                continue  # staff pages (admin, two-factor sign-in) never reach the page cache
            yield from public_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.callback


def test_every_public_view_declares_the_query_parameters_it_reads():
    """An undeclared view is keyed on its whole query string (safe, but one render per
    tracking link), so every public view of the site says which parameters it reads."""
    undeclared = [
        route for route, view in public_patterns() if getattr(view, "query_params", None) is None
    ]
    assert undeclared == []


FIRST_PAGE_SPELLINGS = ["page=1", "page=01", "page=001", "page=x", "page=-5", "page=1&page=1", "page="]


def test_every_spelling_of_the_first_page_shares_the_plain_render(
    client, section_with_two_pages, django_assert_num_queries
):
    url = section_with_two_pages.get_absolute_url()
    plain = client.get(url).content
    for spelling in FIRST_PAGE_SPELLINGS:
        with django_assert_num_queries(0):
            response = client.get(f"{url}?{spelling}")
        assert response.status_code == 200
        assert response.content == plain, spelling


def test_a_page_number_is_keyed_as_the_number_it_is(
    client, section_with_two_pages, django_assert_num_queries
):
    url = section_with_two_pages.get_absolute_url()
    second = client.get(f"{url}?page=2").content
    for spelling in ["page=02", "page=0002", "page=1&page=2", "page=2&page=2"]:
        with django_assert_num_queries(0):
            assert client.get(f"{url}?{spelling}").content == second, spelling


def test_pages_beyond_the_last_reachable_one_share_its_render(
    client, settings, section_with_two_pages, django_assert_num_queries
):
    settings.LISTING_MAX_PAGES = 2
    url = section_with_two_pages.get_absolute_url()
    last = client.get(f"{url}?page=999999").content
    assert b"Story 00" in last
    for spelling in ["page=2", "page=3", "page=1000000"]:
        with django_assert_num_queries(0):
            assert client.get(f"{url}?{spelling}").content == last, spelling


def test_search_words_are_keyed_as_the_search_reads_them(client, django_assert_num_queries):
    ArticleFactory(headline="Harbour reopens after storm")
    harbour = client.get("/search/?q=harbour").content.decode()
    assert "reopens after storm" in harbour
    for spelling in ["q=harbour%0B", "q=harb%00our", "q=harbour&page=1", "q=harbour&page=x"]:
        with django_assert_num_queries(0):
            assert client.get(f"/search/?{spelling}").content.decode() == harbour, spelling
