"""A newsroom's week for the calendar tests: people in every role, stories with go-lives,
embargo ends and expiries, and assignments, on a fixed clock (Wednesday 5 March 2025,
10:00 in New York; daylight saving starts on Sunday the 9th)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from articles import roles
from articles.models import Article, Author, Byline
from desk.models import Assignment

from .factories import ArticleFactory, AuthorFactory, SectionFactory, user_with_role

NEW_YORK = ZoneInfo("America/New_York")
NOW = dt.datetime(2025, 3, 5, 10, 0, tzinfo=NEW_YORK)


def at(day, hour, minute=0):
    """A moment in March 2025, newsroom time."""
    return dt.datetime(2025, 3, day, hour, minute, tzinfo=NEW_YORK)


@pytest.fixture
def people():
    return {
        "editor": user_with_role(roles.EDITOR, username="editor", first_name="Dana"),
        "journalist": user_with_role(
            roles.JOURNALIST, username="journalist", first_name="Anna", last_name="Nowak"
        ),
        "other_journalist": user_with_role(roles.JOURNALIST, username="other-journalist"),
        "photo_editor": user_with_role(roles.PHOTO_EDITOR, username="photo-editor"),
        "legal": user_with_role(roles.LEGAL, username="legal"),
    }


@pytest.fixture
def sections():
    return {
        "news": SectionFactory(name="News", slug="news"),
        "sport": SectionFactory(name="Sport", slug="sport"),
    }


def story(headline, section, *, by=None, **fields):
    article = ArticleFactory(headline=headline, section=section, created_by=by, **fields)
    if by is not None:
        author = Author.objects.filter(user=by).first() or AuthorFactory(user=by)
        Byline.objects.create(article=article, author=author, position=0)
    return article


@pytest.fixture
def week(people, sections):
    """The journalist's scheduled story, someone else's embargoed one, an expiry, and two
    assignments (the journalist's and the other journalist's)."""
    journalist, other = people["journalist"], people["other_journalist"]
    return {
        "scheduled": story(
            "Tram line opens tonight",
            sections["news"],
            by=journalist,
            status=Article.Status.PUBLISHED,
            published_at=at(6, 19, 30),
        ),
        "embargoed": story(
            "Jobs figures rise",
            sections["news"],
            by=other,
            status=Article.Status.PUBLISHED,
            published_at=at(5, 9),
            embargo_until=at(7, 6),
        ),
        "expiring": story(
            "Weekend road closures",
            sections["sport"],
            by=other,
            status=Article.Status.PUBLISHED,
            published_at=dt.datetime(2025, 2, 10, 8, tzinfo=NEW_YORK),
            expire_at=at(9, 12),
        ),
        "due": Assignment.objects.create(
            working_headline="Council vote on cycle lanes",
            section=sections["news"],
            assignee=journalist,
            due_at=at(5, 17),
            notes="Both councillors, 600 words.",
            created_by=people["editor"],
        ),
        "others_due": Assignment.objects.create(
            working_headline="Cup semi-final preview",
            section=sections["sport"],
            assignee=other,
            due_at=at(10, 15),
            created_by=people["editor"],
        ),
    }
