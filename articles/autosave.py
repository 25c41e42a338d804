"""Autosaves of the article form (articles/models/autosave.py): keep, offer back, discard.

Keyword-only services like articles/services.py; the admin (articles/admin_autosave.py),
the demo and `manage.py expire_autosaves` call these rather than writing the model.
"""

import contextlib
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from taggit.utils import parse_tags

from core.validators import reject_control_characters

from . import policies, transitions
from .editing import revision_diff
from .models import ArticleAutosave, ArticleEvent, ArticleRevision, Section, article_snapshot

# Characters kept per field without a length of its own (lead, body, captions): a long read
# is about 60,000; an autosave is refused, with a message, beyond this.
AUTOSAVE_TEXT_LIMIT = 200_000
# Bytes of one autosave request, refused from its Content-Length before it is read.
AUTOSAVE_MAX_BYTES = 2_000_000
# New articles' drafts kept per person (the oldest go first); an article's form has one.
AUTOSAVE_DRAFTS_KEPT = 10
# Form fields never autosaved: the lock travels as the autosave's base_version.
NOT_AUTOSAVED = {"lock_version"}


def unsaved_fields(form, typed=None):
    """The fields an autosave keeps: those whose posted value differs from the article as
    it is now, and, when the form's script names the fields the writer changed since the
    page opened (`typed`), only those, so a colleague's save since never comes back
    looking like the writer's change.

    Not `form.changed_data`: for fields with a callable model default (the source line)
    Django compares with the value the page was opened with, and an autosave that
    arrives after its own text was saved must count as unchanged."""
    return [
        name
        for name, field in form.fields.items()
        if name not in NOT_AUTOSAVED
        and not field.disabled
        and (typed is None or name in typed)
        and field.has_changed(form[name].initial, form[name].data)
    ]


def autosave_values(form, names):
    """What the writer typed into these fields of `form` (bound to the posted data), as
    the widgets read it back, and the errors that keep it from being stored: {field: message}.

    Text is held to the rules of the article's own fields: no control characters, and a
    field's own maximum length (the browser enforces it while typing, too)."""
    values, errors = {}, {}
    for name in names:
        field = form.fields[name]
        value = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        texts = value if isinstance(value, list | tuple) else [value]
        limit = getattr(field, "max_length", None) or AUTOSAVE_TEXT_LIMIT
        for text in texts:
            if text is None:
                continue
            if not isinstance(text, str):  # a file or anything else no autosave can hold
                errors[name] = "This field cannot be autosaved."
                break
            try:
                reject_control_characters(text)
            except ValidationError as error:
                errors[name] = error.messages[0]
                break
            if len(text) > limit:
                errors[name] = (
                    f"At most {limit:,} characters can be autosaved; this has {len(text):,}."
                )
                break
        values[name] = list(value) if isinstance(value, list | tuple) else value
    return values, errors


def values_as_data(values):
    """An autosave's values as the POST data a form reads (lists for multiple choices)."""
    data = QueryDict(mutable=True)
    for name, value in values.items():
        if value is None:
            continue
        data.setlist(name, [str(item) for item in value] if isinstance(value, list) else [value])
    return data


@transaction.atomic
def autosave_store(*, user, values, article=None, draft_key=None, base_version=None, now=None):
    """Keep `values` as `user`'s autosave of `article` (or of the new article `draft_key`)."""
    now = now or timezone.now()
    if (article is None) == (draft_key is None):
        raise ValueError("An autosave is of an article or of a new article's draft.")
    autosave, _ = ArticleAutosave.objects.update_or_create(
        user=user,
        article=article,
        draft_key=None if article is not None else draft_key,
        defaults={"values": values, "base_version": base_version, "saved_at": now},
    )
    # Cleanup rides on writes, so no scheduled job is needed to keep the table small.
    mine = ArticleAutosave.objects.filter(user=user)
    mine.expired(now).delete()
    if article is None:
        kept = mine.filter(article__isnull=True).values_list("pk", flat=True)[:AUTOSAVE_DRAFTS_KEPT]
        mine.filter(article__isnull=True).exclude(pk__in=list(kept)).delete()
    return autosave


def autosave_discard(*, user, article=None, draft_key=None):
    """Forget `user`'s autosave of the form: on discard, and once the article is saved."""
    if article is None and draft_key is None:
        return 0
    deleted, _ = ArticleAutosave.objects.of_form(
        user, article=article, draft_key=draft_key
    ).delete()
    return deleted


def autosaves_expire(*, now=None):
    deleted, _ = ArticleAutosave.objects.expired(now).delete()
    return deleted


def clock_time(value):
    """`2:03 PM EST` today, `Dec 3, 2:03 PM EST` on another day, in the newsroom's zone."""
    local = timezone.localtime(value)
    today = timezone.localtime().date()
    if local.date() == today:
        return date_filter(local, "g:i A T")
    if local.year == today.year:
        return date_filter(local, "M j, g:i A T")
    return date_filter(local, "M j, Y, g:i A T")


def saved_since(article, autosave, user):
    """ "Ben saved the article at 2:05 PM EST since; …": when the article moved on from the
    version the autosave was typed over, or an empty string.

    The latest save (a revision) or workflow step (an event) is what moved it on: versions
    only ever rise, so whichever came last happened after the autosave's base."""
    if autosave.base_version is None or article.lock_version == autosave.base_version:
        return ""
    revision = ArticleRevision.objects.filter(article=article).select_related("created_by").first()
    # A request for an update is an event that leaves the article as it was.
    event = (
        ArticleEvent.objects.filter(article=article)
        .exclude(action=policies.REQUEST_UPDATE)
        .select_related("actor")
        .last()
    )
    if revision is not None and (event is None or revision.created_at >= event.at):
        what, who, when = "saved the article", revision.created_by, revision.created_at
    elif event is not None:
        what = f"changed the article ({transitions.history_text(event.action).lower()})"
        who, when = event.actor, event.at
    else:
        what, who, when = "saved the article", None, article.modified
    name = "You" if who is not None and who.pk == user.pk else _name(who)
    return f"{name} {what} at {clock_time(when)} since; your changes are based on an older version."


def _name(user):
    if user is None:
        return "Someone"
    return user.get_full_name() or user.get_username()


def unsaved_comparison(article, autosave):
    """The article as saved now beside the autosave, one row per field as the revision
    comparison shows them (articles/editing.py): what restoring would change."""
    saved = article_snapshot(article)
    unsaved = dict(saved)
    values = autosave.values
    texts = ["headline", "slug", "lead", "body", "lead_photo_caption", "source_line"]
    texts += ["seo_title", "seo_description", "social_title"]
    for field in texts:
        if isinstance(values.get(field), str):
            unsaved[field] = values[field]
    if isinstance(values.get("tags"), str):
        with contextlib.suppress(ValueError):
            unsaved["tags"] = sorted(parse_tags(values["tags"]), key=str.lower)
    section = Section.objects.filter(pk=_number(values.get("section"))).first()
    if section is not None:
        unsaved["section"] = {"id": section.pk, "name": section.name}
    for photo_field in ("lead_photo", "social_image"):
        if photo_field in values:
            unsaved[photo_field] = _number(values[photo_field])
    return revision_diff(SimpleNamespace(content=saved), SimpleNamespace(content=unsaved))


def _number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
