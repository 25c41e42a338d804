"""The full-page cache: fast for anonymous readers, never stale, never early, never for staff."""

import datetime as dt
import logging
import math
import re

import pytest
import time_machine
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import override_settings
from django.urls import include, path, reverse
from django.utils import timezone

from articles.models import Article
from publishing.middleware import cache_control, page_cache_exempt
from publishing.version import FileVersion

from .factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    NoticeFactory,
    PhotoFactory,
    SectionFactory,
    UserFactory,
)

# Transactional: pages are stored only outside transactions, as in production.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.page_cache]

UTC = dt.UTC
BEFORE = dt.datetime(2026, 11, 25, 14, 4, 59, tzinfo=UTC)
GO_LIVE = dt.datetime(2026, 11, 25, 14, 5, 0, tzinfo=UTC)


# A few views of our own, to pin the rules for paths and responses the site does not have yet.
calls = []


def counted(body="ok", **headers):
    def view(request):
        calls.append(request.path)
        response = HttpResponse(body)
        for name, value in headers.items():
            response[name] = value
        return response

    return view


def sets_cookie(request):
    calls.append(request.path)
    response = HttpResponse("with cookie")
    response.set_cookie("tracking", "1")
    return response


def with_csrf_token(request):
    calls.append(request.path)
    return HttpResponse(f"<form><input name=csrfmiddlewaretoken value={get_token(request)}></form>")


urlpatterns = [
    path("plain/", counted()),
    path("preview/draft/", counted("draft")),
    path("exempt/", page_cache_exempt(counted("exempt"))),
    path("private/", counted("mine", **{"Cache-Control": "private"})),
    path("varies/", counted("bonjour", Vary="Accept-Language")),
    path("cookie/", sets_cookie),
    path("form/", with_csrf_token),
    # The project's own routes too: middleware reverses the admin and the TDM policy.
    path("", include("newsroom.urls")),
]


@pytest.fixture
def own_views(settings):
    settings.ROOT_URLCONF = __name__
    calls.clear()
    return calls


def surfaces(article):
    """Every public page that shows the article."""
    return [
        reverse("articles:home"),
        article.section.get_absolute_url(),
        reverse("articles:tag", kwargs={"slug": "harbour"}),
        reverse("articles:author", kwargs={"slug": article.bylines.get().author.slug}),
        reverse("feeds:site-rss"),
        reverse("feeds:site-atom"),
        reverse("sitemap-news"),
        article.get_absolute_url(),  # last: the article's own page
    ]


def news_article(**fields):
    article = ArticleFactory(
        headline="Harbour reopens after storm",
        slug="harbour-reopens",
        lead_photo=PhotoFactory(),
        tags=["harbour"],
        **fields,
    )
    BylineFactory(article=article, author=AuthorFactory(slug="anna-nowak"))
    return article


def test_second_anonymous_request_is_served_without_a_database_query(
    client, django_assert_num_queries
):
    article = news_article()
    for url in surfaces(article):
        first = client.get(url)
        assert first.status_code == 200
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second.content == first.content
        assert second["Content-Type"] == first["Content-Type"]
        assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_head_request_is_served_from_the_cache(client, django_assert_num_queries):
    article = news_article()
    client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        assert client.head(article.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    "fields",
    [
        {"published_at": GO_LIVE},
        {"published_at": GO_LIVE - dt.timedelta(hours=2), "embargo_until": GO_LIVE},
    ],
    ids=["scheduled", "embargoed"],
)
def test_article_appears_on_the_exact_second_with_a_warm_cache(
    client, fields, django_assert_num_queries
):
    with time_machine.travel(BEFORE, tick=False) as clock:
        news_article(**fields)
        article = Article.objects.get()
        ArticleFactory(slug="older", tags=["harbour"], published_at=BEFORE - dt.timedelta(days=1))
        listings = surfaces(article)[:-1]
        for url in listings:
            assert b"Harbour reopens" not in client.get(url).content
        assert client.get(article.get_absolute_url()).status_code == 404
        # Warm: the same pages again cost nothing...
        with django_assert_num_queries(0):
            for url in listings:
                assert b"Harbour reopens" not in client.get(url).content
            assert client.get(article.get_absolute_url()).status_code == 404

        # ...and the very second the article goes live, every surface shows it.
        clock.move_to(GO_LIVE)
        for url in listings:
            assert b"Harbour reopens" in client.get(url).content, url
        assert client.get(article.get_absolute_url()).status_code == 200


def test_expired_article_disappears_on_the_exact_second_with_a_warm_cache(client):
    with time_machine.travel(BEFORE, tick=False) as clock:
        article = news_article(expire_at=GO_LIVE)
        urls = surfaces(article)
        for url in urls:
            assert b"Harbour reopens" in client.get(url).content
        clock.move_to(GO_LIVE)
        for url in urls[:-1]:
            assert b"Harbour reopens" not in client.get(url).content, url
        assert client.get(urls[-1]).status_code in (404, 410)


def test_notice_taking_effect_later_replaces_the_old_one_on_time(client):
    with time_machine.travel(BEFORE, tick=False) as clock:
        article = news_article()
        NoticeFactory(text="Old reservation, see here.")
        NoticeFactory(text="New reservation, see here.", effective_at=GO_LIVE)
        assert b"Old reservation" in client.get(article.get_absolute_url()).content
        clock.move_to(GO_LIVE)
        assert b"New reservation" in client.get(article.get_absolute_url()).content


def test_publish_edit_and_unpublish_invalidate_every_surface_on_commit(client):
    article = news_article(status=Article.Status.DRAFT, published_at=None)
    urls = surfaces(article)
    ArticleFactory(slug="other", tags=["harbour"])  # so the tag page exists before publishing
    for url in urls[:-1]:
        assert b"Harbour reopens" not in client.get(url).content
    assert client.get(urls[-1]).status_code == 404

    article.status = Article.Status.PUBLISHED
    article.published_at = dt.datetime.now(UTC) - dt.timedelta(minutes=1)
    article.save()
    for url in urls:
        assert b"Harbour reopens" in client.get(url).content, url

    article.headline = "Harbour reopens to ferries"
    article.save()
    for url in urls:
        assert b"Harbour reopens to ferries" in client.get(url).content, url

    article.status = Article.Status.UNPUBLISHED
    article.save()
    for url in urls[:-1]:
        assert b"Harbour reopens" not in client.get(url).content, url
    assert client.get(urls[-1]).status_code == 404


def test_photo_credit_section_tag_and_notice_changes_reach_cached_pages(client):
    NoticeFactory(text="Reserved, details here.")
    article = news_article()
    url = article.get_absolute_url()
    client.get(url)

    photo = article.lead_photo
    photo.photographer = "Jan Kowalski"
    photo.save()
    assert b"PAP/Jan Kowalski" in client.get(url).content

    article.section.name = "Local news"
    article.section.save()
    assert b"Local news" in client.get(url).content

    article.tags.add("ferries")
    assert b"ferries" in client.get(url).content

    NoticeFactory(text="All rights reserved, details here.", effective_at=timezone.now())
    assert b"All rights reserved" in client.get(url).content


def test_a_rolled_back_save_never_reaches_the_cache_and_a_committed_one_does(client):
    article = news_article()
    url = article.get_absolute_url()
    client.get(url)
    with transaction.atomic():
        article.headline = "Never committed"
        article.save()
        # Readers get the committed page while the transaction is open.
        assert b"Never committed" not in client.get(url).content
        transaction.set_rollback(True)
    assert b"Never committed" not in client.get(url).content

    with transaction.atomic():
        article.headline = "Committed headline"
        article.save()
        article.tags.add("ferries")
    assert b"Committed headline" in client.get(url).content


def test_staff_are_never_served_from_the_cache(client, django_assert_max_num_queries):
    article = news_article()
    client.get(article.get_absolute_url())  # cached for anonymous readers
    client.force_login(UserFactory())
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_staff_responses_are_never_stored(client, django_assert_num_queries):
    article = news_article()
    client.force_login(UserFactory())
    client.get(article.get_absolute_url())
    client.logout()
    client.cookies.clear()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    # Rendered for this anonymous reader (queries ran), not replayed from the staff request.
    with django_assert_num_queries(0):
        client.get(article.get_absolute_url())


def test_any_session_cookie_bypasses_the_cache_without_loading_a_user(
    client, django_assert_num_queries
):
    article = news_article()
    client.get(article.get_absolute_url())
    client.cookies["sessionid"] = "stale-or-forged"
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"


def test_staff_paths_exempt_views_and_private_responses_are_never_cached(client, own_views):
    for url in ["/preview/draft/", "/exempt/", "/private/", "/cookie/", "/form/", "/varies/"]:
        client.get(url)
        client.get(url)
        client.cookies.clear()
        assert own_views.count(url) == 2, url
    client.get("/plain/")
    client.get("/plain/")
    assert own_views.count("/plain/") == 1


def test_query_string_is_part_of_the_key(client, own_views):
    client.get("/plain/?page=2")
    client.get("/plain/?page=3")
    client.get("/plain/?page=2")
    assert own_views.count("/plain/") == 2


def test_conditional_get_answers_not_modified(client):
    article = news_article()
    url = article.get_absolute_url()
    first = client.get(url)  # stored now
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert client.get(url, headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_conditional_get_on_the_first_request_too(client):
    article = news_article()
    etag = client.get(article.get_absolute_url())["ETag"]
    from django.core.cache import cache

    cache.clear()
    response = client.get(article.get_absolute_url(), headers={"If-None-Match": etag})
    assert response.status_code == 304


def max_ages(header):
    return {name: int(value) for name, value in re.findall(r"([a-z-]+)=(\d+)", header)}


def test_public_pages_tell_cdns_how_long_to_keep_them(client, settings):
    article = news_article()
    response = client.get(article.get_absolute_url())
    control = response["Cache-Control"]
    assert control.startswith("public, ")
    assert max_ages(control) == {
        "max-age": settings.PAGE_CACHE_MAX_AGE,
        "s-maxage": settings.PAGE_CACHE_S_MAXAGE,
        "stale-while-revalidate": settings.PAGE_CACHE_STALE_WHILE_REVALIDATE,
        "stale-if-error": settings.PAGE_CACHE_STALE_IF_ERROR,
    }


def test_cdn_windows_never_reach_past_the_next_scheduled_change(client):
    with time_machine.travel(BEFORE - dt.timedelta(seconds=19), tick=False):
        news_article(expire_at=BEFORE + dt.timedelta(seconds=1))  # 20 s from now
        for _ in range(2):  # stored, then served from the cache
            ages = max_ages(client.get(reverse("articles:home"))["Cache-Control"])
            assert ages["max-age"] <= 20
            assert ages["s-maxage"] + ages["stale-while-revalidate"] <= 20
            assert ages["s-maxage"] + ages["stale-if-error"] <= 20


def test_cache_control_shrinks_to_zero_at_the_change():
    ages = max_ages(cache_control(0))
    assert set(ages.values()) == {0}
    assert max_ages(cache_control(math.inf))["s-maxage"] > 0


def test_workers_share_the_version_through_the_file(tmp_path):
    """Each gunicorn worker has its own local-memory cache; the version file is shared."""
    path = tmp_path / "version"
    worker_a, worker_b = FileVersion(path), FileVersion(path)
    before = worker_b.get()
    worker_a.bump()
    assert worker_b.get() == before + 1


DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.mark.parametrize(
    # The backend settings.py configures for REDIS_URL. (Django's stock RedisCache raises
    # on every call when Redis is down; every cache user in the project would need guards.)
    "backend",
    ["publishing.cache_backends.ResilientRedisCache"],
)
def test_site_keeps_serving_when_redis_is_down(client, backend, caplog):
    article = news_article()
    caches = {
        "default": {
            "BACKEND": backend,
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    with override_settings(CACHES=caches), caplog.at_level(logging.WARNING, "newsroom.cache"):
        for url in surfaces(article):
            response = client.get(url)
            assert response.status_code == 200
            assert b"Harbour reopens" in response.content
        article.headline = "Saved while Redis is down"
        article.save()
        assert b"Saved while Redis is down" in client.get(article.get_absolute_url()).content
    assert any("unavailable" in message for message in caplog.messages)


def test_redis_cache_degrades_to_misses_and_logs_once(caplog):
    from publishing.cache_backends import ResilientRedisCache

    cache = ResilientRedisCache(DEAD_REDIS + "9", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    with caplog.at_level(logging.WARNING, "newsroom.cache"):
        assert cache.get("key", "default") == "default"
        cache.set("key", "value")
        assert cache.get("key") is None
        assert cache.add("key", 1) is False
        with pytest.raises(ValueError):
            cache.incr("key")
    assert len(caplog.messages) == 1


def test_section_page_cached_per_page_number(client):
    section = SectionFactory(name="News", slug="news")
    for n in range(25):
        ArticleFactory(section=section, headline=f"Story {n:02d}")
    first = client.get(section.get_absolute_url()).content
    second = client.get(section.get_absolute_url() + "?page=2").content
    assert first != second
    assert b"Story 00" in second
