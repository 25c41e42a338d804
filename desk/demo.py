"""The demo's editorial notes: a few threads on the stories in progress, with mentions.

Posted through desk.notes.note_add as the demo's people would, so the mentions notify for
real; then dated back over the morning, so each thread reads as a conversation. Keyed by
story and text: `scripts/serve` runs this on every start and adds only what is missing.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from articles.demo_workflow import slug_for
from articles.models import Article

from .models import Note, Notification
from .notes import note_add

FERRY = "Night ferry to the islands returns for the summer"
CINEMA = "Cinema chain plans a screen in every district"
CHOIR = "Choir of 500 voices to sing on the harbour steps"
JOBS = "Quarterly jobs figures show a rise in hiring"

# (story, writer's username, minutes ago, text), written for this demo.
NOTES = [
    (
        FERRY,
        "journalist",
        185,
        "The operator confirmed the June date by phone; written confirmation is promised "
        "for Friday.",
    ),
    (
        FERRY,
        "editor",
        150,
        "Thanks. @journalist, can we get a quote from a regular passenger? The lead is a "
        "little dry.\nAlso: check the timetable box against the operator's own site.",
    ),
    (
        FERRY,
        "journalist",
        95,
        "Quote added, from a nurse who took the ferry every week before the pause. "
        "@editor over to you.",
    ),
    (
        CINEMA,
        "journalist",
        60,
        "The chain's press office sends its figures this afternoon. @photo-editor, may we "
        "use last year's opening-night photos?",
    ),
    (
        CHOIR,
        "photo-editor",
        35,
        "The rehearsal photos are cleared until the end of next month: fine for this story.",
    ),
    (
        JOBS,
        "editor",
        20,
        "The embargo is strict: nothing on social media before six.\n@journalist, please "
        "don't schedule any posts yet.",
    ),
]


def seed_notes():
    """Post the demo's notes that are missing; returns how many were added."""
    people = {user.get_username(): user for user in get_user_model().objects.all()}
    stories = {
        article.slug: article
        for article in Article.objects.filter(slug__in={slug_for(story) for story, *_ in NOTES})
    }
    now = timezone.now()
    posted = []
    with transaction.atomic():  # the mentions are told once all the notes are in
        for story, username, minutes_ago, text in NOTES:
            article = stories.get(slug_for(story))
            writer = people.get(username)
            if article is None or writer is None:
                continue
            if Note.objects.filter(article=article, text=text).exists():
                continue
            note = note_add(article=article, user=writer, text=text).note
            posted.append((note, now - timedelta(minutes=minutes_ago)))
    for note, at in posted:
        Note.objects.filter(pk=note.pk).update(created=at)
        Notification.objects.filter(note=note).update(created=at)
    return len(posted)
