"""Public views of the editing side: corrections page, old-slug redirects, shared previews."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control

from core.pagination import page_number
from publishing.query_params import reads_query_params

from .models import Article, Correction, PreviewLink, SlugRedirect

CORRECTIONS_PAGE_SIZE = 20


@reads_query_params(page=page_number)
def corrections_page(request):
    """Every correction on a published article, newest first."""
    corrections = (
        Correction.objects.filter(article__in=Article.objects.published())
        .select_related("article__section")
        .order_by("-created_at", "-id")
    )
    # A bad or out-of-range `?page=` gives the nearest valid page.
    number = page_number(request.GET.get("page")) or 1
    page = Paginator(corrections, CORRECTIONS_PAGE_SIZE).get_page(number)
    return render(request, "articles/corrections.html", {"page": page})


def redirect_old_slug(slug):
    """A 301 from an address a published article used to have, or 404."""
    article = SlugRedirect.objects.target_for(slug)
    if article is None:
        raise Http404("No article at this address.")
    return redirect(article, permanent=True)


def keep_private(response):
    """A preview is for one person now: never cached, never indexed, never referred."""
    patch_cache_control(response, no_store=True, private=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def render_preview(request, article, link=None, status=200, live_preview=None):
    """The public article template, as readers will see it, with a draft banner; a live
    preview (articles/admin_autosave.py) says whose unsaved changes it shows."""
    response = render(
        request,
        "articles/detail.html",
        {"article": article, "preview": True, "preview_link": link, "live_preview": live_preview},
        status=status,
    )
    return keep_private(response)


@reads_query_params()
def preview_link(request, pk, token):
    link = PreviewLink.objects.from_token(token, article_id=pk)
    if link is None:
        raise Http404("No such preview.")
    article = Article.objects.published().filter(pk=pk).first()
    if article is not None:
        # Once readers can see it, the preview has done its job.
        return keep_private(redirect(article))
    if not link.is_active():
        response = render(request, "articles/preview_unavailable.html", {"link": link}, status=410)
        return keep_private(response)
    # The public page's own loader over any state, so the preview is what readers will
    # see; 404 if the article was deleted since the checks above.
    article = get_object_or_404(Article.objects.for_page(), pk=pk)
    return render_preview(request, article, link=link)
