"""The admin home as each person's desk: their queues, the month's output, today's schedule.

Built by the `{% editorial_desk %}` tag in templates/admin/index.html, the way Django's own
index builds its recent actions with `{% get_admin_log %}`: the admin site stays Django's,
and no app below the desk learns of it.
"""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from articles import policies

from . import charts
from .queues import EDITOR, JOURNALIST, PHOTO_EDITOR, Viewer, queues_for, roles_of

# Views that other parts of the desk may add: linked once their URL exists.
CALENDAR_URL_NAMES = ("admin:desk_calendar",)
# Who sees today's schedule: the roles that may read stories before readers do.
SCHEDULE_ROLES = frozenset({JOURNALIST, EDITOR, PHOTO_EDITOR})


@dataclass
class Desk:
    viewer: Viewer
    queues: list
    chart: object = None
    timeline: object = None
    links: list = field(default_factory=list)  # (label, URL)

    @property
    def roles(self):
        return sorted(self.viewer.roles)


def first_url(names):
    """The first of `names` that resolves, or ""."""
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


def desk_links(viewer):
    user = viewer.user
    links = []
    if user.has_perm("articles.add_article"):
        links.append(("Write a story", reverse("admin:articles_article_add")))
    if user.has_perm("desk.add_assignment"):
        links.append(("Plan a story", reverse("admin:desk_assignment_add")))
    if viewer.roles & SCHEDULE_ROLES:
        calendar = first_url(CALENDAR_URL_NAMES)
        if calendar:
            links.append(("Calendar", calendar))
    if user.is_superuser or policies.is_editor(user):
        links.append(("Scheduled in the coming days", reverse("admin:articles_article_scheduled")))
    if viewer.has_perm("media.view_photo") and PHOTO_EDITOR in viewer.roles:
        links.append(("Photo rights report", reverse("admin:media_photo_rights_report")))
    return links


def desk_for(user, now=None):
    roles = roles_of(user)
    viewer = Viewer(user, roles) if now is None else Viewer(user, roles, now)
    if not roles:
        return Desk(viewer, [])
    return Desk(
        viewer,
        queues_for(viewer),
        chart=charts.published_chart(viewer),
        timeline=charts.today_timeline(viewer) if roles & SCHEDULE_ROLES else None,
        links=desk_links(viewer),
    )
