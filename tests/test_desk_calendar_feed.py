"""Each person's calendar as an iCalendar feed at a secret, revocable address, parsed here with
the `icalendar` library as a calendar app would read it."""

import datetime as dt
import hashlib
import re
from html import unescape

import icalendar
import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from articles import services
from articles.models import Article
from desk.models import CalendarFeed

from . import calendar_data
from .calendar_data import NOW, at, story
from .factories import DraftArticleFactory

# The shared week (tests/calendar_data.py), as this module's fixtures.
people, sections, week = calendar_data.people, calendar_data.sections, calendar_data.week

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_clock")]

FEED_PAGE = reverse("admin:desk_calendar_feed")


@pytest.fixture
def fixed_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def create_address(client, user):
    """Press "Create" on the user's calendar page; returns the address it shows once."""
    client.force_login(user)
    response = client.post(FEED_PAGE, {"action": "create"})
    assert response.status_code == 200
    html = unescape(response.content.decode())
    [url] = re.findall(r'id="calendar-url"[^>]*value="([^"]+)"', html)
    return url


def path_of(url):
    return url.removeprefix("http://127.0.0.1:8000")


def fetch(url):
    """As a calendar app does: no session, no cookies."""
    return Client().get(path_of(url))


def events(url):
    response = fetch(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return calendar, {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_the_address_is_shown_once_and_only_its_hash_is_kept(client, people):
    url = create_address(client, people["journalist"])

    token = re.fullmatch(r"http://127\.0\.0\.1:8000/staff/calendar/([\w-]+)\.ics", url)[1]
    stored = CalendarFeed.objects.get(user=people["journalist"])
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert len(token) >= 40
    html = client.get(FEED_PAGE).content.decode()
    assert token not in html
    assert "You have a calendar address, made Mar 5, 2025, 10:00 AM EST" in html
    assert 'value="Revoke and make a new one"' in html


def test_the_page_that_shows_the_address_is_never_cached(client, people):
    client.force_login(people["editor"])
    response = client.post(FEED_PAGE, {"action": "create"})
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_feed_carries_the_users_events_in_the_newsrooms_zone(client, people, week):
    url = create_address(client, people["editor"])
    calendar, found = events(url)

    assert set(found) == {
        "Due: Council vote on cycle lanes",
        "Goes live: Tram line opens tonight",
        "Embargo ends (goes live): Jobs figures rise",
        "Expires: Weekend road closures",
        "Due: Cup semi-final preview",
    }
    tram = found["Goes live: Tram line opens tonight"]
    assert tram.start == at(6, 19, 30)
    assert tram["DTSTART"].params["TZID"] == "America/New_York"
    assert str(tram["UID"]) == f"go_live-article-{week['scheduled'].pk}@{settings.SITE_DOMAIN}"
    admin_page = f"http://127.0.0.1:8000/admin/articles/article/{week['scheduled'].pk}/change/"
    assert str(tram["URL"]) == admin_page
    assert "Section: News" in str(tram["DESCRIPTION"])
    assert admin_page in str(tram["DESCRIPTION"])
    assert found["Expires: Weekend road closures"].start.utcoffset().total_seconds() == -4 * 3600

    due = found["Due: Council vote on cycle lanes"]
    assert str(due["URL"]).endswith(f"/admin/desk/assignment/{week['due'].pk}/change/")
    assert "Both councillors, 600 words." in str(due["DESCRIPTION"])

    assert str(calendar["UID"]) == f"desk-calendar-{people['editor'].pk}@{settings.SITE_DOMAIN}"
    assert calendar["REFRESH-INTERVAL"].dt == dt.timedelta(hours=1)
    assert calendar["X-PUBLISHED-TTL"].to_ical() == b"PT1H"

    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "America/New_York"
    assert calendar.get_missing_tzids() == set()


def test_a_journalists_feed_never_lists_what_they_may_not_see(client, people, week):
    url = create_address(client, people["journalist"])
    _, found = events(url)
    assert set(found) == {
        "Due: Council vote on cycle lanes",
        "Goes live: Tram line opens tonight",
    }
    body = fetch(url).content.decode()
    for hidden in ["Jobs figures", "Weekend road", "Cup semi-final"]:
        assert hidden not in body


def test_a_rescheduled_story_keeps_its_uid_and_moves(client, people, week):
    url = create_address(client, people["editor"])
    _, before = events(url)
    services.article_schedule(article=week["scheduled"], user=people["editor"], at=at(7, 8))
    _, after = events(url)
    uid = before["Goes live: Tram line opens tonight"]["UID"]
    assert after["Goes live: Tram line opens tonight"]["UID"] == uid
    assert after["Goes live: Tram line opens tonight"].start == at(7, 8)


def test_an_editor_schedules_a_story_and_it_is_in_the_feed(client, people, sections):
    draft = DraftArticleFactory(headline="Harbour festival returns", section=sections["news"])
    url = create_address(client, people["editor"])
    assert "Goes live: Harbour festival returns" not in events(url)[1]

    services.article_submit(article=draft, user=people["editor"])
    services.article_approve(article=draft, user=people["editor"])
    services.article_schedule(article=draft, user=people["editor"], at=at(5, 14, 5))

    event = events(url)[1]["Goes live: Harbour festival returns"]
    assert event.start == at(5, 14, 5)
    html = client.get(reverse("admin:desk_calendar_week", args=[2025, 3, 5])).content.decode()
    assert "2:05 PM EST" in html and "Harbour festival returns" in html


def test_revoking_the_address_ends_it(client, people, week):
    url = create_address(client, people["journalist"])
    assert fetch(url).status_code == 200
    response = client.post(FEED_PAGE, {"action": "revoke"})
    assert "Your calendar address is revoked." in response.content.decode()
    assert fetch(url).status_code == 404
    assert not CalendarFeed.objects.filter(user=people["journalist"]).exists()


def test_a_new_address_revokes_the_old_one(client, people, week):
    old = create_address(client, people["journalist"])
    new = create_address(client, people["journalist"])
    assert new != old
    assert fetch(old).status_code == 404
    assert fetch(new).status_code == 200


@pytest.mark.parametrize(
    "change",
    [
        {"is_active": False},
        {"is_staff": False},
    ],
)
def test_a_deactivated_account_or_one_without_staff_rights_gets_nothing(
    client, people, week, change
):
    url = create_address(client, people["journalist"])
    user = people["journalist"]
    for field, value in change.items():
        setattr(user, field, value)
    user.save()
    assert fetch(url).status_code == 404


def test_losing_every_role_ends_the_feed(client, people, week):
    url = create_address(client, people["journalist"])
    people["journalist"].groups.clear()
    assert fetch(url).status_code == 404


def test_legal_has_no_calendar_address(client, people):
    client.force_login(people["legal"])
    assert client.get(FEED_PAGE).status_code == 403
    assert client.post(FEED_PAGE, {"action": "create"}).status_code == 403
    assert not CalendarFeed.objects.exists()


@pytest.mark.parametrize("token", ["nope", "x" * 43, "x" * 500])
def test_an_unknown_address_is_not_found(token):
    assert Client().get(f"/staff/calendar/{token}.ics").status_code == 404


def test_the_feed_is_private_and_never_indexed(client, people):
    response = fetch(create_address(client, people["editor"]))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"


def test_creating_an_address_needs_the_csrf_token(people):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["editor"])
    assert browser.post(FEED_PAGE, {"action": "create"}).status_code == 403
    assert not CalendarFeed.objects.exists()


def test_an_unknown_action_is_refused(client, people):
    client.force_login(people["editor"])
    assert client.post(FEED_PAGE, {"action": "delete-everything"}).status_code == 400


def test_the_feed_costs_the_same_queries_however_much_is_scheduled(
    client, people, sections, django_assert_max_num_queries
):
    url = path_of(create_address(client, people["journalist"]))
    reader = Client()
    counts = set()
    for day, count in [(6, 2), (12, 30)]:
        for number in range(count):
            story(
                f"Story {day}-{number}",
                sections["news"],
                by=people["journalist"],
                status=Article.Status.PUBLISHED,
                published_at=at(day, 8, number),
                embargo_until=at(day, 9, number),
                expire_at=at(day + 1, 9, number),
            )
        reader.get(url)  # the legal snapshot (TDM middleware) is rebuilt after each change
        # The feed and its user, their permissions (2), the stories, the assignments.
        with django_assert_max_num_queries(5) as queries:
            assert reader.get(url).status_code == 200
        counts.add(len(queries))
    assert len(counts) == 1
