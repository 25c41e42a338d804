"""Who is told what when a story moves: in the admin, and by e-mail after the commit."""

import datetime as dt
import logging
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from articles import roles, services
from articles.editing import correction_add
from articles.models import Article, Byline
from desk.models import Notification, NotificationSettings

from .factories import (
    ArticleFactory,
    AuthorFactory,
    DraftArticleFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")
MORNING = dt.datetime(2025, 1, 14, 9, 0, tzinfo=NEW_YORK)


@pytest.fixture
def editor():
    return user_with_role(roles.EDITOR, username="desk-editor", first_name="Dana", last_name="Desk")


@pytest.fixture
def second_editor():
    return user_with_role(roles.EDITOR, username="night-editor")


@pytest.fixture
def journalist():
    return user_with_role(
        roles.JOURNALIST, username="reporter", first_name="Anna", last_name="Nowak"
    )


@pytest.fixture
def co_author():
    """A second writer, on the story through a byline only."""
    return user_with_role(roles.JOURNALIST, username="co-author")


@pytest.fixture
def story(journalist, co_author):
    article = DraftArticleFactory(headline="Harbour bridge reopens", created_by=journalist)
    Byline.objects.create(article=article, author=AuthorFactory(user=co_author), position=1)
    return article


def mail_to(username):
    return [message for message in mail.outbox if message.to == [f"{username}@example.com"]]


def notified(verb):
    return sorted(
        Notification.objects.filter(verb=verb).values_list("recipient__username", flat=True)
    )


def in_state(story, status, **fields):
    Article.objects.filter(pk=story.pk).update(status=status, **fields)
    story.refresh_from_db()
    return story


def test_submitted_tells_every_editor_but_not_the_writer_or_an_administrator(
    story, journalist, editor, second_editor, django_capture_on_commit_callbacks
):
    UserFactory(username="root", is_superuser=True)
    UserFactory(username="retired-editor", roles=[roles.EDITOR], is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_submit(article=story, user=journalist, comment="Ready when you are.")

    assert notified("submitted") == ["desk-editor", "night-editor"]
    [message] = mail_to("desk-editor")
    assert message.subject == "Submitted for review: Harbour bridge reopens"
    assert "Anna Nowak submitted “Harbour bridge reopens” for review." in message.body
    assert "Ready when you are." in message.body
    assert f"http://127.0.0.1:8000/admin/articles/article/{story.pk}/change/" in message.body
    assert len(mail.outbox) == 2


def test_sent_back_tells_the_creator_and_bylined_writers_with_the_comment(
    story, journalist, co_author, editor, django_capture_on_commit_callbacks
):
    in_state(story, Article.Status.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_send_back(article=story, user=editor, comment="Needs a second source.")

    assert notified("sent_back") == ["co-author", "reporter"]
    assert Notification.objects.filter(comment="Needs a second source.").count() == 2
    [message] = mail_to("reporter")
    assert message.subject == "Sent back: Harbour bridge reopens"
    assert "Dana Desk sent “Harbour bridge reopens” back to you." in message.body
    assert "Comment:\nNeeds a second source." in message.body
    assert not mail_to("desk-editor")


@pytest.mark.parametrize(
    "service, verb",
    [
        (services.article_approve, "approved"),
        (services.article_publish, "published"),
    ],
)
def test_approved_and_published_tell_the_writers(
    story, editor, service, verb, django_capture_on_commit_callbacks
):
    in_state(story, Article.Status.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        service(article=story, user=editor)
    assert notified(verb) == ["co-author", "reporter"]
    assert {message.to[0] for message in mail.outbox} == {
        "reporter@example.com",
        "co-author@example.com",
    }


def test_unpublished_tells_the_writers(story, editor, django_capture_on_commit_callbacks):
    in_state(story, Article.Status.PUBLISHED, published_at=MORNING)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_unpublish(article=story, user=editor, comment="Legal asked.")
    assert notified("unpublished") == ["co-author", "reporter"]
    assert "Legal asked." in mail_to("reporter")[0].body


@time_machine.travel(MORNING, tick=False)
def test_scheduled_says_when_in_the_newsrooms_zone(
    story, editor, django_capture_on_commit_callbacks
):
    in_state(story, Article.Status.APPROVED)
    at = dt.datetime(2025, 1, 14, 19, 5, tzinfo=dt.UTC)  # 2:05 PM in New York
    with django_capture_on_commit_callbacks(execute=True):
        services.article_schedule(article=story, user=editor, at=at)

    assert notified("scheduled") == ["co-author", "reporter"]
    [message] = mail_to("reporter")
    assert message.subject == "Scheduled: Harbour bridge reopens"
    assert "to go live on Jan 14, 2025, 2:05 PM EST (UTC−05:00)." in message.body


def test_a_correction_tells_the_writers_what_was_corrected(
    story, editor, django_capture_on_commit_callbacks
):
    in_state(story, Article.Status.PUBLISHED, published_at=MORNING)
    with django_capture_on_commit_callbacks(execute=True):
        correction_add(
            article=story, kind="correction", text="The bridge is 400 m long.", user=editor
        )
    assert notified("corrected") == ["co-author", "reporter"]
    body = mail_to("co-author")[0].body
    assert "Dana Desk added a correction to “Harbour bridge reopens”." in body
    assert "Correction:\nThe bridge is 400 m long." in body


@time_machine.travel(MORNING, tick=False)
def test_embargo_lifted_tells_the_other_editors(
    story, editor, second_editor, django_capture_on_commit_callbacks
):
    in_state(story, Article.Status.APPROVED, embargo_until=MORNING + dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.article_lift_embargo(article=story, user=editor)
    assert notified("embargo_lifted") == ["night-editor"]
    assert mail_to("night-editor")[0].subject == "Embargo lifted: Harbour bridge reopens"


def test_nobody_is_told_of_their_own_action(journalist, editor, django_capture_on_commit_callbacks):
    # The editor wrote this one and publishes it: there is nobody else to tell.
    article = DraftArticleFactory(created_by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=article, user=editor)
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_events_that_concern_nobody_send_nothing(story, editor, django_capture_on_commit_callbacks):
    in_state(story, Article.Status.PUBLISHED, published_at=MORNING)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_set_expiry(article=story, user=editor, at=MORNING + dt.timedelta(days=400))
    assert not Notification.objects.exists()


def test_a_refused_transition_tells_nobody(story, co_author, django_capture_on_commit_callbacks):
    from django.core.exceptions import PermissionDenied

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        services.article_publish(article=story, user=co_author)
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_writer_who_turned_e_mail_off_is_told_in_the_admin_only(
    story, journalist, editor, django_capture_on_commit_callbacks
):
    NotificationSettings.objects.create(user=journalist, email=False)
    in_state(story, Article.Status.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_approve(article=story, user=editor)
    assert notified("approved") == ["co-author", "reporter"]
    assert not mail_to("reporter")
    assert mail_to("co-author")


class BrokenMailServer:
    """An e-mail backend whose server refuses every message."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


@pytest.mark.django_db(transaction=True)
def test_a_failing_mail_server_neither_blocks_nor_undoes_the_transition(client, settings, caplog):
    settings.EMAIL_BACKEND = "tests.test_notifications.BrokenMailServer"
    editor = user_with_role(roles.EDITOR, username="desk-editor")
    journalist = user_with_role(roles.JOURNALIST, username="reporter")
    article = DraftArticleFactory(created_by=journalist)
    client.force_login(journalist)

    with caplog.at_level(logging.ERROR, logger="desk.notifications"):
        response = client.post(
            reverse("admin:articles_article_transition", args=[article.pk, "submit"]),
            {"comment": ""},
        )

    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW
    assert Notification.objects.get().recipient == editor
    [record] = [record for record in caplog.records if record.name == "desk.notifications"]
    assert "Could not e-mail notification" in record.getMessage()
    assert "the mail server is down" in record.exc_text


class HangingMailServer:
    """A backend whose server never answers: each attempt stands for a full EMAIL_TIMEOUT."""

    attempts = 0

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        HangingMailServer.attempts += 1
        raise TimeoutError("the mail server did not answer")

    def close(self):
        pass


@pytest.mark.django_db(transaction=True)
def test_a_hanging_mail_server_costs_one_timeout_not_one_per_recipient(client, settings, caplog):
    """The actor waits for the mails inside a worker with a time limit: after the first
    failure the other mails of the change are not tried (and the count is logged)."""
    settings.EMAIL_BACKEND = "tests.test_notifications.HangingMailServer"
    HangingMailServer.attempts = 0
    for n in range(4):
        user_with_role(roles.EDITOR, username=f"editor-{n}", email=f"editor-{n}@example.com")
    journalist = user_with_role(roles.JOURNALIST, username="reporter")
    article = DraftArticleFactory(created_by=journalist)
    client.force_login(journalist)

    with caplog.at_level(logging.ERROR, logger="desk.notifications"):
        response = client.post(
            reverse("admin:articles_article_transition", args=[article.pk, "submit"]),
            {"comment": ""},
        )

    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW
    assert Notification.objects.filter(article=article).count() == 4
    assert HangingMailServer.attempts == 1
    [record] = [record for record in caplog.records if record.name == "desk.notifications"]
    assert "3 more e-mail(s) of this change not sent" in record.getMessage()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transition_tells_nobody(editor, journalist):
    from django.db import transaction

    article = DraftArticleFactory(created_by=journalist)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.article_submit(article=article, user=journalist)
        raise RuntimeError("the rest of the request failed")
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert not Notification.objects.exists()
    assert mail.outbox == []


# The notification list in the admin --------------------------------------------------------


def test_each_person_sees_only_their_own_notifications_with_an_unread_count(
    client, story, journalist, editor, second_editor, django_capture_on_commit_callbacks
):
    other = ArticleFactory(headline="Someone else's story")
    Notification.objects.create(
        recipient=second_editor, verb="submitted", article=other, headline=other.headline
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.article_submit(article=story, user=journalist, comment="Ready.")
    client.force_login(editor)

    html = client.get(reverse("admin:index")).content.decode()
    assert "Notifications <strong>(1 unread)</strong>" in html
    listing = client.get(reverse("admin:desk_notification_changelist")).content.decode()
    assert "Anna Nowak submitted “Harbour bridge reopens” for review." in listing
    assert "Someone else" not in listing
    theirs = Notification.objects.get(recipient=second_editor, article=other)
    assert client.get(reverse("admin:desk_notification_change", args=[theirs.pk])).status_code in {
        302,
        404,
    }
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_opening_a_notification_marks_it_read(client, story, editor):
    notification = Notification.objects.create(
        recipient=editor, verb="submitted", article=story, headline=story.headline
    )
    client.force_login(editor)
    response = client.get(reverse("admin:desk_notification_change", args=[notification.pk]))
    assert response.status_code == 200
    assert reverse("admin:articles_article_change", args=[story.pk]) in response.content.decode()
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "unread)" not in client.get(reverse("admin:index")).content.decode()


def test_mark_as_read_action_marks_only_the_chosen_own_notifications(client, story, editor):
    first, second = (
        Notification.objects.create(
            recipient=editor, verb="submitted", article=story, headline=story.headline
        )
        for _ in range(2)
    )
    client.force_login(editor)
    response = client.post(
        reverse("admin:desk_notification_changelist"),
        {"action": "mark_read", "_selected_action": [first.pk]},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    assert "(1 unread)" in client.get(reverse("admin:index")).content.decode()


def test_the_unread_count_costs_one_query(client, editor, django_assert_num_queries):
    client.force_login(editor)
    client.get(reverse("admin:index"))  # warm up session and permissions
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("admin:index"))
    counts = [query["sql"] for query in queries if "desk_notification" in query["sql"]]
    assert len(counts) == 1


def test_each_person_turns_their_own_e_mail_off(
    client, story, journalist, editor, django_capture_on_commit_callbacks
):
    client.force_login(journalist)
    url = reverse("admin:desk_notification_settings")
    page = client.get(url)
    assert page.status_code == 200
    assert "reporter@example.com" in page.content.decode()
    assert client.post(url, {}).status_code == 302  # unticked: e-mail off
    assert NotificationSettings.objects.get(user=journalist).email is False
    assert not NotificationSettings.objects.filter(user=editor).exists()

    in_state(story, Article.Status.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_approve(article=story, user=editor)
    assert not mail_to("reporter")
    assert Notification.objects.filter(recipient=journalist).exists()

    client.post(url, {"email": "on"})
    assert NotificationSettings.objects.get(user=journalist).email is True


def test_a_visitor_cannot_reach_the_notification_pages(client):
    for name in ["admin:desk_notification_changelist", "admin:desk_notification_settings"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
