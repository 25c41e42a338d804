"""Remembered URLs are the URLs reverse() gives, under the URLconf and prefix in force."""

import pytest
from django.urls import NoReverseMatch, clear_script_prefix, path, reverse, set_script_prefix

from core.links import cached_reverse


def test_the_same_urls_as_reverse():
    cases = [
        ("articles:home",),
        ("articles:search",),
        ("articles:section", "news"),
        ("articles:detail", "news", "harbour-storm"),
        ("articles:tag", "harbour"),
        ("feeds:site-rss",),
        ("feeds:author-atom", "anna-nowak"),
    ]
    for viewname, *args in cases:
        assert cached_reverse(viewname, *args) == reverse(viewname, args=args)
        assert cached_reverse(viewname, *args) == reverse(viewname, args=args)  # remembered


def test_the_script_prefix_is_part_of_the_answer():
    before = cached_reverse("articles:search")
    set_script_prefix("/news-site/")
    try:
        assert cached_reverse("articles:search") == "/news-site/search/"
    finally:
        clear_script_prefix()
    assert cached_reverse("articles:search") == before == "/search/"


def other_view(request):
    raise AssertionError("never called")


urlpatterns = [path("elsewhere/search/", other_view, name="search")]


def test_a_new_urlconf_is_followed(settings):
    assert cached_reverse("articles:search") == "/search/"
    settings.ROOT_URLCONF = "tests.test_links"

    assert cached_reverse("search") == "/elsewhere/search/"
    with pytest.raises(NoReverseMatch):
        cached_reverse("articles:search")
