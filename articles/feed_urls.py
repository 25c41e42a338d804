from django.urls import path

from . import (
    converters,  # noqa: F401  (registers <tag_slug:>)
    feeds,
)

app_name = "feeds"

urlpatterns = [
    path("rss/", feeds.SiteFeed(), name="site-rss"),
    path("atom/", feeds.SiteAtomFeed(), name="site-atom"),
    path("section/<slug:slug>/rss/", feeds.SectionFeed(), name="section-rss"),
    path("section/<slug:slug>/atom/", feeds.SectionAtomFeed(), name="section-atom"),
    path("tag/<tag_slug:slug>/rss/", feeds.TagFeed(), name="tag-rss"),
    path("tag/<tag_slug:slug>/atom/", feeds.TagAtomFeed(), name="tag-atom"),
    path("author/<slug:slug>/rss/", feeds.AuthorFeed(), name="author-rss"),
    path("author/<slug:slug>/atom/", feeds.AuthorAtomFeed(), name="author-atom"),
]
