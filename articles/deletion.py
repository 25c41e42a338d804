"""Deleting an article keeps its history.

Editors take a story off the site by unpublishing it (articles/services.py); they have
no delete permission (articles/roles.py). What deletion remains, a superuser's legal
takedown or an empty draft, goes through `article_delete`, and every path to a deleted
row (the admin's delete page and bulk action, a queryset in the shell) passes through
`keep_history_of_deleted_article`: before the row goes, its last content is kept in a
DeletedArticle, its workflow events and revisions are relinked to that record, and a
"delete" event names who deleted it and when. Corrections still protect an article
from deletion altogether (models.editing.Correction).
"""

from contextvars import ContextVar

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.signals import pre_delete

from .models import Article, ArticleEvent, ArticleRevision, DeletedArticle
from .models.editing import article_snapshot

DELETE = "delete"  # the workflow event's action

# Who is deleting, for the signal handler, which Django calls without a request.
_deleting_user = ContextVar("articles_deleting_user", default=None)


def may_delete(user):
    return user.is_active and user.has_perm("articles.delete_article")


def article_delete(*, articles, user):
    """Delete one article or a queryset of them as `user`, keeping their history.

    Raises PermissionDenied for anyone without the delete permission (editors included:
    they unpublish), and ProtectedError for an article that carries corrections.
    """
    if not may_delete(user):
        raise PermissionDenied("Articles are unpublished, not deleted.")
    token = _deleting_user.set(user)
    try:
        with transaction.atomic():
            return articles.delete()
    finally:
        _deleting_user.reset(token)


def keep_history_of_deleted_article(sender, instance, **kwargs):
    """pre_delete of Article: runs inside the deletion's transaction, before the row goes.

    Events and revisions are SET_NULL on the article, so Django keeps them; here they
    are tied to the record that says which article they belonged to.
    """
    user = _deleting_user.get()
    record = DeletedArticle.objects.create(
        original_id=instance.pk,
        headline=instance.headline,
        slug=instance.slug,
        status=instance.status,
        first_published_at=instance.first_published_at,
        content=article_snapshot(instance),
        deleted_by=user,
    )
    ArticleEvent.objects.filter(article=instance).update(deleted_article=record)
    ArticleRevision.objects.filter(article=instance).update(deleted_article=record)
    ArticleEvent.objects.create(
        article=None,  # the row is about to go; the record stands in for it
        deleted_article=record,
        actor=user,
        action=DELETE,
        from_status=instance.status,
        to_status=instance.status,
        details="Deleted; its history is kept under Deleted articles",
    )


def connect():
    pre_delete.connect(
        keep_history_of_deleted_article, sender=Article, dispatch_uid="articles-keep-history"
    )
