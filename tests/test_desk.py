"""The admin home is each person's desk: their queues, today's schedule and the month's output.

Read through the admin as each role reads it; the newsroom is made through the real
workflow (tests/desk_newsroom.py) at a fixed moment, Tuesday 3 March 2026, 10:00 EST.
"""

import re
from datetime import timedelta
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from articles import roles, services
from desk.queues import REGISTRY

from .desk_newsroom import NEW_YORK, NOW, SEND_BACK_COMMENT, at, draft, newsroom, people
from .factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def room():
    who, stories, photo = newsroom()
    with time_machine.travel(NOW, tick=False):
        yield who, stories, photo


def desk_of(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    # Durations keep their number and unit together with no-break spaces.
    return response.content.decode().replace("\xa0", " ")


def queue(html, key):
    """The HTML of one queue on the page, or None when the desk does not show it."""
    found = re.search(
        rf'<section class="module desk-queue" id="queue-{key}".*?</section>', html, re.S
    )
    return found.group(0) if found else None


def shown_queues(html):
    return re.findall(r'<section class="module desk-queue" id="queue-([a-z_]+)"', html)


def headlines(html):
    found = re.findall(r'class="desk-row__title" href="[^"]+">([^<]+)</a>', html)
    return [unescape(title) for title in found]


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_a_journalist_sees_their_own_work_and_what_was_sent_back(client, room):
    who, stories, _ = room
    html = desk_of(client, who["journalist"])

    assert shown_queues(html) == [
        "sent_back",
        "my_drafts",
        "assignments",
        "awaiting_review",
        "going_live_today",
        "going_live_week",
        "recently_published",
    ]
    assert "Nothing is assigned to you." in queue(html, "assignments")
    sent_back = queue(html, "sent_back")
    assert "Cinema chain plans a screen in every district" in sent_back
    assert f'href="{change_url(stories["sent_back"])}"' in sent_back
    # The editor's words, and who said them, without opening the story.
    assert SEND_BACK_COMMENT in sent_back
    assert "Dana Desk" in sent_back
    assert "sent back 2 hours ago" in sent_back
    assert headlines(queue(html, "my_drafts")) == [
        "Allotment waiting list reaches ten years",
        "Forgotten draft about the old pier",
    ]
    assert headlines(queue(html, "awaiting_review")) == ["Museum opens a night gallery"]
    assert headlines(queue(html, "going_live_today")) == ["Tram line extension opens tonight"]
    assert "7:00 PM EST" in queue(html, "going_live_today")
    assert headlines(queue(html, "going_live_week")) == []
    assert headlines(queue(html, "recently_published")) == ["Harbour bridge reopens after repairs"]


def test_a_journalist_never_sees_a_colleagues_work(client, room):
    who, stories, _ = room
    html = desk_of(client, who["journalist"])
    for colleagues in ("bob_draft", "oldest_review", "friday", "embargoed", "bob_published"):
        assert stories[colleagues].headline not in html, colleagues
        assert change_url(stories[colleagues]) not in html, colleagues
    # Nor the desk's queues, nor the photos' or the notices'.
    for key in ("approved", "embargoed", "stale_drafts", "rights_ending", "notices_taking_effect"):
        assert queue(html, key) is None, key


def test_an_editor_reads_the_review_queue_oldest_first_with_the_wait(client, room):
    who, stories, _ = room
    html = desk_of(client, who["editor"])

    assert shown_queues(html) == [
        "awaiting_review",
        "approved",
        "going_live_today",
        "going_live_week",
        "embargoed",
        "rights_ending",
        "stale_drafts",
        "recently_published",
    ]
    review = queue(html, "awaiting_review")
    assert headlines(review) == [
        "Night ferry returns for the summer",
        "Museum opens a night gallery",
    ]
    assert "waiting 5 hours, 20 minutes" in review
    assert "waiting 30 minutes" in review
    assert "submitted by Bob Brown" in review
    assert "Tue, Mar 3, 4:40 AM EST" in review  # when it was submitted, in the newsroom's zone
    assert "Ready for the desk." in review
    assert headlines(queue(html, "approved")) == ["Choir of 500 voices on the harbour steps"]
    assert "approved 3 hours ago" in queue(html, "approved")
    # The embargoed story goes live when its embargo ends, tomorrow: the week lists it first.
    assert headlines(queue(html, "going_live_week")) == [
        "Quarterly jobs figures show a rise in hiring",
        "Youth orchestra announces its autumn tour",
    ]
    assert "Fri, Mar 6, 9:00 AM EST" in queue(html, "going_live_week")
    embargoed = queue(html, "embargoed")
    assert headlines(embargoed) == ["Quarterly jobs figures show a rise in hiring"]
    assert "until Wed, Mar 4, 6:00 AM EST" in embargoed
    stale = queue(html, "stale_drafts")
    assert headlines(stale) == ["Forgotten draft about the old pier"]
    assert "untouched for 1 week, 2 days" in stale
    assert headlines(queue(html, "recently_published")) == [
        "Ferry operator names a new captain",
        "Harbour bridge reopens after repairs",
    ]
    # No box of their own drafts when they have none: a writer's draft is theirs until
    # they submit it, and an editor who does not write needs no empty queue.
    assert queue(html, "my_drafts") is None
    assert queue(html, "sent_back") is None
    assert queue(html, "notices_taking_effect") is None


def test_counts_at_a_glance_link_to_their_queues(client, room):
    who, _, _ = room
    html = desk_of(client, who["editor"])
    glance = re.search(r'<nav class="desk-glance".*?</nav>', html, re.S).group(0)
    assert re.search(
        r'href="#queue-awaiting_review"><strong[^>]*>2</strong> Awaiting review', glance
    )
    assert re.search(r'href="#queue-approved"><strong[^>]*>1</strong> Approved', glance)
    assert re.search(r'href="#queue-recently_published"><strong[^>]*>2</strong>', glance)
    journalist = desk_of(client, who["journalist"])
    assert re.search(r'<strong class="[^"]*--zero">0</strong> Going live this week', journalist)


def test_a_full_queue_shows_its_first_lines_its_count_and_the_full_list(client, room):
    who, stories, _ = room
    limit = next(queue for queue in REGISTRY if queue.key == "my_drafts").limit
    for n in range(limit + 3):
        draft(f"Extra draft {n}", who["journalist"])
    html = desk_of(client, who["journalist"])
    drafts = queue(html, "my_drafts")
    assert len(headlines(drafts)) == limit
    assert (
        f'<span class="desk-count" title="{limit + 5} in this queue">{limit + 5}</span>' in drafts
    )
    assert f'href="{reverse("admin:articles_article_changelist")}?state=draft"' in drafts


def test_a_photo_editor_sees_rights_ending_and_todays_schedule(client, room):
    who, stories, photo = room
    html = desk_of(client, who["photo_editor"])
    assert shown_queues(html) == ["going_live_today", "rights_ending"]
    rights = queue(html, "rights_ending")
    assert "The bridge at dawn" in rights
    assert f'href="{reverse("admin:media_photo_change", args=[photo.pk])}"' in rights
    assert "rights end Fri, Mar 6, 10:00 AM EST" in rights
    assert "used by “Harbour bridge reopens after repairs”" in rights


def test_legal_sees_notices_taking_effect_and_no_story(client, room):
    who, stories, _ = room
    html = desk_of(client, who["legal"])
    assert shown_queues(html) == ["notices_taking_effect", "notices_in_force"]
    assert "Privacy notice (version 2)" in queue(html, "notices_taking_effect")
    assert "takes effect Sun, Mar 8, 10:00 AM EDT" in queue(html, "notices_taking_effect")
    for story in stories.values():
        assert story.headline not in html
    assert 'class="desk-timeline"' not in html  # no schedule: legal may not read stories


def test_the_app_list_stays_beside_the_desk(client, room):
    who, _, _ = room
    html = desk_of(client, who["editor"])
    side = html[html.index('id="content-related"') :]
    assert reverse("admin:articles_article_changelist") in side
    assert "Site administration" in side


def test_someone_without_a_role_gets_the_app_list_and_no_queues(client, room):
    html = desk_of(client, UserFactory(username="intern"))
    assert shown_queues(html) == []
    assert "no newsroom role" in html


def test_todays_schedule_is_a_timeline_with_a_text_alternative(client, room):
    who, stories, _ = room
    html = desk_of(client, who["editor"])
    timeline = re.search(
        r'<section class="module desk-panel" aria-labelledby="desk-timeline-title">.*?</section>',
        html,
        re.S,
    ).group(0)
    svg = re.search(r"<svg class=\"desk-timeline\".*?</svg>", timeline, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "Tuesday, March 3" in svg and "(EST)" in svg
    # Gone live this morning and still to come tonight; the embargoed one goes tomorrow.
    assert svg.count("<circle") == 3
    assert "desk-timeline__mark--live" in svg and "desk-timeline__mark--upcoming" in svg
    listing = re.search(r'<ol class="desk-schedule">.*?</ol>', timeline, re.S).group(0)
    assert re.search(r"8:00 AM EST</span> <a href=\"[^\"]+\">Harbour bridge reopens", listing)
    assert re.search(r"7:00 PM EST</span> <a href=\"[^\"]+\">Tram line extension", listing)
    assert change_url(stories["tonight"]) in listing


def test_the_months_output_is_a_chart_by_section_with_a_table(client, room):
    who, _, _ = room
    html = desk_of(client, who["legal"])  # published figures are public: every desk has them
    chart = re.search(r'<svg class="desk-chart".*?</svg>', html, re.S).group(0)
    assert 'role="img"' in chart
    assert "2 stories in 30 days; the busiest day was Mar 3, with 2." in chart
    assert chart.count("<rect") == 2  # one bar, a segment per section
    assert "<title>Mar 3: 1 in News</title>" in chart
    assert "<title>Mar 3: 1 in World</title>" in chart
    table = re.search(r'<details class="desk-data">.*?</details>', html, re.S).group(0)
    assert '<th scope="col">News</th><th scope="col">World</th>' in table
    assert table.count('<th scope="row">') == 30
    assert '<th scope="row">Mar 3</th><td>1</td><td>1</td><td>2</td>' in table
    assert '<th scope="row">Feb 2</th><td>0</td><td>0</td><td>0</td>' in table


def test_the_desk_needs_no_script_or_inline_style(client, room):
    who, _, _ = room
    client.force_login(who["editor"])
    response = client.get(reverse("admin:index"))
    html = response.content.decode()
    desk = html[html.index('<div class="desk">') : html.index('id="content-related"')]
    assert "<script" not in desk
    assert " style=" not in desk
    assert "style-src 'self'" in response["Content-Security-Policy"]


def test_the_desk_links_the_calendar_for_those_who_have_one(client, room):
    who, _, _ = room
    calendar = f'<a href="{reverse("admin:desk_calendar")}">Calendar</a>'
    for role in ("journalist", "editor", "photo_editor"):
        assert calendar in desk_of(client, who[role]), role
    assert ">Calendar</a>" not in desk_of(client, who["legal"])
    html = desk_of(client, who["editor"])
    assert f'href="{reverse("admin:articles_article_scheduled")}"' in html
    assert f'<a href="{reverse("admin:desk_assignment_add")}">Plan a story</a>' in html
    assert "Plan a story" not in desk_of(client, who["journalist"])


def test_an_editor_who_writes_sees_their_own_drafts(client, room):
    who, stories, _ = room
    draft("Editor's own column", who["editor"])
    html = desk_of(client, who["editor"])
    assert headlines(queue(html, "my_drafts")) == ["Editor's own column"]


def test_a_superuser_has_every_desk_but_the_journalists(client, room):
    html = desk_of(client, UserFactory(username="root", is_superuser=True))
    queues = shown_queues(html)
    assert "awaiting_review" in queues and "rights_ending" in queues
    assert "notices_taking_effect" in queues and "sent_back" not in queues


def test_times_follow_the_clock_through_the_day(client, room):
    who, stories, _ = room
    with time_machine.travel(NOW + timedelta(hours=10), tick=False):  # 8 PM: the tram is live
        html = desk_of(client, who["journalist"])
    assert headlines(queue(html, "going_live_today")) == []
    assert "Tram line extension opens tonight" in queue(html, "recently_published")


def test_an_inactive_or_non_staff_account_gets_no_desk(client, room):
    outsider = user_with_role(roles.EDITOR, username="gone", is_staff=False)
    client.force_login(outsider)
    assert client.get(reverse("admin:index")).status_code == 302


def test_today_is_the_newsrooms_day_on_a_clock_change(client):
    """8 March 2026 has 23 hours in New York: today ends at the next local midnight."""
    who = people()
    morning = NOW.replace(day=8, hour=10, tzinfo=NEW_YORK)  # EDT since 2 AM
    late = draft("Late edition goes out before midnight", who["journalist"])
    after = draft("Early edition goes out after midnight", who["journalist"])
    for story, moment in (
        (late, morning.replace(hour=23, minute=30)),
        (after, morning.replace(day=9, hour=0, minute=30)),
    ):
        at(morning, services.article_schedule, article=story, user=who["editor"], at=moment)
    with time_machine.travel(morning, tick=False):
        html = desk_of(client, who["editor"])
    assert headlines(queue(html, "going_live_today")) == ["Late edition goes out before midnight"]
    assert "11:30 PM EDT" in queue(html, "going_live_today")
    assert headlines(queue(html, "going_live_week"))[0] == "Early edition goes out after midnight"
    assert "Sunday, March 8" in html


def test_a_story_sent_back_a_moment_ago_says_just_now():
    from datetime import timedelta

    from django.utils import timezone

    from desk.rows import ago

    now = timezone.now()
    assert ago(now - timedelta(seconds=20), now) == "just now"
    assert ago(now - timedelta(minutes=3), now) == "3\xa0minutes ago"
