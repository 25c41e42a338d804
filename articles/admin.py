from django import forms
from django.contrib import admin, messages
from django.utils import timezone

from media.admin import PhotoPickerMixin

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


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = []  # The ModelAdmin's fieldsets choose the fields.

    def clean(self):
        cleaned_data = super().clean()
        photo = cleaned_data.get("lead_photo")
        going_live = cleaned_data.get("status") == Article.Status.PUBLISHED
        # Checked when the publication changes, so fixing a typo in an old article
        # whose photo has since expired is not blocked (the photo is hidden anyway).
        changed = {"status", "published_at", "lead_photo"} & set(self.changed_data)
        if photo and going_live and changed:
            at = cleaned_data.get("published_at") or timezone.now()
            for problem in photo.publication_problems(at):
                self.add_error("lead_photo", problem)
        return cleaned_data


@admin.register(Article)
class ArticleAdmin(PhotoPickerMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["headline", "section", "status", "published_at", "is_live"]
    list_filter = ["status", "section"]
    list_select_related = ["section"]
    search_fields = ["headline", "lead"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    inlines = [BylineInline]
    fieldsets = [
        (None, {"fields": ["section", "headline", "slug", "lead", "body", "tags"]}),
        ("Lead photo", {"fields": ["lead_photo", "lead_photo_caption"]}),
        ("Publication", {"fields": ["status", "published_at", "updated_at", "source_line"]}),
        ("Legal", {"fields": ["legal_notice"]}),
    ]

    @admin.display(boolean=True, description="Live")
    def is_live(self, article):
        return article.is_published

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        photo = article.lead_photo if article and article.lead_photo_id else None
        if request.method == "GET" and photo and photo.rights_expired():
            messages.warning(
                request,
                "The rights to the lead photo have expired: readers see this article "
                "without it. Choose another photo.",
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
