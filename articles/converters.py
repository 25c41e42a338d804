"""Path converter for tag addresses."""

from django.urls import register_converter


class TagSlugConverter:
    """A tag's slug as django-taggit makes it: `slugify(name, allow_unicode=True)`, so
    letters beyond ASCII (“żółw”, “café”) stay letters. Django's `slug` converter is
    ASCII-only: a tag named in Polish made every page linking to it answer 500."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TagSlugConverter, "tag_slug")
