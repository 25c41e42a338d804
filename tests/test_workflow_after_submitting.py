"""After submitting, through the admin: the writer previews the story, withdraws it to draft
while the desk has not yet approved it, and asks the editors for an update to a story that
is out of their hands. Both reach the history and the editors' notifications."""

import datetime as dt
from html import unescape

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import roles
from articles.models import Article, Byline
from desk.models import Notification

from .admin_forms import form_errors, open_change_form, post_change_form
from .factories import AuthorFactory, DraftArticleFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db
Status = Article.Status


@pytest.fixture
def writer():
    return user_with_role(
        roles.JOURNALIST, username="reporter", first_name="Anna", last_name="Nowak"
    )


@pytest.fixture
def colleague():
    return user_with_role(roles.JOURNALIST, username="colleague")


@pytest.fixture
def editor():
    return user_with_role(roles.EDITOR, username="desk-editor")


@pytest.fixture
def night_editor():
    return user_with_role(roles.EDITOR, username="night-editor")


@pytest.fixture
def story(writer):
    return DraftArticleFactory(headline="Harbour bridge reopens", created_by=writer)


def in_state(article, status, **fields):
    Article.objects.filter(pk=article.pk).update(status=status, **fields)
    article.refresh_from_db()
    return article


def live(article):
    return in_state(article, Status.PUBLISHED, published_at=timezone.now() - dt.timedelta(hours=1))


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def transition_url(article, action):
    return reverse("admin:articles_article_transition", args=[article.pk, action])


def buttons(client, article):
    response = client.get(change_url(article))
    assert response.status_code == 200
    return [action for _url, _label, action in response.context["workflow_buttons"]]


def history(client, article):
    """The history table's rows as the change page shows them, as lists of cell texts."""
    html = client.get(change_url(article)).content.decode()
    table = html[html.index('<table class="workflow-history') :]
    table = table[: table.index("</table>")]
    rows = table.split("<tr>")[2:]  # skip the header row
    # Each cell is `<td data-label="…">text</td>`: the text after the tag, before its end.
    return [
        [unescape(cell.split(">", 1)[1].split("</td>")[0]) for cell in row.split("<td")[1:]]
        for row in rows
    ]


def submitted(client, writer, article):
    client.force_login(writer)
    response = client.post(transition_url(article, "submit"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    return article


# Preview -------------------------------------------------------------------------------


def test_after_submitting_the_writer_can_still_preview_the_story(client, writer, story):
    submitted(client, writer, story)

    page = client.get(change_url(story)).content.decode()
    preview = reverse("admin:articles_article_preview", args=[story.pk])
    response = client.get(preview)

    assert f'href="{preview}"' in page
    assert 'name="headline"' not in page  # the desk owns the text now
    assert response.status_code == 200
    assert b'<h1 class="article__headline">Harbour bridge reopens</h1>' in response.content
    assert b"draft-banner" in response.content


def test_a_journalist_cannot_preview_a_colleagues_submitted_story(client, writer, story, colleague):
    submitted(client, writer, story)
    client.force_login(colleague)

    response = client.get(reverse("admin:articles_article_preview", args=[story.pk]))

    assert response.status_code == 404
    assert b"Harbour bridge" not in response.content


# Withdraw ------------------------------------------------------------------------------


def test_the_writer_withdraws_a_submitted_story_to_draft_and_every_editor_is_told(
    client, writer, story, editor, night_editor, django_capture_on_commit_callbacks
):
    submitted(client, writer, story)
    mail.outbox.clear()

    assert "withdraw" in buttons(client, story)
    form = client.get(transition_url(story, "withdraw"))
    assert form.status_code == 200 and not form.context["form"].fields["comment"].required
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            transition_url(story, "withdraw"), {"comment": "A source has gone quiet."}
        )

    assert response.status_code == 302 and response["Location"] == change_url(story)
    story.refresh_from_db()
    assert story.status == Status.DRAFT
    event = story.events.latest()
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        "withdraw",
        writer,
        Status.IN_REVIEW,
        Status.DRAFT,
    )
    recipients = Notification.objects.filter(verb="withdrawn").values_list(
        "recipient__username", flat=True
    )
    assert sorted(recipients) == ["desk-editor", "night-editor"]
    assert sorted(message.to[0] for message in mail.outbox) == [
        "desk-editor@example.com",
        "night-editor@example.com",
    ]
    message = mail.outbox[0]
    assert message.subject == "Withdrawn from review: Harbour bridge reopens"
    assert "Anna Nowak withdrew “Harbour bridge reopens” from review" in message.body
    assert "A source has gone quiet." in message.body
    # The writer's own change page is a form again, with Submit back on offer.
    page = client.get(change_url(story))
    assert 'name="headline"' in page.content.decode()
    assert "submit" in [action for _url, _label, action in page.context["workflow_buttons"]]


def test_the_withdrawn_storys_history_shows_who_withdrew_it_and_why(
    client, writer, story, editor, django_capture_on_commit_callbacks
):
    submitted(client, writer, story)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(transition_url(story, "withdraw"), {"comment": "Waiting for the council."})

    client.force_login(editor)
    rows = history(client, story)

    assert [row[1:] for row in rows] == [
        ["reporter", "Submitted for review", "Draft → In review", "", ""],
        ["reporter", "Withdrawn to draft", "In review → Draft", "", "Waiting for the council."],
    ]
    notification = Notification.objects.get(recipient=editor, verb="withdrawn")
    inbox = client.get(reverse("admin:desk_notification_changelist")).content.decode()
    assert "Withdrawn from review" in inbox and "Harbour bridge reopens" in inbox
    assert notification.get_admin_article_url() == change_url(story)


def test_a_journalist_cannot_withdraw_a_colleagues_story(client, writer, story, colleague):
    submitted(client, writer, story)
    client.force_login(colleague)

    assert client.get(transition_url(story, "withdraw")).status_code == 404
    assert client.post(transition_url(story, "withdraw")).status_code == 404

    story.refresh_from_db()
    assert story.status == Status.IN_REVIEW
    assert not story.events.filter(action="withdraw").exists()


def test_a_bylined_co_author_may_withdraw_the_story_too(client, writer, story, colleague):
    Byline.objects.create(article=story, author=AuthorFactory(user=colleague), position=1)
    submitted(client, writer, story)
    client.force_login(colleague)

    response = client.post(transition_url(story, "withdraw"))

    assert response.status_code == 302
    assert Article.objects.get(pk=story.pk).status == Status.DRAFT


def test_once_approved_the_writer_can_no_longer_withdraw(client, writer, story, editor):
    submitted(client, writer, story)
    client.force_login(editor)
    assert "withdraw" not in buttons(client, story)  # the desk sends back instead
    client.post(transition_url(story, "approve"))
    client.force_login(writer)

    assert "withdraw" not in buttons(client, story)
    assert client.post(transition_url(story, "withdraw")).status_code == 403
    assert Article.objects.get(pk=story.pk).status == Status.APPROVED


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SENT_BACK])
def test_a_story_not_in_review_has_nothing_to_withdraw(client, writer, story, status):
    in_state(story, status)
    client.force_login(writer)

    assert "withdraw" not in buttons(client, story)
    assert client.post(transition_url(story, "withdraw")).status_code == 403


# Request an update -----------------------------------------------------------------------


def test_the_writer_asks_for_an_update_to_their_live_story_and_the_editors_are_told(
    client, writer, story, editor, django_capture_on_commit_callbacks
):
    live(story)
    before = Article.objects.get(pk=story.pk)
    client.force_login(writer)

    assert buttons(client, story) == ["request_update"]
    form = client.get(transition_url(story, "request_update")).context["form"]
    assert form.fields["comment"].required
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            transition_url(story, "request_update"),
            {"comment": "The mayor's name is misspelt in the third paragraph."},
        )

    assert response.status_code == 302
    event = story.events.latest()
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        "request_update",
        writer,
        Status.PUBLISHED,
        Status.PUBLISHED,
    )
    assert event.comment == "The mayor's name is misspelt in the third paragraph."
    [message] = mail.outbox
    assert message.to == ["desk-editor@example.com"]
    assert message.subject == "Update requested: Harbour bridge reopens"
    assert "Anna Nowak asks for an update to “Harbour bridge reopens”." in message.body
    assert "misspelt in the third paragraph" in message.body
    # Nothing readers see has moved: not the row, its version, nor its times.
    after = Article.objects.get(pk=story.pk)
    for field in ["headline", "body_html", "status", "lock_version", "modified", "updated_at"]:
        assert getattr(after, field) == getattr(before, field), field
    client.force_login(editor)
    assert history(client, story)[-1][1:] == [
        "reporter",
        "Update requested",
        "Published → Published",
        "",
        "The mayor's name is misspelt in the third paragraph.",
    ]


def test_a_request_for_an_update_needs_a_comment_and_records_nothing_without(
    client, writer, story, editor, django_capture_on_commit_callbacks
):
    live(story)
    client.force_login(writer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(transition_url(story, "request_update"), {"comment": "  "})

    assert response.status_code == 200
    assert response.context["form"].errors["comment"]
    assert not story.events.exists()
    assert not Notification.objects.exists() and not mail.outbox


def test_an_editor_with_the_form_open_still_saves_after_a_request_for_an_update(
    client, writer, story, editor
):
    """The request is not a save: the editor's open form carries a version still current."""
    live(story)
    editor_client = Client()
    editor_client.force_login(editor)
    data = open_change_form(editor_client, story)
    client.force_login(writer)
    client.post(transition_url(story, "request_update"), {"comment": "Fix the mayor's name."})

    response = post_change_form(editor_client, story, data, headline="Harbour bridge reopens")

    assert response.status_code == 302, form_errors(response)


def test_scheduled_and_approved_stories_take_requests_for_an_update_too(client, writer, story):
    client.force_login(writer)
    in_state(story, Status.APPROVED)
    assert buttons(client, story) == ["request_update"]
    in_state(story, Status.PUBLISHED, published_at=timezone.now() + dt.timedelta(days=1))
    assert buttons(client, story) == ["request_update"]


@pytest.mark.parametrize(
    "status, fields",
    [
        (Status.DRAFT, {}),
        (Status.IN_REVIEW, {}),
        (Status.UNPUBLISHED, {}),
        (
            Status.PUBLISHED,
            {
                "published_at": timezone.now() - dt.timedelta(days=2),
                "expire_at": timezone.now() - dt.timedelta(days=1),
            },
        ),
    ],
    ids=["draft", "in_review", "unpublished", "expired"],
)
def test_no_request_for_an_update_where_the_writer_can_act_or_readers_see_nothing(
    client, writer, story, status, fields
):
    in_state(story, status, **fields)
    client.force_login(writer)

    assert "request_update" not in buttons(client, story)
    response = client.post(transition_url(story, "request_update"), {"comment": "Please fix."})
    assert response.status_code == 403


def test_a_journalist_cannot_ask_for_an_update_to_a_colleagues_story(client, story, colleague):
    live(story)
    client.force_login(colleague)

    response = client.post(transition_url(story, "request_update"), {"comment": "Fix it."})

    assert response.status_code == 404  # not even its existence is confirmed
    assert not story.events.exists()


def test_an_editor_edits_a_live_story_instead_of_asking_for_an_update(client, editor):
    article = live(DraftArticleFactory(created_by=editor))
    client.force_login(editor)

    assert "request_update" not in buttons(client, article)
    assert "update" in buttons(client, article)


# The readers' cache ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.page_cache
def test_a_request_for_an_update_leaves_the_warm_story_page_warm(client, django_assert_num_queries):
    writer = UserFactory(username="reporter", roles=[roles.JOURNALIST])
    user_with_role(roles.EDITOR, username="desk-editor")
    story = live(DraftArticleFactory(created_by=writer))
    reader = Client()
    url = story.get_absolute_url()
    first = reader.get(url)
    assert first.status_code == 200
    client.force_login(writer)

    response = client.post(transition_url(story, "request_update"), {"comment": "Fix it."})

    assert response.status_code == 302
    assert Notification.objects.filter(verb="update_requested").count() == 1
    with django_assert_num_queries(0):
        assert reader.get(url).content == first.content
