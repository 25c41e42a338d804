"""Bump the content version when a write readers could see commits.

Signals are used for this cache side effect only (business logic lives in services).
A saved or deleted row, or a changed many-to-many relation such as tags, counts when
its model is registered (publishing.registry) and its `affects_readers(old, new)` says
readers could see the row before or after the write; everything else (drafts, revisions,
workflow events, preview links, sessions, logins) leaves the cache alone. The bump waits
for the commit: a rolled-back save invalidates nothing, and a page rendered from
uncommitted data is never stored under the new version.

"The row as loaded" is read from the database just before the save, by primary key, and
only for models whose rule needs it: one indexed lookup per staff write, whatever the
instance went through before (deferred fields, refresh_from_db, a form's cleaning).

Bulk writes (`QuerySet.update()`, `bulk_create()`) send no signals: code using them for
public data calls `publishing.version.bump_on_commit()` itself.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from .registry import needs_loaded_row, rule_for
from .version import bump_on_commit

# Where the row as it was travels from pre_save to post_save, on the instance being saved.
LOADED_ROW = "_publishing_row_before_save"


def remember_loaded_row(sender, instance, using="default", **kwargs):
    if not needs_loaded_row(sender):
        return
    old = None
    if instance.pk is not None:
        old = sender._base_manager.using(using).filter(pk=instance.pk).first()
    setattr(instance, LOADED_ROW, old)


def row_saved(sender, instance, using="default", **kwargs):
    rule = rule_for(sender)
    if rule is None:
        return
    old = instance.__dict__.pop(LOADED_ROW, None)
    if rule(old, instance):
        bump_on_commit(using)


def row_deleted(sender, instance, using="default", **kwargs):
    rule = rule_for(sender)
    if rule is not None and rule(instance, None):
        bump_on_commit(using)


def relation_changed(sender, instance, action, using="default", **kwargs):
    """A changed many-to-many (an article's tags) counts as a write of the owning row."""
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    rule = rule_for(type(instance))
    if rule is not None and rule(instance, instance):
        bump_on_commit(using)


def connect():
    pre_save.connect(remember_loaded_row, dispatch_uid="publishing_pre_save")
    post_save.connect(row_saved, dispatch_uid="publishing_post_save")
    post_delete.connect(row_deleted, dispatch_uid="publishing_post_delete")
    m2m_changed.connect(relation_changed, dispatch_uid="publishing_m2m_changed")
