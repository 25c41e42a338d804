"""What each app tells the public cache: which rows readers can see, and when pages change
by themselves.

Apps register in their ``AppConfig.ready()`` (the shape of ``django.contrib.sitemaps``:
each app hands over what it knows, and this package never imports the apps):

    register_public(Article, affects_readers=lambda old, new: is_public(old) or is_public(new))
    register_deadline(next_article_change)

A model nobody registered never touches the readers' cache: sessions, logins, admin log,
drafts' revisions and workflow events are writes readers cannot see.
"""

import math


def always(old, new):
    return True


_public_models = {}
_deadlines = []


def register_public(model, affects_readers=None):
    """Declare that readers may see rows of `model`.

    `affects_readers(old, new)` gets the row as it was in the database before the write
    (None for a new row) and the row as written (None for a delete), and says whether
    readers could see either; without it every write of `model` is public.
    """
    _public_models[model] = affects_readers or always


def rule_for(model):
    """The `affects_readers` of `model` (or of the model it proxies), or None when readers
    never see its rows."""
    return _public_models.get(model) or _public_models.get(model._meta.concrete_model)


def needs_loaded_row(model):
    """Whether the rule of `model` reads the row as it was before the write."""
    rule = rule_for(model)
    return rule is not None and rule is not always


def register_deadline(next_change):
    """Declare a source of deadlines: `next_change()` returns the next aware datetime at
    which public output changes by itself (a go-live, an expiry, a notice taking effect),
    or None. Cached pages and fragments never outlive the earliest."""
    if next_change not in _deadlines:
        _deadlines.append(next_change)


def next_visibility_change():
    """The earliest future moment (a timestamp) at which any public page may change by itself."""
    moments = [moment.timestamp() for moment in (source() for source in _deadlines) if moment]
    return min(moments) if moments else math.inf
