"""Assignments and calendar addresses are internal: planning a story, starting its draft and
making or revoking a calendar address leave the readers' content version, and so every warm
page, untouched."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import roles
from desk.models import Assignment, CalendarFeed
from publishing.version import content_version

from .factories import ArticleFactory, AuthorFactory, BylineFactory, SectionFactory, user_with_role

# Transactional: pages are stored only outside transactions, as in production.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.page_cache]


@pytest.fixture
def warm_pages(django_assert_num_queries):
    """Warms the home page and a live story's page once the test's own rows exist; returns
    the check that they are still served from the cache (no query)."""
    live = ArticleFactory(headline="Harbour reopens after storm", slug="harbour-reopens")
    BylineFactory(article=live, author=AuthorFactory(slug="anna-nowak"))
    reader = Client()
    urls = [reverse("articles:home"), live.get_absolute_url()]

    def still_warm():
        with django_assert_num_queries(0):
            for url in urls:
                assert reader.get(url).status_code == 200

    def warm():
        for url in urls:
            assert reader.get(url).status_code == 200
        still_warm()
        return still_warm

    return warm


def test_planning_starting_a_draft_and_calendar_addresses_leave_readers_pages_warm(
    client, warm_pages
):
    editor = user_with_role(roles.EDITOR, username="editor")
    journalist = user_with_role(roles.JOURNALIST, username="journalist")
    section = SectionFactory(name="Business", slug="business")
    still_warm = warm_pages()
    version = content_version()

    client.force_login(editor)
    due = timezone.localtime() + timedelta(days=1)
    response = client.post(
        reverse("admin:desk_assignment_add"),
        {
            "working_headline": "Secret merger talks",
            "section": section.pk,
            "assignee": journalist.pk,
            "due_at_0": due.strftime("%Y-%m-%d"),
            "due_at_1": "09:00",
            "notes": "Embargoed source.",
        },
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert client.post(reverse("admin:desk_calendar_feed"), {"action": "create"}).status_code == 200

    client.force_login(journalist)
    response = client.post(reverse("admin:desk_assignment_start", args=[assignment.pk]))
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.article.headline == "Secret merger talks"
    client.post(reverse("admin:desk_calendar_feed"), {"action": "create"})
    client.post(reverse("admin:desk_calendar_feed"), {"action": "revoke"})
    assert list(CalendarFeed.objects.values_list("user__username", flat=True)) == ["editor"]

    assert content_version() == version
    still_warm()
    # Nothing of it is on any public page.
    assert b"Secret merger" not in Client().get(reverse("articles:home")).content
