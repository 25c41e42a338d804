from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from core.localtime import with_offset, zone_hint
from core.refusals import UnseenIsNotFound
from media.admin import PhotoPickerMixin

from . import admin_tags, policies, transitions  # noqa: F401  (admin_tags registers the tag admin)
from .admin_autosave import ArticleAutosaveMixin
from .admin_deletion import ArticleDeletionMixin, workflow_history_table
from .forms import ArticleForm, TransitionForm
from .models import Article, Author, Byline, HomepageSlot, Section
from .states import STATE_LABELS, state_of, state_sentence


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "job_title", "user"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    autocomplete_fields = ["user", "photo"]


class BylineFormSet(BaseInlineFormSet):
    """Refuses a save that would remove a published article's last byline (see the model)."""

    def clean(self):
        super().clean()
        # Existing bylines can only be removed through their own (initial) rows, so
        # "initial rows, all ticked for deletion, no new row" is removing the last one.
        initial = self.initial_forms
        remaining = [
            form
            for form in self.forms
            if not form.cleaned_data.get("DELETE") and (form in initial or form.has_changed())
        ]
        # Raised here, the refusal is shown above the bylines and the admin renders the
        # whole form again as it was posted: nothing typed is lost, nothing is saved.
        self.instance.check_bylines_left(current=len(initial), remaining=len(remaining))


class BylineInline(admin.TabularInline):
    model = Byline
    formset = BylineFormSet
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["author", "contributor", "position"]


class StateFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return list(STATE_LABELS.items())

    def queryset(self, request, queryset):
        value = self.value()
        return queryset if value is None else queryset.in_state(value)


def _bulk(transition):
    """A changelist action that runs one transition per selected article, reporting each refusal."""

    def run(modeladmin, request, queryset):
        done = 0
        for article in queryset:
            try:
                transition.run(article=article, user=request.user)
                done += 1
            except (PermissionDenied, ValidationError) as error:
                text = "; ".join(getattr(error, "messages", None) or [str(error)])
                modeladmin.message_user(request, f"“{article}”: {text}", messages.ERROR)
        if done:
            modeladmin.message_user(
                request, f"{transition.label}: {done} article(s).", messages.SUCCESS
            )

    name = f"bulk_{transition.name}"
    run.__name__ = name
    return run, name, f"{transition.label} (selected articles)"


@admin.register(Article)
class ArticleAdmin(
    UnseenIsNotFound,
    ArticleDeletionMixin,
    ArticleAutosaveMixin,
    PhotoPickerMixin,
    admin.ModelAdmin,
):
    form = ArticleForm
    list_display = ["headline", "state_badge", "section", "byline_list", "go_live"]
    list_filter = [
        StateFilter,
        "section",
        ("bylines__author", admin.RelatedOnlyFieldListFilter),
        "published_at",
    ]
    list_select_related = ["section"]
    search_fields = ["headline", "lead", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    inlines = [BylineInline]
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"
    # Status and go-live times change only through the workflow buttons (services),
    # so no form field can publish, schedule or lift an embargo by hand.
    readonly_fields = [
        "state_badge",
        "published_local",
        "first_published_local",
        "updated_local",
        "embargo_local",
        "expiry_local",
        "history",
    ]
    fieldsets = [
        (None, {"fields": ["section", "headline", "slug", "lead", "body", "tags"]}),
        ("Lead photo", {"fields": ["lead_photo", "lead_photo_caption"]}),
        (
            "Search and social",
            {
                "fields": ["seo_title", "seo_description", "social_title", "social_image"],
                "description": "How the story appears in search results and when shared. "
                "Leave a field empty to use the headline, lead or lead photo.",
            },
        ),
        (
            "Publication",
            {
                "fields": [
                    "state_badge",
                    "published_local",
                    "first_published_local",
                    "updated_local",
                    "embargo_local",
                    "expiry_local",
                    "source_line",
                ]
            },
        ),
        ("Legal", {"fields": ["legal_notice"]}),
        # Rendered as text, not an inline formset: there is no form to edit or delete it.
        ("Workflow history", {"fields": ["history"]}),
    ]

    class Media:
        css = {"all": ["css/admin-workflow.css"]}

    # Display columns ------------------------------------------------------------

    @admin.display(description="Status", ordering="status")
    def state_badge(self, article):
        state = state_of(article)
        return format_html('<span class="badge badge--{}">{}</span>', state, STATE_LABELS[state])

    @admin.display(description="Bylines")
    def byline_list(self, article):
        return ", ".join(article.byline_names)

    @admin.display(description="Scheduled / published", ordering="published_at")
    def go_live(self, article):
        if article.status != Article.Status.PUBLISHED:
            return "-"
        return with_offset(article.goes_live_at)

    @admin.display(description="Publication time")
    def published_local(self, article):
        return with_offset(article.published_at) or "-"

    @admin.display(description="First published")
    def first_published_local(self, article):
        return with_offset(article.first_published_at) or "-"

    @admin.display(description="Updated")
    def updated_local(self, article):
        return with_offset(article.updated_at) or "-"

    @admin.display(description="Embargo until")
    def embargo_local(self, article):
        return with_offset(article.embargo_until) or "-"

    @admin.display(description="Expires")
    def expiry_local(self, article):
        return with_offset(article.expire_at) or "-"

    @admin.display(description="Transitions")
    def history(self, article):
        return workflow_history_table(article.events) if article.pk else "-"

    def view_on_site(self, article):
        # Only a live article has a public page; drafts would only show a 404.
        return article.get_absolute_url() if article.is_published else None

    # Permissions: all from articles/policies.py -----------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("bylines__author")
        return policies.visible_articles(request.user, queryset)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or policies.can(request.user, policies.VIEW, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or policies.can(request.user, policies.EDIT, obj))

    def get_actions(self, request):
        # Built per request from the registry, so each person sees the bulk transitions
        # they could take on some article, and a new registry entry needs no edit here.
        actions = super().get_actions(request)
        if IS_POPUP_VAR in request.GET:  # a popup picks an article; it offers no actions
            return actions
        for transition in transitions.bulk():
            if policies.may_take_on_some_article(request.user, transition.name):
                run, name, description = _bulk(transition)
                actions[name] = (run, name, description)
        return actions

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    # Workflow views -----------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "scheduled/",
                self.admin_site.admin_view(self.scheduled_view),
                name="{}_{}_scheduled".format(*info),
            ),
            path(
                "<path:object_id>/workflow/<slug:action>/",
                self.admin_site.admin_view(self.transition_view),
                name="{}_{}_transition".format(*info),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)  # or "not found" (UnseenIsNotFound)
        if request.method == "POST" and not self.has_change_permission(request, article):
            raise PermissionDenied(policies.refusal(request.user, policies.EDIT, article))
        buttons = [
            (
                reverse("admin:articles_article_transition", args=[article.pk, t.name]),
                t.label,
                t.name,
            )
            for t in transitions.allowed(request.user, article)
        ]
        photo = article.lead_photo if article.lead_photo_id else None
        if request.method == "GET" and photo and photo.rights_expired():
            messages.warning(
                request,
                "The rights to the lead photo have expired: readers see this article "
                "without it. Choose another photo.",
            )
        extra_context = {**(extra_context or {}), "workflow_buttons": buttons}
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        may_see_schedule = policies.may_see_schedule(request.user)
        extra_context = {**(extra_context or {}), "show_scheduled_link": may_see_schedule}
        return super().changelist_view(request, extra_context)

    def transition_view(self, request, object_id, action):
        transition = transitions.get(action)
        if transition is None:
            raise Http404("No such transition.")
        article = self.get_object(request, object_id)  # or "not found" (UnseenIsNotFound)
        if not transition.allowed(request.user, article):
            raise PermissionDenied(transition.refusal(request.user, article))
        form = TransitionForm(
            request.POST if request.method == "POST" else None, transition=transition
        )
        if request.method == "POST" and form.is_valid():
            try:
                transition.run(
                    article=article,
                    user=request.user,
                    at=form.cleaned_data.get("at"),
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                # Errors keyed to a field land on it; the rest above the form. Input is kept.
                if hasattr(error, "error_dict"):
                    for field, errors in error.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                self.message_user(request, f"{transition.label}: “{article}”.", messages.SUCCESS)
                return redirect("admin:articles_article_change", article.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{transition.label}: {article}",
            "article": article,
            "state": state_sentence(article),
            "action": action,
            "action_label": transition.label,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/articles/article/transition.html", context)

    def scheduled_view(self, request):
        """Editors' view of what goes live in the coming days, in the newsroom's time."""
        refused = policies.schedule_refusal(request.user)
        if refused:
            raise PermissionDenied(refused)
        now = timezone.now()
        days = 7
        articles = sorted(
            self.get_queryset(request)
            .scheduled(after=now, until=now + timedelta(days=days))
            .select_related("section"),
            key=lambda article: article.goes_live_at,
        )
        rows = [
            (
                article,
                with_offset(article.goes_live_at),
                reverse("admin:articles_article_change", args=[article.pk]),
            )
            for article in articles
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Scheduled in the coming days",
            "rows": rows,
            "days": days,
            "zone_hint": zone_hint(),
            "media": self.media,
        }
        return TemplateResponse(request, "admin/articles/article/scheduled.html", context)


@admin.register(HomepageSlot)
class HomepageSlotAdmin(UnseenIsNotFound, admin.ModelAdmin):
    """The editors' choice of lead and top stories for the home page."""

    list_display = ["position", "article", "article_section", "is_live"]
    list_display_links = ["position", "article"]
    list_select_related = ["article__section"]
    autocomplete_fields = ["article"]
    ordering = ["position"]

    def get_queryset(self, request):
        visible = policies.visible_articles(request.user, Article.objects.all())
        return super().get_queryset(request).filter(article__in=visible)

    @admin.display(description="Section", ordering="article__section__name")
    def article_section(self, slot):
        return slot.article.section

    @admin.display(boolean=True, description="Live (shown on the home page)")
    def is_live(self, slot):
        return slot.article.is_published
