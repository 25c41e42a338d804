"""The calendar in a real browser: a writer starts the draft of an assignment, an editor makes
a calendar address, and the feed behind it parses as iCalendar with the week's events; no page
scrolls sideways at 390 pixels."""

import datetime as dt
import urllib.request

import icalendar
import pytest
from django.utils import timezone

from articles import roles
from articles.models import Article
from desk.models import Assignment

from . import test_workflow_browser
from .factories import ArticleFactory, SectionFactory, UserFactory
from .test_workflow_browser import PASSWORD, log_in, log_out, shot

# The browser of the editorial journey's tests, as this module's fixture.
browser_page = test_workflow_browser.browser_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def overflow(page):
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_assignment_to_draft_and_the_calendar_feed_in_a_browser(live_server, browser_page):
    page, base = browser_page, live_server.url
    UserFactory(username="editor", roles=[roles.EDITOR], password=PASSWORD)
    writer = UserFactory(
        username="writer", first_name="Anna", last_name="Nowak", roles=[roles.JOURNALIST]
    )
    section = SectionFactory(name="News", slug="news")
    soon = timezone.localtime() + dt.timedelta(hours=2)
    ArticleFactory(
        headline="Tram line opens tonight", section=section, published_at=soon, created_by=writer
    )
    assignment = Assignment.objects.create(
        working_headline="Council vote on cycle lanes",
        section=section,
        assignee=writer,
        due_at=soon + dt.timedelta(hours=1),
    )

    # The writer finds the assignment on the calendar and starts the draft with one click.
    log_in(page, base, "writer")
    # The week of the story (not always this week's: late on a Sunday it is the next).
    week = f"{base}/admin/desk/assignment/calendar/week/{soon:%Y/%-m/%-d}/"
    page.goto(week)
    page.click("text=Council vote on cycle lanes")
    page.click("input[value='Start the draft']")
    page.wait_for_selector("text=is started; it is yours")
    assignment.refresh_from_db()
    assert assignment.article.status == Article.Status.DRAFT
    assert page.url.endswith(f"/admin/articles/article/{assignment.article_id}/change/")
    log_out(page)

    # The editor makes a calendar address; a calendar app reads the feed.
    log_in(page, base, "editor")
    page.goto(f"{base}/admin/desk/assignment/calendar/feed/")
    page.click("input[value='Create my calendar address']")
    url = page.input_value("#calendar-url")
    shot(page, "calendar-feed-address")
    path = url.split("/staff/", 1)[1]
    with urllib.request.urlopen(f"{base}/staff/{path}") as response:  # noqa: S310
        feed = icalendar.Calendar.from_ical(response.read())
    summaries = {str(event["SUMMARY"]) for event in feed.walk("VEVENT")}
    assert summaries == {"Goes live: Tram line opens tonight", "Due: Council vote on cycle lanes"}

    # Revoked, it is gone.
    page.click("input[value='Revoke']")
    page.wait_for_selector("text=Your calendar address is revoked.")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{base}/staff/{path}")  # noqa: S310
    assert refused.value.code == 404

    # Narrow screens: month and week turn into lists, nothing scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{base}/admin/desk/assignment/calendar/feed/")
    assert overflow(page) <= 0
    page.goto(f"{base}/admin/desk/assignment/calendar/")
    assert overflow(page) <= 0
    page.goto(week)
    assert page.is_visible("text=Tram line opens tonight")
    assert overflow(page) <= 0
    shot(page, "calendar-week-390")
