from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from newsroom.text import render_markdown


class LegalPage(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, help_text="Part of the page's stable URL.")
    body = models.TextField(help_text="Markdown.")
    body_html = models.TextField(editable=False, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="legal_page_unique_slug")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("legal:page", kwargs={"slug": self.slug})


class NoticeQuerySet(models.QuerySet):
    def in_force(self, kind, at=None):
        at = at or timezone.now()
        return (
            self.filter(kind=kind, is_active=True, effective_at__lte=at)
            .select_related("page")
            .order_by("-effective_at", "-version")
        )


class Notice(models.Model):
    class Kind(models.TextChoices):
        COPYRIGHT = "copyright", "Copyright and text and data mining reservation"
        TERMS = "terms", "Terms of use"
        PRIVACY = "privacy", "Privacy"
        CORRECTIONS = "corrections", "Corrections policy"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COPYRIGHT)
    title = models.CharField(max_length=200)
    text = models.TextField(
        help_text="Plain text. The last occurrence of the link text becomes the link."
    )
    link_text = models.CharField(max_length=60, default="here")
    page = models.ForeignKey(
        LegalPage,
        on_delete=models.PROTECT,
        related_name="notices",
        help_text="The full legal page the notice links to.",
    )
    version = models.PositiveIntegerField(default=1)
    effective_at = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(default=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-effective_at", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="notice_unique_kind_version")
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    def clean(self):
        if self.link_text and self.link_text not in self.text:
            raise ValidationError(
                {"link_text": f"The text must contain the link text “{self.link_text}”."}
            )

    def as_html(self):
        """The notice with the last occurrence of its link text linked to its page."""
        before, found, after = self.text.rpartition(self.link_text)
        if not found:
            return format_html("{}", self.text)
        return format_html(
            '{}<a href="{}">{}</a>{}', before, self.page.get_absolute_url(), found, after
        )
