"""Sections: the site's top-level divisions, each at its own address."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from core.links import cached_reverse
from core.validators import reject_control_characters


def default_source_line():
    return f"© {settings.SITE_DOMAIN}"


# Top-level paths that a section slug would shadow.
RESERVED_SECTION_SLUGS = {
    "admin",
    "author",
    "tag",
    "search",
    "feeds",
    "feed",
    "legal",
    "static",
    "uploads",
    "sitemap",
    "preview",
    "archive",
    "corrections",
    "robots.txt",
    "well-known",
}


def validate_section_slug(value):
    if value in RESERVED_SECTION_SLUGS:
        raise ValidationError(f"“{value}” is reserved for another part of the site.")


class Section(models.Model):
    name = models.CharField(max_length=80, validators=[reject_control_characters])
    slug = models.SlugField(
        max_length=80, validators=[reject_control_characters, validate_section_slug]
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the site navigation, lowest first."
    )
    description = models.TextField(blank=True, validators=[reject_control_characters])
    legal_notice = models.ForeignKey(
        "legal.Notice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind__in": ["copyright", "syndication"]},
        help_text="Replaces the site's notice at the foot of this section's articles. "
        "An article's own notice wins over this one.",
    )

    class Meta:
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="section_unique_slug")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_reverse("articles:section", self.slug)

