from django.contrib import admin

from .models import LegalPage, Notice


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title"]
    view_on_site = True


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "version", "effective_at", "is_active"]
    list_filter = ["kind", "is_active"]
