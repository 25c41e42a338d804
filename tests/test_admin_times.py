"""Every time the admin shows carries the newsroom's zone, and the preview banner says the
story's real state (issue 14, admin polish)."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse

from articles import roles, services
from articles.editing import preview_link_create, preview_link_revoke
from articles.models import Article, ArticleRevision
from desk.models import Notification
from desk.notes import note_add

from .factories import (
    ArticleFactory,
    CorrectionFactory,
    DraftArticleFactory,
    LegalPageFactory,
    NoticeFactory,
    PhotoFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Status = Article.Status
# 14:05 UTC on a winter day: 9:05 AM in New York (EST, UTC−05:00).
NOW = dt.datetime(2026, 12, 5, 14, 5, tzinfo=dt.UTC)
ZONE = r"(?:EST|EDT)"
# A clock time as people read it: 9:05, 09:05:00, 9:05 AM, 9:05 a.m.
CLOCK = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:[AP]M|[ap]\.m\.))?")


def visible_text(html):
    """The page's text as a person reads it: no tags, scripts, styles or field values."""
    html = re.sub(r"(?s)<(script|style|textarea)\b.*?</\1>", " ", html)
    text = re.sub(r"<[^>]+>", " ", html)
    # A UTC offset ("UTC−05:00") is itself the zone, not a clock time.
    return re.sub(r"UTC[+−-]\d{2}:\d{2}", "UTC", re.sub(r"\s+", " ", text))


def times_without_zone(html):
    text = visible_text(html)
    return [
        text[max(0, match.start() - 30) : match.end() + 12]
        for match in CLOCK.finditer(text)
        if not re.match(rf"\s*{ZONE}\b", text[match.end() :])
    ]


@pytest.fixture
def newsroom(client):
    """A story with revisions, events, a correction, preview links (one revoked), a photo,
    notices, a legal page and notifications: every kind of time the admin shows."""
    editor = UserFactory(username="editor", roles=[roles.EDITOR])
    with time_machine.travel(NOW, tick=False):
        photo = PhotoFactory(uploaded_by=editor)
        story = DraftArticleFactory(created_by=editor, lead_photo=photo)
        services.article_submit(article=story, user=editor)
        ArticleRevision.objects.record(article=story, user=editor)
        ArticleRevision.objects.record(article=story, user=editor, comment="Second")
        services.article_schedule(article=story, user=editor, at=NOW + dt.timedelta(days=1))
        CorrectionFactory(article=story)
        preview_link_create(article=story, user=editor)
        preview_link_revoke(link=preview_link_create(article=story, user=editor), user=editor)
        notice = NoticeFactory()
        LegalPageFactory()
        Notification.objects.create(
            recipient=editor, verb="submitted", article=story, headline=story.headline
        )
        note_add(article=story, user=editor, text="Check the ferry operator's name.")
        # Staff sessions end after a working day (SESSION_HOURS): sign in on the test's clock.
        client.force_login(editor)
    return {"editor": editor, "story": story, "photo": photo, "notice": notice}


def admin_pages(data):
    story, photo, notice = data["story"], data["photo"], data["notice"]
    notification = Notification.objects.get()
    return {
        "desk": reverse("admin:index"),
        "article list": reverse("admin:articles_article_changelist"),
        "article form": reverse("admin:articles_article_change", args=[story.pk]),
        "article history": reverse("admin:articles_article_history", args=[story.pk]),
        "revisions": reverse("admin:articles_article_revisions", args=[story.pk]),
        "revision compare": reverse("admin:articles_article_revision_compare", args=[story.pk]),
        "preview links": reverse("admin:articles_article_preview_links", args=[story.pk]),
        "schedule": reverse("admin:articles_article_scheduled"),
        "photo list": reverse("admin:media_photo_changelist"),
        "photo form": reverse("admin:media_photo_change", args=[photo.pk]),
        "notice list": reverse("admin:legal_notice_changelist"),
        "notice form": reverse("admin:legal_notice_change", args=[notice.pk]),
        "notice versions": reverse("admin:legal_noticeversion_changelist"),
        "legal pages": reverse("admin:legal_legalpage_changelist"),
        "notifications": reverse("admin:desk_notification_changelist"),
        "notification": reverse("admin:desk_notification_change", args=[notification.pk]),
        "notes": reverse("admin:desk_note_changelist"),
    }


def test_every_time_on_the_admin_pages_staff_use_shows_its_zone(client, newsroom, settings):
    settings.OTP_REQUIRED_ROLES = []
    newsroom["editor"].is_superuser = True  # sees the legal pages too
    newsroom["editor"].save()
    checked = 0
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        for name, url in admin_pages(newsroom).items():
            response = client.get(url)
            assert response.status_code == 200, name
            html = response.content.decode()
            assert times_without_zone(html) == [], name
            checked += len(CLOCK.findall(visible_text(html)))
    # The pages do show times: the check above was not vacuous.
    assert checked >= 20


def test_djangos_own_history_page_shows_the_zone(client, newsroom):
    story = newsroom["story"]
    with time_machine.travel(NOW, tick=False):
        LogEntry.objects.log_actions(
            user_id=newsroom["editor"].pk, queryset=[story], action_flag=CHANGE, change_message=""
        )

    html = client.get(reverse("admin:articles_article_history", args=[story.pk])).content.decode()

    assert "Dec 5, 2026, 9:05 AM EST" in html


def test_the_notice_history_and_its_time_field_give_the_zone(client, newsroom):
    client.force_login(UserFactory(roles=[roles.LEGAL]))
    html = client.get(
        reverse("admin:legal_notice_change", args=[newsroom["notice"].pk])
    ).content.decode()

    in_force_from = (
        rf'<td data-label="In force from">[A-Z][a-z]{{2}} \d+, \d{{4}}, \d+:\d\d [AP]M {ZONE}'
    )
    assert re.search(in_force_from, html)
    assert re.search(
        r"When the new version comes into force\..*Times are in the newsroom's zone", html
    )


# The preview banner ------------------------------------------------------------------------


def banner(client, article):
    html = client.get(reverse("admin:articles_article_preview", args=[article.pk])).content
    found = re.search(r'(?s)<div class="draft-banner" role="status">(.*?)</div>', html.decode())
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found.group(1))).strip()


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"status": Status.DRAFT, "published_at": None},
            "Preview: Draft. Readers cannot see it yet.",
        ),
        ({"status": Status.IN_REVIEW, "published_at": None}, "Preview: In review."),
        ({"status": Status.SENT_BACK, "published_at": None}, "Preview: Sent back."),
        ({"status": Status.APPROVED, "published_at": None}, "Preview: Approved."),
        (
            {"published_at": NOW + dt.timedelta(hours=5)},
            "Preview: Scheduled for 2:05 PM EST, December 5, 2026. Readers cannot see it yet.",
        ),
        (
            {
                "published_at": NOW - dt.timedelta(hours=1),
                "embargo_until": NOW + dt.timedelta(days=1),
            },
            "Preview: Embargoed until 9:05 AM EST, December 6, 2026. Readers cannot see it yet.",
        ),
        (
            {"published_at": NOW - dt.timedelta(hours=2)},
            "Preview: Published at 7:05 AM EST, December 5, 2026. Readers can see it now.",
        ),
        (
            {"status": Status.UNPUBLISHED, "published_at": NOW - dt.timedelta(days=2)},
            "Preview: Unpublished. Readers no longer see it.",
        ),
        (
            {
                "published_at": NOW - dt.timedelta(days=2),
                "expire_at": NOW - dt.timedelta(hours=3),
            },
            "Preview: Expired at 6:05 AM EST, December 5, 2026. Readers no longer see it.",
        ),
    ],
    ids=[
        "draft",
        "in review",
        "sent back",
        "approved",
        "scheduled",
        "embargoed",
        "published",
        "unpublished",
        "expired",
    ],
)
def test_the_preview_banner_says_the_real_state(client, fields, expected):
    with time_machine.travel(NOW, tick=False):
        client.force_login(UserFactory(roles=[roles.EDITOR]))
        article = ArticleFactory(**fields)
        text = banner(client, article)
        state = article.state

    assert text.startswith(expected)
    assert state.replace("_", " ") in text.lower()
