"""How django-axes sees a login attempt: the client's address, how many failures lock it,
and the page a locked login gets.

Wired in newsroom/settings.py (AXES_CLIENT_IP_CALLABLE, AXES_FAILURE_LIMIT,
AXES_LOCKOUT_CALLABLE).
"""

import ipaddress

from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.db.models import Sum
from django.template.response import TemplateResponse
from django.utils import timezone

# An IPv6 client is handed a whole /64 by its provider: one address of it per guess costs
# nothing, so the network is the address the lockout counts.
IPV6_CLIENT_PREFIX = 64


def lockout_address(address):
    """`address` as the lockout counts it: IPv4 as is, IPv6 as its /64 network."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/{IPV6_CLIENT_PREFIX}", strict=False)[0])
    return str(ip)


def client_ip(request):
    """The address a login attempt came from.

    Each of the TRUSTED_PROXY_COUNT proxies appends the address it received the request from
    to X-Forwarded-For, so the client's is that many places from the end; anything before it
    is whatever the client chose to send. Without a trusted proxy the header is ignored,
    or an attacker could spread guesses over as many invented addresses as they like.
    """
    return lockout_address(_sender_address(request))


def _sender_address(request):
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


def failure_limit(request, credentials):
    """Failures that lock a username and address: LOGIN_FAILURE_LIMIT, or none at all once
    the username has LOGIN_USERNAME_FAILURE_LIMIT failures from any addresses within the
    cool-off, so guesses spread over a botnet's addresses still add up.

    axes counts one set of lockout parameters (username and address) against one limit;
    answering 0 for a username over its own limit locks every address out of it.
    The price: a stranger can lock a named account for the cool-off by failing often
    enough. The editor waits (or an admin runs `axes_reset_username`); the password is
    never guessed, and the roles with two-factor codes are safe even then.
    """
    username = get_client_username(request, credentials)
    if username:
        since = timezone.now() - settings.AXES_COOLOFF_TIME
        attempts = AccessAttempt.objects.filter(username=username, attempt_time__gt=since)
        failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
        if failures >= settings.LOGIN_USERNAME_FAILURE_LIMIT:
            return 0
    return settings.LOGIN_FAILURE_LIMIT


def lockout_response(request, original_response=None, credentials=None):
    """The admin's own page saying how long to wait, with 429 Too Many Requests."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed attempts",
        "cooloff_minutes": minutes,
    }
    return TemplateResponse(request, "staff/locked_out.html", context, status=429).render()
