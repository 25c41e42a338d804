"""Editing-side records of an article: corrections, old slugs, content revisions, preview links.

Part of the articles app's models package (articles/models/__init__.py).
"""

import uuid

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.localtime import with_offset
from core.validators import reject_control_characters

from .article import Article


class Correction(models.Model):
    """A public, append-only note that the article was corrected, clarified or updated.

    Corrections are never edited or deleted through the admin except by superusers
    (e.g. a legal takedown): a correction that could be quietly removed would bring
    back the silent edit it exists to prevent. A wrong correction is fixed by adding
    another one.
    """

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        UPDATE = "update", "Update"

    # PROTECT: an article that carries corrections has been public; unpublish it
    # instead of deleting the record of what was wrong in it.
    article = models.ForeignKey(
        "articles.Article", on_delete=models.PROTECT, related_name="corrections"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(
        help_text="Shown to readers as written: what was wrong and what is right.",
        validators=[reject_control_characters],
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "id"]
        get_latest_by = "created_at"

    def __str__(self):
        return f"{self.get_kind_display()} of {with_offset(self.created_at)}"

    def as_schema(self):
        """schema.org `correction` entry for the article's NewsArticle JSON-LD."""
        return {
            "@type": "CorrectionComment",
            "text": self.text,
            "datePublished": timezone.localtime(self.created_at).isoformat(),
        }


class SlugRedirectQuerySet(models.QuerySet):
    def target_for(self, slug):
        """The published article that once lived at `slug`, most recent rename first."""
        redirect = (
            self.filter(old_slug=slug, article__in=Article.objects.published())
            .select_related("article__section")
            .order_by("-created_at", "-id")
            .first()
        )
        return redirect.article if redirect else None

    def record_rename(self, *, article, old_slug, was_public):
        """Keep an old address alive when a once-public article gets a new slug.

        Redirects point at the article, not at the next slug, so a chain of renames
        (a -> b -> c) answers every old address with one 301 to the current one.
        """
        if not was_public or old_slug == article.slug:
            return None
        return self.create(article=article, old_slug=old_slug)


class SlugRedirect(models.Model):
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="slug_redirects"
    )
    old_slug = models.SlugField(
        max_length=200, db_index=True, validators=[reject_control_characters]
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = SlugRedirectQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.old_slug} → {self.article_id}"


class ArticleRevisionQuerySet(models.QuerySet):
    def record(self, *, article, user=None, comment=""):
        """Snapshot the article's current content (after its tags and bylines are saved)."""
        last = self.filter(article=article).aggregate(models.Max("number"))["number__max"]
        return self.create(
            article=article,
            number=(last or 0) + 1,
            created_by=user if user and user.is_authenticated else None,
            comment=comment,
            content=article_snapshot(article),
        )


def article_snapshot(article):
    """The editable content of an article as plain JSON, enough to compare and restore."""
    bylines = article.bylines.select_related("author").order_by("position", "id")
    return {
        "headline": article.headline,
        "slug": article.slug,
        "lead": article.lead,
        "body": article.body,
        "section": {"id": article.section_id, "name": article.section.name},
        "tags": sorted(article.tags.names(), key=str.lower),
        "bylines": [
            {
                "author": byline.author_id,
                "contributor": byline.contributor,
                "position": byline.position,
                "name": byline.display_name,
            }
            for byline in bylines
        ],
        "lead_photo": article.lead_photo_id,
        "lead_photo_caption": article.lead_photo_caption,
        "source_line": article.source_line,
        "seo_title": article.seo_title,
        "seo_description": article.seo_description,
        "social_title": article.social_title,
        "social_image": article.social_image_id,
    }


class ArticleRevision(models.Model):
    """One saved state of an article's content. Append-only: restoring adds a new one.

    It outlives its article: deleting one relinks its revisions to its DeletedArticle.
    """

    article = models.ForeignKey(
        "articles.Article", on_delete=models.SET_NULL, null=True, related_name="revisions"
    )
    deleted_article = models.ForeignKey(
        "articles.DeletedArticle", on_delete=models.PROTECT, null=True, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    content = models.JSONField()
    comment = models.CharField(max_length=200, blank=True, validators=[reject_control_characters])
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ArticleRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_unique_number")
        ]

    def __str__(self):
        return f"Revision {self.number}"


PREVIEW_SALT = "articles.preview-link"


class PreviewLinkQuerySet(models.QuerySet):
    def from_token(self, token, *, article_id):
        """The link a signed token names, if the signature holds and it belongs to the article."""
        try:
            payload = signing.Signer(salt=PREVIEW_SALT).unsign_object(token)
            token_id = uuid.UUID(payload["t"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            return None
        if payload.get("a") != article_id:
            return None
        return self.filter(token_id=token_id, article_id=article_id).first()


class PreviewLink(models.Model):
    """A shareable, expiring, revocable preview of an unpublished article."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="preview_links"
    )
    token_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Preview link for article {self.article_id}"

    def bearer_url(self):
        """The secret address that shows the draft to whoever holds it.

        Deliberately not get_absolute_url(): anything that follows absolute URLs (the
        admin's "view on site", sitemaps, logs) would hand the token out.
        """
        return reverse("articles:preview_link", kwargs={"pk": self.article_id, "token": self.token})

    @property
    def token(self):
        # Signed so a token cannot be forged or guessed from an article id; the
        # database row (expiry, revocation) stays the authority on validity.
        return signing.Signer(salt=PREVIEW_SALT).sign_object(
            {"a": self.article_id, "t": self.token_id.hex}
        )

    def is_active(self, at=None):
        at = at or timezone.now()
        return self.revoked_at is None and self.expires_at > at
