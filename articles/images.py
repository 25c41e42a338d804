"""The image addresses offered to search engines and social sites, chosen in one place."""

from dataclasses import dataclass

from core.links import absolute_url


@dataclass(frozen=True)
class ImageVersion:
    url: str  # absolute
    width: int
    height: int
    alt: str = ""


def _version(item, alt=""):
    return ImageVersion(absolute_url(item["url"]), item["width"], item["height"], alt)


def photo_versions(photo):
    """The 16:9, 4:3 and 1:1 crops of `photo` (1200 px wide) for structured data.

    Google asks for these three ratios of at least 50,000 pixels. Never the original
    upload, and nothing for a photo whose rights have expired.
    """
    if photo is None or not photo.is_shown_to_readers:
        return []
    return [_version(item) for item in photo.structured_data_images]


def social_image(photo):
    """The 1200x630 card for Open Graph and Twitter, with the photo's alt text, or None."""
    if photo is None or not photo.is_shown_to_readers:
        return None
    item = photo.rendition("social") or next(iter(photo.structured_data_images), None)
    return _version(item, photo.alt_text) if item else None
