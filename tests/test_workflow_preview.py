"""Previews: staff see a draft as readers will; shared links are signed, expire, can be revoked."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse

from articles.editing import preview_link_create, preview_link_revoke
from articles.models import Article, PreviewLink
from articles.roles import EDITOR, JOURNALIST

from .admin_forms import user_in_role
from .factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


def draft(**fields):
    return ArticleFactory(
        headline="Secret merger agreed",
        slug="secret-merger",
        status=Article.Status.DRAFT,
        published_at=None,
        **fields,
    )


def assert_private(response):
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control
    assert "noindex" in response["X-Robots-Tag"]


def assert_rendered_as_a_preview(response, article):
    assert response.status_code == 200
    assert_private(response)
    assert [template.name for template in response.templates][0] == "articles/detail.html"
    html = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert 'class="draft-banner"' in html and "Preview: Draft." in html
    assert re.search(r'<h1 class="article__headline">Secret merger agreed</h1>', html)
    assert html.index("draft-banner") < html.index("article__headline")


@pytest.fixture
def editor():
    return user_in_role(EDITOR, username="editor")


def test_staff_with_change_permission_preview_a_draft_as_readers_will_see_it(client, editor):
    article = draft()
    client.force_login(editor)

    response = client.get(reverse("admin:articles_article_preview", args=[article.pk]))

    assert_rendered_as_a_preview(response, article)
    # Readers still get nothing at the public address.
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_the_public_page_has_no_banner_and_no_noindex(client):
    article = ArticleFactory()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "draft-banner" not in html and "noindex" not in html


def test_staff_preview_needs_login_and_the_right_to_open_the_story(client):
    article = draft()
    response = client.get(reverse("admin:articles_article_preview", args=[article.pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

    # A colleague's draft is not a journalist's to open, nor to preview.
    client.force_login(user_in_role(JOURNALIST, username="colleague"))
    response = client.get(reverse("admin:articles_article_preview", args=[article.pk]))
    assert response.status_code == 404
    assert b"Secret merger" not in response.content

    # A read-only role opens every story in the admin, and previews what it may open.
    viewer = UserFactory(username="viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)
    response = client.get(reverse("admin:articles_article_preview", args=[article.pk]))
    assert_rendered_as_a_preview(response, article)
    # ...but sharing it outside the newsroom takes the right to change it.
    response = client.get(reverse("admin:articles_article_preview_links", args=[article.pk]))
    assert response.status_code == 403


def test_a_valid_preview_link_shows_the_draft_to_someone_without_an_account(client, editor):
    article = draft()
    link = preview_link_create(article=article, user=editor, lifetime=dt.timedelta(days=1))

    response = client.get(link.bearer_url())

    assert_rendered_as_a_preview(response, article)
    assert response["Referrer-Policy"] == "no-referrer"
    assert "This shared preview link works until" in response.content.decode()


def test_an_expired_preview_link_is_gone_and_shows_nothing(client, editor):
    with time_machine.travel(NOW, tick=False):
        article = draft()
        link = preview_link_create(article=article, user=editor, lifetime=dt.timedelta(hours=1))
        assert client.get(link.bearer_url()).status_code == 200

    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        response = client.get(link.bearer_url())

    assert response.status_code == 410
    assert_private(response)
    assert b"Secret merger" not in response.content and b"It has expired." in response.content


def test_a_revoked_preview_link_is_gone_and_shows_nothing(client, editor):
    article = draft()
    link = preview_link_create(article=article, user=editor)
    preview_link_revoke(link=link, user=editor)

    response = client.get(link.bearer_url())

    assert response.status_code == 410
    assert b"Secret merger" not in response.content and b"withdrawn" in response.content


def test_a_token_for_another_article_or_a_forged_token_opens_nothing(client, editor):
    article = draft()
    other = ArticleFactory(status=Article.Status.DRAFT, published_at=None, headline="Other draft")
    other_link = preview_link_create(article=other, user=editor)
    own_link = preview_link_create(article=article, user=editor)

    url = reverse("articles:preview_link", kwargs={"pk": article.pk, "token": other_link.token})
    assert client.get(url).status_code == 404

    payload, signature = own_link.token.rsplit(":", 1)
    forged = f"{payload}:{signature[:-2]}xx"
    for token in [forged, "garbage", own_link.token_id.hex]:
        url = reverse("articles:preview_link", kwargs={"pk": article.pk, "token": token})
        response = client.get(url)
        assert response.status_code == 404
        assert b"Secret merger" not in response.content


def test_after_publication_a_preview_link_leads_to_the_public_page(client, editor):
    with time_machine.travel(NOW, tick=False):
        article = draft()
        link = preview_link_create(article=article, user=editor, lifetime=dt.timedelta(days=3))
        Article.objects.filter(pk=article.pk).update(
            status=Article.Status.PUBLISHED, published_at=NOW + dt.timedelta(hours=2)
        )
        # Scheduled but not yet live: still a preview.
        assert client.get(link.bearer_url()).status_code == 200

    with time_machine.travel(NOW + dt.timedelta(hours=2), tick=False):
        response = client.get(link.bearer_url())

    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    assert_private(response)


def test_editor_creates_and_revokes_preview_links_in_the_admin(client, editor):
    article = draft()
    client.force_login(editor)
    links_url = reverse("admin:articles_article_preview_links", args=[article.pk])

    with time_machine.travel(NOW, tick=False):
        response = client.post(links_url, {"lifetime": "1d"}, follow=True)
    link = PreviewLink.objects.get()
    assert (link.article, link.created_by) == (article, editor)
    assert link.expires_at == NOW + dt.timedelta(days=1)
    assert link.bearer_url() in response.content.decode()

    assert client.post(links_url, {"lifetime": "forever"}).status_code == 302
    assert PreviewLink.objects.count() == 1

    revoke_url = reverse("admin:articles_article_preview_link_revoke", args=[article.pk, link.pk])
    assert client.get(revoke_url).status_code == 405
    assert client.post(revoke_url).status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == editor

    client.logout()
    assert client.get(link.bearer_url()).status_code == 410


def test_only_staff_who_may_change_the_article_can_create_links(client):
    article = draft()
    viewer = UserFactory(username="viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)

    links_url = reverse("admin:articles_article_preview_links", args=[article.pk])
    assert client.post(links_url, {"lifetime": "1d"}).status_code == 403
    assert not PreviewLink.objects.exists()
