"""The editorial thread on the article's change form.

templates/admin/articles/article/change_form.html is a project template: it loads these
tags, so the articles app itself never imports desk.
"""

from django import template

from desk.admin_notes import thread_context
from desk.models import Note
from desk.notes import may_see_story

register = template.Library()


def shown_to(request, article):
    """Asked by both tags of one page: the answer is kept on the request."""
    if article is None or article.pk is None:
        return False
    answers = getattr(request, "desk_notes_shown", None)
    if answers is None:
        answers = request.desk_notes_shown = {}
    if article.pk not in answers:
        answers[article.pk] = may_see_story(request.user, article)
    return answers[article.pk]


@register.inclusion_tag("desk/notes/thread.html", takes_context=True)
def note_thread(context, article):
    request = context["request"]
    if not shown_to(request, article):
        return {"hidden": True}
    return thread_context(request, article)


@register.simple_tag(takes_context=True)
def note_count(context, article):
    """The number of notes on the story, for the link to its thread; one COUNT."""
    if not shown_to(context["request"], article):
        return None
    return Note.objects.on(article).count()
