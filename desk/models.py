"""What the desk tells each person: notifications of workflow events, and whether by e-mail."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.validators import reject_control_characters


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def mark_read(self):
        """Marks the unread ones read, once: reading again keeps the first time."""
        return self.unread().update(read_at=timezone.now())


class Notification(models.Model):
    class Verb(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        SENT_BACK = "sent_back", "Sent back"
        APPROVED = "approved", "Approved"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"
        CORRECTED = "corrected", "Corrected"
        EMBARGO_LIFTED = "embargo_lifted", "Embargo lifted"
        MENTIONED = "mentioned", "Mentioned in a note"
        WITHDRAWN = "withdrawn", "Withdrawn from review"
        UPDATE_REQUESTED = "update_requested", "Update requested"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    verb = models.CharField(max_length=20, choices=Verb.choices)
    # SET_NULL, with the headline kept: a deleted story's notifications still say what it was.
    article = models.ForeignKey(
        "articles.Article", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    headline = models.CharField(max_length=200, validators=[reject_control_characters])
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    comment = models.TextField(blank=True, validators=[reject_control_characters])
    details = models.CharField(
        max_length=200,
        blank=True,
        help_text="E.g. the time it goes live, in the newsroom's zone.",
        validators=[reject_control_characters],
    )
    # The note that mentioned the recipient; CASCADE, so a note taken down takes along
    # the notifications that carry its text.
    note = models.ForeignKey("desk.Note", on_delete=models.CASCADE, null=True, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            # The unread count on every admin page: one index range per person.
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created", "-id"], name="notification_inbox"),
        ]

    def __str__(self):
        return f"{self.get_verb_display()}: {self.headline}"

    def get_admin_article_url(self):
        if self.article_id is None:
            return ""
        url = reverse("admin:articles_article_change", args=[self.article_id])
        return f"{url}#note-{self.note_id}" if self.note_id else url


class NotificationSettings(models.Model):
    """One person's choices; without a row, the defaults (e-mail on) apply."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email = models.BooleanField(
        "send me e-mail",
        default=True,
        help_text="Notifications always appear in the admin; this also sends each one by e-mail.",
    )

    class Meta:
        verbose_name = "notification settings"
        verbose_name_plural = "notification settings"

    def __str__(self):
        return f"Notification settings of {self.user}"

    @classmethod
    def wants_email(cls, users):
        """Those of `users` who have not turned e-mail off, in one query."""
        off = set(cls.objects.filter(user__in=users, email=False).values_list("user_id", flat=True))
        return [user for user in users if user.pk not in off]


# Notes, and planning with the calendar's secret addresses, live in their own modules.
from .models_notes import Note  # noqa: E402, F401
from .models_planning import Assignment, CalendarFeed  # noqa: E402, F401
