"""Two people editing one article: the second save never silently overwrites the first."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from articles.roles import EDITOR

from .admin_forms import form_errors, open_change_form, post_change_form, user_in_role
from .factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def logged_in(username):
    client = Client()
    client.force_login(user_in_role(EDITOR, username=username))
    return client


def hidden_lock_version(html):
    match = re.search(r'<input type="hidden" name="lock_version" value="(\d+)"', html)
    assert match, "the change form carries the article's lock version"
    return int(match.group(1))


def test_second_save_from_a_stale_form_is_refused_and_keeps_what_was_typed():
    article = ArticleFactory(headline="Storm hits coast", body="Original body.")
    anna, ben = logged_in("anna"), logged_in("ben")
    annas_form = open_change_form(anna, article)
    bens_form = open_change_form(ben, article)

    first = post_change_form(anna, article, annas_form, body="Anna's update.")
    assert first.status_code == 302, form_errors(first)

    second = post_change_form(
        ben, article, bens_form, headline="Storm batters coast", body="Ben's rewrite."
    )

    assert second.status_code == 200
    html = second.content.decode()
    assert "Someone else saved this article while you were editing it." in html
    assert "The latest revision is number 2, saved by anna at" in html
    assert "Your changes have NOT been saved" in html
    # Ben's typing is still in the form, ready to reconcile.
    assert 'value="Storm batters coast"' in html
    assert "Ben&#x27;s rewrite.</textarea>" in html
    article.refresh_from_db()
    assert (article.headline, article.body) == ("Storm hits coast", "Anna's update.")
    assert [
        revision.created_by.username for revision in article.revisions.exclude(created_by=None)
    ] == ["anna"]


def test_after_the_warning_a_deliberate_second_save_goes_through():
    article = ArticleFactory(body="Original body.")
    anna, ben = logged_in("anna"), logged_in("ben")
    annas_form, bens_form = open_change_form(anna, article), open_change_form(ben, article)
    post_change_form(anna, article, annas_form, body="Anna's update.")

    refused = post_change_form(ben, article, bens_form, body="Ben's rewrite.")
    # The re-shown form now carries the version Ben has been warned about.
    current = Article.objects.get(pk=article.pk).lock_version
    assert hidden_lock_version(refused.content.decode()) == current

    accepted = post_change_form(
        ben, article, bens_form, body="Ben's rewrite.", lock_version=current
    )

    assert accepted.status_code == 302, form_errors(accepted)
    article.refresh_from_db()
    assert article.body == "Ben's rewrite."


def test_a_save_by_any_other_path_also_makes_an_open_form_stale():
    article = ArticleFactory(body="Original body.")
    ben = logged_in("ben")
    bens_form = open_change_form(ben, article)

    # e.g. an editor's publish action or a revision restore, which save the model.
    fresh = Article.objects.get(pk=article.pk)
    fresh.status = Article.Status.UNPUBLISHED
    fresh.save(update_fields=["status"])

    response = post_change_form(ben, article, bens_form, body="Ben's rewrite.")

    assert response.status_code == 200
    article.refresh_from_db()
    assert (article.status, article.body) == (Article.Status.UNPUBLISHED, "Original body.")


def test_saves_one_after_another_from_fresh_forms_all_succeed():
    article = ArticleFactory()
    anna = logged_in("anna")
    for n in range(3):
        response = post_change_form(
            anna, article, open_change_form(anna, article), lead=f"Take {n}"
        )
        assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    assert article.lead == "Take 2"


def test_the_add_form_carries_a_lock_version_and_the_new_article_starts_unlocked():
    anna = logged_in("anna")
    section = SectionFactory()
    page = anna.get(reverse("admin:articles_article_add"))
    assert hidden_lock_version(page.content.decode()) == 0

    response = anna.post(
        reverse("admin:articles_article_add"),
        {
            "headline": "New story",
            "slug": "new-story",
            "lead": "Lead.",
            "body": "Body.",
            "section": section.pk,
            "source_line": "© example-news.com",
            "status": "draft",
            "lock_version": "0",
            "bylines-TOTAL_FORMS": "0",
            "bylines-INITIAL_FORMS": "0",
            "corrections-TOTAL_FORMS": "0",
            "corrections-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get(slug="new-story")
    # Editing it right away works: the change form carries the saved version.
    change = anna.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert hidden_lock_version(change.content.decode()) == article.lock_version
    assert post_change_form(anna, article, open_change_form(anna, article)).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_two_saves_racing_from_the_same_version_cannot_both_win(monkeypatch):
    """Anna's save is paused after its check; Ben's identical-version save must not slip in."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers with BEGIN IMMEDIATE; the row lock is PostgreSQL's")

    import threading

    from articles.admin_editing import ArticleEditingMixin

    article = ArticleFactory(body="Original body.")
    anna, ben = logged_in("anna"), logged_in("ben")
    annas_form, bens_form = open_change_form(anna, article), open_change_form(ben, article)

    anna_checked, release_anna = threading.Event(), threading.Event()
    original_save_model = ArticleEditingMixin.save_model

    def slow_save_model(self, request, obj, form, change):
        if request.user.username == "anna":
            anna_checked.set()
            release_anna.wait(timeout=10)
        return original_save_model(self, request, obj, form, change)

    monkeypatch.setattr(ArticleEditingMixin, "save_model", slow_save_model)
    responses = {}

    def post(name, client, data, body):
        try:
            responses[name] = post_change_form(client, article, data, body=body)
        finally:
            from django.db import connection as thread_connection

            thread_connection.close()

    annas = threading.Thread(target=post, args=("anna", anna, annas_form, "Anna's update."))
    bens = threading.Thread(target=post, args=("ben", ben, bens_form, "Ben's rewrite."))
    annas.start()
    assert anna_checked.wait(timeout=10)
    bens.start()
    bens.join(timeout=0.5)
    assert bens.is_alive(), "Ben's save waits for Anna's row lock instead of reading past it"
    release_anna.set()
    annas.join(timeout=10)
    bens.join(timeout=10)

    assert responses["anna"].status_code == 302
    assert responses["ben"].status_code == 200
    assert "Someone else saved this article" in responses["ben"].content.decode()
    article.refresh_from_db()
    assert article.body == "Anna's update."
