"""robots.txt from the same configuration as the TDM reservation (RFC 9309, STANDARDS.md §3)."""

import urllib.robotparser

import pytest
from django.urls import reverse

from articles.roles import JOURNALIST, LEGAL
from legal.models import Crawler, Publisher

from .factories import ArticleFactory, NoticeFactory, PublisherFactory, user_with_role

pytestmark = pytest.mark.django_db

SEARCH_ENGINES = ["Googlebot", "Bingbot", "DuckDuckBot"]


def robots(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(response.content.decode().splitlines())
    return parser, response.content.decode()


def tokens(purpose):
    return list(Crawler.objects.filter(purpose=purpose).values_list("token", flat=True))


@pytest.fixture
def article(settings):
    settings.SITE_URL = "https://example-news.com"
    NoticeFactory()
    return ArticleFactory()


def test_crawler_table_is_seeded_from_the_standards(db):
    assert {"GPTBot", "ClaudeBot", "CCBot", "Google-Extended", "Bytespider"} <= set(
        tokens(Crawler.Purpose.TRAINING)
    )
    assert {"OAI-SearchBot", "PerplexityBot", "Claude-SearchBot"} <= set(
        tokens(Crawler.Purpose.AI_SEARCH)
    )
    assert {"ChatGPT-User", "Claude-User", "Perplexity-User"} <= set(
        tokens(Crawler.Purpose.USER_FETCH)
    )


def test_search_engines_may_fetch_articles_and_every_ai_crawler_may_not(client, article):
    parser, text = robots(client)
    url = f"https://example-news.com{article.get_absolute_url()}"

    for engine in [*SEARCH_ENGINES, "SomeNewSearchEngine"]:
        assert parser.can_fetch(engine, url), engine
        assert not parser.can_fetch(engine, "https://example-news.com/admin/"), engine
    for crawler in Crawler.objects.all():
        assert not parser.can_fetch(crawler.token, url), crawler.token
    assert "Sitemap: https://example-news.com/sitemap.xml" in text
    assert "Content-Usage: train-ai=n" in text


def test_ai_search_and_user_fetch_follow_the_publisher_setting(client, article):
    PublisherFactory(allow_ai_search=True, allow_user_fetch=False)
    parser, _ = robots(client)
    url = f"https://example-news.com{article.get_absolute_url()}"

    for token in tokens(Crawler.Purpose.AI_SEARCH):
        assert parser.can_fetch(token, url), token
    for token in tokens(Crawler.Purpose.USER_FETCH) + tokens(Crawler.Purpose.TRAINING):
        assert not parser.can_fetch(token, url), token


def test_legal_adds_a_crawler_in_the_admin_and_robots_refuses_it(
    client, article, django_capture_on_commit_callbacks
):
    client.get("/robots.txt")
    client.force_login(user_with_role(LEGAL))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:legal_crawler_add"),
            {"token": "NewModelBot", "operator": "New AI Co", "purpose": "training"},
        )
    assert response.status_code == 302
    client.logout()

    parser, _ = robots(client)
    assert not parser.can_fetch(
        "NewModelBot", f"https://example-news.com{article.get_absolute_url()}"
    )


def test_a_search_engine_cannot_be_listed_as_an_ai_crawler(client, db):
    client.force_login(user_with_role(LEGAL))
    response = client.post(
        reverse("admin:legal_crawler_add"),
        {"token": "Googlebot", "operator": "Google", "purpose": "training", "notes": "oops"},
    )
    assert response.status_code == 200
    assert "search engines are always allowed" in response.content.decode()
    assert 'value="oops"' in response.content.decode()
    assert not Crawler.objects.filter(token="Googlebot").exists()


def test_journalist_cannot_edit_crawlers_or_publisher(client, db):
    client.force_login(user_with_role(JOURNALIST))
    assert client.get(reverse("admin:legal_crawler_changelist")).status_code == 403
    assert (
        client.post(
            reverse("admin:legal_crawler_add"),
            {"token": "X", "operator": "Y", "purpose": "training"},
        ).status_code
        == 403
    )
    PublisherFactory()
    response = client.post(
        reverse("admin:legal_publisher_change", args=[1]),
        {"name": "Hijacked", "registered_office": "x", "email": "a@b.cd"},
    )
    assert response.status_code == 403
    assert Publisher.current().name != "Hijacked"
