"""Every save keeps a revision; editors compare two and restore one through the admin."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from articles.models import Article, ArticleRevision, SlugRedirect
from articles.roles import EDITOR

from .admin_forms import form_errors, open_change_form, post_change_form, user_in_role
from .factories import ArticleFactory, AuthorFactory, BylineFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = user_in_role(EDITOR, username="editor")
    client.force_login(user)
    return user


def save(client, article, **changes):
    response = post_change_form(client, article, open_change_form(client, article), **changes)
    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    return article


def compare_url(article):
    return reverse("admin:articles_article_revision_compare", args=[article.pk])


def restore_url(article, number):
    return reverse("admin:articles_article_revision_restore", args=[article.pk, number])


def test_an_article_made_outside_the_admin_keeps_its_original_state_on_first_edit(client, editor):
    article = ArticleFactory(headline="Imported headline")

    save(client, article, headline="Edited headline")

    original, edited = article.revisions.order_by("number")
    assert (original.content["headline"], original.created_by) == ("Imported headline", None)
    assert (edited.content["headline"], edited.created_by) == ("Edited headline", editor)


def test_adding_and_each_saving_in_the_admin_keeps_a_revision_of_the_content(client, editor):
    section = SectionFactory(name="News", slug="news")
    author = AuthorFactory(name="Anna Nowak")
    response = client.post(
        reverse("admin:articles_article_add"),
        {
            "headline": "Harbour reopens",
            "slug": "harbour-reopens",
            "lead": "Ferries sail again.",
            "body": "First paragraph.",
            "section": section.pk,
            "tags": "harbour, storm",
            "source_line": "© example-news.com",
            "status": "draft",
            "bylines-TOTAL_FORMS": "1",
            "bylines-INITIAL_FORMS": "0",
            "bylines-0-author": author.pk,
            "bylines-0-position": "0",
            "corrections-TOTAL_FORMS": "0",
            "corrections-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get()
    save(client, article, body="First paragraph, rewritten.")

    first, second = article.revisions.order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert first.created_by == editor
    assert first.content["headline"] == "Harbour reopens"
    assert first.content["body"] == "First paragraph."
    assert first.content["tags"] == ["harbour", "storm"]
    assert [byline["name"] for byline in first.content["bylines"]] == ["Anna Nowak"]
    assert second.content["body"] == "First paragraph, rewritten."


def test_editor_compares_two_revisions_as_a_readable_diff(client, editor):
    article = ArticleFactory(headline="Mayor resigns", body="The mayor resigned on Monday.")
    save(
        client, article, headline="Mayor resigns after vote", body="The mayor resigned on Tuesday."
    )

    response = client.get(compare_url(article), {"a": "1", "b": "2"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Mayor resigns<ins> after vote</ins>" in html
    assert "The mayor resigned on <del>Monday.</del><ins>Tuesday.</ins>" in html
    rows = {row["label"]: row["changed"] for row in response.context["rows"]}
    assert rows["Headline"] and rows["Body"] and not rows["Lead"]
    # Text is escaped, never interpreted.
    save(client, article, lead="<script>alert(1)</script>")
    html = client.get(compare_url(article), {"a": "2", "b": "3"}).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_compare_with_bad_or_missing_revision_numbers_answers_cleanly(client, editor):
    article = ArticleFactory()
    save(client, article, headline="Second")

    assert client.get(compare_url(article), {"a": "1", "b": "99"}).status_code == 404
    # Unreadable numbers fall back to the two latest revisions.
    response = client.get(compare_url(article), {"a": "x", "b": ""})
    assert response.status_code == 200
    assert (response.context["old"].number, response.context["new"].number) == (1, 2)


def test_restoring_a_revision_brings_its_content_back_as_a_new_revision(client, editor):
    article = ArticleFactory(headline="Original headline", body="Original body.", tags=["one"])
    BylineFactory(article=article, author=AuthorFactory(name="Anna Nowak"))
    save(
        client,
        article,
        headline="Botched headline",
        body="Botched body.",
        tags="two",
        # A published article must keep a byline, so the botched edit replaces it.
        **{"bylines-0-DELETE": "on", "bylines-1-contributor": "Wrong Name"},
    )
    assert article.byline_names == ["Wrong Name"]

    response = client.post(restore_url(article, 1))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_change", args=[article.pk])
    article.refresh_from_db()
    assert (article.headline, article.body) == ("Original headline", "Original body.")
    assert "Original body." in article.body_html
    assert list(article.tags.names()) == ["one"]
    assert article.byline_names == ["Anna Nowak"]
    latest = article.revisions.first()
    assert (latest.number, latest.comment, latest.created_by) == (3, "Restored revision 1", editor)
    assert latest.content == article.revisions.get(number=1).content
    # Nothing is lost: the botched version is still there to restore.
    assert article.revisions.get(number=2).content["headline"] == "Botched headline"


def test_restoring_an_old_slug_of_a_published_article_keeps_the_newer_address(client, editor):
    article = ArticleFactory(slug="old-slug")
    save(client, article, slug="new-slug")

    client.post(restore_url(article, 1))

    article.refresh_from_db()
    assert article.slug == "old-slug"
    assert client.get("/news/new-slug/")["Location"] == "/news/old-slug/"
    assert SlugRedirect.objects.filter(old_slug="new-slug", article=article).exists()


def test_restore_refuses_content_that_no_longer_fits_and_changes_nothing(client, editor):
    article = ArticleFactory(slug="shared-slug", headline="First")
    save(client, article, slug="moved-away", headline="Second")
    ArticleFactory(slug="shared-slug")

    response = client.post(restore_url(article, 1), follow=True)

    article.refresh_from_db()
    assert (article.slug, article.headline) == ("moved-away", "Second")
    assert article.revisions.count() == 2
    assert "could not be restored" in response.content.decode()


def test_restore_needs_a_post_and_change_permission(client, editor):
    article = ArticleFactory(headline="Current")
    save(client, article, headline="Newer")

    assert client.get(restore_url(article, 1)).status_code == 405

    reader = UserFactory(username="viewer")
    reader.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(reader)
    assert client.get(compare_url(article), {"a": "1", "b": "2"}).status_code == 200
    assert client.post(restore_url(article, 1)).status_code == 403
    article.refresh_from_db()
    assert article.headline == "Newer"
    assert ArticleRevision.objects.filter(article=article).count() == 2


def test_revisions_page_lists_every_revision_with_who_and_when(client, editor):
    article = ArticleFactory()
    save(client, article, headline="Second go")

    response = client.get(reverse("admin:articles_article_revisions", args=[article.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('name="a"') == 2 and "editor" in html
    change = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert reverse("admin:articles_article_revisions", args=[article.pk]) in change.content.decode()


def test_a_change_of_line_endings_alone_is_not_shown_as_a_change():
    from articles.editing import revision_diff
    from articles.models.editing import article_snapshot

    content = article_snapshot(ArticleFactory(body="One.\n\nTwo."))
    old = ArticleRevision(content=content)
    new = ArticleRevision(content={**content, "body": "One.\r\n\r\nTwo."})
    rows = {row["label"]: row["changed"] for row in revision_diff(old, new)}
    assert rows["Body"] is False and rows["Headline"] is False
