"""Editorial notes: the desk's internal thread on each story, never the readers'.

Imported at the end of desk/models.py so Django registers it in the `desk` app. Notes
live here, not in `articles`, so no public path (pages, feeds, sitemaps, search, previews,
revisions, JSON-LD) can reach them: `articles` never imports `desk` (import-linter), and
the public cache never hears of them (no `register_public`).
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone

from core.validators import reject_control_characters

NOTE_MAX_LENGTH = 4000


class NoteQuerySet(models.QuerySet):
    def on(self, article):
        return self.filter(article=article)

    def for_thread(self):
        """What a thread shows: each note's author in the same query, its mentions in one more."""
        return self.select_related("author").prefetch_related("mentioned")


class Note(models.Model):
    """One remark on a story, by one member of staff, with the people it mentions.

    Append-only: nobody edits a note, and only a superuser deletes one (a legal takedown,
    a note put on the wrong story). A mention is mailed the moment the note is posted and
    cannot be called back, so an edited note would no longer say what its readers were
    told; and the thread is the desk's record of who said what when (a source's
    conditions, a lawyer's advice). A mistake is put right by another note.
    """

    # CASCADE: a thread belongs to its story; a deleted story takes it along (its
    # workflow history is what articles keeps of a deleted story).
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(
        max_length=NOTE_MAX_LENGTH,
        help_text="Plain text for the desk only; @username tells a colleague.",
        # A TextField's max_length binds only its form field; the validator binds the model.
        validators=[reject_control_characters, MaxLengthValidator(NOTE_MAX_LENGTH)],
    )
    # Those told of this note: active staff who may open the story. Their @names are links.
    mentioned = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created = models.DateTimeField(default=timezone.now, editable=False)

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["created", "id"]
        indexes = [
            # The thread on the change form: one index range per story, newest last.
            models.Index(fields=["article", "-created", "-id"], name="note_thread"),
        ]

    def __str__(self):
        return f"Note {self.pk} on article {self.article_id}"
