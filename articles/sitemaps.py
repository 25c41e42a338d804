"""Sitemaps of articles (with lead-photo image entries), sections, tags and authors,
and the Google News sitemap (STANDARDS.md §5). Published articles only, ever."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from core.sitemaps import SiteSitemap
from core.validators import xml_text

from .feeds import photo_rendition
from .models import Article, Section

NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000


def newest_published(**filters):
    """The go-live time of the newest published article matching `filters`, as a subquery."""
    return Subquery(
        Article.objects.published()
        .filter(**filters)
        .order_by("-published_at")
        .values("published_at")[:1]
    )


class ArticleSitemap(SiteSitemap):
    limit = 50_000

    def items(self):
        return (
            Article.objects.published()
            .select_related("section", "lead_photo")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, article):
        return article.updated_at or article.published_at

    def get_latest_lastmod(self):
        # One aggregate instead of Django's default of loading every article.
        return Article.objects.published().aggregate(
            latest=Max(Coalesce("updated_at", "published_at"))
        )["latest"]

    def get_urls(self, *args, **kwargs):
        urls = super().get_urls(*args, **kwargs)
        for url in urls:
            rendition = photo_rendition(url["item"].lead_photo)
            url["images"] = [rendition["url"]] if rendition else []
        return urls


class NewsSitemap(SiteSitemap):
    """Articles published in the last two days, at most 1,000 (Google News)."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .select_related("section")
            .order_by("-published_at", "-id")[:NEWS_LIMIT]
        )

    def get_latest_lastmod(self):
        return None

    def get_urls(self, *args, **kwargs):
        urls = super().get_urls(*args, **kwargs)
        for url in urls:
            url["news"] = {
                "name": settings.NEWS_PUBLICATION_NAME,
                "language": settings.SITE_LANGUAGE,
                "publication_date": url["item"].published_at,
                # The one stored free text in any sitemap; see core.validators.
                "title": xml_text(url["item"].headline),
            }
        return urls


class SectionSitemap(SiteSitemap):
    def items(self):
        return Section.objects.annotate(latest=newest_published(section=OuterRef("pk")))

    def lastmod(self, section):
        return section.latest

    def get_latest_lastmod(self):
        return Article.objects.published().aggregate(latest=Max("published_at"))["latest"]


class TagSitemap(SiteSitemap):
    """Tags of published articles only: a tag used only on drafts stays unlisted."""

    def items(self):
        return (
            Article.objects.public_tags()
            .annotate(latest=newest_published(tags=OuterRef("pk")))
            .order_by("name")
        )

    def location(self, tag):
        return reverse("articles:tag", kwargs={"slug": tag.slug})

    def lastmod(self, tag):
        return tag.latest

    def get_latest_lastmod(self):
        return (
            Article.objects.published()
            .filter(tags__isnull=False)
            .aggregate(latest=Max("published_at"))["latest"]
        )


class AuthorSitemap(SiteSitemap):
    """Authors with at least one published article."""

    def items(self):
        return (
            Article.objects.public_authors()
            .annotate(latest=newest_published(bylines__author=OuterRef("pk")))
            .order_by("name")
        )

    def lastmod(self, author):
        return author.latest

    def get_latest_lastmod(self):
        return (
            Article.objects.published()
            .filter(bylines__author__isnull=False)
            .aggregate(latest=Max("published_at"))["latest"]
        )
