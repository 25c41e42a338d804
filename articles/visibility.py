"""What of the articles app readers can see, for the public cache (publishing.registry).

An article counts while its status is published: live, but also scheduled or embargoed,
since those are about to be public and the page cache's deadlines are computed once per
content version, so moving a schedule must move the version. A write counts when the
article is or was public, before or after it: a draft's save, its revisions, workflow
events and preview links change nothing readers see. Rows that hang off an article
(bylines, tags, home-page slots, corrections, old slugs) count when their article does.
A tag or author is on no page until a public article's byline or tags name it (which
counts then), so only changes to those a public story carries count: a journalist typing
a new tag, or editing a contributor who so far writes only drafts, changes nothing public.
"""

from django.contrib.contenttypes.models import ContentType
from taggit.models import Tag, TaggedItem

from publishing.registry import register_deadline, register_public

from .models import Article, Author, Byline, Correction, HomepageSlot, Section, SlugRedirect


def is_public(article):
    return article is not None and article.status == Article.Status.PUBLISHED


def article_affects_readers(old, new):
    return is_public(old) or is_public(new)


def any_public(article_ids):
    """Whether any of these articles is public now, as this transaction sees it."""
    ids = {pk for pk in article_ids if pk is not None}
    return bool(ids) and Article.objects.filter(pk__in=ids, status=Article.Status.PUBLISHED).exists()


def article_row_affects_readers(old, new):
    """For rows with an `article` foreign key: readers see them through their article."""
    return any_public(row.article_id for row in (old, new) if row is not None)


def author_affects_readers(old, new):
    """An existing author counts while a public story carries their byline."""
    return old is not None and Byline.objects.filter(
        author_id=old.pk, article__status=Article.Status.PUBLISHED
    ).exists()


def tag_affects_readers(old, new):
    """An existing tag counts while a public story carries it."""
    return old is not None and Article.objects.filter(
        tags__id=old.pk, status=Article.Status.PUBLISHED
    ).exists()


def tagged_item_affects_readers(old, new):
    article_type = ContentType.objects.get_for_model(Article)
    return any_public(
        item.object_id
        for item in (old, new)
        if item is not None and item.content_type_id == article_type.pk
    )


def next_article_change():
    """Next scheduled go-live, embargo end or expiry: the one rule in ArticleQuerySet."""
    return Article.objects.next_visibility_change()


def register():
    register_public(Article, affects_readers=article_affects_readers)
    for model in (Byline, HomepageSlot, Correction):
        register_public(model, affects_readers=article_row_affects_readers)
    # Old addresses redirect to the article; only once-public articles get one.
    register_public(SlugRedirect, affects_readers=article_row_affects_readers)
    # Tag and author pages, and every card and byline naming them.
    register_public(Tag, affects_readers=tag_affects_readers)
    register_public(Author, affects_readers=author_affects_readers)
    register_public(TaggedItem, affects_readers=tagged_item_affects_readers)
    # Every section is in the navigation of every page, the moment it exists.
    register_public(Section)
    register_deadline(next_article_change)
