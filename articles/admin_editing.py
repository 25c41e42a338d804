"""The editing half of the article admin: corrections, revisions, locking and previews.

`ArticleEditingMixin` goes first in ArticleAdmin's bases; everything here calls
super(), so it composes with the workflow half (roles, transitions, history).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT, ManagementForm
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html

from core.localtime import with_offset

from . import policies
from .editing import (
    PREVIEW_LIFETIMES,
    article_revision_restore,
    article_was_public,
    correction_add,
    preview_link_create,
    preview_link_revoke,
    revision_diff,
)
from .models import Article, ArticleRevision, Correction, PreviewLink, SlugRedirect
from .views_editing import render_preview


class CorrectionFormSet(BaseInlineFormSet):
    """A post that carries no correction forms at all means "no corrections added".

    Django refuses a formset whose management form is missing; here that would
    make every script or older test that posts the article form fail for a part
    of the page it does not touch. Nothing can be changed by omission: existing
    corrections are only ever edited by forms that are present.
    """

    @cached_property
    def management_form(self):
        if self.is_bound and self.add_prefix(TOTAL_FORM_COUNT) not in self.data:
            form = ManagementForm(
                {self.add_prefix(TOTAL_FORM_COUNT): 0, self.add_prefix(INITIAL_FORM_COUNT): 0},
                auto_id=self.auto_id,
                prefix=self.prefix,
                renderer=self.renderer,
            )
            form.full_clean()
            return form
        return super().management_form


class CorrectionInline(admin.StackedInline):
    """Editors append corrections; nobody but a superuser edits or deletes one."""

    model = Correction
    formset = CorrectionFormSet
    extra = 0
    fields = ["kind", "text", "created_at", "created_by"]
    readonly_fields = ["created_at", "created_by"]
    verbose_name_plural = "Corrections (shown to readers; cannot be edited or deleted)"

    def has_change_permission(self, request, obj=None):
        # A published correction is a public record: editing it would be the
        # silent edit it exists to prevent. Superusers keep it for legal takedowns.
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class OptimisticLockForm(forms.ModelForm):
    """Carries the article's lock_version through the edit; refuses a stale save.

    The check runs inside the admin's transaction with the row locked
    (SELECT ... FOR UPDATE on PostgreSQL; SQLite writers are serialised by
    BEGIN IMMEDIATE), so two saves cannot both pass it.
    """

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["lock_version"] = self.instance.lock_version or 0
        self.stored_article = None

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            return cleaned_data
        articles = Article.objects.all()
        if connection.in_atomic_block:
            articles = articles.select_for_update()
        self.stored_article = articles.filter(pk=self.instance.pk).first()
        if self.stored_article is None:
            raise ValidationError("This article has been deleted by someone else.")
        submitted = cleaned_data.get("lock_version")
        current = self.stored_article.lock_version
        # A post without the field (a script, not the admin form) is not checked.
        if submitted is not None and submitted != current:
            # The next save is a deliberate one: it carries the version just seen.
            self.data = self.data.copy()
            self.data[self.add_prefix("lock_version")] = current
            raise ValidationError(self.conflict_message(), code="edit_conflict")
        self.check_live_photo(cleaned_data)
        return cleaned_data

    def check_live_photo(self, cleaned_data):
        """A live or scheduled article keeps the rules it was published under: a new lead
        photo or social image must have alt text, a credit and rights that last past go-live."""
        stored = self.stored_article
        if stored.status != Article.Status.PUBLISHED:
            return  # checked by the workflow when it goes live
        at = max(timezone.now(), stored.published_at)
        for field, name in [("lead_photo", "The lead photo"), ("social_image", "The social image")]:
            photo = cleaned_data.get(field)
            if photo is None or field not in self.changed_data:
                continue
            for problem in photo.publication_problems(at, name=name):
                self.add_error(field, problem)

    def conflict_message(self):
        latest = (
            ArticleRevision.objects.filter(article_id=self.instance.pk)
            .select_related("created_by")
            .first()
        )
        latest_text = ""
        if latest is not None:
            name = latest.created_by.get_username() if latest.created_by else "unknown"
            latest_text = (
                f" The latest revision is number {latest.number}, "
                f"saved by {name} at {with_offset(latest.created_at)}."
            )
        return (
            "Someone else saved this article while you were editing it."
            f"{latest_text} Your changes have NOT been saved; they are still in the form "
            "below. Open the article's revisions in another tab to see what changed, then "
            "save again to replace their version with yours."
        )


class ArticleEditingMixin:
    """Corrections inline, revisions (compare/restore), optimistic locking, previews."""

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), CorrectionInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        if kwargs["fields"] is not None:
            # lock_version is declared on the form, not generated from the model
            # (it is not editable there), so the model form must not ask for it.
            kwargs["fields"] = [f for f in kwargs["fields"] if f != "lock_version"]
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (OptimisticLockForm, form), {})

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if not any("lock_version" in options.get("fields", ()) for _, options in fieldsets):
            fieldsets.append((None, {"fields": ["lock_version"], "classes": ["hidden"]}))
        return fieldsets

    def save_model(self, request, obj, form, change):
        stored = getattr(form, "stored_article", None)
        if change and stored is not None and not stored.revisions.exists():
            # Articles created outside the admin (imports, demo content) get their
            # stored state kept first, so the first edit can be compared and undone.
            ArticleRevision.objects.record(
                article=stored, comment="As it was before its first edit in the admin"
            )
        super().save_model(request, obj, form, change)
        if change and stored is not None:
            SlugRedirect.objects.record_rename(
                article=obj, old_slug=stored.slug, was_public=article_was_public(stored)
            )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Correction:
            return super().save_formset(request, form, formset, change)
        for correction in formset.save(commit=False):
            if correction.pk is None:
                correction_add(
                    article=form.instance,
                    kind=correction.kind,
                    text=correction.text,
                    user=request.user,
                )
            else:  # only a superuser's formset lets existing corrections change
                correction.save()
        for correction in formset.deleted_objects:
            correction.delete()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After tags and bylines are saved, so the revision holds all of the content.
        ArticleRevision.objects.record(article=form.instance, user=request.user)

    # Extra admin pages ----------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<int:object_id>/revisions/",
                wrap(self.revisions_view),
                name=f"{name}_revisions",
            ),
            path(
                "<int:object_id>/revisions/compare/",
                wrap(self.revision_compare_view),
                name=f"{name}_revision_compare",
            ),
            path(
                "<int:object_id>/revisions/<int:number>/restore/",
                wrap(self.revision_restore_view),
                name=f"{name}_revision_restore",
            ),
            path("<int:object_id>/preview/", wrap(self.preview_view), name=f"{name}_preview"),
            path(
                "<int:object_id>/preview-links/",
                wrap(self.preview_links_view),
                name=f"{name}_preview_links",
            ),
            path(
                "<int:object_id>/preview-links/<int:link_id>/revoke/",
                wrap(self.preview_link_revoke_view),
                name=f"{name}_preview_link_revoke",
            ),
            *super().get_urls(),
        ]

    def _article(self, request, object_id, *, change):
        article = self.get_object(request, str(object_id))  # or "not found"
        if change and not self.has_change_permission(request, article):
            raise PermissionDenied(policies.refusal(request.user, policies.EDIT, article))
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied(policies.refusal(request.user, policies.VIEW, article))
        return article

    def _context(self, request, article, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "article": article,
            "title": title,
            "has_change_permission": self.has_change_permission(request, article),
            **extra,
        }

    def revisions_view(self, request, object_id):
        article = self._article(request, object_id, change=False)
        revisions = article.revisions.select_related("created_by")
        context = self._context(request, article, f"Revisions of “{article}”", revisions=revisions)
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def revision_compare_view(self, request, object_id):
        article = self._article(request, object_id, change=False)
        revisions = article.revisions.select_related("created_by")
        try:
            numbers = [int(request.GET[key]) for key in ("a", "b")]
        except (KeyError, ValueError):
            numbers = list(revisions.values_list("number", flat=True)[:2])[::-1]
        if len(numbers) != 2:
            messages.info(request, "An article needs two revisions before they can be compared.")
            return redirect(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_revisions", article.pk
            )
        old, new = (get_object_or_404(revisions, number=number) for number in sorted(numbers))
        context = self._context(
            request,
            article,
            f"Revision {old.number} compared with revision {new.number}",
            old=old,
            new=new,
            rows=revision_diff(old, new),
            latest_number=revisions.values_list("number", flat=True).first(),
        )
        return TemplateResponse(request, "admin/articles/article/revision_compare.html", context)

    def revision_restore_view(self, request, object_id, number):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article(request, object_id, change=True)
        revision = get_object_or_404(article.revisions, number=number)
        try:
            restored = article_revision_restore(revision=revision, user=request.user)
        except ValidationError as error:
            messages.error(
                request,
                f"Revision {revision.number} could not be restored: {' '.join(error.messages)}",
            )
            return redirect(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_revisions", article.pk
            )
        messages.success(
            request, f"Revision {revision.number} restored as revision {restored.number}."
        )
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", article.pk)

    def preview_view(self, request, object_id):
        # Whoever may open the story may preview it: a writer after submitting, an editor,
        # a read-only role. Sharing it outside the newsroom (preview links) takes more.
        article = self._article(request, object_id, change=False)
        # The public page's own loader over any state, so the preview is what readers will
        # see; 404 if the article was deleted since the checks above.
        article = get_object_or_404(Article.objects.for_page(), pk=article.pk)
        return render_preview(request, article)

    def preview_links_view(self, request, object_id):
        article = self._article(request, object_id, change=True)
        if request.method == "POST":
            choice = PREVIEW_LIFETIMES.get(request.POST.get("lifetime", ""))
            if choice is None:
                messages.error(request, "Choose how long the link should work.")
            else:
                link = preview_link_create(article=article, user=request.user, lifetime=choice[1])
                messages.success(
                    request,
                    format_html(
                        "Preview link created; it works until {}: {}",
                        with_offset(link.expires_at),
                        request.build_absolute_uri(link.bearer_url()),
                    ),
                )
            return redirect(request.path)
        links = article.preview_links.select_related("created_by", "revoked_by")
        context = self._context(
            request,
            article,
            f"Preview links for “{article}”",
            links=[(link, request.build_absolute_uri(link.bearer_url())) for link in links],
            lifetimes=[(key, label) for key, (label, _) in PREVIEW_LIFETIMES.items()],
        )
        return TemplateResponse(request, "admin/articles/article/preview_links.html", context)

    def preview_link_revoke_view(self, request, object_id, link_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article(request, object_id, change=True)
        link = get_object_or_404(PreviewLink, pk=link_id, article=article)
        preview_link_revoke(link=link, user=request.user)
        messages.success(request, "The preview link no longer works.")
        return redirect(
            reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_preview_links",
                args=[article.pk],
            )
        )
