from django import template
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.utils import timezone

register = template.Library()

# `10:38 AM EDT, October 23, 2024`: the zone abbreviation follows daylight saving.
NEWSROOM_DATETIME_FORMAT = "g:i A T, F j, Y"


@register.filter
def newsroom_time(value):
    if not value:
        return ""
    return date_filter(timezone.localtime(value), NEWSROOM_DATETIME_FORMAT)


@register.simple_tag
def absolute_url(path):
    return f"{settings.SITE_URL}{path}"
