from datetime import timedelta

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from core.localtime import with_offset, zone_hint

from .models import Crawler, LegalPage, Notice, NoticeVersion, Publisher
from .services import notice_revise

VERSION_FIELDS = ["text", "link_text", "page", "link_url", "reserves_tdm", "effective_at"]
# A version may not be backdated: what was in force yesterday is a fact, not an edit.
BACKDATING_TOLERANCE = timedelta(minutes=5)
_VERSION_FORM_FIELDS = forms.fields_for_model(
    NoticeVersion, fields=["text", "link_text", "page", "reserves_tdm"]
)


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "footer_position", "updated_at"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title"]
    view_on_site = True


class NoticeForm(forms.ModelForm):
    """The notice and, below it, the wording of its next version.

    Saving with a changed wording adds a version; the versions already saved
    are never edited, so the history shows what readers saw and when.
    """

    # Declared on the class so the admin's form factory accepts them.
    text = _VERSION_FORM_FIELDS["text"]
    link_text = _VERSION_FORM_FIELDS["link_text"]
    page = _VERSION_FORM_FIELDS["page"]
    link_url = forms.URLField(
        required=False,
        assume_scheme="https",
        help_text=NoticeVersion._meta.get_field("link_url").help_text,
    )
    reserves_tdm = _VERSION_FORM_FIELDS["reserves_tdm"]
    effective_at = forms.SplitDateTimeField(
        required=False,
        widget=admin.widgets.AdminSplitDateTime,
        help_text="When the new version comes into force. Leave empty for now; "
        "a future time schedules it.",
    )

    class Meta:
        model = Notice
        fields = ["kind", "title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form: the hint names the zone's abbreviation now (daylight saving).
        effective_at = self.fields["effective_at"]
        effective_at.help_text = f"{effective_at.help_text} {zone_hint()}"
        self.latest = (
            self.instance.versions.order_by("-version").first() if self.instance.pk else None
        )
        if self.latest is not None:
            for name in VERSION_FIELDS[:-1]:
                self.initial[name] = getattr(self.latest, name)
            self.initial["page"] = self.latest.page_id
        self.new_version = None

    def clean(self):
        cleaned = super().clean()
        values = {name: cleaned.get(name) for name in VERSION_FIELDS if name in cleaned}
        if self.latest is not None and all(
            values.get(name) == getattr(self.latest, name) for name in VERSION_FIELDS[:-1]
        ):
            if values.get("effective_at"):
                self.add_error(
                    "effective_at",
                    "The wording is unchanged, so there is no new version to bring into force.",
                )
            return cleaned  # Only the title or kind changed: no new wording, no new version.
        now = timezone.now()
        values["effective_at"] = values.get("effective_at") or now
        version = NoticeVersion(**{k: v for k, v in values.items() if v is not None})
        try:
            version.full_clean(exclude=["notice", "version"], validate_constraints=False)
        except ValidationError as error:
            self.add_error(None, error)
            return cleaned
        not_before = now - BACKDATING_TOLERANCE
        if self.latest is not None and self.latest.effective_at > not_before:
            not_before = self.latest.effective_at
        if version.effective_at < not_before:
            self.add_error(
                "effective_at",
                f"A new version cannot take effect before {with_offset(not_before)}: "
                "earlier wording is history.",
            )
        self.new_version = version
        return cleaned


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    form = NoticeForm
    list_display = ["title", "kind", "version_in_force", "effective_since"]
    list_filter = ["kind"]
    search_fields = ["title"]
    readonly_fields = ["history"]
    fieldsets = [
        (None, {"fields": ["kind", "title"]}),
        (
            "Wording (saving a change adds a new version)",
            {"fields": VERSION_FIELDS},
        ),
        ("History", {"fields": ["history"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("versions")

    def _in_force(self, notice):
        now = timezone.now()
        versions = [v for v in notice.versions.all() if v.effective_at <= now]
        return max(versions, key=lambda v: (v.effective_at, v.version), default=None)

    @admin.display(description="Version in force")
    def version_in_force(self, notice):
        version = self._in_force(notice)
        return f"v{version.version}" if version else "-"

    @admin.display(description="In force since")
    def effective_since(self, notice):
        version = self._in_force(notice)
        return with_offset(version.effective_at) if version else "-"

    @admin.display(description="Versions")
    def history(self, notice):
        if not notice.pk:
            return "-"
        rows = format_html_join(
            "",
            '<tr><td data-label="Version">v{}</td><td data-label="In force from">{}</td>'
            '<td data-label="Text">{}</td><td data-label="Link">{}</td>'
            '<td data-label="Reserves TDM">{}</td><td data-label="By">{}</td></tr>',
            (
                (
                    v.version,
                    with_offset(v.effective_at),
                    v.text,
                    v.url,
                    "yes" if v.reserves_tdm else "no",
                    v.created_by or "",
                )
                for v in notice.versions.select_related("page", "created_by").order_by("-version")
            ),
        )
        return format_html(
            '<table class="notice-history stacked"><thead><tr><th>Version</th><th>In force from</th>'
            "<th>Text</th><th>Link</th><th>Reserves TDM</th><th>By</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            rows,
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.new_version is not None:
            notice_revise(notice=obj, version=form.new_version, user=request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # Notices are evidence of what readers were told.

    refusal_reasons = {
        "delete": "Notices are evidence of what readers were told: they are kept, never deleted.",
    }


@admin.register(NoticeVersion)
class NoticeVersionAdmin(admin.ModelAdmin):
    """Read-only history of every wording, for the legal team."""

    list_display = ["notice", "version", "effective_at", "reserves_tdm", "created_by"]
    list_filter = ["notice"]
    list_select_related = ["notice", "created_by"]
    date_hierarchy = "effective_at"
    refusal_reasons = {
        "add": "A new version is added by saving its notice with new wording.",
        "change": "A version records what readers were told: it is never changed. "
        "Save the notice with new wording to add a version.",
        "delete": "A version records what readers were told: it is kept, never deleted.",
    }

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Publisher)
class PublisherAdmin(admin.ModelAdmin):
    fieldsets = [
        (None, {"fields": ["name", "registered_office", "email", "phone"]}),
        ("AI crawlers in robots.txt", {"fields": ["allow_ai_search", "allow_user_fetch"]}),
    ]

    def changelist_view(self, request, extra_context=None):
        # One publisher: the list is its page.
        return redirect(reverse("admin:legal_publisher_change", args=[Publisher.SINGLETON_PK]))

    def get_object(self, request, object_id, from_field=None):
        # Until Legal first saves the page, the form shows the settings defaults, unsaved:
        # a GET never writes. Saving the form inserts the row (Publisher.save fixes its pk).
        publisher = super().get_object(request, object_id, from_field)
        if publisher is None and from_field is None and object_id == str(Publisher.SINGLETON_PK):
            return Publisher.defaults()
        return publisher

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    refusal_reasons = {
        "add": "There is one publisher: change its details instead.",
        "delete": "There is one publisher: change its details instead.",
    }


@admin.register(Crawler)
class CrawlerAdmin(admin.ModelAdmin):
    list_display = ["token", "operator", "purpose", "notes"]
    list_filter = ["purpose", "operator"]
    search_fields = ["token", "operator"]
