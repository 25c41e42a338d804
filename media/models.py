import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


def photo_upload_to(instance, filename):
    """Stored names never come from the uploader: no path tricks, no overwrites."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    if extension not in {"jpg", "jpeg", "png", "webp", "gif"}:
        extension = "jpg"
    return f"photos/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class Photo(models.Model):
    image = models.ImageField(upload_to=photo_upload_to, width_field="width", height_field="height")
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt_text = models.CharField(
        max_length=250,
        blank=True,
        help_text="What the photo shows, for readers who cannot see it. Required for publishing.",
    )
    caption = models.TextField(blank=True)
    agency = models.CharField(
        max_length=100, blank=True, help_text="Agency or source, e.g. PAP, Reuters, or staff."
    )
    photographer = models.CharField(max_length=150, blank=True)
    copyright_holder = models.CharField(
        max_length=150, blank=True, help_text="Leave empty when the agency holds the copyright."
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["-uploaded_at"]
        get_latest_by = "uploaded_at"

    def __str__(self):
        return self.caption[:60] or self.alt_text[:60] or f"Photo {self.pk}"

    @property
    def copyright_notice(self):
        """`© PAP`: the holder, falling back to the agency, then the photographer."""
        holder = self.copyright_holder or self.agency or self.photographer
        return f"© {holder}" if holder else ""

    @property
    def credit_text(self):
        """`PAP/Viktor Kovalchuk`, the agency style credit line (IPTC Credit Line)."""
        return "/".join(part for part in (self.agency, self.photographer) if part)

    @property
    def credit(self):
        """`Images source: © PAP | PAP/Viktor Kovalchuk`, degrading when parts are missing."""
        parts = [self.copyright_notice]
        if self.credit_text and f"© {self.credit_text}" != self.copyright_notice:
            parts.append(self.credit_text)
        parts = [part for part in parts if part]
        return f"Images source: {' | '.join(parts)}" if parts else ""

    def publication_problems(self, at=None):
        """Why an article may not go live with this photo at `at`; empty when it may.

        The workflow's publish and schedule services refuse while this is non-empty.
        """
        problems = []
        if not self.alt_text.strip():
            problems.append("The lead photo needs alt text before publication.")
        if not self.credit:
            problems.append("The lead photo needs a credit (agency or photographer).")
        return problems
