"""The demo's planning: assignments due over the coming days, one of them started.

Called by `manage.py seed_desk_demo` (scripts/serve runs it after seed_demo). Keyed by
working headline: an assignment that exists already is left alone, so it can run on every
start. Together with the demo's stories in progress (articles/demo_workflow.py) the
calendar shows this week at work.
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Section

from .models import Assignment
from .planning import assignment_start_draft

# (working headline, section slug, assignee, days from today, local time, started, notes),
# written for this demo.
ASSIGNMENTS = [
    (
        "Council vote on the new cycle lanes",
        "news",
        "journalist",
        0,
        time(17, 0),
        False,
        "The vote is at four. Get both ward councillors and the cycling campaign; 600 words.",
    ),
    (
        "Market hall reopens: the traders' first week",
        "business",
        "journalist",
        1,
        time(11, 0),
        True,
        "Three traders, one of them new. Photos booked for Tuesday morning.",
    ),
    (
        "The harbour master retires after 31 years",
        "culture",
        "journalist",
        2,
        time(12, 0),
        False,
        "Profile with an interview at the harbour office; ask for old photos of the port.",
    ),
    (
        "Budget analysis: where the city's money goes",
        "news",
        "editor",
        3,
        time(9, 30),
        False,
        "Charts from the finance department's tables; compare with the last three years.",
    ),
    (
        "Cup semi-final preview",
        "sport",
        "journalist",
        4,
        time(15, 0),
        False,
        "Both managers' press conferences are on the day before; 500 words and the line-ups.",
    ),
]


def due_time(today, days, at):
    return datetime.combine(
        today + timedelta(days=days), at, tzinfo=timezone.get_current_timezone()
    )


def seed_assignments():
    """Create the demo's assignments that are missing, planned by the demo's editor; returns
    how many were created (none before seed_demo has made its accounts)."""
    User = get_user_model()
    editor = User.objects.filter(username="editor").first()
    if editor is None:
        return 0
    today = timezone.localdate()
    sections = {section.slug: section for section in Section.objects.all()}
    created = 0
    for headline, section_slug, username, days, at, started, notes in ASSIGNMENTS:
        assignee = User.objects.filter(username=username).first()
        section = sections.get(section_slug)
        if assignee is None or section is None:
            continue
        if Assignment.objects.filter(working_headline=headline).exists():
            continue
        assignment = Assignment.objects.create(
            working_headline=headline,
            section=section,
            assignee=assignee,
            due_at=due_time(today, days, at),
            notes=notes,
            created_by=editor,
        )
        if started:
            assignment_start_draft(assignment=assignment, user=assignee)
        created += 1
    return created
