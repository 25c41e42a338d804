"""Times as the newsroom reads them: its own zone, with the UTC offset spelled out.

`with_offset` is the one way the admin writes a moment (also the `with_offset` template
filter, core/templatetags/times.py); Django's own renderings use DATETIME_FORMAT, set to
the same format in core/formats/en/formats.py, so they too carry the zone.
"""

from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.utils import timezone

# `Mar 8, 2026, 2:05 PM EDT`: the abbreviation follows daylight saving.
DATETIME_FORMAT = "M j, Y, g:i A T"


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
    return f"{date_filter(local, DATETIME_FORMAT)} ({utc_offset(value)})"


def zone_hint():
    """Shown next to every time field in the admin: which clock the editor types in."""
    now = timezone.now()
    return (
        f"Times are in the newsroom's zone, {settings.TIME_ZONE} "
        f"(now {date_filter(timezone.localtime(now), 'T')}, {utc_offset(now)}); "
        "daylight saving is applied for the date you enter."
    )
