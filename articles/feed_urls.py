from django.urls import path

from publishing.query_params import reads_query_params

from . import (
    converters,  # noqa: F401  (registers <tag_slug:>)
    feeds,
)

# Feeds read no query parameter: a tracked link to a feed is the same feed.
plain = reads_query_params()

app_name = "feeds"

urlpatterns = [
    path("rss/", plain(feeds.SiteFeed()), name="site-rss"),
    path("atom/", plain(feeds.SiteAtomFeed()), name="site-atom"),
    path("section/<slug:slug>/rss/", plain(feeds.SectionFeed()), name="section-rss"),
    path("section/<slug:slug>/atom/", plain(feeds.SectionAtomFeed()), name="section-atom"),
    path("tag/<tag_slug:slug>/rss/", plain(feeds.TagFeed()), name="tag-rss"),
    path("tag/<tag_slug:slug>/atom/", plain(feeds.TagAtomFeed()), name="tag-atom"),
    path("author/<slug:slug>/rss/", plain(feeds.AuthorFeed()), name="author-rss"),
    path("author/<slug:slug>/atom/", plain(feeds.AuthorAtomFeed()), name="author-atom"),
]
