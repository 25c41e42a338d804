from django.conf import settings


def site(request):
    """The publisher's identity, for every template."""
    return {
        "site_name": settings.SITE_NAME,
        "site_domain": settings.SITE_DOMAIN,
        "site_url": settings.SITE_URL,
        "site_language": settings.SITE_LANGUAGE,
        "publisher_name": settings.PUBLISHER_NAME,
    }
