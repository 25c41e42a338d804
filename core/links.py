"""URL reversing, remembered per process.

A page links to its section, authors, tags, feeds and search many times over, and
`django.urls.reverse()` walks the resolver for each one (about 30 µs, 15 times on an
article page). The result depends only on the view name, the arguments, the URLconf,
the script prefix and the language, so it is remembered under all five.
"""

from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language


@lru_cache(maxsize=16384)
def _reverse(viewname, args, urlconf, prefix, language):
    return reverse(viewname, urlconf=urlconf, args=args)


def absolute_url(url):
    """An absolute URL on the public site; one already absolute (an upload on a CDN) as it is."""
    return url if "://" in url else f"{settings.SITE_URL}{url}"


def cached_reverse(viewname, *args):
    return _reverse(viewname, args, get_urlconf(), get_script_prefix(), get_language())


@receiver(setting_changed)
def forget_urls(*, setting, **kwargs):
    # Tests swap the URLconf under the same name.
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME"}:
        _reverse.cache_clear()
