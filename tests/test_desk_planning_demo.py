"""The demo's planning (scripts/serve runs seed_desk_demo after seed_demo): assignments over
the coming days, one started, on the calendar of the people concerned."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from articles import roles
from articles.models import Article
from desk.demo_planning import ASSIGNMENTS
from desk.models import Assignment

from .factories import SectionFactory, user_with_role

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")
TUESDAY = dt.datetime(2025, 3, 4, 8, 0, tzinfo=NEW_YORK)


@pytest.fixture
def demo_people():
    for name in ["News", "World", "Business", "Culture", "Sport"]:
        SectionFactory(name=name, slug=name.lower())
    return {
        "editor": user_with_role(roles.EDITOR, username="editor"),
        "journalist": user_with_role(roles.JOURNALIST, username="journalist"),
    }


@time_machine.travel(TUESDAY, tick=False)
def test_the_demo_plans_the_week_and_shows_it_on_the_calendar(client, demo_people, capsys):
    call_command("seed_desk_demo")
    assert f"Created {len(ASSIGNMENTS)} demo assignments." in capsys.readouterr().out

    assert Assignment.objects.count() == len(ASSIGNMENTS)
    [started] = Assignment.objects.filter(started_at__isnull=False)
    assert started.article.status == Article.Status.DRAFT
    assert started.article.created_by == demo_people["journalist"]
    assert all(a.created_by == demo_people["editor"] for a in Assignment.objects.all())

    client.force_login(demo_people["journalist"])
    html = client.get(reverse("admin:desk_calendar_week", args=[2025, 3, 4])).content.decode()
    assert "5:00 PM EST" in html and "Council vote on the new cycle lanes" in html
    assert "Budget analysis" not in html  # the editor's own
    client.force_login(demo_people["editor"])
    html = client.get(reverse("admin:desk_calendar_week", args=[2025, 3, 4])).content.decode()
    for headline, *_ in ASSIGNMENTS:
        assert headline.replace("'", "&#x27;") in html

    # Run again on the next start: nothing is added twice.
    call_command("seed_desk_demo")
    assert Assignment.objects.count() == len(ASSIGNMENTS)


def test_without_the_demos_accounts_nothing_is_planned():
    call_command("seed_desk_demo")
    assert not Assignment.objects.exists()
