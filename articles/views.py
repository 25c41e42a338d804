import datetime as dt

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from taggit.models import Tag

from core.pagination import ListingPaginator, listing_page_number, page_number
from publishing.query_params import reads_query_params

from .homepage import front_page
from .models import Article, Author, Section
from .search.queries import clean_query, search_articles, search_terms
from .views_editing import redirect_old_slug

PAGE_SIZE = 20
# The article page's loader, built once and cloned by each request (a queryset is never
# changed by chaining, nor evaluated here): building it took a seventh of the page's
# data loading. published() is applied per request, with that request's clock.
ARTICLE_PAGE = Article.objects.for_page()


def paginate(request, queryset):
    """A page of a listing; a bad or out-of-range `?page=` gives the nearest valid page.

    Not a number or below 1: the first page; beyond the end: the last. The canonical
    URL (includes/pagination_meta.html) names the page actually served, so search
    engines keep one address per page.
    """
    number = listing_page_number(request.GET.get("page")) or 1
    return ListingPaginator(queryset, PAGE_SIZE).get_page(number)


@reads_query_params()
def home(request):
    front = front_page(request)
    return render(request, "articles/home.html", {"front": front, "nav_sections": front.sections})


@reads_query_params(page=listing_page_number)
def section_page(request, slug):
    section = get_object_or_404(Section, slug=slug)
    page = paginate(request, Article.objects.published().filter(section=section).for_listing())
    return render(request, "articles/section.html", {"section": section, "page": page})


@reads_query_params(page=listing_page_number)
def tag_page(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    page = paginate(request, Article.objects.published().filter(tags=tag).for_listing())
    if not page.object_list:
        # A tag used only by unpublished stories must not confirm they exist: the same
        # 404 as an unknown tag. (Asking public_tags() first cost a scan of every
        # published article's tags on each request.)
        raise Http404("No such tag.")
    return render(request, "articles/tag.html", {"tag": tag, "page": page})


@reads_query_params(page=listing_page_number)
def author_page(request, slug):
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    articles = Article.objects.published().filter(bylines__author=author).for_listing()
    page = paginate(request, articles)
    if not page.object_list:
        # Bylines only on unpublished stories must not confirm them: the same 404 as an
        # unknown author (as for tags, without asking public_authors() first).
        raise Http404("No such author.")
    return render(request, "articles/author.html", {"author": author, "page": page})


@reads_query_params()
def archive_index(request):
    """Every month with at least one published article, newest first."""
    months = Article.objects.published().datetimes("published_at", "month", order="DESC")
    years = {}
    for month in months:
        years.setdefault(month.year, []).append(month)
    return render(request, "articles/archive_index.html", {"years": years})


@reads_query_params(page=listing_page_number)
def archive_month(request, year, month):
    if not 1900 <= year <= 9998:
        raise Http404("No such month.")
    zone = timezone.get_current_timezone()
    start = dt.datetime(year, month, 1, tzinfo=zone)
    end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    live = Article.objects.published()
    page = paginate(
        request, live.filter(published_at__gte=start, published_at__lt=end).for_listing()
    )
    # The neighbouring months that have articles, for "earlier" / "later" links.
    earlier = live.filter(published_at__lt=start).order_by("-published_at").first()
    later = live.filter(published_at__gte=end).order_by("published_at").first()
    return render(
        request,
        "articles/archive_month.html",
        {
            "month": start,
            "page": page,
            "earlier": timezone.localtime(earlier.published_at) if earlier else None,
            "later": timezone.localtime(later.published_at) if later else None,
        },
    )


@reads_query_params()
def article_detail(request, section, slug):
    try:
        article = ARTICLE_PAGE.published().get(slug=slug)
    except Article.DoesNotExist:
        # An expired article is gone for good (410), not missing (404); the notice
        # names nothing about it.
        if Article.objects.expired().filter(slug=slug).exists():
            return render(request, "articles/gone.html", status=410)
        return redirect_old_slug(slug)
    if article.section.slug != section:
        return redirect(article, permanent=True)
    return render(request, "articles/detail.html", {"article": article})


@reads_query_params(q=clean_query, page=page_number)
def search(request):
    query = clean_query(request.GET.get("q"))
    page = None
    if search_terms(query):
        number = page_number(request.GET.get("page")) or 1
        page = Paginator(search_articles(query), PAGE_SIZE).get_page(number)
    return render(request, "articles/search.html", {"query": query, "page": page})
