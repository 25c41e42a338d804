"""The live preview of the article form: the public page as typed, following the typing.

Part of the article admin's autosave (articles/admin_autosave.py, whose mixin brings this
one in and answers `autosave_form_of`, `autosave_urls`, `live_autosave` and `form_url`).
The page renders the writer's latest autosave, so it follows the form a few seconds behind
and from any tab or browser; static/admin/js/live-preview.js reloads it as autosaves land.
"""

from csp.decorators import csp_replace, csp_update
from django import forms
from django.http import Http404, JsonResponse
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.clickjacking import xframe_options_sameorigin

from .autosave import clock_time
from .live_preview import article_as_typed, new_article
from .models import Article
from .views_editing import keep_private, render_preview

# The live preview page frames the rendered article; the framed page allows its own site
# only (X-Frame-Options SAMEORIGIN and frame-ancestors), every other page stays unframable.
frames_own_site = csp_update({"frame-src": ["'self'"]})


def framable_by_own_site(view):
    return csp_replace({"frame-ancestors": ["'self'"]})(xframe_options_sameorigin(view))


class LivePreviewMixin:
    def autosave_status_view(self, request, object_id=None):
        """What the live preview polls: a stamp that moves with every autosave and save."""
        article, draft_key = self.autosave_form_of(request, object_id, request.GET.get("draft"))
        autosave = self.live_autosave(request.user, article, draft_key)
        return private_json(
            {"stamp": status_stamp(autosave, article), "message": preview_note(autosave)}
        )

    def live_preview_view(self, request, object_id=None):
        """The page as typed, framed at desktop or phone width; its script reloads the frame
        when the form autosaves (static/admin/js/live-preview.js)."""
        article, draft_key = self.autosave_form_of(request, object_id, request.GET.get("draft"))
        autosave = self.live_autosave(request.user, article, draft_key)
        urls = self.autosave_urls(article, draft_key)
        phone = request.GET.get("width") == "phone"
        headline = (
            (autosave and autosave.headline) or (article and article.headline) or "New article"
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Live preview: {headline}",
            "article": article,
            "phone": phone,
            "urls": urls,
            "form_url": self.form_url(article),
            "width_url": request.path + (f"?draft={draft_key}&" if draft_key else "?") + "width=",
            "note": preview_note(autosave),
            "stamp": status_stamp(autosave, article),
            "channel": f"article-{article.pk}" if article else f"draft-{draft_key}",
            "media": forms.Media(
                js=["admin/js/live-preview.js"], css={"all": ["admin/css/autosave.css"]}
            ),
        }
        response = TemplateResponse(request, "admin/articles/article/live_preview.html", context)
        return keep_private(response)

    def live_preview_page_view(self, request, object_id=None):
        """The real article template (the public page's and the staff preview's) over the
        article as the page's own loader reads it, with the latest autosave applied."""
        article, draft_key = self.autosave_form_of(request, object_id, request.GET.get("draft"))
        autosave = self.live_autosave(request.user, article, draft_key)
        if article is not None:
            # The page's loader, with the Markdown too: the form compares it, the page
            # renders it afresh.
            article = Article.objects.for_page().defer(None).filter(pk=article.pk).first()
            if article is None:
                raise Http404("No such article.")
        else:
            article = new_article(request.user)
        problems = []
        if autosave is not None or article.pk is None:
            # A new article with nothing typed yet still gets a section and an address.
            form_class = self.get_form(request, article if article.pk else None)
            values = autosave.values if autosave else {}
            article, problems = article_as_typed(form_class, article, values)
        live = {"note": preview_note(autosave), "problems": problems}
        return render_preview(request, article, live_preview=live)


def status_stamp(autosave, article):
    parts = [
        autosave.saved_at.isoformat() if autosave else "",
        article.lock_version if article else "",
    ]
    return ":".join(map(str, parts))


def preview_note(autosave):
    if autosave is None:
        return "No unsaved changes: this is the article as saved."
    return f"Your unsaved changes as of {clock_time(autosave.saved_at)}."


def private_json(payload, status=200):
    response = JsonResponse(payload, status=status)
    patch_cache_control(response, no_store=True, private=True)
    return response
