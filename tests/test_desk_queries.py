"""The desk costs the same number of queries however many stories the newsroom holds."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from desk.models import Assignment

from .desk_newsroom import NOW, crowd, people
from .factories import NoticeFactory, NoticeVersionFactory, SectionFactory

pytestmark = pytest.mark.django_db
ROLES = ("journalist", "editor", "photo_editor", "legal")


def grow(who, notice, per_state):
    """`per_state` more stories in every state for both writers, photos whose rights end
    soon, notice wordings coming into force or just in force, and open assignments for the
    writers and the editor."""
    crowd([who["journalist"], who["colleague"]], who["editor"], per_state)
    section = SectionFactory(name="News", slug="news")
    for n in range(per_state):
        for assignee in (who["journalist"], who["colleague"], who["editor"]):
            Assignment.objects.create(
                working_headline=f"Planned story {n}",
                section=section,
                assignee=assignee,
                due_at=NOW + timedelta(days=1, hours=n),
            )
    for n in range(per_state):
        NoticeVersionFactory(notice=notice, effective_at=NOW + timedelta(days=1, hours=n))
        NoticeVersionFactory(notice=notice, effective_at=NOW - timedelta(days=1, hours=n))


@pytest.mark.parametrize("role", ROLES)
def test_the_desk_costs_the_same_queries_as_the_newsroom_grows(
    client, role, django_assert_max_num_queries
):
    who = people()
    notice = NoticeFactory(kind="privacy", title="Privacy notice")
    with time_machine.travel(NOW - timedelta(minutes=5), tick=False):
        # Every queue fuller than it shows, so each is counted from the start.
        grow(who, notice, per_state=9)
    with time_machine.travel(NOW, tick=False):
        client.force_login(who[role])
        client.get(reverse("admin:index"))  # session, permissions, content types warm
        with CaptureQueriesContext(connection) as before:
            page = client.get(reverse("admin:index"))
        assert page.status_code == 200
        assert 'class="module desk-queue"' in page.content.decode()

    with time_machine.travel(NOW - timedelta(minutes=5), tick=False):
        grow(who, notice, per_state=40)  # more than five times as many in every state
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(len(before)):
        page = client.get(reverse("admin:index"))
    assert page.status_code == 200
    # A budget, and what it is spent on: the desk's queues (a page of rows, a count, the
    # event or stories each line names), the chart, the timeline, and the admin's own.
    assert len(before) <= {"journalist": 25, "editor": 32, "photo_editor": 14, "legal": 11}[role]
