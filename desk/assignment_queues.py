"""The desk's queue of a writer's assignments: planned stories whose draft is not started,
soonest due first. Who sees which is desk/planning.py's rule; each line opens the
assignment, where "Start the draft" is one click."""

from django.urls import reverse

from .planning import open_assignments_for, sees_every_assignment
from .rows import Row, ago, ahead, day_and_clock


def assigned_to_me(viewer):
    return open_assignments_for(viewer.user)


def assignment_rows(assignments, viewer):
    rows = []
    for assignment in assignments:
        due = assignment.due_at
        when = (
            f"overdue, due {ago(due, viewer.now)}"
            if due <= viewer.now
            else f"due {ahead(due, viewer.now)}"
        )
        rows.append(
            Row(
                title=assignment.working_headline,
                url=reverse("admin:desk_assignment_change", args=[assignment.pk]),
                when=when,
                facts=(assignment.section.name, day_and_clock(due)),
            )
        )
    return rows


def my_assignments_url(viewer):
    """The full list of the person's open assignments (a writer's list holds only theirs)."""
    url = f"{reverse('admin:desk_assignment_changelist')}?started=no"
    if sees_every_assignment(viewer.user):
        url += f"&assignee__id__exact={viewer.user.pk}"
    return url
