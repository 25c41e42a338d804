"""Section, tag, author and archive pages: paginated, with one stable address per page."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Author

from .factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    PhotoFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db
PAGE_SIZE = 3


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr("articles.views.PAGE_SIZE", PAGE_SIZE)


NEW_YORK = ZoneInfo("America/New_York")


def headlines(html):
    return re.findall(r'class="card__headline"><a href="[^"]+">([^<]+)</a>', html)


def canonical(html):
    return re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)


def make_listing(kind, count):
    """`count` published articles on one section, tag, author or month; returns its URL."""
    section = SectionFactory(name="Sport", slug="sport")
    author = AuthorFactory(name="Anna Nowak", slug="anna-nowak")
    start = dt.datetime(2026, 10, 31, 12, tzinfo=NEW_YORK)
    for n in range(count):
        article = ArticleFactory(
            headline=f"Story {n:02d}",
            section=section,
            tags=["rowing"],
            published_at=start - dt.timedelta(hours=n),
        )
        BylineFactory(article=article, author=author)
    return {
        "section": "/sport/",
        "tag": "/tag/rowing/",
        "author": "/author/anna-nowak/",
        "archive": "/archive/2026/10/",
    }[kind]


KINDS = ["section", "tag", "author", "archive"]


@pytest.mark.parametrize("kind", KINDS)
def test_listing_pages_are_paginated_newest_first_with_stable_links(client, settings, kind):
    url = make_listing(kind, PAGE_SIZE + 3)
    first = client.get(url).content.decode()
    assert headlines(first) == [f"Story {n:02d}" for n in range(PAGE_SIZE)]
    assert canonical(first) == f"{settings.SITE_URL}{url}"
    assert f'<a rel="next" href="{url}?page=2">' in first
    assert "Page 1" in first  # no "of N": counting a large archive costs a query per page

    second = client.get(url, {"page": 2}).content.decode()
    assert headlines(second) == [f"Story {n:02d}" for n in range(PAGE_SIZE, PAGE_SIZE + 3)]
    assert canonical(second) == f"{settings.SITE_URL}{url}?page=2"
    # Back to the first page goes to its one address, without ?page=1.
    assert f'<a rel="prev" href="{url}">' in second


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("bad", ["abc", "-1", "0", "1.5", "99999", "9" * 40, "%00"])
def test_bad_page_numbers_give_the_nearest_page_and_its_canonical_address(
    client, settings, kind, bad
):
    url = make_listing(kind, PAGE_SIZE + 1)
    response = client.get(f"{url}?page={bad}")
    assert response.status_code == 200
    html = response.content.decode()
    last = bad.isdigit() and int(bad) > 2
    expected = f"{url}?page=2" if last else url
    assert canonical(html) == f"{settings.SITE_URL}{expected}"
    assert headlines(html)  # never an empty page


@pytest.mark.parametrize("kind", KINDS)
def test_listings_show_only_published_articles(client, kind):
    url = make_listing(kind, 2)
    section = SectionFactory(name="Sport", slug="sport")
    author = Author.objects.get(slug="anna-nowak")
    october = dt.datetime(2026, 10, 15, tzinfo=NEW_YORK)
    future = dt.datetime(2030, 1, 1, tzinfo=NEW_YORK)
    hidden = [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.UNPUBLISHED},
        {"published_at": future},
        {"embargo_until": future},
        {"expire_at": dt.datetime(2026, 10, 20, tzinfo=NEW_YORK)},
    ]
    for n, fields in enumerate(hidden):
        article = ArticleFactory(
            headline=f"Hidden {n}",
            section=section,
            tags=["rowing"],
            **{"published_at": october, **fields},
        )
        BylineFactory(article=article, author=author)
    html = client.get(url).content.decode()
    assert headlines(html) == ["Story 00", "Story 01"]
    assert "Hidden" not in html


@pytest.mark.parametrize("kind", KINDS)
def test_listing_queries_do_not_grow_with_articles(client, kind):
    url = make_listing(kind, 2)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    count()  # warms the legal notices' cache, as any earlier visitor would
    few = count()
    for article in Article.objects.all():
        article.lead_photo = PhotoFactory()
        article.save()
    for n in range(12):
        article = ArticleFactory(
            headline=f"Extra {n}",
            section=Article.objects.first().section,
            tags=["rowing", f"t{n}"],
            published_at=dt.datetime(2026, 10, 2, tzinfo=NEW_YORK),
            lead_photo=PhotoFactory(),
        )
        BylineFactory(article=article, author=Article.objects.first().bylines.first().author)
        BylineFactory(article=article)
    assert count() == few <= 7


def test_author_page_shows_photo_job_title_and_bio(client):
    author = AuthorFactory(
        name="Anna Nowak",
        slug="anna-nowak",
        job_title="Senior reporter",
        bio="Anna covers the harbour.\n\nShe joined in 2019.",
        photo=PhotoFactory(alt_text="Anna Nowak, smiling"),
    )
    BylineFactory(author=author, article=ArticleFactory(headline="Harbour story"))
    html = client.get("/author/anna-nowak/").content.decode()
    assert re.search(r"<h1[^>]*>Anna Nowak</h1>", html)
    assert "Senior reporter" in html
    assert "<p>Anna covers the harbour.</p>" in html and "<p>She joined in 2019.</p>" in html
    assert f'src="{author.photo.fallback_url}"' in html and 'alt="Anna Nowak, smiling"' in html
    assert headlines(html) == ["Harbour story"]


def test_unknown_section_tag_and_author_are_not_found(client):
    for url in ["/nowhere/", "/tag/nothing/", "/author/nobody/"]:
        assert client.get(url).status_code == 404


def test_archive_month_uses_the_newsroom_time_zone(client):
    # 23:30 on 31 October in New York is already 1 November in UTC: October here.
    ArticleFactory(
        headline="Halloween night",
        published_at=dt.datetime(2026, 10, 31, 23, 30, tzinfo=NEW_YORK),
    )
    ArticleFactory(
        headline="First of November",
        published_at=dt.datetime(2026, 11, 1, 0, 30, tzinfo=NEW_YORK),
    )
    assert headlines(client.get("/archive/2026/10/").content.decode()) == ["Halloween night"]
    assert headlines(client.get("/archive/2026/11/").content.decode()) == ["First of November"]


def test_archive_month_links_to_neighbouring_months_with_articles(client):
    ArticleFactory(published_at=dt.datetime(2026, 7, 4, tzinfo=NEW_YORK))
    ArticleFactory(published_at=dt.datetime(2026, 9, 4, tzinfo=NEW_YORK))
    ArticleFactory(published_at=dt.datetime(2026, 11, 4, tzinfo=NEW_YORK))
    html = client.get("/archive/2026/09/").content.decode()
    assert '<a href="/archive/2026/07/">' in html
    assert '<a href="/archive/2026/11/">' in html


def test_archive_index_lists_months_with_published_articles(client):
    ArticleFactory(published_at=dt.datetime(2025, 12, 4, tzinfo=NEW_YORK))
    ArticleFactory(published_at=dt.datetime(2026, 3, 4, tzinfo=NEW_YORK))
    ArticleFactory(
        status=Article.Status.DRAFT, published_at=dt.datetime(2026, 5, 4, tzinfo=NEW_YORK)
    )
    html = client.get("/archive/").content.decode()
    assert re.findall(r'href="(/archive/\d{4}/\d{2}/)"', html) == [
        "/archive/2026/03/",
        "/archive/2025/12/",
    ]
    assert "May 2026" not in html


@pytest.mark.parametrize(
    "url",
    [
        "/archive/2026/13/",
        "/archive/2026/00/",
        "/archive/2026/1/",
        "/archive/0000/01/",
        "/archive/abcd/01/",
    ],
)
def test_impossible_archive_months_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_an_empty_month_is_a_page_that_says_so(client):
    html = client.get("/archive/2026/02/").content.decode()
    assert "Nothing was published in February 2026." in html


def test_a_tag_used_only_by_unpublished_stories_is_not_confirmed_to_readers(client):
    from datetime import timedelta

    from django.utils import timezone

    embargoed = ArticleFactory(
        tags=["acme-bigco-merger"], embargo_until=timezone.now() + timedelta(hours=2)
    )
    ArticleFactory(status=Article.Status.DRAFT, published_at=None, tags=["acme-bigco-merger"])
    for url in ["/tag/acme-bigco-merger/", "/feeds/tag/acme-bigco-merger/rss/"]:
        assert client.get(url).status_code == 404, url

    embargoed.embargo_until = None
    embargoed.save()
    for url in ["/tag/acme-bigco-merger/", "/feeds/tag/acme-bigco-merger/rss/"]:
        assert client.get(url).status_code == 200, url
