"""schema.org JSON-LD for article pages: NewsArticle and BreadcrumbList.

Built as Python data and serialised once, never assembled in a template, so a headline
with quotes, `</script>` or any script stays valid JSON and cannot leave its element.
Properties: https://developers.google.com/search/docs/appearance/structured-data/article
and .../image-license-metadata; see ../shared/STANDARDS.md section 4.
"""

import json

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.links import absolute_url, cached_reverse
from legal.identity import publisher as publisher_identity
from legal.notices import article_notice

from .images import photo_versions
from .seo import description, structured_headline, structured_photo

LOGO = ("img/logo-512.png", 512, 512)

# The characters that could end the <script> element or start markup, as JSON escapes
# (the same table as django.utils.html.json_script).
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data):
    """`<script type="application/ld+json">` with `data`; safe whatever strings it holds."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    # mark_safe is sound here: the JSON has no <, > or & left, so it cannot form markup.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


def publisher():
    path, width, height = LOGO
    return {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": f"{settings.SITE_URL}/",
        "logo": {
            "@type": "ImageObject",
            "url": absolute_url(staticfiles_storage.url(path)),
            "width": width,
            "height": height,
        },
    }


def licence_url(article=None):
    """The legal page that the article's foot notice links to (its override, its
    section's, or the site's copyright notice), or None."""
    notice = article_notice(article)
    return absolute_url(notice.url) if notice and notice.url else None


def _iso(moment):
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def _author(byline):
    """A byline of the article's page extras (articles/models/page_extras.py) as a Person."""
    if byline["author_slug"] is not None:
        return {
            "@type": "Person",
            "name": byline["name"],
            "url": absolute_url(cached_reverse("articles:author", byline["author_slug"])),
        }
    return {"@type": "Person", "name": byline["name"]}


def _images(photo, licence):
    images = []
    for version in photo_versions(photo):
        image = {
            "@type": "ImageObject",
            "url": version.url,
            "contentUrl": version.url,
            "width": version.width,
            "height": version.height,
        }
        if photo.photographer:
            image["creator"] = {"@type": "Person", "name": photo.photographer}
        elif photo.agency:
            image["creator"] = {"@type": "Organization", "name": photo.agency}
        if photo.credit_text:
            image["creditText"] = photo.credit_text
        if photo.copyright_notice:
            image["copyrightNotice"] = photo.copyright_notice
        # An agency photo's own licence terms win over the site's notice.
        if photo.licence_url or licence:
            image["license"] = photo.licence_url or licence
        if photo.licensor_url or licence:
            image["acquireLicensePage"] = photo.licensor_url or licence
        images.append(image)
    return images


def news_article(article):
    url = absolute_url(article.get_absolute_url())
    licence = licence_url(article)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": structured_headline(article),
        "description": description(article),
        "inLanguage": settings.SITE_LANGUAGE,
        "articleSection": article.section.name,
        "datePublished": _iso(article.published_at),
        "dateModified": _iso(article.updated_at or article.published_at),
        "author": [_author(byline) for byline in article.extras.bylines],
        "publisher": publisher(),
        "copyrightHolder": {"@type": "Organization", "name": publisher_identity().name},
        "copyrightNotice": article.source_line,
        "copyrightYear": timezone.localtime(article.published_at).year,
        "isAccessibleForFree": True,
    }
    tags = [tag["name"] for tag in article.extras.tags]
    if tags:
        data["keywords"] = tags
    images = _images(structured_photo(article), licence)
    if images:
        data["image"] = images
    if licence:
        data["license"] = licence
        data["acquireLicensePage"] = licence
    corrections = [correction.as_schema() for correction in article.page_corrections]
    if corrections:
        data["correction"] = corrections
    return data


def breadcrumb_list(article):
    crumbs = [
        (settings.SITE_NAME, cached_reverse("articles:home")),
        (article.section.name, article.section.get_absolute_url()),
        (article.headline, article.get_absolute_url()),
    ]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": name, "item": absolute_url(path)}
            for number, (name, path) in enumerate(crumbs, start=1)
        ],
    }
