"""Existence oracles (issue 12, item 12): a public address answers for unpublished work
exactly as it does for nothing at all."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

from .factories import ArticleFactory, AuthorFactory, BylineFactory

pytestmark = pytest.mark.django_db

AUTHOR_URLS = [
    lambda slug: reverse("articles:author", args=[slug]),
    lambda slug: reverse("feeds:author-rss", args=[slug]),
    lambda slug: reverse("feeds:author-atom", args=[slug]),
]


def unpublished_stories(author):
    """A draft, an embargoed story, a scheduled one and an expired one: all by `author`."""
    now = timezone.now()
    for fields in [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"embargo_until": now + dt.timedelta(hours=2)},
        {"published_at": now + dt.timedelta(hours=2)},
        {"expire_at": now - dt.timedelta(minutes=1)},
    ]:
        BylineFactory(article=ArticleFactory(**fields), author=author)


@pytest.mark.parametrize("url", AUTHOR_URLS, ids=["page", "rss", "atom"])
def test_an_author_with_only_unpublished_bylines_is_not_found(client, url):
    secret = AuthorFactory(name="Undercover Reporter", slug="undercover")
    unpublished_stories(secret)

    response = client.get(url("undercover"))

    assert response.status_code == 404
    assert client.get(url("nobody")).status_code == 404
    assert "Undercover Reporter" not in response.content.decode()


@pytest.mark.parametrize("url", AUTHOR_URLS, ids=["page", "rss", "atom"])
def test_an_author_with_published_work_keeps_the_page_and_feeds(client, url):
    author = AuthorFactory(name="Anna Nowak", slug="anna-nowak")
    unpublished_stories(author)
    BylineFactory(article=ArticleFactory(headline="Harbour reopens"), author=author)

    response = client.get(url("anna-nowak"))

    assert response.status_code == 200
    assert "Harbour reopens" in response.content.decode()


def test_the_author_sitemap_lists_only_authors_with_published_work(client, settings):
    settings.SITE_URL = "https://example-news.com"
    unpublished_stories(AuthorFactory(slug="undercover"))
    BylineFactory(article=ArticleFactory(), author=AuthorFactory(slug="anna-nowak"))

    content = client.get("/sitemap-authors.xml").content.decode()

    assert "/author/anna-nowak/" in content
    assert "undercover" not in content


@pytest.mark.parametrize(
    ("go_live", "expiry_after_go_live"),
    [
        ("published_at", dt.timedelta(0)),
        ("published_at", -dt.timedelta(hours=1)),
        ("embargo_until", dt.timedelta(0)),
        ("embargo_until", -dt.timedelta(minutes=30)),
    ],
)
def test_a_story_that_expired_before_it_went_live_was_never_public(
    client, go_live, expiry_after_go_live
):
    """Scheduled after its own expiry: never public, so not found, not gone."""
    moment = timezone.now() - dt.timedelta(days=1)
    story = ArticleFactory(
        published_at=moment - dt.timedelta(days=1) if go_live == "embargo_until" else moment,
        **({"embargo_until": moment} if go_live == "embargo_until" else {}),
        expire_at=moment + expiry_after_go_live,
    )

    response = client.get(story.get_absolute_url())

    assert response.status_code == 404
    assert not Article.objects.expired().filter(pk=story.pk).exists()


def test_a_story_that_was_public_before_it_expired_is_gone(client):
    moment = timezone.now() - dt.timedelta(days=1)
    story = ArticleFactory(
        published_at=moment - dt.timedelta(hours=2),
        embargo_until=moment - dt.timedelta(hours=1),
        expire_at=moment,
    )

    assert client.get(story.get_absolute_url()).status_code == 410


def test_the_admin_still_files_a_never_public_story_under_expired(client):
    """The editors' view keeps the clock's state: the story will never go live."""
    moment = timezone.now() - dt.timedelta(days=1)
    story = ArticleFactory(published_at=moment, expire_at=moment - dt.timedelta(hours=1))

    assert story.state == "expired"
    assert list(Article.objects.in_state("expired")) == [story]
