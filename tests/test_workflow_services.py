"""Transition rules, readiness checks and the append-only history."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from articles import roles, services
from articles.models import Article, ArticleEvent

from .factories import ArticleFactory, DraftArticleFactory, PhotoFactory, UserFactory

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")
MORNING = dt.datetime(2025, 1, 14, 9, 0, tzinfo=NEW_YORK)


@pytest.fixture
def editor():
    return UserFactory(username="desk-editor", roles=[roles.EDITOR])


@pytest.fixture
def journalist():
    return UserFactory(username="reporter", roles=[roles.JOURNALIST])


def test_full_journey_is_recorded_in_order(editor, journalist):
    article = DraftArticleFactory(created_by=journalist)
    services.article_submit(article=article, user=journalist)
    services.article_send_back(article=article, user=editor, comment="Needs a second source.")
    services.article_submit(article=article, user=journalist, comment="Added the mayor.")
    services.article_approve(article=article, user=editor)
    services.article_publish(article=article, user=editor)
    services.article_unpublish(article=article, user=editor, comment="Legal asked.")

    events = list(article.events.values_list("actor__username", "from_status", "to_status"))
    assert events == [
        ("reporter", "draft", "in_review"),
        ("desk-editor", "in_review", "sent_back"),
        ("reporter", "sent_back", "in_review"),
        ("desk-editor", "in_review", "approved"),
        ("desk-editor", "approved", "published"),
        ("desk-editor", "published", "unpublished"),
    ]
    assert article.events.get(action="send_back").comment == "Needs a second source."


def test_send_back_requires_a_comment(editor):
    article = DraftArticleFactory(status=Article.Status.IN_REVIEW)
    with pytest.raises(ValidationError):
        services.article_send_back(article=article, user=editor, comment="  ")
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW
    assert not article.events.exists()


def test_journalist_cannot_submit_someone_elses_article(journalist):
    article = DraftArticleFactory(created_by=UserFactory(username="other"))
    with pytest.raises(PermissionDenied):
        services.article_submit(article=article, user=journalist)


def test_material_update_keeps_first_publication_and_shows_updated(client, editor):
    article = DraftArticleFactory()
    with time_machine.travel(MORNING, tick=False):
        services.article_publish(article=article, user=editor)
    with time_machine.travel(dt.datetime(2025, 1, 14, 15, 12, tzinfo=NEW_YORK), tick=False):
        services.article_update(article=article, user=editor, comment="New casualty figures")

    article.refresh_from_db()
    assert article.first_published_at == article.published_at == MORNING
    html = client.get(article.get_absolute_url()).content.decode()
    assert "9:00 AM EST, January 14, 2025" in html
    assert "Updated <time" in html and "3:12 PM EST, January 14, 2025" in html


def test_unpublish_and_republish_keeps_first_publication_time(editor):
    article = DraftArticleFactory()
    with time_machine.travel(MORNING, tick=False):
        services.article_publish(article=article, user=editor)
    services.article_unpublish(article=article, user=editor)
    services.article_publish(article=article, user=editor)
    article.refresh_from_db()
    assert article.first_published_at == MORNING
    assert article.published_at > MORNING


@pytest.mark.parametrize(
    ("photo_fields", "problem"),
    [
        ({"alt_text": ""}, "alt text"),
        ({"agency": "", "photographer": ""}, "credit"),
    ],
)
def test_publish_and_schedule_refused_while_the_photo_has_problems(editor, photo_fields, problem):
    article = DraftArticleFactory(lead_photo=PhotoFactory(**photo_fields))
    with pytest.raises(ValidationError, match=problem):
        services.article_publish(article=article, user=editor)
    with pytest.raises(ValidationError, match=problem):
        services.article_schedule(
            article=article, user=editor, at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
        )
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_publish_refused_without_a_byline(editor):
    article = DraftArticleFactory()
    article.bylines.all().delete()
    with pytest.raises(ValidationError, match="byline"):
        services.article_publish(article=article, user=editor)


def test_refusal_is_shown_in_the_admin_and_nothing_changes(client, editor):
    article = DraftArticleFactory(lead_photo=PhotoFactory(alt_text=""))
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_transition", args=[article.pk, "publish"]),
        {"comment": "Go"},
    )
    assert response.status_code == 200
    assert "The lead photo needs alt text before publication." in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_without_embargo_permission_nobody_publishes_before_the_embargo(client, editor):
    desk = UserFactory(username="desk-without-embargo")
    desk.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_article", "change_article", "publish_article"]
        )
    )
    until = dt.datetime(2099, 6, 1, 12, 0, tzinfo=NEW_YORK)
    article = DraftArticleFactory()
    services.article_set_embargo(article=article, user=editor, until=until)

    with pytest.raises(ValidationError, match="embargoed until"):
        services.article_publish(article=article, user=desk)
    with pytest.raises(ValidationError, match="embargoed until"):
        services.article_schedule(article=article, user=desk, at=until - dt.timedelta(hours=1))
    with pytest.raises(PermissionDenied):
        services.article_lift_embargo(article=article, user=desk)
    # At or after the embargo end is fine.
    services.article_schedule(article=article, user=desk, at=until)
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


def test_lifting_an_embargo_is_recorded(editor):
    article = DraftArticleFactory()
    services.article_set_embargo(
        article=article, user=editor, until=dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
    )
    services.article_lift_embargo(article=article, user=editor, comment="Agency lifted it.")
    event = article.events.latest()
    assert (event.action, event.actor, event.comment) == (
        "lift_embargo",
        editor,
        "Agency lifted it.",
    )
    assert event.details == "Embargo until Dec 31, 2098, 7:00 PM EST (UTC−05:00) lifted"
    assert Article.objects.get(pk=article.pk).embargo_until is None


def test_history_is_shown_on_the_article_and_editable_by_nobody(client, editor):
    superuser = UserFactory(username="root", is_superuser=True)
    article = DraftArticleFactory()
    services.article_submit(article=article, user=editor, comment="Ready for the desk")
    client.force_login(superuser)

    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()

    assert "Workflow history" in html
    assert "Ready for the desk" in html
    assert 'name="events-' not in html  # no formset, nothing to post back
    assert client.get("/admin/articles/articleevent/").status_code == 404
    event = article.events.get()
    event.comment = "Rewritten history"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert ArticleEvent.objects.get().comment == "Ready for the desk"


def test_setup_roles_gives_editors_the_workflow_permissions():
    call_command("setup_roles")
    call_command("setup_roles")
    editor = Group.objects.get(name=roles.EDITOR)
    assert editor.permissions.filter(codename="publish_article").exists()
    assert editor.permissions.filter(codename="manage_embargo").exists()
    journalist = Group.objects.get(name=roles.JOURNALIST)
    assert not journalist.permissions.filter(codename="publish_article").exists()
    assert set(Group.objects.values_list("name", flat=True)) == set(roles.ROLE_PERMISSIONS)


def test_changelist_shows_badges_bylines_and_local_times(client, editor):
    article = DraftArticleFactory(headline="Bridge story", byline="Jan Kowalski")
    with time_machine.travel(MORNING, tick=False):
        services.article_schedule(
            article=article, user=editor, at=dt.datetime(2025, 1, 15, 7, 30, tzinfo=NEW_YORK)
        )
        client.force_login(editor)
        html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert '<span class="badge badge--scheduled">Scheduled</span>' in html
    assert "Jan Kowalski" in html
    assert "Jan 15, 2025, 7:30 AM EST (UTC−05:00)" in html
    assert "css/admin-workflow.css" in html
    assert " style=" not in html.split("<body", 1)[1].replace('type="text/css"', "")


def test_changelist_filters_by_state_and_searches(client, editor):
    DraftArticleFactory(headline="Still a draft")
    live = DraftArticleFactory(headline="Already live")
    services.article_publish(article=live, user=editor)
    client.force_login(editor)
    url = reverse("admin:articles_article_changelist")

    html = client.get(url, {"state": "published"}).content.decode()
    assert "Already live" in html and "Still a draft" not in html
    html = client.get(url, {"state": "draft"}).content.decode()
    assert "Still a draft" in html and "Already live" not in html
    html = client.get(url, {"q": "Still"}).content.decode()
    assert "Still a draft" in html and "Already live" not in html


def test_each_article_is_listed_under_the_state_it_shows(client, editor):
    now = dt.datetime.now(dt.UTC)
    ArticleFactory(headline="Live story")
    ArticleFactory(headline="Later story", published_at=now + dt.timedelta(hours=2))
    # Scheduled and embargoed at once: the embargo is what the editor sees.
    ArticleFactory(
        headline="Embargoed story",
        published_at=now + dt.timedelta(hours=1),
        embargo_until=now + dt.timedelta(hours=3),
    )
    ArticleFactory(
        headline="Gone story",
        published_at=now - dt.timedelta(days=2),
        embargo_until=now + dt.timedelta(hours=3),
        expire_at=now - dt.timedelta(days=1),
    )
    client.force_login(editor)
    url = reverse("admin:articles_article_changelist")
    headlines = {"Live story", "Later story", "Embargoed story", "Gone story"}

    for state, expected in [
        ("published", "Live story"),
        ("scheduled", "Later story"),
        ("embargoed", "Embargoed story"),
        ("expired", "Gone story"),
    ]:
        html = client.get(url, {"state": state}).content.decode()
        assert {headline for headline in headlines if headline in html} == {expected}, state
    for article in Article.objects.all():
        assert Article.objects.in_state(article.state).filter(pk=article.pk).exists()


def test_a_transition_never_overwrites_a_colleagues_save_made_in_between(editor):
    article = DraftArticleFactory(body="First draft.")
    stale = Article.objects.get(pk=article.pk)  # the copy the editor's page was built from

    colleague_copy = Article.objects.get(pk=article.pk)
    colleague_copy.body = "Rewritten by the copy desk."
    colleague_copy.save()

    services.article_publish(article=stale, user=editor)

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.body == "Rewritten by the copy desk."
