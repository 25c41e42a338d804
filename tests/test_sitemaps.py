"""Sitemaps (STANDARDS.md §5): an index, articles with images, sections, tags,
authors, legal pages and a Google News sitemap; published articles only.

The plain sitemaps and the index are validated against the sitemaps.org XSDs in
tests/xsd/. Those schemas check extension elements strictly and the Google
image/news schemas are not stored here, so extension elements are checked by
hand and removed before schema validation.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from articles.models import Article

from .factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    LegalPageFactory,
    PhotoFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

SITE = "https://example-news.com"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
IMAGE = "{http://www.google.com/schemas/sitemap-image/1.1}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
XSD = Path(__file__).parent / "xsd"
URLSET_SCHEMA = etree.XMLSchema(etree.parse(str(XSD / "sitemap.xsd")))
INDEX_SCHEMA = etree.XMLSchema(etree.parse(str(XSD / "siteindex.xsd")))
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def site(settings, time_machine):
    settings.SITE_URL = SITE
    settings.SITE_LANGUAGE = "pl"
    settings.NEWS_PUBLICATION_NAME = "Example Herald"
    time_machine.move_to(NOW, tick=False)


def fetch_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def valid_urlset(document):
    """Validate against sitemap.xsd once the extension elements are taken out."""
    plain = etree.fromstring(etree.tostring(document))
    for url in plain.iter(f"{SM}url"):
        for child in list(url):
            if not child.tag.startswith(SM):
                url.remove(child)
    URLSET_SCHEMA.assertValid(plain)
    return document


def locations(document):
    return [loc.text for loc in document.iter(f"{SM}loc")]


@pytest.fixture
def newsroom():
    """A published article of every shape, and one unpublished article of every kind."""
    local = SectionFactory(name="Local", slug="local")
    SectionFactory(name="Sport", slug="sport")
    anna = AuthorFactory(name="Anna Nowak", slug="anna-nowak")
    ghost = AuthorFactory(name="Only Drafts", slug="only-drafts")
    story = ArticleFactory(
        headline="Harbour reopens",
        slug="harbour-reopens",
        section=local,
        tags=["harbour"],
        lead_photo=PhotoFactory(),
        published_at=NOW - dt.timedelta(hours=3),
        updated_at=NOW - dt.timedelta(hours=1),
    )
    BylineFactory(article=story, author=anna)
    ArticleFactory(
        headline="Old feature",
        slug="old-feature",
        section=local,
        published_at=NOW - dt.timedelta(days=5),
    )
    for status, fields in [
        ("draft", {"status": Article.Status.DRAFT, "published_at": None}),
        ("pulled", {"status": Article.Status.UNPUBLISHED, "published_at": NOW}),
        ("scheduled", {"published_at": NOW + dt.timedelta(hours=1)}),
        ("embargoed", {"published_at": NOW, "embargo_until": NOW + dt.timedelta(hours=1)}),
        ("expired", {"published_at": NOW, "expire_at": NOW - dt.timedelta(minutes=1)}),
    ]:
        hidden = ArticleFactory(
            headline=f"Hidden {status}",
            slug=f"hidden-{status}",
            section=local,
            tags=[f"secret-{status}"],
            lead_photo=PhotoFactory(),
            **fields,
        )
        BylineFactory(article=hidden, author=ghost)
    LegalPageFactory(title="Copyright", slug="copyright-and-tdm")
    return story


def test_sitemap_index_lists_every_sitemap_on_the_public_site(client, newsroom):
    index = fetch_xml(client, reverse("sitemap-index"))

    INDEX_SCHEMA.assertValid(index)
    assert locations(index) == [
        f"{SITE}/sitemap-articles.xml",
        f"{SITE}/sitemap-sections.xml",
        f"{SITE}/sitemap-tags.xml",
        f"{SITE}/sitemap-authors.xml",
        f"{SITE}/sitemap-legal.xml",
        f"{SITE}/sitemap-news.xml",
    ]
    lastmods = [sitemap.findtext(f"{SM}lastmod") for sitemap in index.iter(f"{SM}sitemap")]
    # The newest published change: the story's update, not any unpublished article.
    assert lastmods[0] == "2026-11-20T06:00:00-05:00"
    for location in locations(index):
        assert client.get(location.removeprefix(SITE)).status_code == 200


def test_article_sitemap_lists_published_articles_with_lastmod_and_lead_photo(client, newsroom):
    urlset = valid_urlset(fetch_xml(client, "/sitemap-articles.xml"))

    assert locations(urlset) == [
        f"{SITE}/local/harbour-reopens/",
        f"{SITE}/local/old-feature/",
    ]
    first = urlset.find(f"{SM}url")
    assert first.findtext(f"{SM}lastmod") == "2026-11-20T06:00:00-05:00"
    images = first.findall(f"{IMAGE}image")
    assert [image.findtext(f"{IMAGE}loc") for image in images] == [
        f"{SITE}{newsroom.lead_photo.rendition('16x9')['url']}"
    ]
    assert urlset.findall(f"{SM}url")[1].find(f"{IMAGE}image") is None


def test_section_tag_author_and_legal_sitemaps_list_public_pages_only(client, newsroom):
    sections = valid_urlset(fetch_xml(client, "/sitemap-sections.xml"))
    tags = valid_urlset(fetch_xml(client, "/sitemap-tags.xml"))
    authors = valid_urlset(fetch_xml(client, "/sitemap-authors.xml"))
    legal = valid_urlset(fetch_xml(client, "/sitemap-legal.xml"))

    assert locations(sections) == [f"{SITE}/local/", f"{SITE}/sport/"]
    assert sections.find(f"{SM}url").findtext(f"{SM}lastmod") == "2026-11-20T04:00:00-05:00"
    # Tags and authors seen only on unpublished work stay unlisted.
    assert locations(tags) == [f"{SITE}/tag/harbour/"]
    assert locations(authors) == [f"{SITE}/author/anna-nowak/"]
    assert locations(legal) == [f"{SITE}/legal/copyright-and-tdm/"]


def test_news_sitemap_lists_articles_of_the_last_two_days(client, newsroom):
    urlset = fetch_xml(client, reverse("sitemap-news"))

    valid_urlset(urlset)
    assert locations(urlset) == [f"{SITE}/local/harbour-reopens/"]
    news = urlset.find(f"{SM}url/{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Example Herald"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "pl"
    assert news.findtext(f"{NEWS}publication_date") == "2026-11-20T04:00:00-05:00"
    assert news.findtext(f"{NEWS}title") == "Harbour reopens"


def test_news_sitemap_drops_articles_after_two_days_and_holds_at_most_1000(client, time_machine):
    ArticleFactory(slug="edge", published_at=NOW - dt.timedelta(days=2) + dt.timedelta(seconds=1))
    assert locations(fetch_xml(client, "/sitemap-news.xml")) == [f"{SITE}/news/edge/"]

    time_machine.move_to(NOW + dt.timedelta(seconds=2), tick=False)
    assert locations(fetch_xml(client, "/sitemap-news.xml")) == []

    Article.objects.bulk_create(
        Article(
            headline=f"Story {n}",
            slug=f"story-{n}",
            lead="Lead.",
            body="Body.",
            section=SectionFactory(name="News", slug="news"),
            status=Article.Status.PUBLISHED,
            published_at=timezone.now() - dt.timedelta(minutes=n + 1),
        )
        for n in range(1005)
    )
    urls = locations(fetch_xml(client, "/sitemap-news.xml"))
    assert len(urls) == 1000
    assert urls[0] == f"{SITE}/news/story-0/"


def test_unpublished_articles_never_appear_in_any_sitemap(client, newsroom):
    index = fetch_xml(client, reverse("sitemap-index"))
    for location in locations(index):
        body = client.get(location.removeprefix(SITE)).content.decode()
        assert "hidden-" not in body, location
        assert "secret-" not in body, location
        assert "only-drafts" not in body, location
    hidden_photos = Article.objects.exclude(
        pk__in=Article.objects.published().values("pk")
    ).values_list("lead_photo__image", flat=True)
    articles = client.get("/sitemap-articles.xml").content.decode()
    for name in hidden_photos:
        assert name not in articles


def test_scheduled_article_enters_the_sitemaps_at_its_time(client, newsroom, time_machine):
    assert f"{SITE}/local/hidden-scheduled/" not in locations(
        fetch_xml(client, "/sitemap-articles.xml")
    )

    time_machine.move_to(NOW + dt.timedelta(hours=1), tick=False)

    assert f"{SITE}/local/hidden-scheduled/" in locations(
        fetch_xml(client, "/sitemap-articles.xml")
    )
    assert f"{SITE}/local/hidden-scheduled/" in locations(fetch_xml(client, "/sitemap-news.xml"))
    assert f"{SITE}/tag/secret-scheduled/" in locations(fetch_xml(client, "/sitemap-tags.xml"))


def test_article_sitemap_is_paginated_by_50000_and_the_index_lists_each_page(
    client, newsroom, monkeypatch
):
    from articles.sitemaps import ArticleSitemap

    assert ArticleSitemap.limit == 50_000
    monkeypatch.setattr(ArticleSitemap, "limit", 1)

    index = fetch_xml(client, reverse("sitemap-index"))

    assert locations(index)[:2] == [
        f"{SITE}/sitemap-articles.xml",
        f"{SITE}/sitemap-articles.xml?p=2",
    ]
    assert locations(fetch_xml(client, "/sitemap-articles.xml?p=2")) == [
        f"{SITE}/local/old-feature/"
    ]
    assert client.get("/sitemap-articles.xml?p=3").status_code == 404
    assert client.get("/sitemap-articles.xml?p=abc").status_code == 404
    assert client.get("/sitemap-nope.xml").status_code == 404


def test_empty_site_still_has_a_valid_index(client):
    index = fetch_xml(client, reverse("sitemap-index"))

    INDEX_SCHEMA.assertValid(index)
    assert locations(index) == [f"{SITE}/sitemap-news.xml"]


@pytest.mark.parametrize(
    ("url", "max_queries"),
    [
        ("/sitemap.xml", 10),
        ("/sitemap-articles.xml", 2),
        ("/sitemap-sections.xml", 2),
        ("/sitemap-tags.xml", 2),
        ("/sitemap-authors.xml", 2),
        ("/sitemap-legal.xml", 2),
        ("/sitemap-news.xml", 2),
    ],
)
def test_sitemaps_run_a_constant_number_of_queries(
    client, django_assert_max_num_queries, url, max_queries
):
    LegalPageFactory()
    for number in range(30):
        article = ArticleFactory(
            slug=f"story-{number}",
            section=SectionFactory(name=f"S{number % 3}", slug=f"s{number % 3}"),
            tags=[f"tag-{number % 4}"],
            lead_photo=PhotoFactory(),
            published_at=NOW - dt.timedelta(hours=number + 1),
        )
        BylineFactory(article=article)

    with django_assert_max_num_queries(max_queries):
        response = client.get(url)

    assert response.status_code == 200
