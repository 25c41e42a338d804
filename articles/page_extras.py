"""Keeps ArticlePageExtras (articles/models/page_extras.py) equal to the tables it copies.

Every write that changes what the page shows rewrites the page extras of the articles
it touches, in the same transaction: a byline, tagging or correction added, changed or
removed, an author or a tag renamed. Writes that send no signals (bulk_create) call
`refresh_page_extras()` or `fill_page_extras()` themselves.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save
from taggit.models import Tag, TaggedItem

from .models import Article, ArticlePageExtras, Author, Byline, Correction

BATCH_SIZE = 2000  # article ids per query: far below SQLite's limit on parameters


def refresh_page_extras(article_ids, *, create=True):
    """Rewrites the page extras of these articles from the tables, a batch at a time
    (renaming an author or a tag touches every article that shows it).

    `create=False` only rewrites rows that exist: a deletion may be part of deleting
    the article itself, whose page extras must not be written back.
    """
    article_ids = sorted(set(article_ids))
    for start in range(0, len(article_ids), BATCH_SIZE):
        found = ArticlePageExtras.from_tables(article_ids[start : start + BATCH_SIZE])
        for article_id, row in found.items():
            if create:
                ArticlePageExtras.objects.update_or_create(article_id=article_id, defaults=row)
            else:
                ArticlePageExtras.objects.filter(article_id=article_id).update(**row)


def fill_page_extras(article_ids):
    """Writes the page extras of articles written without signals (bulk_create), which
    have none yet, a batch at a time."""
    article_ids = list(article_ids)
    for start in range(0, len(article_ids), BATCH_SIZE):
        found = ArticlePageExtras.from_tables(article_ids[start : start + BATCH_SIZE])
        ArticlePageExtras.objects.bulk_create(
            [ArticlePageExtras(article_id=article_id, **row) for article_id, row in found.items()]
        )


def _article_saved(sender, instance, created=False, raw=False, **kwargs):
    # A new article has no bylines, tags or corrections yet: its extras are the defaults,
    # and its page never falls back to reading the tables.
    if created and not raw:
        ArticlePageExtras.objects.create(article_id=instance.pk)


def _part_saved(sender, instance, raw=False, **kwargs):
    """A byline or correction of `instance.article` added or changed."""
    if not raw:
        refresh_page_extras([instance.article_id])


def _part_deleted(sender, instance, **kwargs):
    refresh_page_extras([instance.article_id], create=False)


def _author_saved(sender, instance, created=False, raw=False, **kwargs):
    if not (created or raw):
        articles = Byline.objects.filter(author=instance).values_list("article_id", flat=True)
        refresh_page_extras(articles, create=False)


def _tagging_changed(instance, *, create):
    if instance.content_type_id == ContentType.objects.get_for_model(Article).pk:
        refresh_page_extras([instance.object_id], create=create)


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
        refresh_page_extras(articles, create=False)


def connect():
    for signal, receiver, sender in [
        (post_save, _article_saved, Article),
        (post_save, _part_saved, Byline),
        (post_delete, _part_deleted, Byline),
        (post_save, _part_saved, Correction),
        (post_delete, _part_deleted, Correction),
        (post_save, _author_saved, Author),
        (post_save, _tagging_saved, TaggedItem),
        (post_delete, _tagging_deleted, TaggedItem),
        (post_save, _tag_saved, Tag),
    ]:
        signal.connect(
            receiver,
            sender=sender,
            dispatch_uid=f"page-extras-{receiver.__name__}-{sender.__name__}",
        )
