"""Planning: stories assigned before they exist, and each person's secret calendar address.

Neither is ever public: no page, feed or sitemap shows them, and they are not registered
with the readers' cache (publishing.registry), so writing them leaves warm pages warm.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.validators import reject_control_characters


class AssignmentQuerySet(models.QuerySet):
    def open(self):
        """Not started yet: no draft exists."""
        return self.filter(started_at__isnull=True)


class Assignment(models.Model):
    """A story the desk has planned: who writes it, for which section, by when.

    It exists before its story does; "Start the draft" (desk/planning.py) creates the
    draft with the working headline and links it here.
    """

    working_headline = models.CharField(
        max_length=200,
        validators=[reject_control_characters],
        help_text="What the story is about, for now. The draft starts with it as its headline.",
    )
    section = models.ForeignKey("articles.Section", on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assignments",
        help_text="Who writes the story; the draft is theirs.",
    )
    due_at = models.DateTimeField(
        "due", help_text="When the story is due for the desk, in the newsroom's zone."
    )
    notes = models.TextField(
        blank=True,
        validators=[reject_control_characters],
        help_text="For the writer: angle, contacts, length. Internal, never shown to readers.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # SET_NULL: a draft deleted later leaves the assignment started, with no story.
    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="story",
    )
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    created = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(
        default=0, editable=False, help_text="Raised by every save; guards against lost updates."
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            # A writer's open assignments, soonest first (the desk's queue).
            models.Index(fields=["assignee", "started_at", "due_at"], name="assignment_queue"),
            # The calendar's window.
            models.Index(fields=["due_at"], name="assignment_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(article__isnull=True) | Q(started_at__isnull=False),
                name="assignment_story_means_started",
            )
        ]

    def __str__(self):
        return self.working_headline

    def save(self, *args, **kwargs):
        # Every write moves the version on, so a form carrying an older one is refused
        # instead of overwriting (desk/admin_planning.py).
        self.version = (self.version or 0) + 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    @property
    def is_started(self):
        return self.started_at is not None


def token_digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeedQuerySet(models.QuerySet):
    def issue(self, user):
        """A new secret address for `user`, replacing (revoking) any earlier one.

        Returns the token itself, which is kept nowhere: only its SHA-256 is stored, so a
        copy of the database gives nobody a working address.
        """
        token = secrets.token_urlsafe(32)
        self.update_or_create(
            user=user, defaults={"token_hash": token_digest(token), "created": timezone.now()}
        )
        return token

    def revoke(self, user):
        return self.filter(user=user).delete()[0]

    def for_token(self, token):
        """The feed a token opens, with its user, or None."""
        if not token or len(token) > 200:
            return None
        return self.select_related("user").filter(token_hash=token_digest(token)).first()


class CalendarFeed(models.Model):
    """One person's secret iCalendar address: they may revoke it and make a new one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    # A hex digest; the validator only because every text field of the desk carries it.
    token_hash = models.CharField(
        max_length=64, unique=True, editable=False, validators=[reject_control_characters]
    )
    created = models.DateTimeField(default=timezone.now, editable=False)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = "calendar address"
        verbose_name_plural = "calendar addresses"

    def __str__(self):
        return f"Calendar address of {self.user}"
