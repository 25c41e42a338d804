"""Nothing typed is lost: autosave, restore or discard, workflow buttons that save first,
and the live preview of the article form (issue 15).

`ArticleAutosaveMixin` extends the editing half (admin_editing.ArticleEditingMixin) and
stands in for it in ArticleAdmin's bases: it must run before it, since a workflow button
on an unchanged form saves nothing, not even a revision. Everything here calls super().
The form's script (static/admin/js/autosave.js) posts the form to the autosave view every
few seconds of typing and when a field is left; without JavaScript the form works as it
always did, the workflow buttons still save first, and "Live preview" still opens the
page as typed. Autosaves are the writer's own: they never touch the article, its
revisions or the public cache.
"""

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse

from . import transitions
from .admin_editing import ArticleEditingMixin
from .admin_live_preview import (
    LivePreviewMixin,
    framable_by_own_site,
    frames_own_site,
    private_json,
)
from .autosave import (
    AUTOSAVE_MAX_BYTES,
    autosave_discard,
    autosave_store,
    autosave_values,
    clock_time,
    saved_since,
    unsaved_comparison,
    unsaved_fields,
)
from .live_preview import new_article
from .models import ArticleAutosave

DRAFT_FIELD = "_autosave_draft"  # the "Add article" form's draft key
THEN_FIELD = "_then"  # a workflow button: save, then take this transition
PREVIEW_FIELD = "_live_preview"  # the "Live preview" button: autosave, then show the page
TYPED_FIELD = "_autosave_typed"  # the script's list of the fields changed since the page opened


def draft_key_from(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


class ArticleAutosaveMixin(LivePreviewMixin, ArticleEditingMixin):
    @property
    def media(self):
        return super().media + forms.Media(
            js=["admin/js/autosave.js"],
            css={"all": ["admin/css/article_editing.css", "admin/css/autosave.css"]},
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        urls = []
        # Each view answers for an article's form and, without an id, a new article's.
        for route, view, url_name in [
            ("autosave/", self.autosave_view, "autosave"),
            ("autosave/discard/", self.autosave_discard_view, "autosave_discard"),
            ("autosave/status/", self.autosave_status_view, "autosave_status"),
            ("live-preview/", frames_own_site(self.live_preview_view), "live_preview"),
            (
                "live-preview/page/",
                framable_by_own_site(self.live_preview_page_view),
                "live_preview_page",
            ),
        ]:
            urls += [
                path(route, wrap(view), name=f"{name}_{url_name}_new"),
                path(f"<int:object_id>/{route}", wrap(view), name=f"{name}_{url_name}"),
            ]
        return [*urls, *super().get_urls()]

    # Which form a request is about ------------------------------------------------------

    def autosave_form_of(self, request, object_id, draft_value):
        """(article, None) or (None, draft key), checked as the form itself is: 404 for an
        article this person may not see, 403 for one they may not change."""
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            draft_key = draft_key_from(draft_value)
            if draft_key is None:
                raise Http404("No such draft.")
            return None, draft_key
        # The admin's own queryset (who sees what), without the list's prefetches.
        article = self.get_queryset(request).prefetch_related(None).filter(pk=object_id).first()
        if article is None:
            raise Http404("No such article.")
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article, None

    def autosave_urls(self, article, draft_key):
        """The addresses of one form's autosave views: by article id, or for a new article
        with its draft key (which the autosave itself finds in the posted form)."""
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}"
        args, suffix = ([article.pk], "") if article else ([], "_new")
        query = "" if article else f"?draft={draft_key}"
        keys = ("autosave_discard", "autosave_status", "live_preview", "live_preview_page")
        urls = {key: reverse(f"{name}_{key}{suffix}", args=args) + query for key in keys}
        urls["autosave"] = reverse(f"{name}_autosave{suffix}", args=args)
        return urls

    def form_url(self, article):
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}"
        return reverse(f"{name}_change", args=[article.pk]) if article else reverse(f"{name}_add")

    # Autosave endpoints -------------------------------------------------------------------

    def autosave_view(self, request, object_id=None):
        """POST the article form: keep what it holds as this person's autosave. JSON for the
        script; the "Live preview" button (no script needed) is sent on to the preview."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if content_length(request) > AUTOSAVE_MAX_BYTES:
            return private_json(
                {"message": "Not autosaved: the form is too large. Save the article."}, 413
            )
        try:
            article, draft_key = self.autosave_form_of(
                request, object_id, request.POST.get(DRAFT_FIELD)
            )
        except PermissionDenied:
            return private_json(
                {"message": "Not autosaved: you may not change this article now."}, 403
            )
        except Http404:
            return private_json({"message": "Not autosaved: no such article or draft."}, 404)
        form_class = self.get_form(request, article, change=article is not None)
        form = form_class(
            request.POST, request.FILES, instance=article or new_article(request.user)
        )
        typed = request.POST.get(TYPED_FIELD)
        names = unsaved_fields(form, None if typed is None else set(typed.split(",")))
        values, errors = autosave_values(form, names)
        if errors:
            return private_json(
                {
                    "message": "Not autosaved: "
                    + " ".join(
                        f"{form.fields[name].label}: {text}" for name, text in errors.items()
                    ),
                    "errors": errors,
                },
                400,
            )
        payload = {"saved": False, "message": "No unsaved changes."}
        if names:
            autosave = autosave_store(
                user=request.user,
                values=values,
                article=article,
                draft_key=draft_key,
                base_version=posted_lock_version(form, article),
            )
            payload = {
                "saved": True,
                "saved_at": autosave.saved_at.isoformat(),
                "message": f"Unsaved changes kept at {clock_time(autosave.saved_at)}.",
                "stale": saved_since(article, autosave, request.user) if article else "",
            }
        else:
            # The form holds what is saved (or nothing, on a new article): nothing to keep.
            autosave_discard(user=request.user, article=article, draft_key=draft_key)
        if PREVIEW_FIELD in request.POST:
            return redirect(self.autosave_urls(article, draft_key)["live_preview"])
        return private_json(payload)

    def autosave_discard_view(self, request, object_id=None):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article, draft_key = self.autosave_form_of(request, object_id, request.GET.get("draft"))
        if autosave_discard(user=request.user, article=article, draft_key=draft_key):
            messages.success(request, "Your unsaved changes were discarded.")
        return redirect(self.form_url(article))

    def live_autosave(self, user, article, draft_key):
        return (
            ArticleAutosave.objects.live()
            .of_form(user, article=article, draft_key=draft_key)
            .first()
        )

    # The article form ---------------------------------------------------------------------

    def restoring_autosave(self, request, obj):
        """The autosave this GET asks to put into the form (`?restore=<id>`), or None."""
        if request.method != "GET" or "restore" not in request.GET:
            return None
        if not hasattr(request, "article_autosave_restoring"):
            found = ArticleAutosave.objects.live().filter(
                user=request.user, pk=as_number(request.GET["restore"])
            )
            found = found.filter(article=obj) if obj else found.filter(article__isnull=True)
            request.article_autosave_restoring = found.first()
        return request.article_autosave_restoring

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        autosave = self.restoring_autosave(request, obj)
        if autosave is None:
            return form
        restored = {k: v for k, v in autosave.values.items() if k in form.base_fields}

        def __init__(self, *args, **kwargs):
            # Initial data wins over the instance's values (ModelForm), so the form shows
            # the autosave; the lock stays at the version it was typed over.
            kwargs["initial"] = {**(kwargs.get("initial") or {}), **restored}
            form.__init__(self, *args, **kwargs)
            if autosave.base_version is not None:
                self.initial["lock_version"] = autosave.base_version

        return type(form.__name__, (form,), {"__init__": __init__})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(self.autosave_context(request, obj, add, context["adminform"].form))
        then = (
            transitions.get(request.POST.get(THEN_FIELD, "")) if request.method == "POST" else None
        )
        if then is not None:
            messages.error(
                request,
                f"{then.label}: not started, because the article could not be saved. Your "
                f"changes are still in the form; correct them and press “{then.label}” again.",
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def autosave_context(self, request, obj, add, form):
        user = request.user
        editable = (
            self.has_add_permission(request) if add else self.has_change_permission(request, obj)
        )
        if not editable:
            return {}
        restoring = self.restoring_autosave(request, obj)
        draft_key = None
        if add:
            posted = (
                draft_key_from(request.POST.get(DRAFT_FIELD)) if request.method == "POST" else None
            )
            draft_key = posted or (restoring and restoring.draft_key) or uuid.uuid4()
        offer = restoring
        if obj is not None and offer is None and request.method == "GET":
            offer = self.live_autosave(user, obj, None)
        # The fields the page already holds unsaved; the script adds those typed into.
        typed = []
        if restoring is not None:
            typed = [name for name in restoring.values if name in form.fields]
        elif request.method == "POST":
            typed = unsaved_fields(form)
        others = []
        if add:
            others = list(
                ArticleAutosave.objects.live()
                .filter(user=user, article__isnull=True)
                .exclude(draft_key=draft_key)[:5]
            )
        offered = [self.offer(request, obj, autosave, restoring) for autosave in others]
        if offer is not None:
            offered.insert(0, self.offer(request, obj, offer, restoring))
        return {
            "autosave": {
                "urls": self.autosave_urls(obj, draft_key),
                "draft_key": draft_key,
                "channel": f"article-{obj.pk}" if obj else f"draft-{draft_key}",
                # An offer not yet taken pauses autosave, so typing cannot replace it.
                "pending": obj is not None and offer is not None and restoring is None,
                # The form holds what is not saved: restored from an autosave, or posted
                # back with errors (newer than any autosave, so the script sends it).
                "unsaved": "restored"
                if restoring
                else "posted"
                if request.method == "POST"
                else "",
                "typed": ",".join(typed),
                "offers": offered,
            }
        }

    def offer(self, request, obj, autosave, restoring):
        restored = autosave == restoring
        stale = saved_since(obj, autosave, request.user) if obj is not None else ""
        urls = self.autosave_urls(obj, autosave.draft_key)
        return {
            "autosave": autosave,
            "time": clock_time(autosave.saved_at),
            "restored": restored,
            "stale": stale,
            "restore_url": f"{self.form_url(obj)}?restore={autosave.pk}",
            "urls": urls,
            "channel": f"article-{obj.pk}" if obj else f"draft-{autosave.draft_key}",
            "comparison": unsaved_comparison(obj, autosave) if restored and stale else None,
        }

    def save_model(self, request, obj, form, change):
        if change and THEN_FIELD in request.POST and not unsaved_fields(form):
            # A workflow button on an unchanged form: whether anything is saved is decided
            # once the inlines are known (save_related), so no empty revision is made.
            request.article_save_deferred = form
            return
        super().save_model(request, obj, form, change)
        draft_key = None if change else draft_key_from(request.POST.get(DRAFT_FIELD))
        autosave_discard(user=request.user, article=obj if change else None, draft_key=draft_key)

    def save_related(self, request, form, formsets, change):
        if getattr(request, "article_save_deferred", None) is form:
            if not any(formset.has_changed() for formset in formsets):
                request.article_left_unchanged = True
                return
            super().save_model(request, form.instance, form, change)
            autosave_discard(user=request.user, article=form.instance)
        super().save_related(request, form, formsets, change)

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "article_left_unchanged", False):
            return []  # nothing was saved, so the formsets have nothing to report
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if getattr(request, "article_left_unchanged", False):
            return None
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if THEN_FIELD not in request.POST:
            return super().response_change(request, obj)
        transition = transitions.get(request.POST[THEN_FIELD])
        if not getattr(request, "article_left_unchanged", False):
            self.message_user(request, f"“{obj}” was saved.", messages.SUCCESS)
        if transition is None or not transition.allowed(request.user, obj):
            self.message_user(
                request,
                "That workflow step is not open to you for this article now.",
                messages.WARNING,
            )
            return redirect(self.form_url(obj))
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}_transition"
        return redirect(reverse(name, args=[obj.pk, transition.name]))


def content_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def posted_lock_version(form, article):
    """The lock version the form was opened at, as posted; the article's own if absent."""
    if article is None:
        return None
    try:
        return int(form.data.get(form.add_prefix("lock_version")))
    except (TypeError, ValueError):
        return article.lock_version


def as_number(value):
    """A row id from the query string; 0 (no row) for anything else, however long."""
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else 0
