"""What the calendar shows: go-lives, embargo ends and expiries of the stories a person may
see, and the due times of their assignments, in the newsroom's zone.

One query for the articles and one for the assignments, whatever the window holds: the
month and week pages and the iCalendar feed all read `entries_between()`.
"""

import calendar as calendar_grid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from articles import policies
from articles.models import Article

from . import planning

GO_LIVE = "go_live"
EMBARGO_END = "embargo_end"
EXPIRY = "expiry"
DUE = "due"

KIND_LABELS = {
    GO_LIVE: "Goes live",
    EMBARGO_END: "Embargo ends",
    EXPIRY: "Expires",
    DUE: "Due",
}
# Within one minute, the order a desk reads them in.
KIND_ORDER = {DUE: 0, EMBARGO_END: 1, GO_LIVE: 2, EXPIRY: 3}

STATE_LABELS = {
    **dict(Article.Status.choices),
    "scheduled": "Scheduled",
    "embargoed": "Embargoed",
    "expired": "Expired",
}


@dataclass(frozen=True)
class Entry:
    at: datetime
    kind: str
    label: str  # "Goes live", "Embargo ends (goes live)", "Due"…
    title: str  # the headline, or the assignment's working headline
    section: str
    url: str  # its story's admin page (an open assignment's own page)
    uid: str  # stable per event: the feed's UID
    state: str  # the story's state in words, or the assignment's
    notes: str = ""

    @property
    def local_day(self):
        return timezone.localtime(self.at).date()


def may_use_calendar(user):
    """Staff who may see some story or some assignment; others (Legal) have no calendar."""
    if not planning.is_staff_member(user):
        return False
    return (
        user.has_perm("articles.view_article")
        or user.has_perm("articles.change_article")
        or user.has_perm("desk.view_assignment")
    )


def local_midnight(day):
    return datetime.combine(day, time(0), tzinfo=timezone.get_current_timezone())


def month_grid(year, month):
    """The weeks (Monday first) that show `month`, days of the months around included."""
    return calendar_grid.Calendar(firstweekday=0).monthdatescalendar(year, month)


def week_of(day):
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=offset) for offset in range(7)]


def article_entries(article, start, end):
    """The events of one article that fall in [start, end)."""
    admin_url = reverse("admin:articles_article_change", args=[article.pk])
    state = STATE_LABELS.get(article.state, article.state)
    found = []
    published = article.status == Article.Status.PUBLISHED
    embargo = article.embargo_until
    # Under an embargo that ends later, the story goes live when it ends: one event, there.
    if published and article.published_at and (embargo is None or embargo < article.published_at):
        found.append((article.published_at, GO_LIVE, KIND_LABELS[GO_LIVE]))
    if embargo:
        label = KIND_LABELS[EMBARGO_END]
        if published and article.published_at and embargo >= article.published_at:
            label = f"{label} (goes live)"
        found.append((embargo, EMBARGO_END, label))
    if article.expire_at:
        found.append((article.expire_at, EXPIRY, KIND_LABELS[EXPIRY]))
    return [
        Entry(
            at=at,
            kind=kind,
            label=label,
            title=article.headline,
            section=article.section.name,
            url=admin_url,
            uid=f"{kind}-article-{article.pk}",
            state=state,
        )
        for at, kind, label in found
        if start <= at < end
    ]


def assignment_entry(assignment, user, sees_all_articles):
    story = assignment.article
    # A started assignment links to its story, when its reader may open that story.
    if story is not None and (sees_all_articles or story.created_by_id == user.pk):
        url = reverse("admin:articles_article_change", args=[story.pk])
    else:
        url = reverse("admin:desk_assignment_change", args=[assignment.pk])
    assignee = assignment.assignee
    return Entry(
        at=assignment.due_at,
        kind=DUE,
        label=KIND_LABELS[DUE],
        title=assignment.working_headline,
        section=assignment.section.name,
        url=url,
        uid=f"due-assignment-{assignment.pk}",
        state=(
            f"Assignment for {assignee.get_full_name() or assignee.get_username()}, "
            f"{'draft started' if assignment.is_started else 'not started'}"
        ),
        notes=assignment.notes,
    )


def entries_between(user, start, end, section=None):
    """Every entry `user` may see in [start, end), in time order; `section` narrows it."""
    if not may_use_calendar(user):
        return []
    in_window = (
        Q(status=Article.Status.PUBLISHED, published_at__gte=start, published_at__lt=end)
        | Q(embargo_until__gte=start, embargo_until__lt=end)
        | Q(expire_at__gte=start, expire_at__lt=end)
    )
    articles = policies.visible_articles(user, Article.objects.filter(in_window))
    assignments = planning.visible_assignments(user).filter(due_at__gte=start, due_at__lt=end)
    if section is not None:
        articles = articles.filter(section=section)
        assignments = assignments.filter(section=section)
    articles = articles.select_related("section").only(
        "headline", "status", "published_at", "embargo_until", "expire_at", "section__name"
    )
    assignments = assignments.select_related("section", "assignee", "article").only(
        "working_headline",
        "due_at",
        "notes",
        "started_at",
        "section__name",
        "assignee__username",
        "assignee__first_name",
        "assignee__last_name",
        "article__created_by",
    )
    sees_all = policies.sees_every_article(user)
    entries = [entry for article in articles for entry in article_entries(article, start, end)]
    entries += [assignment_entry(assignment, user, sees_all) for assignment in assignments]
    return sorted(entries, key=lambda entry: (entry.at, KIND_ORDER[entry.kind], entry.title))


def by_day(entries):
    days = {}
    for entry in entries:
        days.setdefault(entry.local_day, []).append(entry)
    return days


def today():
    return timezone.localdate()


def valid_month(year, month):
    """Whether (year, month) is a real month the calendar can page from and to."""
    return 1 <= month <= 12 and date.min.year < year < date.max.year
