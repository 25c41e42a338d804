"""Invalidate the page cache when anything readers can see changes.

Signals are used for this cache side effect only (business logic lives in
services). Any saved or deleted row of an app that shapes public output, and
any change to a many-to-many relation such as tags, bumps the page cache
version once the transaction commits: a rolled-back save invalidates nothing,
and a page rendered from uncommitted data is never stored under the new
version. Models added later are covered without changes here; rows written
while serving readers (sessions, login times, admin log) are ignored.

Bulk writes (`QuerySet.update()`, `bulk_create()`) send no signals: code using
them for public data calls `newsroom.page_cache.bump_version()` itself, on commit.
"""

from django.conf import settings
from django.db import connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .page_cache import bump_version

# Apps and models ("app_label" or "app_label.modelname") whose rows never reach a public page.
DEFAULT_IGNORED = frozenset({"admin", "auth", "contenttypes", "sessions", "migrations"})


def _ignored(model):
    meta = model._meta
    ignored = DEFAULT_IGNORED | frozenset(getattr(settings, "PAGE_CACHE_IGNORED_MODELS", ()))
    return meta.app_label in ignored or meta.label_lower in ignored


def _bump_on_commit(using):
    connection = connections[using]
    # Once per transaction, however many rows it saves. (Pages are never stored while
    # a transaction is open, see page_cache._storable, so no render of uncommitted
    # rows can outlive a rollback.)
    if connection.in_atomic_block and any(
        callback is bump_version for _sids, callback, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(bump_version, using=using)


def content_saved_or_deleted(sender, using="default", **kwargs):
    if not _ignored(sender):
        _bump_on_commit(using)


def relation_changed(sender, action, using="default", **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and not _ignored(sender):
        _bump_on_commit(using)


def connect():
    post_save.connect(content_saved_or_deleted, dispatch_uid="page_cache_post_save")
    post_delete.connect(content_saved_or_deleted, dispatch_uid="page_cache_post_delete")
    m2m_changed.connect(relation_changed, dispatch_uid="page_cache_m2m_changed")
