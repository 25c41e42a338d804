"""The tag admin, replacing django-taggit's: it follows the role matrix.

taggit's own admin merges tags through a view that checks only staff status and lists
every tag, so a journalist could rename the tags of published stories and learn of tags
used only by stories they may not see.
"""

import taggit.admin  # noqa: F401  (registers taggit's TagAdmin first, so it can be replaced)
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from taggit.models import Tag

from core.refusals import UnseenIsNotFound

from . import policies
from .models import Article
from .tagging import tag_names_validate, tags_merge


class MergeTagsForm(forms.Form):
    name = forms.CharField(
        label="Merge into",
        max_length=Tag._meta.get_field("name").max_length,
        help_text="A new name, or the name of an existing tag (one of these or another).",
    )

    def clean_name(self):
        name = self.cleaned_data["name"]
        tag_names_validate([name])
        return name


class TagForm(forms.ModelForm):
    """taggit's Tag has no validators of its own: the same rules as tags typed into articles."""

    def clean_name(self):
        name = self.cleaned_data["name"]
        tag_names_validate([name])
        return name


admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(UnseenIsNotFound, admin.ModelAdmin):
    form = TagForm
    list_display = ["name", "slug"]
    ordering = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge_tags"]

    def get_queryset(self, request):
        return policies.visible_tags(request.user, super().get_queryset(request))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or policies.may_change_tag(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or policies.may_change_tag(request.user, obj))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        tag = self.get_object(request, object_id)  # or "not found" (UnseenIsNotFound)
        if request.method == "POST" and super().has_change_permission(request, tag):
            refused = policies.tag_refusal(request.user, [tag])
            if refused:
                raise PermissionDenied(refused)
        articles = Article.objects.filter(tags=tag).only("pk", "headline", "status")
        extra_context = {
            **(extra_context or {}),
            "article_listing": policies.article_listing(request.user, articles),
            "article_listing_title": "Stories with this tag",
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description="Merge selected tags", permissions=["change"])
    def merge_tags(self, request, queryset):
        tags = list(queryset)
        form = MergeTagsForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            try:
                target = tags_merge(tags=tags, name=form.cleaned_data["name"], user=request.user)
            except PermissionDenied as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
            else:
                self.message_user(
                    request, f"{len(tags)} tag(s) merged into “{target}”.", messages.SUCCESS
                )
            return None  # back to the list
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Merge tags",
            "tags": tags,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/taggit/tag/merge.html", context)
