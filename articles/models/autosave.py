"""A writer's unsaved work on the article form, kept every few seconds of typing (issue 15).

An autosave is neither the article nor a revision: only the person who typed it sees it,
on the article form, as an offer to restore. It is never registered with the public cache
(articles/visibility.py), so writing one every few seconds leaves readers' pages warm.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

# Untouched this long, an autosave is no longer offered and is deleted on the next write
# or by `manage.py expire_autosaves`; a story left for a month is restarted from its save.
AUTOSAVE_LIFETIME = timedelta(days=30)


class ArticleAutosaveQuerySet(models.QuerySet):
    def live(self, now=None):
        """Autosaves still offered: expiry is a comparison with the clock, so none is ever
        offered late for want of a cleanup job."""
        return self.filter(saved_at__gt=(now or timezone.now()) - AUTOSAVE_LIFETIME)

    def expired(self, now=None):
        return self.filter(saved_at__lte=(now or timezone.now()) - AUTOSAVE_LIFETIME)

    def of_form(self, user, *, article=None, draft_key=None):
        """The one autosave of this person's form: an article's, or a new article's draft."""
        if article is not None:
            return self.filter(user=user, article=article)
        return self.filter(user=user, article__isnull=True, draft_key=draft_key)


class ArticleAutosave(models.Model):
    """The article form's values as one person last typed them, not yet saved."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # An existing article's form, or (article empty) a new article's, told apart by the
    # draft key its "Add article" form was given.
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="autosaves",
    )
    draft_key = models.UUIDField(null=True, blank=True, editable=False)
    # The article's lock_version the form was opened at: restoring an autosave based on an
    # older version says who saved since, and the optimistic lock still holds.
    base_version = models.PositiveIntegerField(null=True, blank=True)
    # {form field name: the value as the form posted it}, the same shape Django's widgets
    # read back as initial data.
    values = models.JSONField(default=dict)
    saved_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ArticleAutosaveQuerySet.as_manager()

    class Meta:
        ordering = ["-saved_at", "-id"]
        get_latest_by = "saved_at"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=Q(article__isnull=False),
                name="autosave_one_per_user_and_article",
            ),
            models.UniqueConstraint(
                fields=["user", "draft_key"],
                condition=Q(draft_key__isnull=False),
                name="autosave_one_per_user_and_draft",
            ),
            models.CheckConstraint(
                condition=Q(article__isnull=False, draft_key__isnull=True)
                | Q(article__isnull=True, draft_key__isnull=False),
                name="autosave_of_an_article_or_a_new_draft",
            ),
        ]

    def __str__(self):
        target = f"article {self.article_id}" if self.article_id else f"new draft {self.draft_key}"
        return f"Autosave of {target} by user {self.user_id}"

    @property
    def headline(self):
        return str(self.values.get("headline") or "").strip()
