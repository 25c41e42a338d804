"""RSS 2.0 and Atom feeds for the site, each section, each tag and each author.

STANDARDS.md §7: permalink guids, RFC 822 dates (RSS) and RFC 3339 (Atom),
`dc:creator` for each byline, section and tags as categories, a copyright line,
`atom:link rel="self"`, and the lead photo as Media RSS `media:content` with its
photographer credit, copyright and description.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape

from core.links import absolute_url
from core.validators import xml_text

from .models import Article, Byline, Section, tag_names

FEED_ITEMS = 20
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
MEDIA_RSS = "http://search.yahoo.com/mrss/"


def photo_rendition(photo):
    """The 16:9 rendition (1200 px wide) of a lead photo readers may see, for feeds and
    sitemaps; None when there is none. Never the original upload (it is staff-only)."""
    if photo is None or not photo.is_shown_to_readers:
        return None
    rendition = photo.rendition("16x9")
    return {**rendition, "url": absolute_url(rendition["url"])} if rendition else None


def add_media_content(handler, image):
    if not image:
        return
    attributes = {"url": image["url"], "medium": "image", "type": image["type"]}
    if image["width"] and image["height"]:
        attributes |= {"width": str(image["width"]), "height": str(image["height"])}
    handler.startElement("media:content", attributes)
    if image["credit"]:
        handler.addQuickElement("media:credit", image["credit"], {"role": "photographer"})
    if image["copyright"]:
        handler.addQuickElement("media:copyright", image["copyright"])
    if image["description"]:
        handler.addQuickElement("media:description", image["description"], {"type": "plain"})
    handler.endElement("media:content")


class XmlSafeFeed:
    """Everything a feed is given passes xml_text() first: a control character stored
    around the forms' validator (an import, update(), raw SQL) is dropped, where Django's
    XML writer would refuse it and the whole feed would answer 500."""

    def __init__(self, *args, **kwargs):
        super().__init__(*xml_text(args), **xml_text(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*xml_text(args), **xml_text(kwargs))


class NewsRssFeed(XmlSafeFeed, Rss201rev2Feed):
    """RSS 2.0 with one `dc:creator` per byline and Media RSS for the lead photo."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE, "xmlns:media": MEDIA_RSS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["creators"]:
            handler.addQuickElement("dc:creator", name)
        add_media_content(handler, item["image"])


class NewsAtomFeed(XmlSafeFeed, Atom1Feed):
    """Atom with one `author` per byline and Media RSS for the lead photo."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_RSS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["creators"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")
        add_media_content(handler, item["image"])


class SiteFeed(Feed):
    """The latest published articles of the whole site."""

    feed_type = NewsRssFeed
    url_name = "feeds:site-rss"
    item_guid_is_permalink = True

    def get_object(self, request, *args, **kwargs):
        return None

    def url_kwargs(self, obj):
        return {}

    def articles(self, obj):
        return Article.objects.published()

    def title(self, obj):
        return settings.SITE_NAME

    def description(self, obj):
        return f"The latest articles from {settings.SITE_NAME}."

    def subtitle(self, obj):
        return self.description(obj)

    def link(self, obj):
        return absolute_url(reverse("articles:home"))

    def feed_url(self, obj):
        return absolute_url(reverse(self.url_name, kwargs=self.url_kwargs(obj)))

    def feed_guid(self, obj):
        return self.feed_url(obj)

    def author_name(self, obj):
        return settings.SITE_NAME

    @property
    def language(self):
        # Django reads `language` as a plain attribute, not a per-feed method.
        return settings.SITE_LANGUAGE

    def feed_copyright(self, obj):
        return f"© {settings.PUBLISHER_NAME}. All rights reserved."

    def items(self, obj):
        items = list(self.articles(obj).for_feed()[:FEED_ITEMS])
        names = tag_names(items)
        for item in items:
            item.tag_names = names[item.pk]
        return items

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        # Feed readers treat the description as HTML: the lead is plain text.
        return item.body_html if settings.FEED_FULL_TEXT else escape(item.lead)

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at or item.published_at

    def item_categories(self, item):
        return [item.section.name, *item.tag_names]

    def item_copyright(self, item):
        return item.source_line

    def item_extra_kwargs(self, item):
        return {"creators": item.byline_names, "image": self.item_image(item)}

    def item_image(self, item):
        photo = item.lead_photo
        rendition = photo_rendition(photo)
        if rendition is None:
            return None
        return {
            "url": rendition["url"],
            "type": rendition["type"],
            "width": rendition["width"],
            "height": rendition["height"],
            "credit": photo.photographer or photo.credit_text,
            "copyright": photo.copyright_notice,
            "description": item.caption or photo.alt_text,
        }


class SectionFeed(SiteFeed):
    url_name = "feeds:section-rss"

    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def url_kwargs(self, obj):
        return {"slug": obj.slug}

    def articles(self, obj):
        return Article.objects.published().filter(section=obj)

    def title(self, obj):
        return f"{obj.name} · {settings.SITE_NAME}"

    def description(self, obj):
        return obj.description or f"The latest {obj.name} articles from {settings.SITE_NAME}."

    def link(self, obj):
        return absolute_url(obj.get_absolute_url())


class TagFeed(SiteFeed):
    url_name = "feeds:tag-rss"

    def get_object(self, request, slug):
        return get_object_or_404(Article.objects.public_tags(), slug=slug)

    def url_kwargs(self, obj):
        return {"slug": obj.slug}

    def articles(self, obj):
        return Article.objects.published().filter(tags=obj)

    def title(self, obj):
        return f"{obj.name} · {settings.SITE_NAME}"

    def description(self, obj):
        return f"The latest articles tagged “{obj.name}” from {settings.SITE_NAME}."

    def link(self, obj):
        return absolute_url(reverse("articles:tag", kwargs={"slug": obj.slug}))


class AuthorFeed(SiteFeed):
    url_name = "feeds:author-rss"

    def get_object(self, request, slug):
        return get_object_or_404(Article.objects.public_authors(), slug=slug)

    def url_kwargs(self, obj):
        return {"slug": obj.slug}

    def articles(self, obj):
        # A subquery, not a join: two bylines of one author never repeat an article.
        return Article.objects.published().filter(
            pk__in=Byline.objects.filter(author=obj).values("article")
        )

    def title(self, obj):
        return f"{obj.name} · {settings.SITE_NAME}"

    def description(self, obj):
        return f"The latest articles by {obj.name} in {settings.SITE_NAME}."

    def link(self, obj):
        return absolute_url(obj.get_absolute_url())


class SiteAtomFeed(SiteFeed):
    feed_type = NewsAtomFeed
    url_name = "feeds:site-atom"


class SectionAtomFeed(SectionFeed):
    feed_type = NewsAtomFeed
    url_name = "feeds:section-atom"


class TagAtomFeed(TagFeed):
    feed_type = NewsAtomFeed
    url_name = "feeds:tag-atom"


class AuthorAtomFeed(AuthorFeed):
    feed_type = NewsAtomFeed
    url_name = "feeds:author-atom"
