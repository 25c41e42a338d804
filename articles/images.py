"""The image addresses offered to search engines and social sites, chosen in one place."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class ImageVersion:
    url: str  # absolute
    width: int
    height: int


def absolute_url(path):
    return path if "://" in path else f"{settings.SITE_URL}{path}"


def photo_versions(photo):
    """The crops of `photo` for structured data and Open Graph, largest and preferred first.

    Google asks for 16:9, 4:3 and 1:1 versions of at least 50,000 pixels; until the
    media app's renditions exist this offers the original, and the renditions slot in here
    without any template or structured-data change.
    """
    if photo is None or not photo.image:
        return []
    return [ImageVersion(absolute_url(photo.image.url), photo.width, photo.height)]
