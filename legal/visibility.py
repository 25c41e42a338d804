"""What of the legal app readers can see, for the public cache (publishing.registry).

Every legal row is public: notices are on every page's footer and in the TDM headers,
the publisher on every page, legal pages are pages, and crawlers shape robots.txt.
A notice version that takes effect later is a deadline.
"""

from django.utils import timezone

from publishing.registry import register_deadline, register_public

from .models import Crawler, LegalPage, Notice, NoticeVersion, Publisher

# The legal rows readers see; the per-process legal snapshot (legal.state) is built from them too.
PUBLIC_MODELS = (Crawler, LegalPage, Notice, NoticeVersion, Publisher)


def next_notice_change():
    """Next notice version taking effect (NoticeVersion.objects.in_force() compares with the clock)."""
    upcoming = NoticeVersion.objects.filter(effective_at__gt=timezone.now())
    return upcoming.order_by("effective_at").values_list("effective_at", flat=True).first()


def register():
    for model in PUBLIC_MODELS:
        register_public(model)
    register_deadline(next_notice_change)
