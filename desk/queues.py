"""The desk's queues, declared once: the admin home reads `REGISTRY`, in its order.

An entry says what the queue is called, whose desk it belongs on (the roles below), how to
find its rows (a queryset builder that applies the reader's visibility), how to write each
line, how many lines to show and where the full list is. Adding a queue is one entry here
and its builder: an "Assignments" queue, for example, is

    Queue(
        key="assignments",
        title="My assignments",
        roles=WRITING_ROLES,
        items=assignment_queues.assigned_to_me,   # (viewer) -> queryset, in the queue's order
        rows=assignment_queues.assignment_rows,   # (objects, viewer) -> [Row]
        empty="Nothing is assigned to you.",
    )

placed where it should appear (marked below). Each queue costs one query for its rows, one
for a count when it has more rows than it shows, and its builder's prefetches: the same
number however many stories the newsroom holds (tests/test_desk_queries.py).
"""

from collections.abc import Callable
from dataclasses import dataclass

from articles import policies, roles

from . import article_queues, assignment_queues, notice_queues, photo_queues
from .rows import Row, Viewer

# Whose desk a queue belongs on: the newsroom's roles (articles/roles.py), recognised by
# what a person may do rather than by the name of their group, so a custom group with an
# editor's permissions gets an editor's desk.
JOURNALIST = roles.JOURNALIST
EDITOR = roles.EDITOR
PHOTO_EDITOR = roles.PHOTO_EDITOR
LEGAL = roles.LEGAL
WRITING_ROLES = frozenset({JOURNALIST, EDITOR})
EVERYONE = frozenset({JOURNALIST, EDITOR, PHOTO_EDITOR, LEGAL})


def roles_of(user):
    """The desk roles `user` holds; a superuser holds every role but the journalist's."""
    if not (user.is_active and user.is_staff):
        return frozenset()
    held = set()
    if user.is_superuser or policies.is_editor(user):
        held.add(EDITOR)
    elif user.has_perm("articles.change_article"):
        held.add(JOURNALIST)
    if user.is_superuser or policies.is_photo_editor(user):
        held.add(PHOTO_EDITOR)
    if user.has_perm("legal.change_notice"):
        held.add(LEGAL)
    return frozenset(held)


@dataclass(frozen=True)
class Queue:
    key: str
    title: str
    roles: frozenset
    items: Callable  # (viewer) -> queryset of what this reader may see, in order
    rows: Callable  # (fetched objects, viewer) -> list of Row
    limit: int = 6
    empty: str = "Nothing here."
    # The full list, linked when the queue holds more than it shows: (viewer) -> URL or "".
    more: Callable = None
    more_label: str = "See all"
    # Roles that see the queue only when it holds something: an editor who writes sees
    # their drafts, one who does not is not shown an empty box above the review queue.
    optional_for: frozenset = frozenset()


@dataclass(frozen=True)
class FilledQueue:
    queue: Queue
    rows: list
    count: int
    more_url: str

    @property
    def key(self):
        return self.queue.key

    @property
    def title(self):
        return self.queue.title

    @property
    def hidden(self):
        return self.count - len(self.rows)


REGISTRY = (
    Queue(
        key="sent_back",
        title="Sent back to me",
        roles=WRITING_ROLES,
        optional_for=frozenset({EDITOR}),
        items=article_queues.sent_back_to_me,
        rows=article_queues.sent_back_rows,
        empty="Nothing has been sent back to you.",
        more=lambda viewer: article_queues.story_list_url(state="sent_back"),
    ),
    Queue(
        key="my_drafts",
        title="My drafts",
        roles=WRITING_ROLES,
        optional_for=frozenset({EDITOR}),
        items=article_queues.my_drafts,
        rows=article_queues.draft_rows,
        empty="You have no drafts.",
        more=article_queues.my_drafts_list,
    ),
    Queue(
        key="assignments",
        title="My assignments",
        roles=WRITING_ROLES,
        optional_for=frozenset({EDITOR}),
        items=assignment_queues.assigned_to_me,
        rows=assignment_queues.assignment_rows,
        empty="Nothing is assigned to you.",
        more=assignment_queues.my_assignments_url,
    ),
    Queue(
        key="awaiting_review",
        title="Awaiting review",
        roles=WRITING_ROLES,
        items=article_queues.awaiting_review,
        rows=article_queues.review_rows,
        limit=8,
        empty="No story is waiting for review.",
        more=lambda viewer: article_queues.story_list_url(state="in_review"),
    ),
    Queue(
        key="approved",
        title="Approved, not scheduled",
        roles=frozenset({EDITOR}),
        items=article_queues.approved_not_scheduled,
        rows=article_queues.approved_rows,
        empty="No approved story is waiting for a time.",
        more=lambda viewer: article_queues.story_list_url(state="approved"),
    ),
    Queue(
        key="going_live_today",
        title="Going live today",
        roles=frozenset({JOURNALIST, EDITOR, PHOTO_EDITOR}),
        items=article_queues.going_live_today,
        rows=article_queues.today_rows,
        limit=8,
        empty="Nothing more goes live today.",
        more=article_queues.scheduled_url,
    ),
    Queue(
        key="going_live_week",
        title="Going live this week",
        roles=frozenset({JOURNALIST, EDITOR}),
        items=article_queues.going_live_this_week,
        rows=article_queues.week_rows,
        empty="Nothing is scheduled for the next seven days.",
        more=article_queues.scheduled_url,
    ),
    Queue(
        key="embargoed",
        title="Embargoed",
        roles=frozenset({EDITOR}),
        items=article_queues.embargoed,
        rows=article_queues.embargo_rows,
        empty="No story is under embargo.",
        more=lambda viewer: article_queues.story_list_url(state="embargoed"),
    ),
    Queue(
        key="rights_ending",
        title="Photo rights ending soon",
        roles=frozenset({PHOTO_EDITOR, EDITOR}),
        items=photo_queues.rights_ending_soon,
        rows=photo_queues.rights_rows,
        empty="No photo's rights end in the next seven days.",
        more=photo_queues.rights_report_url,
        more_label="Rights report",
    ),
    Queue(
        key="stale_drafts",
        title="Stale drafts",
        roles=frozenset({EDITOR}),
        items=article_queues.stale_drafts,
        rows=article_queues.stale_rows,
        empty="No draft has been left untouched for seven days.",
    ),
    Queue(
        key="recently_published",
        title="Recently published",
        roles=frozenset({JOURNALIST, EDITOR}),
        items=article_queues.recently_published,
        rows=article_queues.published_rows,
        empty="Nothing was published in the last seven days.",
        more=lambda viewer: article_queues.story_list_url(state="published"),
    ),
    Queue(
        key="notices_taking_effect",
        title="Notices taking effect",
        roles=frozenset({LEGAL}),
        items=notice_queues.taking_effect,
        rows=notice_queues.taking_effect_rows,
        empty="No new notice wording is waiting to come into force.",
        more=notice_queues.notices_url,
        more_label="All notices",
    ),
    Queue(
        key="notices_in_force",
        title="Notices changed in the last 30 days",
        roles=frozenset({LEGAL}),
        items=notice_queues.recently_in_force,
        rows=notice_queues.in_force_rows,
        empty="No notice has changed in the last 30 days.",
        more=notice_queues.notices_url,
        more_label="All notices",
    ),
)


def fill(queue, viewer):
    """The queue's first rows and its full count: counted only when it is fuller than shown."""
    found = queue.items(viewer)
    objects = list(found[: queue.limit])
    count = len(objects) if len(objects) < queue.limit else found.count()
    more_url = ""
    if queue.more is not None and count > len(objects):
        more_url = queue.more(viewer)
    return FilledQueue(queue, queue.rows(objects, viewer), count, more_url)


def queues_for(viewer):
    """The queues on this person's desk, filled, in the registry's order."""
    shown = []
    for queue in REGISTRY:
        roles = queue.roles & viewer.roles
        if not roles:
            continue
        filled = fill(queue, viewer)
        if filled.count or not roles <= queue.optional_for:
            shown.append(filled)
    return shown


__all__ = ["REGISTRY", "Queue", "Row", "Viewer", "queues_for", "roles_of"]
