"""Keeps ArticleCredits (articles/models_credits.py) equal to the bylines and tags.

Every write that changes what the page shows rewrites the credits of the articles it
touches, in the same transaction: a byline or tagging added, changed or removed, an
author or a tag renamed. Writes that send no signals (bulk_create) call
`refresh_credits()` themselves.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save
from taggit.models import Tag, TaggedItem

from .models import Article, ArticleCredits, Author, Byline


def refresh_credits(article_ids, *, create=True):
    """Rewrites the credits of these articles from the tables.

    `create=False` only rewrites rows that exist: a deletion may be part of deleting
    the article itself, whose credits must not be written back.
    """
    for article_id, found in ArticleCredits.from_tables(set(article_ids)).items():
        if create:
            ArticleCredits.objects.update_or_create(article_id=article_id, defaults=found)
        else:
            ArticleCredits.objects.filter(article_id=article_id).update(**found)


def fill_credits(article_ids, batch_size=2000):
    """Writes the credits of articles written without signals (bulk_create), which
    have none yet, a batch at a time."""
    article_ids = list(article_ids)
    for start in range(0, len(article_ids), batch_size):
        found = ArticleCredits.from_tables(article_ids[start : start + batch_size])
        ArticleCredits.objects.bulk_create(
            [ArticleCredits(article_id=article_id, **row) for article_id, row in found.items()]
        )


def _byline_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_credits([instance.article_id])


def _byline_deleted(sender, instance, **kwargs):
    refresh_credits([instance.article_id], create=False)


def _author_saved(sender, instance, created=False, raw=False, **kwargs):
    if not (created or raw):
        articles = Byline.objects.filter(author=instance).values_list("article_id", flat=True)
        refresh_credits(articles, create=False)


def _tagging_changed(instance, *, create):
    if instance.content_type_id == ContentType.objects.get_for_model(Article).pk:
        refresh_credits([instance.object_id], create=create)


def _tagging_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _tagging_changed(instance, create=True)


def _tagging_deleted(sender, instance, **kwargs):
    _tagging_changed(instance, create=False)


def _tag_saved(sender, instance, created=False, raw=False, **kwargs):
    if not (created or raw):
        articles = TaggedItem.objects.filter(
            tag=instance, content_type=ContentType.objects.get_for_model(Article)
        ).values_list("object_id", flat=True)
        refresh_credits(articles, create=False)


def connect():
    for signal, receiver, sender in [
        (post_save, _byline_saved, Byline),
        (post_delete, _byline_deleted, Byline),
        (post_save, _author_saved, Author),
        (post_save, _tagging_saved, TaggedItem),
        (post_delete, _tagging_deleted, TaggedItem),
        (post_save, _tag_saved, Tag),
    ]:
        signal.connect(receiver, sender=sender, dispatch_uid=f"credits-{receiver.__name__}")
