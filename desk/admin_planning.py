"""Assignments in the admin: editors plan and assign, writers see theirs and start the draft.

Who sees what is desk/planning.py's; the calendar's routes hang off this admin
(desk/admin_calendar.py).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html

from articles import policies
from core.localtime import with_offset, zone_hint

from . import planning
from .admin_calendar import CalendarAdminMixin
from .models import Assignment


def writers():
    """Who may be assigned a story: active staff who may create articles."""
    return (
        get_user_model()
        .objects.with_perm(
            "articles.add_article", backend="django.contrib.auth.backends.ModelBackend"
        )
        .filter(is_staff=True, is_active=True)
        .order_by("first_name", "last_name", "username")
    )


class WriterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        name = user.get_full_name()
        return f"{name} ({user.get_username()})" if name else user.get_username()


class AssignmentForm(forms.ModelForm):
    """Carries the assignment's version through the edit and refuses a stale save, with the
    typed text kept in the form (the same rule as the article's optimistic lock)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = Assignment
        fields = ["working_headline", "section", "assignee", "due_at", "notes"]
        field_classes = {"due_at": forms.SplitDateTimeField, "assignee": WriterChoiceField}
        widgets = {"due_at": AdminSplitDateTime}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["version"] = self.instance.version or 0
        if "assignee" in self.fields:
            self.fields["assignee"].queryset = writers()
        if "due_at" in self.fields:
            self.fields["due_at"].help_text = zone_hint()

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            return cleaned_data
        stored = Assignment.objects.all()
        if connection.in_atomic_block:
            stored = stored.select_for_update()
        stored = stored.filter(pk=self.instance.pk).first()
        if stored is None:
            raise ValidationError("This assignment has been deleted by someone else.")
        submitted = cleaned_data.get("version")
        if submitted is not None and submitted != stored.version:
            # The next save is a deliberate one: it carries the version just seen.
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = stored.version
            raise ValidationError(
                "Someone else changed this assignment (or started its draft) while you were "
                "editing it. Your changes have NOT been saved; they are still in the form "
                "below. Reload the page in another tab to see theirs, then save again to "
                "replace them with yours.",
                code="edit_conflict",
            )
        if stored.is_started and cleaned_data.get("assignee") not in (None, stored.assignee):
            self.add_error("assignee", "The draft is started and belongs to its writer.")
        return cleaned_data


class StartedFilter(admin.SimpleListFilter):
    title = "draft"
    parameter_name = "started"

    def lookups(self, request, model_admin):
        return [("no", "Not started"), ("yes", "Started")]

    def queryset(self, request, queryset):
        if self.value() in {"no", "yes"}:
            return queryset.filter(started_at__isnull=self.value() == "no")
        return queryset


@admin.register(Assignment)
class AssignmentAdmin(CalendarAdminMixin, admin.ModelAdmin):
    form = AssignmentForm
    list_display = ["working_headline", "section", "assignee_name", "due", "story"]
    list_filter = [StartedFilter, "section"]
    list_select_related = ["section", "assignee", "article"]
    search_fields = ["working_headline"]
    fields = ["working_headline", "section", "assignee", "due_at", "notes", "version"]
    readonly_fields = ["story", "created_by_name", "assignee_name", "due"]
    change_form_template = "admin/desk/assignment/change_form.html"
    change_list_template = "admin/desk/assignment/change_list.html"

    class Media:
        css = {"all": ["css/admin-workflow.css", "css/admin-calendar.css"]}

    def get_queryset(self, request):
        return planning.visible_assignments(request.user, super().get_queryset(request))

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.fields
        if not self.has_change_permission(request, obj):
            # Read-only for the writer: names and times as the rest of the desk shows them.
            return ["working_headline", "section", "assignee_name", "due", "notes", "story"]
        return [*self.fields, "story", "created_by_name"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        # `version` is declared on the form, not generated from the model (it is not
        # editable there), so the model form must not ask for it.
        kwargs["fields"] = [
            name for name in self.get_fields(request, obj) if name not in {"version"}
        ]
        return super().get_form(request, obj, change=change, **kwargs)

    def get_list_filter(self, request):
        if planning.sees_every_assignment(request.user):
            return [*self.list_filter, ("assignee", admin.RelatedOnlyFieldListFilter)]
        return self.list_filter

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    # Columns -------------------------------------------------------------------------

    @admin.display(description="Assignee", ordering="assignee__username")
    def assignee_name(self, assignment):
        user = assignment.assignee
        return user.get_full_name() or user.get_username()

    @admin.display(description="Due", ordering="due_at")
    def due(self, assignment):
        return with_offset(assignment.due_at)

    @admin.display(description="Story")
    def story(self, assignment):
        if assignment.article_id is None:
            return "Started; the draft was deleted" if assignment.is_started else "Not started"
        return format_html(
            '<a href="{}">Draft started {}</a>',
            reverse("admin:articles_article_change", args=[assignment.article_id]),
            with_offset(assignment.started_at),
        )

    @admin.display(description="Planned by")
    def created_by_name(self, assignment):
        user = assignment.created_by
        return (user.get_full_name() or user.get_username()) if user else "-"

    # Start the draft -------------------------------------------------------------------

    def get_urls(self):
        return [
            *self.calendar_urls(),
            path(
                "<path:object_id>/start/",
                self.admin_site.admin_view(self.start_view),
                name="desk_assignment_start",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        assignment = self.get_object(request, object_id)
        may_start = assignment is not None and planning.may_start(request.user, assignment)
        extra_context = {**(extra_context or {}), "may_start": may_start}
        return super().change_view(request, object_id, form_url, extra_context)

    def start_view(self, request, object_id):
        """One click (a POST with its CSRF token): the draft exists, is linked, and opens."""
        if request.method != "POST":
            return redirect("admin:desk_assignment_change", object_id)
        assignment = self.get_object(request, object_id)
        if assignment is None:
            raise Http404("No such assignment.")
        try:
            article = planning.assignment_start_draft(assignment=assignment, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect("admin:desk_assignment_change", assignment.pk)
        self.message_user(
            request,
            f"The draft of “{article.headline}” is started; it is "
            f"{'yours' if article.created_by_id == request.user.pk else 'the assignee’s'}.",
            messages.SUCCESS,
        )
        if policies.can(request.user, policies.VIEW, article):
            return redirect("admin:articles_article_change", article.pk)
        return redirect("admin:desk_assignment_change", assignment.pk)
