"""The desk's one view outside the admin: a person's calendar feed at its secret address."""

from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control

from publishing.middleware import page_cache_exempt
from publishing.query_params import reads_query_params

from .calendar import may_use_calendar
from .ical import calendar_feed
from .models import CalendarFeed


@reads_query_params()
@page_cache_exempt
def calendar_feed_view(request, token):
    """The feed of the token's owner, while they may still use the calendar.

    A revoked or unknown token, a deactivated account or one that lost its staff rights
    all answer the same 404, so the address tells nothing about the account behind it.
    """
    feed = CalendarFeed.objects.for_token(token)
    if feed is None or not may_use_calendar(feed.user):
        raise Http404("No such calendar.")
    response = HttpResponse(calendar_feed(feed.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="desk.ics"'
    # The address is a password: no shared cache keeps the feed, no search engine lists it,
    # no link from it gives the address away.
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
