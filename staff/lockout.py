"""How django-axes sees a login attempt: the client's address, and the page a locked login gets.

Wired in newsroom/settings.py (AXES_CLIENT_IP_CALLABLE, AXES_LOCKOUT_CALLABLE).
"""

import ipaddress

from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse


def client_ip(request):
    """The address a login attempt came from.

    Each of the TRUSTED_PROXY_COUNT proxies appends the address it received the request from
    to X-Forwarded-For, so the client's is that many places from the end; anything before it
    is whatever the client chose to send. Without a trusted proxy the header is ignored,
    or an attacker could spread guesses over as many invented addresses as they like.
    """
    remote_addr = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if not count:
        return remote_addr
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < count:
        return remote_addr  # not through the proxies, or they are misconfigured
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote_addr


def lockout_response(request, original_response=None, credentials=None):
    """The admin's own page saying how long to wait, with 429 Too Many Requests."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed attempts",
        "cooloff_minutes": minutes,
    }
    return TemplateResponse(request, "staff/locked_out.html", context, status=429).render()
