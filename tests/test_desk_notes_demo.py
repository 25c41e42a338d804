"""The demo's stories in progress carry editorial notes, and their mentions told people."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles import roles
from articles.demo_workflow import seed_workflow_stories
from articles.models import Article
from desk.models import Note, Notification

from .factories import AuthorFactory, SectionFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_the_demo_has_threads_with_mentions_that_notified(
    client, django_capture_on_commit_callbacks
):
    """seed_demo's stories in progress (without its photos, which take a minute), then the
    desk's demo as scripts/serve runs it."""
    editor = user_with_role(roles.EDITOR, username="editor")
    journalist = user_with_role(roles.JOURNALIST, username="journalist")
    user_with_role(roles.PHOTO_EDITOR, username="photo-editor")
    sections = {
        slug: SectionFactory(slug=slug, name=slug.title())
        for slug in ["news", "world", "business", "culture", "sport"]
    }
    with django_capture_on_commit_callbacks(execute=True):
        seed_workflow_stories(
            journalist=journalist, editor=editor, sections=sections, author=AuthorFactory()
        )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_desk_demo")

    assert Note.objects.count() == 6
    told = Notification.objects.filter(verb="mentioned")
    assert sorted(told.values_list("recipient__username", flat=True)) == [
        "editor",
        "journalist",
        "journalist",
        "photo-editor",
    ]
    ferry = Article.objects.get(headline="Night ferry to the islands returns for the summer")
    client.force_login(journalist)
    page = client.get(reverse("admin:articles_article_change", args=[ferry.pk])).content.decode()
    assert "Editorial notes (3)" in page
    assert 'class="note__mention"' in page

    # scripts/serve seeds on every start: nothing is added twice.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_desk_demo")
    assert Note.objects.count() == 6 and told.count() == 4
