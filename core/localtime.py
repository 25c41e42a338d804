"""Times as the newsroom reads them: its own zone, with the UTC offset spelled out."""

from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.utils import timezone


def utc_offset(value):
    """`UTC−05:00` for a moment in the newsroom's zone (follows daylight saving)."""
    offset = date_filter(timezone.localtime(value), "O")  # +0100 / -0500
    sign = "−" if offset.startswith("-") else "+"
    return f"UTC{sign}{offset[1:3]}:{offset[3:5]}"


def with_offset(value):
    """`Mar 8, 2026, 2:05 PM EDT (UTC−04:00)`, or an empty string for no time."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{date_filter(local, 'M j, Y, g:i A T')} ({utc_offset(value)})"


def zone_hint():
    """Shown next to every time field in the admin: which clock the editor types in."""
    now = timezone.now()
    return (
        f"Times are in the newsroom's zone, {settings.TIME_ZONE} "
        f"(now {date_filter(timezone.localtime(now), 'T')}, {utc_offset(now)}); "
        "daylight saving is applied for the date you enter."
    )
