"""Services for the editing side of the workflow: corrections, revisions, preview links.

Keyword-only `<entity>_<action>` functions; the admin, tests and any command call
these rather than writing the models directly.
"""

import difflib
import re
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from media.models import Photo

from .models import (
    Article,
    ArticleRevision,
    Author,
    Byline,
    Correction,
    PreviewLink,
    Section,
    SlugRedirect,
)
from .page_extras import refresh_page_extras
from .signals import article_corrected, send_on_commit


def article_was_public(article):
    """Whether readers may have seen the article at its current slug (so its URL must live on)."""
    # first_published_at is set when an article is scheduled, so it counts only once passed.
    first = article.first_published_at
    return article.is_published or (first is not None and first <= timezone.now())


@transaction.atomic
def correction_add(*, article, kind, text, user, at=None):
    """Append a correction; it moves the article's dateModified (`updated_at`) to its time."""
    at = at or timezone.now()
    correction = Correction(article=article, kind=kind, text=text, created_by=user, created_at=at)
    correction.full_clean()
    correction.save()
    # A queryset update, not article.save(): a correction is not a content edit and
    # must not invalidate a colleague's open edit form or add a content revision.
    Article.objects.filter(pk=article.pk).update(updated_at=at)
    article.updated_at = at
    send_on_commit(article_corrected, sender=Article, article=article, correction=correction)
    return correction


@transaction.atomic
def article_revision_restore(*, revision, user):
    """Put a revision's content back on the article; the result is a new revision.

    Raises ValidationError (nothing changed) when the old content no longer fits,
    e.g. its slug has since been taken by another article.
    """
    article = Article.objects.select_for_update().get(pk=revision.article_id)
    was_public = article_was_public(article)
    old_slug = article.slug
    content = revision.content
    known_authors = set(
        Author.objects.filter(
            pk__in=[byline["author"] for byline in content["bylines"]]
        ).values_list("pk", flat=True)
    )
    bylines = [
        Byline(
            article=article,
            author_id=byline["author"],
            contributor=byline["contributor"],
            position=byline["position"],
        )
        for byline in content["bylines"]
        if byline["author"] is None or byline["author"] in known_authors
    ]
    # Before anything is written: an older revision (an import, an early draft) may
    # have had no byline, and a published article must keep one.
    article.check_bylines_left(current=article.bylines.count(), remaining=len(bylines))

    article.headline = content["headline"]
    article.slug = content["slug"]
    article.lead = content["lead"]
    article.body = content["body"]
    article.lead_photo_caption = content["lead_photo_caption"]
    article.source_line = content["source_line"]
    # A section or photo deleted since is left as it is now rather than failing.
    if Section.objects.filter(pk=content["section"]["id"]).exists():
        article.section_id = content["section"]["id"]
    # Revisions from before the search and social overrides existed restore them empty.
    for field in ("seo_title", "seo_description", "social_title"):
        setattr(article, field, content.get(field, ""))
    for field in ("lead_photo", "social_image"):
        photo_id = content.get(field)
        if photo_id is None or Photo.objects.filter(pk=photo_id).exists():
            setattr(article, f"{field}_id", photo_id)
    article.full_clean()
    article.save()
    article.tags.set(content["tags"], clear=True)
    article.bylines.all().delete()
    Byline.objects.bulk_create(bylines)
    refresh_page_extras([article.pk])  # bulk_create sends no signals
    SlugRedirect.objects.record_rename(article=article, old_slug=old_slug, was_public=was_public)
    return ArticleRevision.objects.record(
        article=article, user=user, comment=f"Restored revision {revision.number}"
    )


PREVIEW_LIFETIMES = {
    "1h": ("1 hour", timedelta(hours=1)),
    "1d": ("1 day", timedelta(days=1)),
    "3d": ("3 days", timedelta(days=3)),
    "7d": ("7 days", timedelta(days=7)),
}


def preview_link_create(*, article, user, lifetime=timedelta(days=3)):
    now = timezone.now()
    return PreviewLink.objects.create(
        article=article, created_by=user, created_at=now, expires_at=now + lifetime
    )


def preview_link_revoke(*, link, user):
    """Revoke once; revoking again keeps the first time and person."""
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = user
        link.save(update_fields=["revoked_at", "revoked_by"])
    return link


# Revision comparison -----------------------------------------------------------

DIFF_FIELDS = [
    ("headline", "Headline"),
    ("slug", "Slug"),
    ("section", "Section"),
    ("lead", "Lead"),
    ("body", "Body"),
    ("tags", "Tags"),
    ("bylines", "Bylines"),
    ("lead_photo", "Lead photo"),
    ("lead_photo_caption", "Photo caption"),
    ("source_line", "Source line"),
    ("seo_title", "SEO title"),
    ("seo_description", "SEO description"),
    ("social_title", "Social title"),
    ("social_image", "Social image"),
]

_TOKENS = re.compile(r"\s+|[^\s]+")


def _as_text(field, value):
    if field == "section":
        return value["name"]
    if field == "tags":
        return ", ".join(value)
    if field == "bylines":
        return ", ".join(byline["name"] for byline in value)
    if field in ("lead_photo", "social_image"):
        return f"Photo #{value}" if value else "(none)"
    # Browsers post CRLF, imports write LF: a change of line ending is no change.
    return (value or "").replace("\r\n", "\n")


def word_diff_html(old, new):
    """Old and new text as one escaped fragment with <del> and <ins> around changed words."""
    old_tokens, new_tokens = _TOKENS.findall(old), _TOKENS.findall(new)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(format_html("{}", "".join(old_tokens[i1:i2])))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", "".join(old_tokens[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", "".join(new_tokens[j1:j2])))
    return format_html_join("", "{}", ((part,) for part in parts))


def revision_diff(old, new):
    """One row per content field: label, whether it changed, and the readable diff."""
    rows = []
    for field, label in DIFF_FIELDS:
        old_text = _as_text(field, old.content.get(field))
        new_text = _as_text(field, new.content.get(field))
        rows.append(
            {
                "field": field,
                "label": label,
                "changed": old_text != new_text,
                "html": word_diff_html(old_text, new_text),
            }
        )
    return rows
