from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from core.refusals import role_refusal

from .admin_lists import AltTextFilter, RightsStatusFilter, list_layout
from .admin_views import bulk_describe_view, describe_url, read_metadata_view
from .forms import BulkUploadForm, PhotoAdminForm
from .models import RIGHTS_WARNING_DAYS, Photo
from .renditions import generate_renditions
from .usage import photo_use_policy
from .widgets import PhotoPickerWidget


def thumbnail_html(photo, css_class="photo-thumb"):
    thumb = photo.thumbnail
    if not thumb:
        return "-"
    return format_html(
        '<img class="{}" src="{}" alt="" width="{}" height="{}">',
        css_class,
        thumb["url"],
        thumb["width"],
        thumb["height"],
    )


def rights_html(photo):
    status = photo.rights_status
    css = {"Expired": "rights-expired", "Expiring soon": "rights-expiring"}.get(status)
    if not css:
        return status
    return format_html('<span class="{}">{} ({})</span>', css, status, photo.rights_expire_local)


class PhotoPickerMixin:
    """Use in any ModelAdmin with a foreign key to Photo: a picker with thumbnails."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Photo:
            kwargs["widget"] = PhotoPickerWidget(db_field.remote_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    form = PhotoAdminForm
    list_display = ["thumbnail", "description", "credit", "rights", "uploaded_at"]
    # The picker (the raw-id popup of a photo field): what choosing needs, no more, so
    # the credit and rights stay readable in a small window and on a phone.
    popup_list_display = ["thumbnail", "description", "credit", "rights"]
    list_display_links = ["thumbnail", "description"]
    list_filter = ["agency", RightsStatusFilter, AltTextFilter]
    search_fields = ["caption", "alt_text", "photographer", "agency", "credit_line"]
    readonly_fields = [
        "preview",
        "crops",
        "width",
        "height",
        "format",
        "uploaded_at",
        "uploaded_by",
    ]
    fieldsets = [
        (None, {"fields": ["image", "preview", ("focal_x", "focal_y"), "alt_text", "caption"]}),
        (
            "Credit",
            {"fields": ["agency", "photographer", "copyright_holder", "credit_line"]},
        ),
        (
            "Rights",
            {
                "fields": [
                    "rights_expire_at",
                    "usage_terms",
                    "licence_url",
                    "licensor_url",
                    "data_mining",
                ]
            },
        ),
        ("Crops", {"fields": ["crops"]}),
        (
            "File",
            {"fields": ["width", "height", "format", "uploaded_at", "uploaded_by"]},
        ),
    ]
    change_list_template = "admin/media/photo/change_list.html"

    class Media:
        css = {"all": ["media/admin.css"]}

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or photo_use_policy().may_change(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or photo_use_policy().may_change(request.user, obj))

    @admin.display(description="Photo")
    def thumbnail(self, photo):
        return thumbnail_html(photo)

    @admin.display(description="Credit")
    def credit(self, photo):
        return photo.credit_text or "-"

    @admin.display(description="Caption")
    def description(self, photo):
        """The photo's name, and whether it still lacks the alt text publication needs."""
        if photo.alt_text.strip():
            return str(photo)
        return format_html('{} <span class="photo-missing-alt">No alt text</span>', photo)

    @admin.display(description="Rights", ordering="rights_expire_at")
    def rights(self, photo):
        return rights_html(photo)

    @admin.display(description="Preview")
    def preview(self, photo):
        if not photo.pk:
            return "-"
        return (
            thumbnail_html(photo)
            if not photo.fallback
            else format_html('<img class="photo-preview" src="{}" alt="">', photo.fallback_url)
        )

    @admin.display(description="Crops")
    def crops(self, photo):
        """The fixed-aspect crops, so editors can check the focal point."""
        items = [(kind, photo.rendition(kind)) for kind in ("social", "16x9", "4x3", "1x1")]
        return (
            format_html_join(
                "",
                '<figure class="photo-crop"><img src="{}" alt="" width="{}" height="{}">'
                "<figcaption>{} ({}×{})</figcaption></figure>",
                (
                    (
                        item["url"],
                        item["width"],
                        item["height"],
                        kind,
                        item["width"],
                        item["height"],
                    )
                    for kind, item in items
                    if item
                ),
            )
            or "-"
        )

    def get_urls(self):
        urls = [
            path(
                "bulk-upload/",
                self.admin_site.admin_view(self.bulk_upload_view),
                name="media_photo_bulk_upload",
            ),
            path(
                "bulk-upload/describe/",
                self.admin_site.admin_view(self.bulk_describe_view),
                name="media_photo_bulk_describe",
            ),
            path(
                "read-metadata/",
                self.admin_site.admin_view(read_metadata_view(self)),
                name="media_photo_read_metadata",
            ),
            path(
                "rights-report/",
                self.admin_site.admin_view(self.rights_report_view),
                name="media_photo_rights_report",
            ),
            path(
                "preview/",
                self.admin_site.admin_view(self.preview_view),
                name="media_photo_preview",
            ),
        ]
        return urls + super().get_urls()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        # Once per save, not per request: readers are only ever served these files.
        generate_renditions(obj)

    def delete_model(self, request, obj):
        self.delete_queryset(request, Photo.objects.filter(pk=obj.pk))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        photo = self.get_object(request, object_id)
        if request.method == "GET" and photo and photo.rights_expired():
            messages.warning(
                request,
                f"The rights to this photo expired on {photo.rights_expire_local}. "
                "Readers no longer see it; articles using it show no lead photo.",
            )
        if photo is not None:
            use = photo_use_policy().use_of(photo, request.user)
            extra_context = {
                **(extra_context or {}),
                "used_in_articles": use.stories,
                "used_in_profiles": use.profiles,
            }
            # Only for those whose role may change photos but not this one, right now.
            if super().has_change_permission(request, photo):
                refused = photo_use_policy().refusal(request.user, photo)
                if refused and request.method == "POST":
                    raise PermissionDenied(refused)
                if refused and request.method == "GET":
                    messages.info(request, refused)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        photo = self.get_object(request, object_id)
        if photo is not None:
            stories, profiles = photo_use_policy().use_of(photo, request.user)
            if stories.shown or stories.hidden or profiles:
                names = [
                    *(f"“{a.headline}”" for a in stories.shown),
                    *([stories.hidden_text] if stories.hidden else []),
                    *(f"the profile of {a.name}" for a in profiles),
                ]
                messages.error(
                    request,
                    f"This photo cannot be deleted because it is in use: {', '.join(names)}. "
                    "Choose another photo there first.",
                )
                return redirect("admin:media_photo_change", photo.pk)
        return super().delete_view(request, object_id, extra_context)

    def bulk_upload_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied(role_refusal(request.user, self.opts, "add"))
        form = BulkUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            photos = form.photos()
            with transaction.atomic():
                for photo in photos:
                    photo.uploaded_by = request.user
                    photo.save()
            for photo in photos:
                generate_renditions(photo)
            messages.success(
                request,
                f"{len(photos)} photos uploaded. Now give each its alt text and caption.",
            )
            return redirect(describe_url(photos))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Upload several photos",
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/media/photo/bulk_upload.html", context)

    def bulk_describe_view(self, request):
        return bulk_describe_view(self, request)

    def get_list_display(self, request):
        if IS_POPUP_VAR in request.GET:
            return self.popup_list_display
        return super().get_list_display(request)

    def changelist_view(self, request, extra_context=None):
        """The list as a table or as a grid of large thumbnails (`?view=grid`, remembered)."""
        layout, links = list_layout(request)
        extra_context = {**(extra_context or {}), "photo_layout": layout, "layout_links": links}
        return super().changelist_view(request, extra_context)

    def rights_report_view(self, request):
        """Photos whose rights end within the warning window, and the articles using them."""
        if not self.has_view_permission(request):
            raise PermissionDenied(role_refusal(request.user, self.opts, "view"))
        now = timezone.now()
        photos = list(Photo.objects.rights_expiring(now).order_by("rights_expire_at"))
        listings = photo_use_policy().stories_using(photos, request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Photo rights expiring in the next {RIGHTS_WARNING_DAYS} days",
            "rows": [(photo, listings[photo.pk]) for photo in photos],
            "media": self.media,
        }
        return TemplateResponse(request, "admin/media/photo/rights_report.html", context)

    def preview_view(self, request):
        """JSON for the article form's photo picker (thumbnail, alt text, rights warning)."""
        if not self.has_view_permission(request):
            return JsonResponse({}, status=403)
        raw_id = request.GET.get("id", "")
        # Through the admin's own queryset and object permission, like its change page.
        photo = self.get_object(request, raw_id) if raw_id.isdigit() else None
        if photo is None:
            return JsonResponse({}, status=404)
        if not self.has_view_permission(request, photo):
            return JsonResponse({}, status=403)
        thumb = photo.thumbnail
        warning = ""
        if photo.rights_expired():
            warning = f"Rights expired {photo.rights_expire_local}: readers do not see this photo."
        return JsonResponse(
            {
                "thumbnail": thumb["url"] if thumb else "",
                "label": str(photo),
                "alt_text": photo.alt_text,
                "credit": photo.credit or "None: add one before publishing",
                "rights": photo.rights_status
                + (f" (until {photo.rights_expire_local})" if photo.rights_expire_at else ""),
                "warning": warning,
            }
        )
