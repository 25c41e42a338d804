from django.contrib import admin
from django.utils.html import format_html

from .models import Photo


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "__str__", "agency", "photographer", "uploaded_at"]
    list_filter = ["agency"]
    search_fields = ["caption", "alt_text", "photographer", "agency"]
    readonly_fields = ["preview", "width", "height", "uploaded_at", "uploaded_by"]
    fields = [
        "image",
        "preview",
        "alt_text",
        "caption",
        "agency",
        "photographer",
        "copyright_holder",
        "width",
        "height",
        "uploaded_at",
        "uploaded_by",
    ]

    @admin.display(description="Photo")
    def thumbnail(self, photo):
        return format_html('<img src="{}" alt="" width="80">', photo.image.url)

    @admin.display(description="Preview")
    def preview(self, photo):
        if not photo.pk:
            return "-"
        return format_html('<img src="{}" alt="" width="320">', photo.image.url)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
