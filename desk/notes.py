"""Editorial notes: who may read and write a story's thread, posting a note, @mentions.

Whoever may open a story in the admin may read its thread and add to it (the same rule
as the article admin: `articles.policies`); for anyone else the story does not exist.
An `@username` of active staff who may open the story tells them (desk/notifications.py,
after the note commits); anyone else named is not told, and the writer hears why.
"""

import re
from functools import partial, reduce
from operator import or_
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import normalize_newlines

from articles import policies
from articles.models import Article

from . import notifications
from .models import Note

# `@name` at the start of the text, after a space or an opening bracket or quote, so that
# e-mail addresses (desk@city.gov) and paths (/@anna) are not mentions. A username may hold
# letters, digits and . + - _ (Django's rule, less the @); a final . + or - is punctuation
# ("thanks, @anna."), so a username that ends in one cannot be mentioned.
MENTION = re.compile(r"(?<![^\s(\[{\"'“‘])@([\w.+-]*\w)")
# One note tells at most this many people: a longer list is a mailing list, not a note.
MAX_MENTIONS = 20


class Posted(NamedTuple):
    note: Note
    # What the writer should know: whom the note did not tell, and why.
    feedback: list


def may_see_story(user, article):
    """The article admin's own rule: the model permission, then the person's stories."""
    if not (user.is_active and user.is_staff):
        return False
    if not policies.can(user, policies.VIEW, article):
        return False
    if policies.sees_every_article(user):
        return True
    return policies.visible_articles(user, Article.objects.filter(pk=article.pk)).exists()


def visible_notes(user):
    """Notes on the stories `user` may open: one subquery, however many stories."""
    visible = policies.visible_articles(user, Article.objects.all())
    return Note.objects.filter(article__in=visible.values("pk"))


def mentioned_names(text):
    """The @names in `text`, each once (case aside), in order of first appearance."""
    names = {}
    for match in MENTION.finditer(text):
        names.setdefault(match.group(1).lower(), match.group(1))
    return list(names.values())


def people_named(names):
    """{lowercased name: user} for the names that are active staff's usernames, in one
    query. Usernames are matched regardless of case; an exact match wins over one that
    differs in case. Other accounts are "no one here", so a note tells nobody whether a
    reader's or a former colleague's account exists."""
    if not names:
        return {}
    User = get_user_model()
    field = User.USERNAME_FIELD
    matches = User.objects.filter(is_active=True, is_staff=True).filter(
        reduce(or_, (Q(**{f"{field}__iexact": name}) for name in names))
    )
    wanted = {name.lower(): name for name in names}
    found = {}
    for person in sorted(matches, key=lambda person: person.pk):
        username = person.get_username()
        key = username.lower()
        if key in wanted and (key not in found or username == wanted[key]):
            found[key] = person
    return found


def note_add(*, article, user, text):
    """Post a note on `article` as `user`; the people it tells hear of it once it commits.

    Raises PermissionDenied when `user` may not open the story, ValidationError (keyed to
    `text`) for an empty, too long or unprintable note or one naming too many people.
    """
    if not may_see_story(user, article):
        raise PermissionDenied("You cannot open this story.")
    text = (text or "").strip()
    note = Note(article=article, author=user, text=text)
    note.full_clean(exclude=["article", "author"])  # both are in hand; the text is checked
    names = mentioned_names(text)
    if len(names) > MAX_MENTIONS:
        raise ValidationError(
            {
                "text": f"Mention at most {MAX_MENTIONS} people in one note (this one names "
                f"{len(names)})."
            }
        )
    people = people_named(names)
    told, feedback = [], []
    for name in names:
        person = people.get(name.lower())
        if person is None:
            feedback.append(f"No one here is called @{name}: it is left as text.")
        elif person.pk == user.pk or may_see_story(person, article):
            told.append(person)  # the writer's own name is linked; nobody tells themselves
        else:
            feedback.append(
                f"@{person.get_username()} cannot open this story, so was not told of your note."
            )
    with transaction.atomic():
        note.save()
        note.mentioned.set(told)
        # Robust: a failure to notify is logged and never undoes or hides a posted note.
        transaction.on_commit(
            partial(notifications.on_note_posted, note=note, mentioned=told), robust=True
        )
    return Posted(note, feedback)


def text_html(note, mention_url):
    """The note as HTML: its text escaped, paragraphs and line breaks kept, and the @names
    of the people it told linked to `mention_url(person)`. Nothing else becomes markup."""
    linked = {person.get_username().lower(): person for person in note.mentioned.all()}

    def line_html(line):
        parts, start = [], 0
        for match in MENTION.finditer(line):
            person = linked.get(match.group(1).lower())
            if person is None:
                continue
            parts.append(escape(line[start : match.start()]))
            parts.append(
                format_html(
                    '<a class="note__mention" href="{}" title="{}">@{}</a>',
                    mention_url(person),
                    person.get_full_name() or person.get_username(),
                    match.group(1),
                )
            )
            start = match.end()
        parts.append(escape(line[start:]))
        return format_html_join("", "{}", ((part,) for part in parts))

    paragraphs = re.split(r"\n\s*\n", normalize_newlines(note.text).strip())
    return format_html_join(
        "\n",
        "<p>{}</p>",
        (
            (format_html_join(mark_safe("<br>"), "{}", ((line_html(line),) for line in lines)),)
            for lines in (paragraph.split("\n") for paragraph in paragraphs)
        ),
    )
