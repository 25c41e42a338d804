"""The demo shows a newsroom at work: a login per role, a story in every state, notifications."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from articles import roles
from articles.demo_workflow import SEND_BACK_COMMENT, go_live_times
from articles.models import Article, ArticleEvent
from desk.models import Notification

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")
# The queues (desk/queues.py) the demo fills on each role's desk; "Going live today" too,
# unless it is seeded in the minutes before midnight (demo_workflow.go_live_times).
DEMO_DESKS = {
    "journalist": [
        "sent_back",
        "my_drafts",
        "awaiting_review",
        "going_live_week",
        "recently_published",
    ],
    "editor": [
        "awaiting_review",
        "approved",
        "going_live_week",
        "embargoed",
        "rights_ending",
        "stale_drafts",
        "recently_published",
    ],
    "photo-editor": ["rights_ending"],
    "legal": ["notices_taking_effect", "notices_in_force"],
}
EVERY_STATE = {
    "draft",
    "in_review",
    "sent_back",
    "approved",
    "scheduled",
    "embargoed",
    "published",
    "unpublished",
    "expired",
}


def test_the_demo_shows_the_newsroom_at_work(
    client, settings, tmp_path, django_capture_on_commit_callbacks, capsys
):
    settings.VAR_DIR = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    out = capsys.readouterr().out
    User = get_user_model()

    # A login for every role, each printed and kept in var/demo-logins.txt.
    logins = dict(line.split() for line in (tmp_path / "demo-logins.txt").read_text().splitlines())
    assert set(logins) == {"admin", "editor", "journalist", "photo-editor", "legal"}
    for role, username in [
        (roles.EDITOR, "editor"),
        (roles.JOURNALIST, "journalist"),
        (roles.PHOTO_EDITOR, "photo-editor"),
        (roles.LEGAL, "legal"),
    ]:
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.check_password(logins[username])
        assert f"Created staff login: {username} / {logins[username]}" in out
    assert User.objects.get(username="admin").is_superuser

    # A story in every state, the sent-back one with the editor's comment.
    assert {article.state for article in Article.objects.all()} >= EVERY_STATE
    sent_back = Article.objects.get(status=Article.Status.SENT_BACK)
    assert sent_back.events.get(action="send_back").comment == SEND_BACK_COMMENT
    scheduled = Article.objects.in_state("scheduled").order_by("published_at")
    assert scheduled.count() == 2
    tomorrow = dt.datetime.now(NEW_YORK).date() + dt.timedelta(days=1)
    assert scheduled.last().published_at.astimezone(NEW_YORK).date() == tomorrow

    # Moved there by the real workflow, which told people.
    journalist = User.objects.get(username="journalist")
    editor = User.objects.get(username="editor")
    assert ArticleEvent.objects.filter(action="submit", actor=journalist).count() == 9
    assert Notification.objects.filter(recipient=editor, verb="submitted").count() == 9
    # After submitting: one story withdrawn to draft, an update asked for on a live one.
    for verb in ("withdrawn", "update_requested"):
        assert Notification.objects.filter(recipient=editor, verb=verb).count() == 1
    tram = Article.objects.get(slug="tram-line-extension-opens-to-passengers-tonight")
    assert tram.seo_title and tram.seo_description and tram.social_title
    told = set(Notification.objects.filter(recipient=journalist).values_list("verb", flat=True))
    assert told == {"sent_back", "approved", "scheduled", "published", "corrected", "unpublished"}
    assert any(message.to == ["journalist@example-news.com"] for message in mail.outbox)
    client.force_login(journalist)
    listing = client.get(reverse("admin:desk_notification_changelist")).content.decode()
    assert "James Whitfield sent “Cinema chain plans a screen in every district” back" in listing
    # ...who began answering it and left without saving: the form offers the changes back.
    form = client.get(reverse("admin:articles_article_change", args=[sent_back.pk]))
    assert "Restore your unsaved changes from" in form.content.decode()

    # Every role's desk has work on it: no queue of theirs below is empty.
    for username, queues in DEMO_DESKS.items():
        client.force_login(User.objects.get(username=username))
        desk = client.get(reverse("admin:index")).content.decode()
        for key in queues:
            found = re.search(rf'id="queue-{key}".*?</section>', desk, re.S)
            assert found and 'class="desk-row"' in found.group(0), (username, key)

    # scripts/serve seeds on every start: nothing fails, nothing is duplicated.
    counts = (Article.objects.count(), Notification.objects.count(), ArticleEvent.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    assert "not seeded" in capsys.readouterr().out
    again = (Article.objects.count(), Notification.objects.count(), ArticleEvent.objects.count())
    assert again == counts
    assert (tmp_path / "demo-logins.txt").read_text().count("\n") == 5


@pytest.mark.parametrize(
    "clock, later_today_local",
    [
        (dt.datetime(2025, 3, 4, 10, 0, tzinfo=NEW_YORK), dt.datetime(2025, 3, 4, 13, 0)),
        (dt.datetime(2025, 3, 4, 22, 0, tzinfo=NEW_YORK), dt.datetime(2025, 3, 4, 23, 50)),
    ],
)
def test_later_today_stays_within_the_newsrooms_day(clock, later_today_local):
    with time_machine.travel(clock, tick=False):
        later_today, tomorrow, embargo_end = go_live_times(clock)
    assert later_today.astimezone(NEW_YORK).replace(tzinfo=None) == later_today_local
    assert tomorrow.astimezone(NEW_YORK).replace(tzinfo=None) == dt.datetime(2025, 3, 5, 9, 0)
    assert embargo_end < tomorrow
