"""Plain text as the newsroom stores it: no control characters.

Every text field of our apps carries `reject_control_characters`
(tests/test_control_characters.py walks them all). A vertical tab pasted into a headline is invisible in the
admin, but XML 1.0 cannot carry it: every feed answered 500 and the news sitemap stopped
being well-formed. Text that reached the database another way (an import, `update()`, raw
SQL) is cleaned where XML is written, with `xml_text`.
"""

import re

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, models

# C0 controls except TAB, LF and CR (bodies need those, and XML 1.0 allows them), DEL, and
# the two non-characters XML 1.0 forbids. Lone surrogates cannot be encoded at all.
FORBIDDEN = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff"
CONTROL_CHARACTER = re.compile(f"[{FORBIDDEN}\ud800-\udfff]")


def reject_control_characters(value):
    match = CONTROL_CHARACTER.search(str(value))
    if match:
        raise ValidationError(
            "This contains a control character (U+%(code)04X) at character %(position)d. "
            "It is invisible here, but feeds and sitemaps cannot carry it: delete it, "
            "usually by retyping the text around that spot.",
            code="control_character",
            params={"code": ord(match.group()), "position": match.start() + 1},
        )


def validate_tag_names(names, max_length, slugify):
    """Tag names typed into the article form: django-taggit's own field checks neither
    control characters, nor the length of its name column, nor that a name has something
    to make its address (`slugify`, the tag model's) from: an emoji alone got an empty
    slug, and every page linking to that tag answered 500."""
    errors = []
    for name in names:
        if not slugify(name):
            errors.append(
                ValidationError(
                    "“%(name)s” cannot be a tag: a tag needs a letter or a digit, which make "
                    "its address.",
                    code="tag_without_address",
                    params={"name": name},
                )
            )
        try:
            reject_control_characters(name)
        except ValidationError as error:
            errors.extend(error.error_list)
        if len(name) > max_length:
            errors.append(
                ValidationError(
                    "A tag may have at most %(max)d characters; “%(start)s…” has %(length)d.",
                    code="tag_too_long",
                    params={"max": max_length, "start": name[:20], "length": len(name)},
                )
            )
    if errors:
        raise ValidationError(errors)


def xml_text(value):
    """`value` with what XML 1.0 cannot carry taken out: strings, and the lists, tuples
    and dicts of them that feed generators are given; anything else unchanged."""
    if isinstance(value, str):
        return CONTROL_CHARACTER.sub("", value)
    if isinstance(value, list | tuple):
        return type(value)(xml_text(item) for item in value)
    if isinstance(value, dict):
        return {key: xml_text(item) for key, item in value.items()}
    return value


def strip_stored_control_characters(apps, app_label, using=DEFAULT_DB_ALIAS, exclude=()):
    """The data migration: takes control characters out of every text column of
    `app_label`'s models, writing only the rows and columns that hold one. Models named in
    `exclude` (append-only history) are left as they were written.

    `apps` is the migration's app registry (or django.apps.apps). Rows are found by the
    database (one scan per model), then cleaned here with the same rule as the validator.
    """
    for model in apps.get_app_config(app_label).get_models():
        if model.__name__ in exclude:
            continue
        connection = connections[using]
        # Tables another engine has, or that Django does not own (the search index's,
        # whose rows the database copies from the articles cleaned here).
        vendor = model._meta.required_db_vendor
        if not model._meta.managed or vendor not in (None, "", connection.vendor):
            continue
        # The rule as a pattern both databases read: escapes, not the characters themselves
        # (PostgreSQL can neither store NUL nor be asked about it).
        first = "\\x01" if connection.vendor == "postgresql" else "\\x00"
        pattern = f"[{first}-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\uFFFE\\uFFFF]"
        columns = [
            field.name
            for field in model._meta.get_fields()
            if isinstance(field, models.CharField | models.TextField) and field.concrete
        ]
        if not columns:
            continue
        holding = models.Q()
        for column in columns:
            holding |= models.Q(**{f"{column}__regex": pattern})
        for row in model._base_manager.using(using).filter(holding).only(*columns).iterator():
            changed = {
                column: CONTROL_CHARACTER.sub("", getattr(row, column))
                for column in columns
                if CONTROL_CHARACTER.search(getattr(row, column) or "")
            }
            if changed:
                # update(), not save(): no save() side effects, no new lock version.
                model._base_manager.using(using).filter(pk=row.pk).update(**changed)
