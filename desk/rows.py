"""What every desk queue is made of: who is looking, and the rows they are shown.

A queue's source (desk/article_queues.py, photo_queues.py, notice_queues.py) turns the
objects it found into `Row`s, so the template draws every queue alike, whatever it lists.
Times are written in the newsroom's zone with its abbreviation (`clock`, `day_and_clock`).
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import cached_property

from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.timesince import timesince, timeuntil


@dataclass(frozen=True)
class Row:
    """One line of a queue: what it is, where it opens, and what the person needs to know."""

    title: str
    url: str
    # The fact this queue is about, shown first: "waiting 3 hours", "2:05 PM EST".
    when: str = ""
    # Everything else worth a glance: the section, who, the exact time.
    facts: tuple = ()
    # Someone's words the person should read: an editor's reason for sending a story back.
    comment: str = ""
    comment_by: str = ""
    # An article's state (the admin's badge classes) or another short label.
    badge: str = ""
    badge_label: str = ""


@dataclass
class Viewer:
    """The person at the desk and the moment the desk is drawn, shared by every queue."""

    user: object
    roles: frozenset
    now: datetime = field(default_factory=timezone.now)

    @cached_property
    def today_start(self):
        """Midnight that began today in the newsroom's zone."""
        local = timezone.localtime(self.now)
        return datetime.combine(local.date(), time(0), tzinfo=local.tzinfo)

    @cached_property
    def today_end(self):
        """The next midnight in the newsroom's zone (23 or 25 hours away on a clock change)."""
        return day_start(self.today_start, 1)

    def has_perm(self, permission):
        return self.user.has_perm(permission)


def day_start(start, days):
    """Midnight `days` local days after the midnight `start`, daylight saving included."""
    local = timezone.localtime(start)
    day = (local + timedelta(days=days, hours=12)).date()
    return datetime.combine(day, time(0), tzinfo=timezone.get_current_timezone())


def clock(value):
    """`2:05 PM EST`: a time of today, in the newsroom's zone."""
    return date_filter(timezone.localtime(value), "g:i A T")


def day_and_clock(value):
    """`Tue, Mar 4, 9:00 AM EST`."""
    return date_filter(timezone.localtime(value), "D, M j, g:i A T")


def span(since, until):
    """`3 hours, 20 minutes`: the two largest units, never negative."""
    if until <= since:
        return "0 minutes"
    return timesince(since, until, depth=2)


def ago(value, now):
    # timesince() says "0 minutes" for the first minute; a person says "just now".
    if now - value < timedelta(minutes=1):
        return "just now"
    return f"{span(value, now)} ago"


def ahead(value, now):
    return f"in {timeuntil(value, now, depth=2)}" if value > now else "now"


def person(user):
    if user is None:
        return "someone"
    return user.get_full_name() or user.get_username()
