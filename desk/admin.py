"""Each person's notifications in the admin: their own only, read-only, and their e-mail choice."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.text import Truncator

from core.localtime import with_offset
from core.refusals import UnseenIsNotFound

from .models import Notification, NotificationSettings
from .notifications import actor_name, sentence


def is_desk_staff(request):
    return request.user.is_active and request.user.is_staff


class ReadFilter(admin.SimpleListFilter):
    title = "read"
    parameter_name = "read"

    def lookups(self, request, model_admin):
        return [("no", "Unread"), ("yes", "Read")]

    def queryset(self, request, queryset):
        if self.value() in {"no", "yes"}:
            return queryset.filter(read_at__isnull=self.value() == "no")
        return queryset


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["email"]


@admin.register(Notification)
class NotificationAdmin(UnseenIsNotFound, admin.ModelAdmin):
    """Every staff member sees their own notifications and nobody else's; no role needed.
    Someone else's is "not found", like one that does not exist."""

    list_display = ["what", "comment_excerpt", "story", "when", "read"]
    list_display_links = ["what"]
    list_filter = [ReadFilter, "verb"]
    list_select_related = ["actor"]
    actions = ["mark_read"]
    fields = ["what", "story", "by", "comment", "details", "when", "read"]
    readonly_fields = fields
    refusal_reasons = {
        "add": "Notifications are written by the workflow, not by hand.",
        "change": "A notification records what happened: it is read, never changed.",
        "delete": "A notification records what happened: it is kept, never deleted.",
    }

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def has_module_permission(self, request):
        return is_desk_staff(request)

    def has_view_permission(self, request, obj=None):
        return is_desk_staff(request) and (obj is None or obj.recipient_id == request.user.pk)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        settings_view = self.admin_site.admin_view(self.settings_view)
        return [
            path("settings/", settings_view, name="desk_notification_settings"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Opening a notification is reading it.
        if object_id.isdigit():
            self.get_queryset(request).filter(pk=object_id).mark_read()
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "title": "Your notifications"}
        return super().changelist_view(request, extra_context)

    @admin.action(description="Mark as read")
    def mark_read(self, request, queryset):
        count = queryset.mark_read()
        self.message_user(request, f"{count} notification(s) marked as read.", messages.SUCCESS)

    @admin.display(description="What happened")
    def what(self, notification):
        return sentence(notification)

    @admin.display(description="Story")
    def story(self, notification):
        url = notification.get_admin_article_url()
        if not url:
            return f"{notification.headline} (deleted)"
        return format_html('<a href="{}">{}</a>', url, notification.headline)

    @admin.display(description="By", ordering="actor__username")
    def by(self, notification):
        return actor_name(notification.actor)

    @admin.display(description="Comment")
    def comment_excerpt(self, notification):
        return Truncator(notification.comment).chars(120)

    @admin.display(description="When", ordering="created")
    def when(self, notification):
        return with_offset(notification.created)

    @admin.display(description="Read", ordering="read_at")
    def read(self, notification):
        if notification.read_at is None:
            return format_html("<strong>{}</strong>", "Unread")
        return with_offset(notification.read_at)

    def settings_view(self, request):
        """Each person's own choices; nobody edits anyone else's."""
        if not is_desk_staff(request):
            return redirect("admin:login")
        choices, _ = NotificationSettings.objects.get_or_create(user=request.user)
        form = NotificationSettingsForm(
            request.POST if request.method == "POST" else None, instance=choices
        )
        if request.method == "POST" and form.is_valid():
            form.save()
            self.message_user(request, "Your notification settings were saved.", messages.SUCCESS)
            return redirect("admin:desk_notification_settings")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Notification settings",
            "form": form,
            "email": request.user.email,
        }
        return TemplateResponse(request, "admin/desk/notification/settings.html", context)


# Notes, and planning with the calendar, register their admins in their own modules.
from . import admin_notes, admin_planning  # noqa: E402, F401
