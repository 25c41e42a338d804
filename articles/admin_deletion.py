"""Deletion in the admin: editors are told to unpublish; a superuser's deletion keeps the
history (articles/deletion.py), which stays readable under "Deleted articles".
"""

import json

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from core.localtime import with_offset

from . import policies, transitions
from .deletion import article_delete
from .models import DeletedArticle


def workflow_history_table(events):
    """The workflow events as a table: an article's own, or those a deleted one left."""
    rows = format_html_join(
        "",
        '<tr><td data-label="When">{}</td><td data-label="Who">{}</td>'
        '<td data-label="Action">{}</td><td data-label="Status">{} → {}</td>'
        '<td data-label="Details">{}</td><td data-label="Comment">{}</td></tr>',
        (
            (
                with_offset(event.at),
                event.actor or "-",
                transitions.history_text(event.action),
                event.get_from_status_display(),
                "Scheduled" if event.action == policies.SCHEDULE else event.get_to_status_display(),
                event.details,
                event.comment,
            )
            for event in events.select_related("actor")
        ),
    )
    if not rows:
        return "No transitions yet."
    return format_html(
        '<table class="workflow-history stacked"><thead><tr><th scope="col">When</th>'
        '<th scope="col">Who</th><th scope="col">Action</th><th scope="col">Status</th>'
        '<th scope="col">Details</th><th scope="col">Comment</th></tr></thead>'
        "<tbody>{}</tbody></table>",
        rows,
    )


class ArticleDeletionMixin:
    """For ArticleAdmin: every admin deletion goes through articles.deletion.article_delete."""

    def delete_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, object_id)
        if article is not None and not self.has_delete_permission(request, article):
            # Not the bare 403 page: say what to do instead.
            unpublish_url = None
            if policies.can(request.user, policies.UNPUBLISH, article):
                unpublish_url = reverse(
                    "admin:articles_article_transition", args=[article.pk, policies.UNPUBLISH]
                )
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": f"Articles are unpublished, not deleted: {article}",
                "article": article,
                "unpublish_url": unpublish_url,
            }
            return TemplateResponse(
                request, "admin/articles/article/delete_refused.html", context, status=403
            )
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        article_delete(articles=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        article_delete(articles=queryset, user=request.user)


@admin.register(DeletedArticle)
class DeletedArticleAdmin(admin.ModelAdmin):
    """Read-only: the record of a deleted article is evidence, like the history it keeps."""

    list_display = ["headline", "original_id", "status", "deleted_when", "deleted_by"]
    list_select_related = ["deleted_by"]
    search_fields = ["headline", "slug", "=original_id"]
    fields = [
        "original_id",
        "headline",
        "slug",
        "status",
        "first_published_at",
        "deleted_when",
        "deleted_by",
        "last_content",
        "revision_list",
        "history",
    ]
    readonly_fields = fields

    refusal_reasons = {
        "add": "A deleted article's record is made when a superuser deletes the article.",
        "change": "A deleted article's record is evidence: nobody changes it.",
        "delete": "A deleted article's record is evidence: nobody deletes it.",
    }

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Deleted", ordering="deleted_at")
    def deleted_when(self, record):
        return with_offset(record.deleted_at)

    @admin.display(description="Last content")
    def last_content(self, record):
        return format_html(
            '<pre class="deleted-article-content">{}</pre>',
            json.dumps(record.content, indent=2, ensure_ascii=False),
        )

    @admin.display(description="Revisions")
    def revision_list(self, record):
        rows = format_html_join(
            "",
            '<tr><td data-label="Revision">{}</td><td data-label="Saved">{}</td>'
            '<td data-label="By">{}</td><td data-label="Headline">{}</td>'
            '<td data-label="Note">{}</td></tr>',
            (
                (
                    revision.number,
                    with_offset(revision.created_at),
                    revision.created_by or "-",
                    revision.content.get("headline", ""),
                    revision.comment,
                )
                for revision in record.revisions.select_related("created_by")
            ),
        )
        if not rows:
            return "No revisions."
        return format_html(
            '<table class="revisions stacked"><thead><tr><th scope="col">Revision</th>'
            '<th scope="col">Saved</th><th scope="col">By</th><th scope="col">Headline</th>'
            '<th scope="col">Note</th></tr></thead><tbody>{}</tbody></table>',
            rows,
        )

    @admin.display(description="Workflow history")
    def history(self, record):
        return workflow_history_table(record.events)
