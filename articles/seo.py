"""How an article presents itself to search engines and social sites: its overrides, each
falling back to the article's own text and photo when empty.

- `<title>`: the SEO title as written, else "headline · site name".
- meta description, og:description, twitter:description, JSON-LD `description`: the SEO
  description, else the lead.
- og:title, twitter:title: the social title, else the SEO title, else the headline.
- og:image, twitter:image (and their alt text): the social image, else the lead photo;
  either only while readers may see it (rights in force).
- JSON-LD `headline`: the headline, kept within structured data's 110 characters; a
  longer one gives way to the SEO title if that fits, or is cut at a word.
- JSON-LD `image`: the lead photo's crops, else the social image's.
"""

from dataclasses import dataclass

from django.conf import settings

from .images import photo_versions, social_image
from .writing import HEADLINE_LIMIT, character_count, shortened


def page_title(article):
    return article.seo_title or f"{article.headline} · {settings.SITE_NAME}"


def description(article):
    return article.seo_description or article.lead


def social_title(article):
    return article.social_title or article.seo_title or article.headline


def card_image(article):
    """The shared card's picture (an ImageVersion with its alt text), or None."""
    return social_image(article.social_image) or social_image(article.lead_photo)


def structured_headline(article):
    if character_count(article.headline) <= HEADLINE_LIMIT:
        return article.headline
    if article.seo_title and character_count(article.seo_title) <= HEADLINE_LIMIT:
        return article.seo_title
    return shortened(article.headline, HEADLINE_LIMIT)


def structured_photo(article):
    """The photo whose crops the JSON-LD offers, or None."""
    for photo in (article.lead_photo, article.social_image):
        if photo_versions(photo):
            return photo
    return None


@dataclass(frozen=True)
class Presentation:
    """What an article page's head says of it (templates/includes/article_meta.html)."""

    title: str
    description: str
    social_title: str
    image: object  # an ImageVersion, or None


def presentation(article):
    return Presentation(
        title=page_title(article),
        description=description(article),
        social_title=social_title(article),
        image=card_image(article),
    )
