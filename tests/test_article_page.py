"""The foundation slice: an article written in the admin, read on its public page."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article

from .factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    NoticeFactory,
    PhotoFactory,
    SectionFactory,
    UserFactory,
    jpeg_bytes,
)

NEW_YORK = ZoneInfo("America/New_York")
pytestmark = pytest.mark.django_db


def admin_add_article(client, **fields):
    data = {
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        "source_line": "© example-news.com",
        "status": "draft",
        **fields,
    }
    return client.post(reverse("admin:articles_article_add"), data)


def test_article_written_in_admin_shows_every_element_on_its_public_page(client):
    superuser = UserFactory(username="chief", is_superuser=True)
    client.force_login(superuser)
    NoticeFactory()
    section = SectionFactory(name="News", slug="news")
    author = AuthorFactory(name="Anna Nowak", slug="anna-nowak")

    upload = SimpleUploadedFile("harbour.jpg", jpeg_bytes(800, 500), content_type="image/jpeg")
    response = client.post(
        reverse("admin:media_photo_add"),
        {
            "image": upload,
            "alt_text": "Ferries in the harbour at dusk",
            "caption": "Ferries wait in the harbour.",
            "agency": "PAP",
            "photographer": "Viktor Kovalchuk",
        },
    )
    assert response.status_code == 302, response.content
    from media.models import Photo

    photo = Photo.objects.get()

    response = admin_add_article(
        client,
        headline="Harbour reopens after storm",
        slug="harbour-reopens-after-storm",
        lead="Ferries are sailing again after three days.",
        body="Opening paragraph.\n\n## Damage assessed\n\nEngineers checked the piers.",
        section=section.pk,
        tags="storm, harbour",
        lead_photo=photo.pk,
        **{
            "bylines-TOTAL_FORMS": "2",
            "bylines-0-author": author.pk,
            "bylines-0-position": "0",
            "bylines-1-contributor": "Guest Writer",
            "bylines-1-position": "1",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    # Status is not a form field: publication goes through the workflow's publish button.
    with time_machine.travel(dt.datetime(2024, 10, 23, 10, 38, tzinfo=NEW_YORK), tick=False):
        response = client.post(
            reverse("admin:articles_article_transition", args=[article.pk, "publish"])
        )
    assert response.status_code == 302

    client.logout()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()

    assert '<p class="section-label"><a href="/news/">News</a></p>' in html
    assert re.search(r"<h1[^>]*>Harbour reopens after storm</h1>", html)
    assert "Ferries are sailing again after three days." in html
    assert 'alt="Ferries in the harbour at dusk"' in html
    assert "<figcaption>" in html and "Ferries wait in the harbour." in html
    assert "Images source: © PAP | PAP/Viktor Kovalchuk" in html
    assert '<a href="/author/anna-nowak/">Anna Nowak</a> and Guest Writer' in html
    assert (
        '<time datetime="2024-10-23T10:38:00-04:00">10:38 AM EDT, October 23, 2024</time>' in html
    )
    assert "<h2>Damage assessed</h2>" in html
    assert '<a href="/tag/storm/">storm</a>' in html
    assert '<p class="source-line">© example-news.com</p>' in html
    notice_html = html[html.index('class="legal-notice"') :]
    assert "machine learning or artificial intelligence programs" in notice_html
    assert 'can be found <a href="/legal/copyright-and-tdm/">here<span' in notice_html
    # The notice is the last thing in the article.
    assert html.index("legal-notice") > html.index("source-line") > html.index("Damage assessed")


def test_credit_line_degrades_when_parts_are_missing():
    assert PhotoFactory.build(agency="PAP", photographer="").credit == "Images source: © PAP"
    assert (
        PhotoFactory.build(agency="", photographer="Anna Nowak").credit
        == "Images source: © Anna Nowak"
    )
    assert PhotoFactory.build(agency="", photographer="").credit == ""
    assert (
        PhotoFactory.build(
            agency="Reuters", photographer="Tom Becker", copyright_holder="Reuters"
        ).credit
        == "Images source: © Reuters | Reuters/Tom Becker"
    )


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (dt.datetime(2024, 10, 23, 10, 38, tzinfo=NEW_YORK), "10:38 AM EDT, October 23, 2024"),
        (dt.datetime(2025, 1, 14, 15, 12, tzinfo=NEW_YORK), "3:12 PM EST, January 14, 2025"),
    ],
)
def test_publication_time_follows_daylight_saving(client, moment, shown):
    article = ArticleFactory(published_at=moment)
    response = client.get(article.get_absolute_url())
    assert shown in response.content.decode()


def test_time_is_shown_in_the_configured_newsroom_zone(client, settings):
    settings.TIME_ZONE = "Europe/Warsaw"
    article = ArticleFactory(published_at=dt.datetime(2024, 10, 23, 14, 38, tzinfo=NEW_YORK))
    assert (
        "8:38 PM CEST, October 23, 2024" in client.get(article.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize(
    "state",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"status": Article.Status.IN_REVIEW, "published_at": None},
        {"status": Article.Status.UNPUBLISHED},
        {"status": Article.Status.PUBLISHED, "published_at": "future"},
    ],
    ids=["draft", "in-review", "unpublished", "scheduled"],
)
def test_unpublished_or_future_article_is_hidden_from_readers(client, state):
    from datetime import timedelta

    from django.utils import timezone

    if state.get("published_at") == "future":
        state = {**state, "published_at": timezone.now() + timedelta(minutes=5)}
    hidden = ArticleFactory(headline="Secret scoop", **state)
    ArticleFactory(headline="Public story")

    assert client.get(hidden.get_absolute_url()).status_code == 404
    home = client.get(reverse("articles:home")).content.decode()
    assert "Public story" in home
    assert "Secret scoop" not in home
    assert hidden.is_published is False
    assert not Article.objects.published().filter(pk=hidden.pk).exists()


def test_is_published_mirrors_the_published_queryset():
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    articles = [
        ArticleFactory(),
        ArticleFactory(status=Article.Status.DRAFT, published_at=None),
        ArticleFactory(published_at=now + timedelta(seconds=30)),
        ArticleFactory(status=Article.Status.UNPUBLISHED, published_at=now - timedelta(days=1)),
    ]
    published_ids = set(Article.objects.published().values_list("pk", flat=True))
    assert {a.pk for a in articles if a.is_published} == published_ids == {articles[0].pk}


def test_home_lists_latest_published_articles_newest_first(client):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    ArticleFactory(
        headline="Older story", published_at=now - timedelta(hours=3), lead_photo=PhotoFactory()
    )
    ArticleFactory(headline="Newest story", published_at=now - timedelta(minutes=5))
    html = client.get(reverse("articles:home")).content.decode()
    assert html.index("Newest story") < html.index("Older story")
    assert "A lead paragraph that tells the story" in html
    assert 'alt="Crowds on the harbour front"' in html  # the thumbnail


def test_wrong_section_in_url_redirects_to_the_canonical_address(client):
    ArticleFactory(section=SectionFactory(name="World", slug="world"), slug="quake")
    response = client.get("/news/quake/")
    assert response.status_code == 301
    assert response["Location"] == "/world/quake/"


def test_article_page_queries_do_not_grow_with_tags_and_bylines(
    client, django_assert_max_num_queries
):
    NoticeFactory()
    small = ArticleFactory(lead_photo=PhotoFactory(), tags=["one"])
    BylineFactory(article=small)
    big = ArticleFactory(lead_photo=PhotoFactory(), tags=[f"tag {n}" for n in range(15)])
    for _ in range(8):
        BylineFactory(article=big)
    client.get("/")  # The first request fills the site-wide caches (legal state).

    # 6: article, bylines, tags, sections, notice for the page foot, notice for JSON-LD.
    with django_assert_max_num_queries(6) as small_queries:
        assert client.get(small.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(6) as big_queries:
        assert client.get(big.get_absolute_url()).status_code == 200
    assert len(big_queries) == len(small_queries)


def test_home_page_queries_do_not_grow_with_articles(client, django_assert_max_num_queries):
    ArticleFactory(lead_photo=PhotoFactory(), tags=["a"])
    client.get("/")  # The first request fills the site-wide caches (legal state).
    with django_assert_max_num_queries(4) as few:
        client.get(reverse("articles:home"))
    for n in range(25):
        article = ArticleFactory(lead_photo=PhotoFactory(), tags=["a", f"b{n}"])
        BylineFactory(article=article)
        BylineFactory(article=article)
    with django_assert_max_num_queries(4) as many:
        client.get(reverse("articles:home"))
    assert len(many) == len(few)
