"""Editorial notes in the admin: the thread on the article form, posting to it, and a list.

The thread is drawn on the article's change form by a template tag (desk/templatetags/
desk_notes.py), below the article's own form and outside it: the note form is a <form> of
its own that posts here, so adding a note never submits, saves or discards the article's
fields. With JavaScript (static/js/desk-notes.js) the note is posted in the background
and the thread redrawn in place, so unsaved edits in the article form stay on the page;
without it, the post comes back to the article form (the form says so beforehand).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from articles.models import Article
from core.localtime import with_offset
from core.refusals import UnseenIsNotFound

from .models import Note, Notification
from .models_notes import NOTE_MAX_LENGTH
from .notes import may_see_story, note_add, text_html, visible_notes
from .notifications import actor_name

# The thread shows the latest notes; older ones are in the notes list, filtered to the story.
THREAD_LENGTH = 50
# Sent by static/js/desk-notes.js; answered with the redrawn thread instead of a redirect.
FRAGMENT_HEADER = "X-Desk-Notes"


class NoteForm(forms.Form):
    prefix = "note"  # the article form's fields and inlines never share its names or ids

    text = forms.CharField(
        label="Add a note",
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Seen only by staff who can open this story, never by readers. "
        "@username tells a colleague.",
    )


def mention_url(person):
    return f"{reverse('admin:desk_note_changelist')}?{MentionFilter.parameter_name}={person.pk}"


def thread_context(request, article, *, form=None, feedback=()):
    """What templates/desk/notes/thread.html draws: three queries however long the thread."""
    latest = list(
        Note.objects.on(article).for_thread().order_by("-created", "-id")[: THREAD_LENGTH + 1]
    )
    older = len(latest) > THREAD_LENGTH
    notes = [
        {
            "note": note,
            "author": actor_name(note.author),
            "username": note.author.get_username() if note.author else "",
            "when": with_offset(note.created),
            "html": text_html(note, mention_url),
        }
        for note in reversed(latest[:THREAD_LENGTH])
    ]
    return {
        "article": article,
        "notes": notes,
        "count": Note.objects.on(article).count() if older else len(notes),
        "older_url": (
            f"{reverse('admin:desk_note_changelist')}?{StoryFilter.parameter_name}={article.pk}"
            if older
            else ""
        ),
        "form": form or NoteForm(),
        "post_url": reverse("admin:desk_note_add_to", args=[article.pk]),
        "feedback": feedback,
        "request": request,
    }


class MentionFilter(admin.SimpleListFilter):
    title = "mentioning"
    parameter_name = "mentioned"

    def lookups(self, request, model_admin):
        return [(str(request.user.pk), "Me")]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(mentioned__pk=self.value())
        return queryset


class AuthorFilter(admin.SimpleListFilter):
    title = "written by"
    parameter_name = "by"

    def lookups(self, request, model_admin):
        return [(str(request.user.pk), "Me")]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(author__pk=self.value())
        return queryset


class StoryFilter(admin.SimpleListFilter):
    """Offered only as "this story", from a thread too long to show in full."""

    title = "story"
    parameter_name = "story"

    def lookups(self, request, model_admin):
        value = self.value()
        article = Article.objects.filter(pk=value).first() if value and value.isdigit() else None
        if article is None or not may_see_story(request.user, article):
            return [(value, "This story")] if value else []
        return [(value, Truncator(article.headline).chars(60))]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(article__pk=self.value())
        return queryset


@admin.register(Note)
class NoteAdmin(UnseenIsNotFound, admin.ModelAdmin):
    """Notes on the stories each person may open; written on the article form, never here.
    A note on a story the asker may not open is "not found", like one that does not exist.

    Nobody edits a note (see the model); a superuser may delete one, e.g. a legal takedown.
    """

    refusal_reasons = {
        "add": "A note is written on its story's page, below the story's form.",
        "change": "A note is never edited: add another note to correct it.",
    }

    list_display = ["excerpt", "story", "by", "when"]
    list_display_links = None
    list_filter = [MentionFilter, AuthorFilter, StoryFilter]
    list_select_related = ["article", "author"]
    search_fields = ["text"]
    ordering = ["-created", "-id"]
    fields = ["story", "by", "text", "mentioned", "when"]
    readonly_fields = fields

    def get_queryset(self, request):
        return visible_notes(request.user).select_related("article", "author")

    def has_module_permission(self, request):
        user = request.user
        return (
            user.is_active
            and user.is_staff
            and (user.has_perm("articles.view_article") or user.has_perm("articles.change_article"))
        )

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return may_see_story(request.user, obj.article)

    def has_add_permission(self, request):
        return False  # on the article form, through add_to_story_view

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # The notifications of a note's mentions carry its text and go with it; nobody may
        # delete a notification on its own, which must not make the note undeletable.
        perms_needed.discard(Notification._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    @admin.display(description="Note")
    def excerpt(self, note):
        return Truncator(note.text).chars(160)

    @admin.display(description="Story", ordering="article__headline")
    def story(self, note):
        url = reverse("admin:articles_article_change", args=[note.article_id])
        return format_html('<a href="{}#note-{}">{}</a>', url, note.pk, note.article.headline)

    @admin.display(description="By", ordering="author__username")
    def by(self, note):
        return actor_name(note.author)

    @admin.display(description="When", ordering="created")
    def when(self, note):
        return with_offset(note.created)

    def get_urls(self):
        return [
            path(
                "on/<int:article_id>/",
                self.admin_site.admin_view(self.add_to_story_view),
                name="desk_note_add_to",
            ),
            *super().get_urls(),
        ]

    def add_to_story_view(self, request, article_id):
        """POST a note to a story the user may open (anyone else: 404, as in the article
        admin). Answers the redrawn thread to the page's script, a redirect to the thread
        otherwise; a refused note comes back with its text and the reason."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = Article.objects.filter(pk=article_id).first()
        if article is None or not may_see_story(request.user, article):
            raise Http404("No such story.")
        in_place = request.headers.get(FRAGMENT_HEADER) == "thread"
        form = NoteForm(request.POST)
        if form.is_valid():
            try:
                posted = note_add(
                    article=article, user=request.user, text=form.cleaned_data["text"]
                )
            except ValidationError as error:
                form.add_error("text", error.message_dict.get("text", error.messages))
            else:
                if in_place:
                    return self.thread_response(request, article, feedback=posted.feedback)
                messages.success(request, "Your note was added.")
                for line in posted.feedback:
                    messages.warning(request, line)
                url = reverse("admin:articles_article_change", args=[article.pk])
                return redirect(f"{url}#note-{posted.note.pk}")
        if in_place:
            return self.thread_response(request, article, form=form, status=400)
        context = {
            **self.admin_site.each_context(request),
            **thread_context(request, article, form=form),
            "opts": self.opts,
            "title": f"Add a note to “{article}”",
        }
        return TemplateResponse(request, "admin/desk/note/add.html", context, status=400)

    def thread_response(self, request, article, *, form=None, feedback=(), status=200):
        context = thread_context(request, article, form=form, feedback=feedback)
        response = TemplateResponse(request, "desk/notes/thread_inner.html", context, status=status)
        response[FRAGMENT_HEADER] = "thread"
        return response
