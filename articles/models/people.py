"""Who wrote it: authors and the bylines that put them under a headline."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.links import cached_reverse
from core.validators import reject_control_characters


class Author(models.Model):
    """A person who writes for the newsroom: staff (linked to a user) or a contributor."""

    name = models.CharField(max_length=150, validators=[reject_control_characters])
    slug = models.SlugField(max_length=150, validators=[reject_control_characters])
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
        help_text="The staff account of this author, if any.",
    )
    bio = models.TextField(blank=True, validators=[reject_control_characters])
    job_title = models.CharField(max_length=120, blank=True, validators=[reject_control_characters])
    photo = models.ForeignKey(
        "media.Photo", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="author_unique_slug")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_reverse("articles:author", self.slug)


class Byline(models.Model):
    """One name under the headline: a known author, or a one-off contributor."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(
        Author, on_delete=models.PROTECT, null=True, blank=True, related_name="bylines"
    )
    contributor = models.CharField(
        max_length=150,
        blank=True,
        help_text="A free-text name, for contributors without a profile.",
        validators=[reject_control_characters],
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(author__isnull=False) & Q(contributor=""))
                | (Q(author__isnull=True) & ~Q(contributor="")),
                name="byline_author_xor_contributor",
                violation_error_message="Choose an author or type a contributor's name, not both.",
            )
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.author.name if self.author_id else self.contributor
