"""An autosave is invisible to readers: no page, feed, search or revision shows its text,
and writing one never moves the content version, so warm pages stay warm.
"""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import ArticleAutosave, ArticleRevision
from articles.roles import EDITOR
from publishing.version import content_version

from .admin_forms import open_change_form, user_in_role
from .factories import ArticleFactory, AuthorFactory, BylineFactory, NoticeFactory

SECRET = "Zanzibarquokka"  # a word no fixture uses


@pytest.fixture
def live_story():
    NoticeFactory()
    article = ArticleFactory(
        headline="Harbour reopens after storm", slug="harbour-reopens", tags=["harbour"]
    )
    BylineFactory(article=article, author=AuthorFactory(slug="anna-nowak"))
    return article


@pytest.fixture
def editor_client(client):
    client.force_login(user_in_role(EDITOR, username="editor"))
    return client


def autosave_secret(client, article):
    data = open_change_form(client, article)
    response = client.post(
        reverse("admin:articles_article_autosave", args=[article.pk]),
        {
            **data,
            "headline": f"{SECRET} headline",
            "lead": f"{SECRET} lead",
            "body": f"{SECRET} body",
            "tags": f"harbour, {SECRET}",
        },
    )
    assert response.status_code == 200 and response.json()["saved"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.page_cache
def test_an_autosave_leaves_the_content_version_and_warm_pages_alone(
    editor_client, live_story, django_assert_num_queries
):
    reader = Client()
    pages = [reverse("articles:home"), live_story.get_absolute_url()]
    for url in pages:
        assert reader.get(url).status_code == 200
    version = content_version()

    autosave_secret(editor_client, live_story)

    assert ArticleAutosave.objects.exists()
    assert content_version() == version
    with django_assert_num_queries(0):  # served from the page cache, untouched
        for url in pages:
            assert reader.get(url).status_code == 200


@pytest.mark.django_db
def test_no_public_page_feed_search_or_revision_shows_autosaved_text(editor_client, live_story):
    revisions = ArticleRevision.objects.count()
    autosave_secret(editor_client, live_story)
    reader = Client()

    public = [
        reverse("articles:home"),
        live_story.get_absolute_url(),
        live_story.section.get_absolute_url(),
        reverse("articles:tag", kwargs={"slug": "harbour"}),
        reverse("articles:author", kwargs={"slug": "anna-nowak"}),
        "/feeds/rss/",
        "/feeds/atom/",
        "/sitemap.xml",
    ]
    for url in public:
        response = reader.get(url, follow=True)
        assert response.status_code == 200, url
        assert SECRET not in response.content.decode(), url
    assert reader.get(reverse("articles:tag", kwargs={"slug": SECRET.lower()})).status_code == 404
    found = reader.get(reverse("articles:search"), {"q": SECRET}).content.decode()
    assert f"No results for “{SECRET}”." in found and live_story.headline not in found

    assert ArticleRevision.objects.count() == revisions
    staff_pages = [
        reverse("admin:articles_article_revisions", args=[live_story.pk]),
        reverse("admin:articles_article_preview", args=[live_story.pk]),
        reverse("admin:articles_article_changelist"),
    ]
    for url in staff_pages:
        assert SECRET not in editor_client.get(url).content.decode(), url
