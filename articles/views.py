from django.shortcuts import get_object_or_404, redirect, render
from taggit.models import Tag

from newsroom.pagination import ListingPaginator

from .models import Article, Author, Section

PAGE_SIZE = 20


def paginate(request, queryset):
    """A page of a listing; a bad or out-of-range `?page=` gives the nearest valid page."""
    return ListingPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def home(request):
    articles = Article.objects.published().for_listing()[:PAGE_SIZE]
    return render(request, "articles/home.html", {"articles": articles})


def section_page(request, slug):
    section = get_object_or_404(Section, slug=slug)
    page = paginate(request, Article.objects.published().filter(section=section).for_listing())
    return render(request, "articles/section.html", {"section": section, "page": page})


def tag_page(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    page = paginate(request, Article.objects.published().filter(tags=tag).for_listing())
    return render(request, "articles/tag.html", {"tag": tag, "page": page})


def author_page(request, slug):
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    articles = Article.objects.published().filter(bylines__author=author).for_listing()
    page = paginate(request, articles)
    return render(request, "articles/author.html", {"author": author, "page": page})


def article_detail(request, section, slug):
    article = get_object_or_404(Article.objects.published().for_page(), slug=slug)
    if article.section.slug != section:
        return redirect(article, permanent=True)
    return render(request, "articles/detail.html", {"article": article})
