"""The append-only history outlives the article: editors unpublish, and the deletion that
remains (a superuser's legal takedown, an empty draft) keeps every workflow event and revision."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from articles import roles, services
from articles.models import Article, ArticleEvent, ArticleRevision, DeletedArticle

from .admin_forms import user_in_role
from .factories import ArticleFactory, CorrectionFactory, DraftArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return user_in_role(roles.EDITOR, username="editor")


@pytest.fixture
def chief():
    return UserFactory(username="chief", is_superuser=True)


def published_with_history(editor, headline="Harbour reopens"):
    """A story taken through the desk: three workflow events and two revisions."""
    article = DraftArticleFactory(headline=headline, slug=headline.lower().replace(" ", "-"))
    ArticleRevision.objects.record(article=article, user=editor)
    services.article_submit(article=article, user=editor)
    services.article_approve(article=article, user=editor)
    services.article_publish(article=article, user=editor)
    article.headline = f"{headline}, updated"
    article.save()
    ArticleRevision.objects.record(article=article, user=editor, comment="Headline updated")
    return article


def test_superuser_deleting_an_article_keeps_its_events_and_revisions(client, editor, chief):
    article = published_with_history(editor)
    article_id = article.pk
    client.force_login(chief)

    response = client.post(
        reverse("admin:articles_article_delete", args=[article_id]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Article.objects.filter(pk=article_id).exists()
    record = DeletedArticle.objects.get(original_id=article_id)
    assert record.headline == "Harbour reopens, updated"
    assert record.content["headline"] == "Harbour reopens, updated"
    assert record.content["bylines"][0]["name"] == "Staff Reporter"
    assert record.deleted_by == chief
    actions = list(record.events.values_list("action", flat=True))
    assert actions == ["submit", "approve", "publish", "delete"]
    deletion = record.events.last()
    assert (deletion.actor, deletion.from_status) == (chief, Article.Status.PUBLISHED)
    assert [r.number for r in record.revisions.order_by("number")] == [1, 2]
    assert record.revisions.get(number=2).comment == "Headline updated"
    assert ArticleEvent.objects.count() == 4
    assert ArticleRevision.objects.count() == 2


def test_the_bulk_delete_action_keeps_the_history_of_every_article(client, editor, chief):
    first = published_with_history(editor, "First story")
    second = published_with_history(editor, "Second story")
    client.force_login(chief)

    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )

    assert not Article.objects.exists()
    for article in (first, second):
        record = DeletedArticle.objects.get(original_id=article.pk)
        assert record.events.count() == 4
        assert record.revisions.count() == 2
        assert record.events.last().actor == chief


def test_deleting_outside_the_admin_also_keeps_the_history(editor):
    article = published_with_history(editor)
    article_id = article.pk

    Article.objects.filter(pk=article_id).delete()

    record = DeletedArticle.objects.get(original_id=article_id)
    assert record.events.count() == 4
    assert record.events.last().actor is None
    assert record.revisions.count() == 2


def test_an_editor_may_not_delete_and_is_told_to_unpublish(client, editor):
    article = published_with_history(editor)
    client.force_login(editor)
    url = reverse("admin:articles_article_delete", args=[article.pk])

    page = client.get(url)
    refused = client.post(url, {"post": "yes"})
    bulk = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"},
    )

    assert page.status_code == refused.status_code == 403
    assert "Unpublish" in page.content.decode()
    assert reverse("admin:articles_article_transition", args=[article.pk, "unpublish"]) in (
        page.content.decode()
    )
    assert bulk.status_code in (200, 302)
    assert Article.objects.filter(pk=article.pk, status=Article.Status.PUBLISHED).exists()
    assert ArticleEvent.objects.filter(article=article).count() == 3
    assert not DeletedArticle.objects.exists()
    change_form = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert url not in change_form.content.decode()
    changelist = client.get(reverse("admin:articles_article_changelist"))
    assert "delete_selected" not in changelist.content.decode()


def test_an_article_with_corrections_is_not_deleted_even_by_a_superuser(client, chief):
    article = ArticleFactory()
    CorrectionFactory(article=article)
    client.force_login(chief)

    response = client.post(
        reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
    )

    assert "protected related objects" in response.content.decode()
    assert Article.objects.filter(pk=article.pk).exists()
    assert not DeletedArticle.objects.exists()


def test_deleted_articles_and_their_history_are_shown_read_only_in_the_admin(client, editor, chief):
    article = published_with_history(editor)
    client.force_login(chief)
    client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    record = DeletedArticle.objects.get()
    client.force_login(editor)

    listing = client.get(reverse("admin:articles_deletedarticle_changelist"))
    detail = client.get(reverse("admin:articles_deletedarticle_change", args=[record.pk]))

    assert "Harbour reopens, updated" in listing.content.decode()
    html = detail.content.decode()
    assert 'class="workflow-history stacked"' in html
    assert "chief" in html and "Headline updated" in html
    assert 'type="submit"' not in html.split('id="content-main"')[1]
    removal = client.post(
        reverse("admin:articles_deletedarticle_delete", args=[record.pk]), {"post": "yes"}
    )
    assert removal.status_code == 403
    assert DeletedArticle.objects.filter(pk=record.pk).exists()


def test_editors_of_an_existing_install_lose_the_delete_permission():
    roles.sync_roles()
    group = Group.objects.get(name=roles.EDITOR)
    delete = Permission.objects.get(content_type__app_label="articles", codename="delete_article")
    group.permissions.add(delete)  # as the roles stood before this change
    migration = importlib.import_module("articles.migrations.0011_editors_unpublish_not_delete")

    migration.editors_unpublish_instead_of_deleting(django_apps, schema_editor=None)

    assert not group.permissions.filter(codename="delete_article").exists()
    assert group.permissions.filter(codename="publish_article").exists()
    assert "articles.delete_article" not in roles.ROLE_PERMISSIONS[roles.EDITOR]
