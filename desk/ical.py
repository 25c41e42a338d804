"""Each person's calendar as an iCalendar feed (RFC 5545), built with the `icalendar` library.

The same entries the admin calendar shows them (desk/calendar.py), from two weeks back to
half a year ahead, in the newsroom's zone with its VTIMEZONE. UIDs are stable per event
(an article's go-live keeps its UID when it is rescheduled), so calendar apps move the
event instead of adding a new one.
"""

from datetime import timedelta

import icalendar
from django.conf import settings
from django.utils import timezone

from core.links import absolute_url

from . import calendar

PAST_DAYS = 14
FUTURE_DAYS = 183
REFRESH = timedelta(hours=1)


def feed_window(now):
    return now - timedelta(days=PAST_DAYS), now + timedelta(days=FUTURE_DAYS)


def description(entry, url):
    lines = [
        f"{entry.label}: {entry.title}",
        f"Section: {entry.section}",
        f"State: {entry.state}",
    ]
    if entry.notes:
        lines += ["", entry.notes]
    lines += ["", f"Open in the admin: {url}"]
    return "\n".join(lines)


def calendar_feed(user):
    """The iCalendar bytes of everything `user` may see in the feed's window."""
    now = timezone.now()
    start, end = feed_window(now)
    zone = timezone.get_current_timezone()
    feed = icalendar.Calendar.new(
        prodid=f"-//{settings.SITE_NAME}//Newsroom desk calendar//EN",
        name=f"{settings.SITE_NAME}: {user.get_full_name() or user.get_username()}'s desk",
        description="Go-lives, embargo ends, expiries and assignments' due times.",
        refresh_interval=REFRESH,
        # The same calendar on every fetch, so an app keeps one subscription.
        uid=f"desk-calendar-{user.pk}@{settings.SITE_DOMAIN}",
    )
    # Older apps (Outlook) read this instead of RFC 7986's REFRESH-INTERVAL.
    feed.add("X-PUBLISHED-TTL", icalendar.vDuration(REFRESH))
    for entry in calendar.entries_between(user, start, end):
        url = absolute_url(entry.url)
        event = icalendar.Event.new(
            uid=f"{entry.uid}@{settings.SITE_DOMAIN}",
            stamp=now,
            start=timezone.localtime(entry.at, zone),
            summary=f"{entry.label}: {entry.title}",
            description=description(entry, url),
            url=url,
            categories=[entry.section],
            # A moment, not a meeting: it takes no time in anyone's day.
            transparency="TRANSPARENT",
        )
        feed.add_component(event)
    feed.add_missing_timezones(first_date=start, last_date=end)
    return feed.to_ical()
