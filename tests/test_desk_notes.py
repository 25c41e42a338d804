"""Editorial notes: a thread on each story's admin form, for those who may open the story,
with @mentions that tell a colleague."""

import datetime as dt
import logging
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils.html import escape
from lxml import html as lxml_html

from articles import roles
from articles.models import Article
from desk.models import Note, Notification
from desk.notes import note_add

from .admin_forms import open_change_form
from .factories import ArticleFactory, DraftArticleFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")
WINTER_MORNING = dt.datetime(2026, 1, 14, 9, 5, tzinfo=NEW_YORK)


@pytest.fixture
def editor():
    return user_with_role(roles.EDITOR, username="dana", first_name="Dana", last_name="Desk")


@pytest.fixture
def journalist():
    return user_with_role(roles.JOURNALIST, username="anna", first_name="Anna", last_name="Nowak")


@pytest.fixture
def other_journalist():
    return user_with_role(roles.JOURNALIST, username="piotr")


@pytest.fixture
def legal():
    return user_with_role(roles.LEGAL, username="lawyer")


@pytest.fixture
def story(journalist):
    return DraftArticleFactory(headline="Harbour bridge reopens", created_by=journalist)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def post_url(article):
    return reverse("admin:desk_note_add_to", args=[article.pk])


def post_note(client, article, text, *, in_place=False, **extra):
    headers = {"X-Desk-Notes": "thread"} if in_place else {}
    return client.post(post_url(article), {"note-text": text, **extra}, headers=headers)


def xpath_of(selector):
    """The CSS selectors these tests use (tag, #id, .class, [attr], [attr='v'], [attr^='v'],
    descendants, groups) as XPath: lxml's cssselect needs a package the project lacks."""
    groups = []
    for group in selector.split(","):
        steps = []
        for simple in group.split():
            tag, tests = "*", []
            for part in re.findall(r"#[\w-]+|\.[\w-]+|\[[^\]]+\]|^[\w-]+", simple):
                if part.startswith("#"):
                    tests.append(f"@id='{part[1:]}'")
                elif part.startswith("."):
                    tests.append(
                        f"contains(concat(' ',normalize-space(@class),' '),' {part[1:]} ')"
                    )
                elif part.startswith("["):
                    name, op, value = re.fullmatch(
                        r"\[([\w-]+)(?:(\^?=)'([^']*)')?\]", part
                    ).groups()
                    tests.append(
                        {"=": f"@{name}='{value}'", "^=": f"starts-with(@{name},'{value}')"}.get(
                            op, f"@{name}"
                        )
                    )
                else:
                    tag = part
            steps.append(tag + "".join(f"[{test}]" for test in tests))
        groups.append(".//" + "//".join(steps))
    return " | ".join(groups)


def select(element, selector):
    return element.xpath(xpath_of(selector))


def thread_of(response):
    """The notes section of a page, as an lxml element."""
    [section] = select(lxml_html.fromstring(response.content.decode()), "#editorial-notes")
    return section


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# Reading and writing -------------------------------------------------------------------


def test_an_editor_reads_the_thread_on_the_article_form_in_the_newsroom_zone(
    client, editor, journalist, story
):
    with time_machine.travel(WINTER_MORNING, tick=False):
        note_add(article=story, user=journalist, text="Source wants to stay anonymous.")
    client.force_login(editor)

    response = client.get(change_url(story))

    thread = thread_of(response)
    [note] = select(thread, ".note")
    assert select(note, ".note__author")[0].text_content() == "Anna Nowak"
    assert select(note, ".note__username")[0].text_content() == "@anna"
    time = select(note, "time")[0]
    assert time.text_content() == "Jan 14, 2026, 9:05 AM EST (UTC−05:00)"
    assert time.get("datetime") == "2026-01-14T09:05:00-05:00"
    assert select(note, ".note__text")[0].text_content().strip() == (
        "Source wants to stay anonymous."
    )
    # The object tools link to the thread with its length.
    assert b'<a href="#editorial-notes" data-note-count-link>Notes (1)</a>' in response.content


def test_posting_a_note_returns_to_the_article_form_at_the_new_note(client, editor, story):
    client.force_login(editor)

    response = post_note(client, story, "  Legal has cleared the second paragraph.\n")

    note = Note.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{change_url(story)}#note-{note.pk}"
    assert (note.article, note.author, note.text) == (
        story,
        editor,
        "Legal has cleared the second paragraph.",
    )
    page = client.get(response["Location"])
    assert "Your note was added." in messages_of(page)
    assert select(thread_of(page), f"#note-{note.pk}")


def test_the_note_form_is_a_form_of_its_own_outside_the_article_form(client, editor, story):
    client.force_login(editor)
    page = lxml_html.fromstring(client.get(change_url(story)).content)

    [textarea] = select(page, "textarea[name='note-text']")
    note_form = next(textarea.iterancestors("form"))
    assert note_form.get("action") == post_url(story)
    assert "note-form" in note_form.get("class")
    [article_form] = select(page, "form#article_form")
    assert not select(article_form, "[name^='note-']")
    assert note_form not in article_form.iterdescendants()
    assert article_form not in note_form.iterancestors()


def test_posting_a_note_never_saves_or_changes_the_story(client, editor, story):
    """Even a post that carries the article's fields (as a form nested by mistake would)
    changes only the thread."""
    client.force_login(editor)
    data = open_change_form(client, story)
    revisions = story.revisions.count()

    response = post_note(client, story, "Headline too long?", **{**data, "headline": "Changed"})

    assert response.status_code == 302
    stored = Article.objects.get(pk=story.pk)
    assert (stored.headline, stored.lock_version) == ("Harbour bridge reopens", story.lock_version)
    assert stored.revisions.count() == revisions
    assert Note.objects.get().text == "Headline too long?"


def test_a_journalist_writes_on_their_own_story(client, journalist, story):
    client.force_login(journalist)

    assert post_note(client, story, "Photos are on the way.").status_code == 302
    assert select(thread_of(client.get(change_url(story))), ".note")


def test_a_story_the_user_cannot_open_does_not_exist_for_its_notes(
    client, journalist, other_journalist, legal, story
):
    note_add(article=story, user=journalist, text="Embargo talk with the ministry.")
    for outsider in (other_journalist, legal):
        client.force_login(outsider)
        assert post_note(client, story, "Let me in").status_code == 404
        listing = client.get(reverse("admin:desk_note_changelist"))
        assert b"Embargo talk" not in listing.content
    assert post_note(client, Article(pk=987654), "No such story").status_code == 404
    assert Note.objects.count() == 1


def test_the_legal_role_has_no_notes_in_the_admin(client, legal):
    client.force_login(legal)
    assert client.get(reverse("admin:desk_note_changelist")).status_code == 403
    assert b"/admin/desk/note/" not in client.get(reverse("admin:index")).content


def test_signed_out_people_and_readers_are_sent_to_the_login(client, story):
    response = post_note(client, story, "Hello")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    client.force_login(UserFactory(username="reader", is_staff=False))
    assert post_note(client, story, "Hello")["Location"].startswith(reverse("admin:login"))
    assert not Note.objects.exists()


def test_notes_are_only_posted(client, editor, story):
    client.force_login(editor)
    assert client.get(post_url(story)).status_code == 405


# Bad input: a clear reason, and the text kept ------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("   ", "This field is required."),
        ("x" * 4001, "Ensure this value has at most 4000 characters (it has 4001)."),
        ("Bad\x0bcharacter", "This contains a control character (U+000B) at character 4."),
        (" ".join(f"@person{n}" for n in range(21)), "Mention at most 20 people in one note"),
    ],
)
def test_a_refused_note_says_why_and_keeps_what_was_typed(client, editor, story, text, reason):
    client.force_login(editor)

    response = post_note(client, story, text)

    assert response.status_code == 400
    page = lxml_html.fromstring(response.content.decode())
    assert reason in select(page, ".note-form .errorlist")[0].text_content()
    assert escape(text.strip()) in response.content.decode()  # in its box, as typed
    assert select(page, f"a[href='{change_url(story)}']")  # back to the story
    assert not Note.objects.exists()


def test_with_javascript_the_thread_is_redrawn_in_place(client, editor, story):
    client.force_login(editor)

    posted = post_note(client, story, "First look done.", in_place=True)
    refused = post_note(client, story, "", in_place=True)

    assert posted.status_code == 200 and posted["X-Desk-Notes"] == "thread"
    fragment = lxml_html.fragment_fromstring(posted.content.decode(), create_parent="div")
    assert [
        select(note, ".note__text")[0].text_content().strip() for note in select(fragment, ".note")
    ] == ["First look done."]
    assert select(fragment, "textarea[name='note-text']")[0].text_content().strip() == ""
    assert b"<html" not in posted.content  # the thread only, not a page
    assert refused.status_code == 400 and refused["X-Desk-Notes"] == "thread"
    assert b"This field is required." in refused.content


# What a note shows ---------------------------------------------------------------------


def test_a_note_is_plain_text_with_its_line_breaks(client, editor, story):
    note_add(
        article=story,
        user=editor,
        text='<script>alert(1)</script> <b>bold?</b>\nsecond line\n\n[link](javascript:x) & "q"',
    )
    client.force_login(editor)

    [text] = select(thread_of(client.get(change_url(story))), ".note__text")
    markup = lxml_html.tostring(text, encoding="unicode")
    assert not select(text, "script, b, a")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;bold?&lt;/b&gt;<br>second line" in markup
    assert [p.text_content() for p in select(text, "p")] == [
        "<script>alert(1)</script> <b>bold?</b>second line",
        '[link](javascript:x) & "q"',
    ]


def test_the_thread_shows_the_latest_fifty_and_links_to_the_rest(client, editor, story):
    for number in range(52):
        Note.objects.create(article=story, author=editor, text=f"Note number {number}")
    client.force_login(editor)

    thread = thread_of(client.get(change_url(story)))

    texts = [note.text_content() for note in select(thread, ".note__text")]
    assert len(texts) == 50
    assert "Note number 2" in texts[0] and "Note number 51" in texts[-1]
    [older] = select(thread, ".editorial-notes__older a")
    listing = client.get(older.get("href"))
    assert listing.context["cl"].result_count == 52


@pytest.mark.parametrize("count", [1, 40, 120])
def test_the_article_form_reads_its_thread_in_constant_queries(
    client, editor, journalist, story, count, django_assert_max_num_queries
):
    for number in range(count):
        note = Note.objects.create(article=story, author=journalist, text=f"@dana note {number}")
        note.mentioned.add(editor)
    client.force_login(editor)
    client.get(change_url(story))  # sessions and permissions warm, as on a second visit

    with django_assert_max_num_queries(QUERIES_OF_THE_CHANGE_FORM):
        response = client.get(change_url(story))

    assert len(select(thread_of(response), ".note__mention")) == min(count, 50)


# Measured: the change form without notes takes 17 queries (its autosave offer included);
# the thread adds a count for the object tools' link, the notes with their authors, their
# mentions, and the thread's own count once it is longer than it shows: 20 up to 50
# notes, 21 beyond.
QUERIES_OF_THE_CHANGE_FORM = 21


# Mentions ------------------------------------------------------------------------------


def test_a_mention_tells_a_colleague_who_may_open_the_story_after_the_note_commits(
    client, editor, journalist, story, django_capture_on_commit_callbacks
):
    client.force_login(journalist)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_note(client, story, "@dana can you check the quotes?\nThanks.")
        assert not Notification.objects.exists()  # not before the commit
    for callback in callbacks:
        callback()

    note = Note.objects.get()
    told = Notification.objects.get()
    assert (told.recipient, told.verb, told.actor, told.note) == (
        editor,
        "mentioned",
        journalist,
        note,
    )
    assert told.comment == "@dana can you check the quotes?\nThanks."
    [message] = mail.outbox
    assert message.to == ["dana@example.com"]
    assert message.subject == "Mentioned in a note: Harbour bridge reopens"
    assert "Anna Nowak mentioned you in a note on “Harbour bridge reopens”." in message.body
    assert "Note:\n@dana can you check the quotes?\nThanks." in message.body
    assert f"{change_url(story)}#note-{note.pk}" in message.body
    assert messages_of(client.get(response["Location"])) == ["Your note was added."]
    client.force_login(editor)
    listing = client.get(reverse("admin:desk_notification_changelist")).content.decode()
    assert "Anna Nowak mentioned you in a note on “Harbour bridge reopens”." in listing


def test_a_mention_is_a_link_to_the_notes_that_mention_that_person(
    client, editor, journalist, story
):
    note_add(article=story, user=journalist, text="Over to @Dana, then to @nobody.")
    other = ArticleFactory(headline="Unrelated story")
    note_add(article=other, user=editor, text="Nothing for anyone.")
    client.force_login(editor)

    [mention] = select(thread_of(client.get(change_url(story))), "a.note__mention")

    assert mention.text_content() == "@Dana"
    assert mention.get("title") == "Dana Desk"
    listing = client.get(mention.get("href"))
    assert [note.text for note in listing.context["cl"].result_list] == [
        "Over to @Dana, then to @nobody."
    ]


def test_mentioning_someone_who_may_not_see_the_story_tells_the_writer_not_them(
    client, editor, journalist, other_journalist, legal, story, django_capture_on_commit_callbacks
):
    UserFactory(username="retired", is_active=False, roles=[roles.EDITOR])
    client.force_login(journalist)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_note(
            client, story, "@piotr @lawyer @retired @ghost and @dana, see desk@city.gov and /@anna"
        )

    assert [n.recipient.username for n in Notification.objects.all()] == ["dana"]
    assert [message.to for message in mail.outbox] == [["dana@example.com"]]
    assert messages_of(client.get(response["Location"])) == [
        "Your note was added.",
        "@piotr cannot open this story, so was not told of your note.",
        "@lawyer cannot open this story, so was not told of your note.",
        # A deactivated account is "no one here", like one that never existed.
        "No one here is called @retired: it is left as text.",
        "No one here is called @ghost: it is left as text.",
    ]
    [note] = Note.objects.all()
    assert list(note.mentioned.all()) == [editor]


def test_the_writer_is_told_in_place_too_when_javascript_posts(client, journalist, legal, story):
    client.force_login(journalist)

    response = post_note(client, story, "Ask @lawyer", in_place=True)

    fragment = lxml_html.fragment_fromstring(response.content.decode(), create_parent="div")
    assert [li.text_content() for li in select(fragment, ".editorial-notes__feedback li")] == [
        "@lawyer cannot open this story, so was not told of your note."
    ]
    assert not select(fragment, "a.note__mention")  # left as text


def test_mentioning_oneself_tells_nobody(
    client, journalist, story, django_capture_on_commit_callbacks
):
    client.force_login(journalist)
    with django_capture_on_commit_callbacks(execute=True):
        post_note(client, story, "Reminder for @anna: call the harbour master.")
    assert not Notification.objects.exists()
    assert mail.outbox == []


class BrokenMailServer:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")

    def close(self):
        pass


@pytest.mark.django_db(transaction=True)
def test_a_failing_mail_server_loses_neither_the_note_nor_the_notification(
    client, settings, caplog
):
    settings.EMAIL_BACKEND = "tests.test_desk_notes.BrokenMailServer"
    editor = user_with_role(roles.EDITOR, username="dana")
    journalist = user_with_role(roles.JOURNALIST, username="anna")
    story = DraftArticleFactory(created_by=journalist)
    client.force_login(journalist)

    with caplog.at_level(logging.ERROR, logger="desk.notifications"):
        response = post_note(client, story, "@dana please read")

    assert response.status_code == 302
    assert Note.objects.get().text == "@dana please read"
    assert Notification.objects.get().recipient == editor
    assert any("Could not e-mail notification" in r.getMessage() for r in caplog.records)


# Append-only ---------------------------------------------------------------------------


def test_nobody_edits_a_note_and_only_a_superuser_deletes_one(
    client, editor, journalist, story, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        posted = note_add(article=story, user=journalist, text="Wrong story, @dana, sorry")
    note = posted.note
    note_url = reverse("admin:desk_note_change", args=[note.pk])
    delete_url = reverse("admin:desk_note_delete", args=[note.pk])
    for person in (journalist, editor):
        client.force_login(person)
        page = client.get(note_url)
        assert page.status_code == 200
        assert b'name="_save"' not in page.content  # read-only
        client.post(note_url, {"text": "Rewritten"})
        assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Note.objects.get().text == "Wrong story, @dana, sorry"

    client.force_login(UserFactory(username="chief", is_superuser=True))
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Note.objects.exists()
    assert not Notification.objects.filter(verb="mentioned").exists()  # its text went too


def test_deleting_a_story_takes_its_thread_along(journalist, story):
    note_add(article=story, user=journalist, text="Draft notes.")
    Article.objects.filter(pk=story.pk).delete()
    assert not Note.objects.exists()


def test_the_notes_list_names_each_note_and_links_to_its_place_in_the_thread(
    client, editor, journalist, story
):
    note = note_add(article=story, user=journalist, text="Check the tide times.").note
    client.force_login(editor)

    listing = client.get(reverse("admin:desk_note_changelist") + f"?by={journalist.pk}")

    assert listing.status_code == 200
    html = listing.content.decode()
    assert f'href="{change_url(story)}#note-{note.pk}">Harbour bridge reopens</a>' in html
    assert "Check the tide times." in html and "Anna Nowak" in html
    assert re.search(r"[A-Z][a-z]{2} \d+, \d{4}, \d+:\d\d [AP]M E[SD]T", html)
