"""What is left of a deleted article: its last content and the history it leaves behind.

Part of the articles app's models package (articles/models/__init__.py).
Editors unpublish; only a superuser deletes (a legal takedown, an empty draft), and even
then the append-only workflow events and revisions are kept, relinked to this record
(articles/deletion.py).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.validators import reject_control_characters


class DeletedArticle(models.Model):
    """The record of one deleted article: its id, last content, and who deleted it when.

    Its workflow events (`events`) and revisions (`revisions`) point here once the
    article is gone; the last event is the deletion itself.
    """

    original_id = models.PositiveBigIntegerField(
        unique=True, editable=False, help_text="The deleted article's id."
    )
    headline = models.CharField(
        max_length=200, editable=False, validators=[reject_control_characters]
    )
    slug = models.SlugField(
        max_length=200, editable=False, validators=[reject_control_characters]
    )
    status = models.CharField(
        max_length=20,
        editable=False,
        help_text="Its status when deleted.",
        validators=[reject_control_characters],
    )
    first_published_at = models.DateTimeField(null=True, editable=False)
    content = models.JSONField(
        editable=False, help_text="The article's last content, as a revision holds it."
    )
    deleted_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["-deleted_at", "-id"]
        get_latest_by = "deleted_at"

    def __str__(self):
        return f"{self.headline} (article {self.original_id}, deleted)"
