from django.contrib import admin

from .models import Article, Author, Byline, HomepageSlot, Section


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
class ArticleAdmin(admin.ModelAdmin):
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


@admin.register(HomepageSlot)
class HomepageSlotAdmin(admin.ModelAdmin):
    """The editors' choice of lead and top stories for the home page."""

    list_display = ["position", "article", "article_section", "is_live"]
    list_display_links = ["position", "article"]
    list_select_related = ["article__section"]
    autocomplete_fields = ["article"]
    ordering = ["position"]

    @admin.display(description="Section", ordering="article__section__name")
    def article_section(self, slot):
        return slot.article.section

    @admin.display(boolean=True, description="Live (shown on the home page)")
    def is_live(self, slot):
        return slot.article.is_published
