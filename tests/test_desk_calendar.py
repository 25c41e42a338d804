"""The desk calendar in the admin: a month and a week of go-lives, embargo ends, expiries and
assignments' due times, as each person may see them, in the newsroom's zone."""

import re
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from articles.models import Article
from desk.models import Assignment

from . import calendar_data
from .calendar_data import NOW, at, story
from .factories import ArticleFactory

# The shared week (tests/calendar_data.py), as this module's fixtures.
people, sections, week = calendar_data.people, calendar_data.sections, calendar_data.week

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_clock")]

MARCH = reverse("admin:desk_calendar_month", args=[2025, 3])
WEEK = reverse("admin:desk_calendar_week", args=[2025, 3, 5])


@pytest.fixture
def fixed_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def admin_url(obj):
    if isinstance(obj, Assignment):
        return reverse("admin:desk_assignment_change", args=[obj.pk])
    return reverse("admin:articles_article_change", args=[obj.pk])


def entries(html):
    """Each entry as (its time text, kind, title), in page order."""
    return [
        (time_text, kind, title)
        for time_text, kind, title in re.findall(
            r'<time datetime="[^"]+">([^<]+)</time>\s*'
            r'<span class="calendar-entry__kind">([^<]+)</span>\s*'
            r'<span class="calendar-entry__title">([^<]+)</span>',
            html,
        )
    ]


def test_an_editor_sees_go_lives_embargo_ends_expiries_and_assignments_in_the_week(
    client, people, week
):
    html = page(client, people["editor"], WEEK)

    assert entries(html) == [
        ("5:00 PM EST", "Due", "Council vote on cycle lanes"),
        ("7:30 PM EST", "Goes live", "Tram line opens tonight"),
        ("6:00 AM EST", "Embargo ends (goes live)", "Jobs figures rise"),
        # Daylight saving starts on Sunday: the time carries its own zone.
        ("12:00 PM EDT", "Expires", "Weekend road closures"),
    ]
    for key in ["scheduled", "embargoed", "expiring", "due"]:
        assert f'href="{admin_url(week[key])}"' in html
    assert "Calendar: week of 3 March 2025" in html
    assert (
        "Times are in the newsroom's zone, America/New_York "
        "(EST, UTC−05:00, then EDT, UTC−04:00)." in unescape(html)
    )


def test_the_month_shows_the_same_entries_in_a_grid_of_whole_weeks(client, people, week):
    html = page(client, people["editor"], MARCH)

    titles = [title for _, _, title in entries(html)]
    assert titles == [
        "Council vote on cycle lanes",
        "Tram line opens tonight",
        "Jobs figures rise",
        "Weekend road closures",
        "Cup semi-final preview",
    ]
    # March 2025 starts on a Saturday: the grid runs from Monday 24 February to 6 April.
    days = re.findall(r'<h2 class="calendar-day__date">', html)
    assert len(days) == 42
    assert 'Monday </span>24<span class="calendar-day__month"> February' in html
    assert 'class="calendar-day calendar-day--today"' in html


def test_the_calendar_without_a_month_is_this_month(client, people, week):
    html = page(client, people["editor"], reverse("admin:desk_calendar"))
    assert "Calendar: March 2025" in html
    assert "America/New_York (EST, UTC−05:00, then EDT, UTC−04:00)." in unescape(html)
    assert "Tram line opens tonight" in html


def test_a_journalist_sees_only_their_own_stories_and_assignments(client, people, week):
    for url in [WEEK, MARCH]:
        html = page(client, people["journalist"], url)
        assert [title for _, _, title in entries(html)] == [
            "Council vote on cycle lanes",
            "Tram line opens tonight",
        ]
        for hidden in ["Jobs figures rise", "Weekend road closures", "Cup semi-final preview"]:
            assert hidden not in html


def test_a_photo_editor_sees_every_story_but_no_assignment(client, people, week):
    html = page(client, people["photo_editor"], MARCH)
    assert [title for _, _, title in entries(html)] == [
        "Tram line opens tonight",
        "Jobs figures rise",
        "Weekend road closures",
    ]


def test_legal_and_non_staff_have_no_calendar(client, people, week):
    client.force_login(people["legal"])
    assert client.get(MARCH).status_code == 403
    client.logout()
    response = client.get(MARCH)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    reader = people["other_journalist"]
    reader.is_staff = False
    reader.save()
    client.force_login(reader)
    assert client.get(WEEK).status_code == 302


def test_drafts_and_stories_without_dates_are_not_on_the_calendar(client, people, sections):
    ArticleFactory(headline="Draft without a date", status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(
        headline="Unpublished with an old date",
        status=Article.Status.UNPUBLISHED,
        published_at=at(4, 9),
    )
    html = page(client, people["editor"], WEEK)
    assert entries(html) == []
    assert "Nothing scheduled." in html


def test_the_section_filter_narrows_every_kind_and_stays_on_the_navigation(client, people, week):
    html = page(client, people["editor"], f"{MARCH}?section=sport")

    assert [title for _, _, title in entries(html)] == [
        "Weekend road closures",
        "Cup semi-final preview",
    ]
    assert '<option value="sport" selected>Sport</option>' in html
    previous = reverse("admin:desk_calendar_month", args=[2025, 2])
    following = reverse("admin:desk_calendar_month", args=[2025, 4])
    assert f'href="{previous}?section=sport" rel="prev"' in html
    assert f'href="{following}?section=sport" rel="next"' in html


def test_an_unknown_section_is_said_and_everything_is_shown(client, people, week):
    html = page(client, people["editor"], f"{MARCH}?section=nope")
    assert "Select a valid choice." in html
    assert len(entries(html)) == 5


def test_previous_and_next_pages_and_today(client, people, week):
    html = page(client, people["editor"], WEEK)
    assert f'href="{reverse("admin:desk_calendar_week", args=[2025, 2, 24])}" rel="prev"' in html
    assert f'href="{reverse("admin:desk_calendar_week", args=[2025, 3, 10])}" rel="next"' in html
    assert f'href="{MARCH}">Month view' in html

    # Any day of a week shows that week, from its Monday.
    html = page(client, people["editor"], reverse("admin:desk_calendar_week", args=[2025, 3, 9]))
    assert "Calendar: week of 3 March 2025" in html

    # Across the year's end.
    html = page(client, people["editor"], reverse("admin:desk_calendar_month", args=[2025, 12]))
    assert f'href="{reverse("admin:desk_calendar_month", args=[2026, 1])}" rel="next"' in html
    html = page(client, people["editor"], reverse("admin:desk_calendar_month", args=[2025, 1]))
    assert f'href="{reverse("admin:desk_calendar_month", args=[2024, 12])}" rel="prev"' in html


@pytest.mark.parametrize(
    "url",
    [
        "/admin/desk/assignment/calendar/2025/13/",
        "/admin/desk/assignment/calendar/2025/0/",
        "/admin/desk/assignment/calendar/99999/1/",
        "/admin/desk/assignment/calendar/week/2025/2/30/",
        "/admin/desk/assignment/calendar/week/1/1/1/",
    ],
)
def test_days_and_months_that_do_not_exist_are_not_found(client, people, url):
    client.force_login(people["editor"])
    assert client.get(url).status_code == 404


def test_a_busy_day_in_the_month_shows_four_and_links_to_its_week(client, people, sections):
    for minute in range(6):
        ArticleFactory(
            headline=f"Story {minute}", section=sections["news"], published_at=at(12, 9, minute)
        )
    html = page(client, people["editor"], MARCH)
    assert len(entries(html)) == 4
    week_of_the_12th = reverse("admin:desk_calendar_week", args=[2025, 3, 10])
    assert f'<a class="calendar-day__more" href="{week_of_the_12th}">2 more that day</a>' in html
    assert len(entries(page(client, people["editor"], week_of_the_12th))) == 6


def test_a_started_assignment_links_to_its_story(client, people, week):
    from desk.planning import assignment_start_draft

    draft = assignment_start_draft(assignment=week["due"], user=people["journalist"])
    html = page(client, people["journalist"], WEEK)
    assert f'href="{admin_url(draft)}"' in html
    assert "Assignment for Anna Nowak, draft started" in html


def test_the_pages_link_to_each_other_and_to_the_feed(client, people, week):
    html = page(client, people["journalist"], reverse("admin:desk_assignment_changelist"))
    assert f'href="{reverse("admin:desk_calendar")}"' in html
    html = page(client, people["journalist"], MARCH)
    assert f'href="{reverse("admin:desk_calendar_feed")}"' in html


def grow(sections, people, count, day):
    """`count` more stories of each kind and assignments on `day`, across both sections."""
    for number in range(count):
        section = sections["news"] if number % 2 else sections["sport"]
        story(
            f"Scheduled {day}-{number}",
            section,
            by=people["journalist"],
            published_at=at(day, 8, number),
        )
        story(
            f"Embargoed {day}-{number}",
            section,
            by=people["other_journalist"],
            published_at=at(day, 7),
            embargo_until=at(day, 9, number),
            expire_at=at(day + 1, 9, number),
        )
        Assignment.objects.create(
            working_headline=f"Assignment {day}-{number}",
            section=section,
            assignee=people["journalist"] if number % 2 else people["other_journalist"],
            due_at=at(day, 16, number),
        )


@pytest.mark.parametrize("role", ["editor", "journalist", "photo_editor"])
def test_each_view_costs_the_same_queries_however_much_is_scheduled(
    client, people, sections, django_assert_max_num_queries, role
):
    client.force_login(people[role])
    urls = [MARCH, WEEK, f"{MARCH}?section=news", f"{WEEK}?section=sport"]
    budgets = {}
    for day, count in [(4, 2), (6, 25)]:
        grow(sections, people, count, day)
        for url in urls:
            with django_assert_max_num_queries(10) as queries:
                assert client.get(url).status_code == 200
            budgets.setdefault(url, set()).add(len(queries))
    assert all(len(counts) == 1 for counts in budgets.values()), budgets
