"""The structure every public page shares: language, skip link, landmarks, search box."""

import re

import pytest

from .factories import ArticleFactory, AuthorFactory, BylineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages():
    article = ArticleFactory(tags=["harbour"])
    BylineFactory(article=article, author=AuthorFactory(slug="anna-nowak"))
    return [
        "/",
        "/news/",
        "/tag/harbour/",
        "/author/anna-nowak/",
        "/archive/",
        article.get_absolute_url(),
    ]


def test_every_page_has_language_skip_link_landmarks_one_h1_and_a_search_box(client, pages):
    for url in pages:
        html = client.get(url).content.decode()
        assert '<html lang="en">' in html, url
        assert '<a class="skip-link" href="#main">' in html, url
        assert html.count('<main id="main"') == 1, url
        assert '<header class="site-header">' in html and '<footer class="site-footer">' in html
        assert '<nav class="site-nav" aria-label="Sections">' in html, url
        assert len(re.findall(r"<h1[ >]", html)) == 1, url
        form = re.search(
            r'<form class="search-form" role="search" method="get" action="([^"]+)"', html
        )
        assert form and form.group(1) == "/search/", url
        assert '<label class="visually-hidden" for="site-search">' in html, url


def test_current_section_is_marked_in_the_navigation(client, pages):
    html = client.get("/news/").content.decode()
    assert '<a href="/news/" aria-current="page">News</a>' in html
    article_html = client.get(pages[-1]).content.decode()
    assert '<a href="/news/" aria-current="true">News</a>' in article_html
