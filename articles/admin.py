from django.contrib import admin

from .admin_editing import ArticleEditingMixin
from .models import Article, Author, Byline, Section


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


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["author", "contributor", "position"]


@admin.register(Article)
class ArticleAdmin(ArticleEditingMixin, admin.ModelAdmin):
    list_display = ["headline", "section", "status", "published_at", "is_live"]
    list_filter = ["status", "section"]
    list_select_related = ["section"]
    search_fields = ["headline", "lead"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["lead_photo"]
    inlines = [BylineInline]
    fieldsets = [
        (None, {"fields": ["section", "headline", "slug", "lead", "body", "tags"]}),
        ("Lead photo", {"fields": ["lead_photo", "lead_photo_caption"]}),
        ("Publication", {"fields": ["status", "published_at", "updated_at", "source_line"]}),
    ]

    @admin.display(boolean=True, description="Live")
    def is_live(self, article):
        return article.is_published

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
