"""A newsroom with something on every desk, for the desk's tests.

`newsroom()` moves a dozen stories through the real services at known moments (so their
workflow events, comments and waits are real); `crowd()` adds many more in every state
straight into the tables, for the query budgets.
"""

import datetime as dt
from datetime import timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.utils.text import slugify

from articles import roles, services
from articles.models import Article, ArticleEvent, Byline

from .factories import (
    AuthorFactory,
    DraftArticleFactory,
    NoticeFactory,
    NoticeVersionFactory,
    PhotoFactory,
    SectionFactory,
    user_with_role,
)

NEW_YORK = ZoneInfo("America/New_York")
# A Tuesday morning in winter: EST, UTC−05:00.
NOW = dt.datetime(2026, 3, 3, 10, 0, tzinfo=NEW_YORK)
SEND_BACK_COMMENT = "We need a second source on the opening dates, and a shorter lead."
Status = Article.Status


def people():
    journalist = user_with_role(
        roles.JOURNALIST, username="anna", first_name="Anna", last_name="Nowak"
    )
    AuthorFactory(name="Anna Nowak", slug="anna-nowak", user=journalist)
    return {
        "journalist": journalist,
        "colleague": user_with_role(
            roles.JOURNALIST, username="bob", first_name="Bob", last_name="Brown"
        ),
        "editor": user_with_role(
            roles.EDITOR, username="dana", first_name="Dana", last_name="Desk"
        ),
        "photo_editor": user_with_role(
            roles.PHOTO_EDITOR, username="pia", first_name="Pia", last_name="Photo"
        ),
        "legal": user_with_role(roles.LEGAL, username="lee", first_name="Lee", last_name="Legal"),
    }


def at(moment, action, **arguments):
    with time_machine.travel(moment, tick=False):
        return action(**arguments)


def draft(headline, writer, section="news", **fields):
    return DraftArticleFactory(
        headline=headline,
        slug=slugify(headline),
        created_by=writer,
        section=SectionFactory(name=section.title(), slug=section),
        **fields,
    )


def newsroom():
    """The stories, by the name the tests use; the clock is NOW once it returns."""
    who = people()
    anna, bob, editor = who["journalist"], who["colleague"], who["editor"]
    stories = {}
    with time_machine.travel(NOW - timedelta(days=9), tick=False):
        stories["stale"] = draft("Forgotten draft about the old pier", anna)
    with time_machine.travel(NOW - timedelta(hours=1), tick=False):
        stories["anna_draft"] = draft("Allotment waiting list reaches ten years", anna)
        stories["bob_draft"] = draft("Colleague's draft nobody else may read", bob)

    stories["sent_back"] = draft("Cinema chain plans a screen in every district", anna, "business")
    at(NOW - timedelta(days=1), services.article_submit, article=stories["sent_back"], user=anna)
    at(
        NOW - timedelta(hours=2),
        services.article_send_back,
        article=stories["sent_back"],
        user=editor,
        comment=SEND_BACK_COMMENT,
    )
    stories["oldest_review"] = draft("Night ferry returns for the summer", bob, "world")
    at(
        NOW - timedelta(hours=5, minutes=20),
        services.article_submit,
        article=stories["oldest_review"],
        user=bob,
        comment="Ready for the desk.",
    )
    stories["newer_review"] = draft("Museum opens a night gallery", anna, "culture")
    at(
        NOW - timedelta(minutes=30),
        services.article_submit,
        article=stories["newer_review"],
        user=anna,
    )
    stories["approved"] = draft("Choir of 500 voices on the harbour steps", anna, "culture")
    at(NOW - timedelta(hours=4), services.article_submit, article=stories["approved"], user=anna)
    at(NOW - timedelta(hours=3), services.article_approve, article=stories["approved"], user=editor)

    stories["tonight"] = draft("Tram line extension opens tonight", anna)
    at(
        NOW - timedelta(hours=1),
        services.article_schedule,
        article=stories["tonight"],
        user=editor,
        at=NOW.replace(hour=19),
    )
    stories["friday"] = draft("Youth orchestra announces its autumn tour", bob, "culture")
    at(
        NOW - timedelta(hours=1),
        services.article_schedule,
        article=stories["friday"],
        user=editor,
        at=NOW.replace(day=6, hour=9),
    )
    stories["embargoed"] = draft("Quarterly jobs figures show a rise in hiring", bob, "business")
    at(
        NOW - timedelta(hours=1),
        services.article_set_embargo,
        article=stories["embargoed"],
        user=editor,
        until=NOW.replace(day=4, hour=6),
    )
    at(
        NOW - timedelta(hours=1),
        services.article_schedule,
        article=stories["embargoed"],
        user=editor,
        at=NOW + timedelta(minutes=1),
    )
    photo = PhotoFactory(
        caption="The bridge at dawn",
        rights_expire_at=NOW + timedelta(days=3),
        with_renditions=False,
    )
    stories["published"] = draft("Harbour bridge reopens after repairs", anna, lead_photo=photo)
    at(NOW.replace(hour=8), services.article_publish, article=stories["published"], user=editor)
    stories["bob_published"] = draft("Ferry operator names a new captain", bob, "world")
    at(NOW.replace(hour=9), services.article_publish, article=stories["bob_published"], user=editor)
    notice = NoticeFactory(kind="privacy", title="Privacy notice")
    NoticeVersionFactory(notice=notice, effective_at=NOW + timedelta(days=5))
    Article.objects.filter(pk=stories["stale"].pk).update(modified=NOW - timedelta(days=9))
    return who, stories, photo


STATES = (
    "draft",
    "stale",
    "sent_back",
    "in_review",
    "approved",
    "today",
    "week",
    "embargoed",
    "published",
    "unpublished",
    "expired",
)


def crowd(writers, editor, per_state, now=NOW):
    """`per_state` stories in every state for each of `writers`, with the events the desk
    reads, written straight to the tables; and as many photos whose rights end soon, each
    the lead photo of a published story."""
    sections = [SectionFactory(name=f"Desk {n}", slug=f"desk-{n}") for n in range(9)]
    photos = [
        PhotoFactory(rights_expire_at=now + timedelta(days=2, hours=n), with_renditions=False)
        for n in range(per_state)
    ]
    start = Article.objects.count()
    articles = []
    for writer in writers:
        for state in STATES:
            for n in range(per_state):
                number = start + len(articles)
                articles.append(
                    Article(
                        headline=f"{state} story {number}",
                        slug=f"crowd-{number}",
                        lead="Lead.",
                        body="Body.",
                        section=sections[number % len(sections)],
                        created_by=writer,
                        lead_photo=photos[n] if state == "published" else None,
                        **fields_for(state, now, n),
                    )
                )
    Article.objects.bulk_create(articles)  # sets each pk (RETURNING on SQLite and PostgreSQL)
    Byline.objects.bulk_create(Byline(article=article, contributor="Staff") for article in articles)
    actions = {
        Status.SENT_BACK: "send_back",
        Status.IN_REVIEW: "submit",
        Status.APPROVED: "approve",
    }
    ArticleEvent.objects.bulk_create(
        ArticleEvent(
            article=article,
            actor=article.created_by if article.status == Status.IN_REVIEW else editor,
            at=now - timedelta(hours=article.pk % 20 + 1),
            action=actions[article.status],
            from_status=Status.DRAFT,
            to_status=article.status,
            comment="A comment.",
        )
        for article in articles
        if article.status in actions
    )
    stale = [article.pk for article in articles if article.headline.startswith("stale")]
    Article.objects.filter(pk__in=stale).update(modified=now - timedelta(days=10))
    return articles


def fields_for(state, now, n):
    hours = timedelta(hours=1 + n % 5)
    return {
        "draft": {"status": Status.DRAFT},
        "stale": {"status": Status.DRAFT},
        "sent_back": {"status": Status.SENT_BACK},
        "in_review": {"status": Status.IN_REVIEW},
        "approved": {"status": Status.APPROVED},
        "today": {"status": Status.PUBLISHED, "published_at": now + hours},
        "week": {"status": Status.PUBLISHED, "published_at": now + timedelta(days=2) + hours},
        "embargoed": {
            "status": Status.PUBLISHED,
            "published_at": now - hours,
            "embargo_until": now + timedelta(days=1) + hours,
        },
        "published": {"status": Status.PUBLISHED, "published_at": now - hours * (n + 1)},
        "unpublished": {"status": Status.UNPUBLISHED, "published_at": now - timedelta(days=3)},
        "expired": {
            "status": Status.PUBLISHED,
            "published_at": now - timedelta(days=4),
            "expire_at": now - hours,
        },
    }[state]
