"""Planning: editors assign stories before they exist; the writer starts the draft with one
click. Assignments are internal: no reader sees them, and writing them changes nothing public."""

import re
from html import unescape

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from articles import roles
from articles.models import Article, Author
from desk.models import Assignment
from desk.planning import assignment_start_draft, open_assignments_for

from . import calendar_data
from .calendar_data import NOW, at
from .factories import ArticleFactory, user_with_role

# The shared week (tests/calendar_data.py), as this module's fixtures.
people, sections, week = calendar_data.people, calendar_data.sections, calendar_data.week

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_clock")]

ADD = reverse("admin:desk_assignment_add")
CHANGELIST = reverse("admin:desk_assignment_changelist")


@pytest.fixture
def fixed_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def change_url(assignment):
    return reverse("admin:desk_assignment_change", args=[assignment.pk])


def start_url(assignment):
    return reverse("admin:desk_assignment_start", args=[assignment.pk])


def assignment_form(section, assignee, **changes):
    return {
        "working_headline": "Harbour festival: the first night",
        "section": section.pk,
        "assignee": assignee.pk,
        "due_at_0": "2025-03-07",
        "due_at_1": "18:00",
        "notes": "Talk to the organisers.",
        **changes,
    }


def messages_in(response):
    return [str(message) for message in response.context["messages"]]


def test_an_editor_plans_an_assignment_in_the_newsrooms_time(client, people, sections):
    client.force_login(people["editor"])
    response = client.post(ADD, assignment_form(sections["news"], people["journalist"]))
    assert response.status_code == 302

    assignment = Assignment.objects.get()
    assert assignment.working_headline == "Harbour festival: the first night"
    assert assignment.due_at == at(7, 18)
    assert assignment.created_by == people["editor"]
    assert not assignment.is_started
    html = client.get(CHANGELIST).content.decode()
    assert "Mar 7, 2025, 6:00 PM EST (UTC−05:00)" in html
    assert "Not started" in html


def test_a_bad_assignment_is_refused_with_what_was_typed_kept(client, people, sections):
    client.force_login(people["editor"])
    response = client.post(
        ADD,
        assignment_form(
            sections["news"], people["journalist"], due_at_0="not a date", working_headline="Kept"
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid date." in html
    assert 'value="Kept"' in html
    assert "Talk to the organisers." in html
    assert not Assignment.objects.exists()


def test_only_writers_can_be_assigned(client, people, sections):
    client.force_login(people["editor"])
    response = client.post(ADD, assignment_form(sections["news"], people["legal"]))
    assert "Select a valid choice" in response.content.decode()
    assert not Assignment.objects.exists()
    options = client.get(ADD).content.decode()
    assert "journalist" in options and ">legal<" not in options and "photo-editor" not in options


def test_journalists_cannot_plan_or_change_assignments(client, people, week):
    client.force_login(people["journalist"])
    assert client.get(ADD).status_code == 403
    form = assignment_form(week["due"].section, people["journalist"], version=week["due"].version)
    client.post(change_url(week["due"]), {**form, "working_headline": "Changed"})
    week["due"].refresh_from_db()
    assert week["due"].working_headline == "Council vote on cycle lanes"


def test_a_writer_sees_only_their_own_assignments(client, people, week):
    client.force_login(people["journalist"])
    html = client.get(CHANGELIST).content.decode()
    assert "Council vote on cycle lanes" in html
    assert "Cup semi-final preview" not in html
    assert client.get(change_url(week["others_due"])).status_code == 302  # "doesn't exist"
    html = client.get(change_url(week["due"])).content.decode()
    assert "Mar 5, 2025, 5:00 PM EST (UTC−05:00)" in html
    assert "Both councillors, 600 words." in html


def test_roles_without_planning_see_no_assignments(client, people, week):
    for role in ["photo_editor", "legal"]:
        client.force_login(people[role])
        assert client.get(CHANGELIST).status_code == 403
        assert client.get(change_url(week["due"])).status_code == 403


def test_the_writer_starts_the_draft_with_one_click(client, people, week):
    Author.objects.filter(user=people["journalist"]).update(name="Anna Nowak")
    client.force_login(people["journalist"])
    html = client.get(change_url(week["due"])).content.decode()
    assert 'value="Start the draft"' in html
    assert f'action="{start_url(week["due"])}"' in html

    response = client.post(start_url(week["due"]), follow=True)

    draft = Article.objects.get(headline="Council vote on cycle lanes")
    assert response.redirect_chain[-1][0] == reverse(
        "admin:articles_article_change", args=[draft.pk]
    )
    assert "The draft of “Council vote on cycle lanes” is started; it is yours." in messages_in(
        response
    )
    assert draft.status == Article.Status.DRAFT
    assert draft.section == week["due"].section
    assert draft.created_by == people["journalist"]
    assert draft.slug == "council-vote-on-cycle-lanes"
    assert [byline.display_name for byline in draft.bylines.all()] == ["Anna Nowak"]
    week["due"].refresh_from_db()
    assert week["due"].article == draft and week["due"].started_at == NOW
    html = client.get(change_url(week["due"])).content.decode()
    assert 'value="Start the draft"' not in html
    assert "Open the draft" in html
    assert "Draft started Mar 5, 2025, 10:00 AM EST" in client.get(CHANGELIST).content.decode()


def test_starting_twice_makes_one_draft(client, people, week):
    client.force_login(people["journalist"])
    client.post(start_url(week["due"]))
    response = client.post(start_url(week["due"]), follow=True)
    assert "The draft of this assignment was started already." in messages_in(response)
    assert Article.objects.filter(headline="Council vote on cycle lanes").count() == 1


def test_an_editor_starts_the_draft_for_the_assignee(client, people, week):
    client.force_login(people["editor"])
    response = client.post(start_url(week["others_due"]), follow=True)
    draft = Article.objects.get(headline="Cup semi-final preview")
    assert draft.created_by == people["other_journalist"]
    assert draft.bylines.get().author.user == people["other_journalist"]
    assert "it is the assignee’s" in messages_in(response)[0]


def test_a_writer_without_an_author_profile_is_named_on_the_byline(people, sections):
    newcomer = user_with_role(
        roles.JOURNALIST, username="newcomer", first_name="Lee", last_name="Park"
    )
    assignment = Assignment.objects.create(
        working_headline="First week on the job",
        section=sections["news"],
        assignee=newcomer,
        due_at=at(6, 9),
    )
    draft = assignment_start_draft(assignment=assignment, user=newcomer)
    assert [byline.display_name for byline in draft.bylines.all()] == ["Lee Park"]
    assert not Author.objects.filter(user=newcomer).exists()


def test_nobody_starts_someone_elses_assignment(client, people, week):
    client.force_login(people["journalist"])
    response = client.post(start_url(week["others_due"]))
    assert response.status_code == 404
    assert not Article.objects.filter(headline="Cup semi-final preview").exists()


def test_a_get_starts_nothing_and_the_post_needs_its_csrf_token(people, week):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["journalist"])
    assert browser.get(start_url(week["due"])).status_code == 302
    assert browser.post(start_url(week["due"])).status_code == 403
    assert not Article.objects.filter(headline="Council vote on cycle lanes").exists()


def test_an_assignee_who_can_no_longer_write_is_said(client, people, week):
    people["journalist"].groups.clear()
    client.force_login(people["editor"])
    response = client.post(start_url(week["due"]), follow=True)
    assert "can no longer write stories" in messages_in(response)[0]
    assert not Article.objects.filter(headline="Council vote on cycle lanes").exists()


def test_the_drafts_slug_never_takes_an_existing_address(people, week):
    ArticleFactory(slug="council-vote-on-cycle-lanes")
    ArticleFactory(slug="council-vote-on-cycle-lanes-2")
    draft = assignment_start_draft(assignment=week["due"], user=people["journalist"])
    assert draft.slug == "council-vote-on-cycle-lanes-3"


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(client, people, week):
    client.force_login(people["editor"])
    form = assignment_form(week["due"].section, people["journalist"], version=week["due"].version)
    assignment_start_draft(assignment=week["due"], user=people["journalist"])  # meanwhile

    response = client.post(change_url(week["due"]), {**form, "notes": "My new notes"})
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Someone else changed this assignment (or started its draft)" in html
    assert "My new notes" in html
    week["due"].refresh_from_db()
    assert week["due"].notes == "Both councillors, 600 words."

    # Saved again deliberately, with the version just seen, it goes through.
    version = re.search(r'name="version" value="(\d+)"', html)[1]
    client.post(change_url(week["due"]), {**form, "notes": "My new notes", "version": version})
    week["due"].refresh_from_db()
    assert week["due"].notes == "My new notes"


def test_a_started_assignment_keeps_its_writer(client, people, week):
    assignment_start_draft(assignment=week["due"], user=people["journalist"])
    week["due"].refresh_from_db()
    client.force_login(people["editor"])
    form = assignment_form(
        week["due"].section, people["other_journalist"], version=week["due"].version
    )
    response = client.post(change_url(week["due"]), form)
    assert "The draft is started and belongs to its writer." in response.content.decode()


def test_the_desk_lists_each_writers_open_assignments_soonest_first(
    people, week, sections, django_assert_num_queries
):
    later = Assignment.objects.create(
        working_headline="Later piece",
        section=sections["sport"],
        assignee=people["journalist"],
        due_at=at(20, 9),
    )
    started = Assignment.objects.create(
        working_headline="Started piece",
        section=sections["sport"],
        assignee=people["journalist"],
        due_at=at(4, 9),
    )
    assignment_start_draft(assignment=started, user=people["journalist"])
    journalist = people["journalist"]
    journalist.has_perm("desk.view_assignment")  # permissions loaded, as on a desk page
    with django_assert_num_queries(1):
        listed = [(a.working_headline, a.section.name) for a in open_assignments_for(journalist)]
    assert listed == [("Council vote on cycle lanes", "News"), (later.working_headline, "Sport")]
    editor = people["editor"]
    assert list(open_assignments_for(editor)) == []
    assert list(open_assignments_for(people["legal"])) == []


@pytest.mark.parametrize("role", ["editor", "journalist"])
def test_the_assignments_list_costs_the_same_queries_however_many_there_are(
    client, people, sections, role, django_assert_max_num_queries
):
    client.force_login(people[role])
    counts = set()
    for batch, size in [(0, 2), (1, 25)]:
        for number in range(size):
            assignment = Assignment.objects.create(
                working_headline=f"Assignment {batch}-{number}",
                section=sections["news" if number % 2 else "sport"],
                assignee=people["journalist" if number % 3 else "other_journalist"],
                due_at=at(10 + batch, 9, number),
            )
            if number % 4 == 0:
                assignment_start_draft(assignment=assignment, user=people["editor"])
        with django_assert_max_num_queries(12) as queries:
            assert client.get(CHANGELIST).status_code == 200
        counts.add(len(queries))
    assert len(counts) == 1, counts


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_roles_their_planning_permissions():
    """An install whose roles predate planning gets them with the deployment, even where
    setup_roles is not run again."""
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command

    call_command("migrate", "desk", "0001", verbosity=0)
    # As before planning existed: no assignment permissions, roles without them.
    Permission.objects.filter(
        content_type__app_label="desk", codename__contains="assignment"
    ).delete()
    ContentType.objects.filter(app_label="desk", model="assignment").delete()
    for name in ["Editor", "Journalist", "Photo editor"]:
        Group.objects.get_or_create(name=name)

    call_command("migrate", "desk", verbosity=0)

    def granted(name):
        return sorted(
            Group.objects.get(name=name)
            .permissions.filter(content_type__app_label="desk")
            .values_list("codename", flat=True)
        )

    assert granted("Editor") == [
        "add_assignment",
        "change_assignment",
        "delete_assignment",
        "view_assignment",
    ]
    assert granted("Journalist") == ["view_assignment"]
    assert granted("Photo editor") == []


def desk_queue(client, user, key="assignments"):
    client.force_login(user)
    html = client.get(reverse("admin:index")).content.decode().replace("\xa0", " ")
    found = re.search(
        rf'<section class="module desk-queue" id="queue-{key}".*?</section>', html, re.S
    )
    return unescape(found.group(0)) if found else None


def test_the_desk_lists_the_writers_open_assignments_and_opens_each(client, people, week, sections):
    Assignment.objects.create(
        working_headline="Overdue obituary",
        section=sections["news"],
        assignee=people["journalist"],
        due_at=at(5, 8),
    )
    queue = desk_queue(client, people["journalist"])
    assert queue.index("Overdue obituary") < queue.index("Council vote on cycle lanes")
    assert "overdue, due 2 hours ago" in queue
    assert "due in 7 hours" in queue and "Wed, Mar 5, 5:00 PM EST" in queue
    assert f'href="{change_url(week["due"])}"' in queue
    assert "Cup semi-final preview" not in queue  # a colleague's

    assignment_start_draft(assignment=week["due"], user=people["journalist"])
    assert "Council vote on cycle lanes" not in desk_queue(client, people["journalist"])


def test_an_editor_sees_the_queue_only_with_assignments_of_their_own(client, people, week):
    assert desk_queue(client, people["editor"]) is None
    Assignment.objects.create(
        working_headline="Leader on the budget",
        section=week["due"].section,
        assignee=people["editor"],
        due_at=at(6, 12),
    )
    assert "Leader on the budget" in desk_queue(client, people["editor"])
    assert desk_queue(client, people["photo_editor"]) is None


@pytest.mark.parametrize("role", ["journalist", "editor"])
def test_a_full_assignments_queue_links_to_the_writers_full_list(client, people, sections, role):
    for number in range(8):
        for assignee in (people[role], people["other_journalist"]):
            Assignment.objects.create(
                working_headline=f"Piece {number}",
                section=sections["news"],
                assignee=assignee,
                due_at=at(10, 9, number),
            )
    queue = desk_queue(client, people[role])
    [more] = re.findall(r'href="([^"]+\?started=no[^"]*)"', queue)
    listed = client.get(more.replace("&amp;", "&"))
    assert listed.status_code == 200
    assert "8 assignments" in listed.content.decode()
