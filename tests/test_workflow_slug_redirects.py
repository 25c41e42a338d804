"""Renaming a published article keeps every old address working with a 301."""

import datetime as dt

import pytest
import time_machine

from articles.models import Article, SlugRedirect
from articles.roles import EDITOR

from .admin_forms import form_errors, open_change_form, post_change_form, user_in_role
from .factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def rename(client, article, slug, **changes):
    data = open_change_form(client, article)
    response = post_change_form(client, article, data, slug=slug, **changes)
    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    return article


@pytest.fixture
def editor_client(client):
    client.force_login(user_in_role(EDITOR, username="editor"))
    return client


def test_renamed_published_article_answers_its_old_address_with_a_301(editor_client):
    article = ArticleFactory(slug="mayor-resings")
    old_url = article.get_absolute_url()

    rename(editor_client, article, "mayor-resigns")

    response = editor_client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/news/mayor-resigns/"
    assert editor_client.get("/news/mayor-resigns/").status_code == 200


def test_a_chain_of_renames_sends_every_old_address_straight_to_the_current_one(editor_client):
    article = ArticleFactory(slug="first")
    rename(editor_client, article, "second")
    rename(editor_client, article, "third")

    for old in ["/news/first/", "/news/second/"]:
        response = editor_client.get(old)
        assert (response.status_code, response["Location"]) == (301, "/news/third/")


def test_old_address_follows_a_change_of_section_too(editor_client):
    sport = SectionFactory(name="Sport", slug="sport")
    article = ArticleFactory(slug="cup-final")
    rename(editor_client, article, "cup-final-report", section=str(sport.pk))

    response = editor_client.get("/news/cup-final/")
    assert (response.status_code, response["Location"]) == (301, "/sport/cup-final-report/")


def test_renaming_a_draft_leaves_no_redirect_behind(editor_client):
    article = ArticleFactory(slug="working-title", status=Article.Status.DRAFT, published_at=None)
    rename(editor_client, article, "final-title")

    assert not SlugRedirect.objects.exists()
    assert editor_client.get("/news/working-title/").status_code == 404


def test_old_address_never_redirects_to_an_article_readers_cannot_see(editor_client):
    now = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(now, tick=False):
        article = ArticleFactory(slug="old-name")
        rename(editor_client, article, "new-name")
        assert editor_client.get("/news/old-name/").status_code == 301

        Article.objects.filter(pk=article.pk).update(status=Article.Status.UNPUBLISHED)
        assert editor_client.get("/news/old-name/").status_code == 404

        Article.objects.filter(pk=article.pk).update(
            status=Article.Status.PUBLISHED, embargo_until=now + dt.timedelta(hours=1)
        )
        response = editor_client.get("/news/old-name/")
        assert response.status_code == 404
        assert b"new-name" not in response.content


def test_an_old_slug_taken_by_another_article_shows_that_article(editor_client):
    first = ArticleFactory(slug="budget", headline="Budget, first take")
    rename(editor_client, first, "budget-first-take")
    ArticleFactory(slug="budget", headline="Budget passes")

    response = editor_client.get("/news/budget/")
    assert response.status_code == 200
    assert b"Budget passes" in response.content
