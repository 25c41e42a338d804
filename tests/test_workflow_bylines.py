"""A published article always names who wrote it: the admin refuses to remove its last byline."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.roles import EDITOR

from .admin_forms import form_errors, open_change_form, post_change_form, user_in_role
from .factories import ArticleFactory, AuthorFactory, BylineFactory, DraftArticleFactory

pytestmark = pytest.mark.django_db

LAST_BYLINE = "A published article must keep at least one byline."


@pytest.fixture
def editor(client):
    user = user_in_role(EDITOR, username="editor")
    client.force_login(user)
    return user


def with_one_byline(**fields):
    article = ArticleFactory(headline="Harbour reopens", **fields)
    BylineFactory(article=article, author=AuthorFactory(name="Anna Nowak"))
    return article


@pytest.mark.parametrize(
    "go_live",
    [timedelta(hours=-1), timedelta(days=1)],
    ids=["live", "scheduled"],
)
def test_deleting_the_last_byline_of_a_published_article_is_refused_and_input_kept(
    client, editor, go_live
):
    article = with_one_byline(published_at=timezone.now() + go_live)
    data = open_change_form(client, article)

    response = post_change_form(
        client, article, data, headline="Harbour reopens at dawn", **{"bylines-0-DELETE": "on"}
    )

    assert response.status_code == 200  # the form again, not a redirect
    html = response.content.decode()
    assert LAST_BYLINE in html
    # What the editor typed and ticked is still there to correct.
    assert 'value="Harbour reopens at dawn"' in html
    assert response.context["inline_admin_formsets"][0].formset.forms[0]["DELETE"].value()
    # Nothing was saved: neither the deletion nor the rest of the edit.
    article.refresh_from_db()
    assert article.byline_names == ["Anna Nowak"]
    assert article.headline == "Harbour reopens"


def test_the_only_byline_of_a_published_article_may_be_replaced_in_one_save(client, editor):
    article = with_one_byline()
    data = open_change_form(client, article)

    response = post_change_form(
        client,
        article,
        data,
        **{"bylines-0-DELETE": "on", "bylines-1-contributor": "Jan Kowalski"},
    )

    assert response.status_code == 302, form_errors(response)
    assert article.byline_names == ["Jan Kowalski"]


def test_one_of_two_bylines_of_a_published_article_may_be_deleted(client, editor):
    article = with_one_byline()
    BylineFactory(article=article, author=None, contributor="Jan Kowalski", position=1)
    data = open_change_form(client, article)

    response = post_change_form(client, article, data, **{"bylines-0-DELETE": "on"})

    assert response.status_code == 302, form_errors(response)
    assert article.byline_names == ["Jan Kowalski"]


def test_a_draft_may_lose_its_last_byline_until_it_is_published(client, editor):
    article = DraftArticleFactory(byline="Staff Reporter", created_by=editor)
    data = open_change_form(client, article)

    response = post_change_form(client, article, data, **{"bylines-0-DELETE": "on"})

    assert response.status_code == 302, form_errors(response)
    assert article.byline_names == []


def test_restoring_a_revision_without_bylines_onto_a_published_article_is_refused(client, editor):
    # Revision 1 has no byline: the article was imported without one.
    article = ArticleFactory(headline="Imported headline")
    data = open_change_form(client, article)
    response = post_change_form(
        client,
        article,
        data,
        headline="Edited headline",
        **{"bylines-0-contributor": "Jan Kowalski"},
    )
    assert response.status_code == 302, form_errors(response)
    assert article.revisions.count() == 2

    response = client.post(
        reverse("admin:articles_article_revision_restore", args=[article.pk, 1]), follow=True
    )

    assert LAST_BYLINE in response.content.decode()
    article = Article.objects.get(pk=article.pk)
    assert article.byline_names == ["Jan Kowalski"]
    assert article.headline == "Edited headline"
