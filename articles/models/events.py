"""The workflow's history: one append-only row per transition."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.validators import reject_control_characters

from .status import ArticleStatus


class ArticleEvent(models.Model):
    """One workflow transition: append-only, never edited or deleted (issue 3).

    It outlives its article: deleting one relinks its events to its DeletedArticle.
    """

    article = models.ForeignKey(
        "articles.Article", on_delete=models.SET_NULL, null=True, related_name="events"
    )
    deleted_article = models.ForeignKey(
        "articles.DeletedArticle", on_delete=models.PROTECT, null=True, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=30, validators=[reject_control_characters])
    from_status = models.CharField(max_length=20, choices=ArticleStatus.choices)
    to_status = models.CharField(max_length=20, choices=ArticleStatus.choices)
    comment = models.TextField(blank=True, validators=[reject_control_characters])
    details = models.CharField(
        max_length=200,
        blank=True,
        help_text="E.g. the scheduled time, in the newsroom's zone.",
        validators=[reject_control_characters],
    )

    class Meta:
        ordering = ["at", "id"]
        get_latest_by = "at"
        verbose_name = "workflow event"

    def __str__(self):
        return f"{self.action}: {self.from_status} -> {self.to_status}"

    def save(self, *args, **kwargs):
        # History is evidence: once written it never changes.
        if not self._state.adding:
            raise ValueError("Workflow events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Workflow events are append-only.")

