"""/sitemap.xml (an index), one sitemap per kind of page, and the Google News sitemap."""

from django.contrib.sitemaps import views as sitemap_views
from django.template.response import TemplateResponse
from django.urls import path, reverse

from articles.sitemaps import (
    ArticleSitemap,
    AuthorSitemap,
    NewsSitemap,
    SectionSitemap,
    TagSitemap,
)
from core.sitemaps import SiteSitemap
from legal.sitemaps import LegalPageSitemap
from publishing.query_params import reads_query_params

SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "legal": LegalPageSitemap,
}
NEWS_SITEMAPS = {"news": NewsSitemap}


def absolute(path):
    base = SiteSitemap()
    return f"{base.get_protocol()}://{base.get_domain()}{path}"


@reads_query_params()
@sitemap_views.x_robots_tag
def index(request):
    """The sitemap index, with every URL on the public site (Django's own index
    builds them from the request's host). Empty sitemaps are left out, because
    a <urlset> must hold at least one <url>; the news sitemap is always listed."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        paginator = sitemap.paginator  # a new Paginator, and a new count, on each access
        pages = paginator.num_pages if paginator.count else 0
        location = absolute(reverse("sitemap", kwargs={"section": section}))
        last_mod = sitemap.get_latest_lastmod() if pages else None
        for page in range(1, pages + 1):
            entries.append(
                sitemap_views.SitemapIndexItem(
                    location if page == 1 else f"{location}?p={page}", last_mod
                )
            )
    entries.append(sitemap_views.SitemapIndexItem(absolute(reverse("sitemap-news"))))
    return TemplateResponse(
        request, "sitemaps/index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


# Django's sitemap view reads `?p=` (the page of a long sitemap) and nothing else.
sitemap_view = reads_query_params("p")(sitemap_views.sitemap)

urlpatterns = [
    path("sitemap.xml", index, name="sitemap-index"),
    path(
        "sitemap-news.xml",
        sitemap_view,
        {"sitemaps": NEWS_SITEMAPS, "section": "news", "template_name": "sitemaps/news.xml"},
        name="sitemap-news",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_view,
        {"sitemaps": SITEMAPS, "template_name": "sitemaps/sitemap.xml"},
        name="sitemap",
    ),
]
