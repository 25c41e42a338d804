"""The legal team's queues: notice wordings about to come into force, and those just in force.

Notices are the legal team's to change (legal.change_notice); a reader of the desk without
`legal.view_notice` gets none of these rows, whatever their role.
"""

from datetime import timedelta

from django.urls import reverse

from legal.models import NoticeVersion

from .rows import Row, ago, ahead, day_and_clock

RECENT = timedelta(days=30)


def versions(viewer):
    if not viewer.has_perm("legal.view_notice"):
        return NoticeVersion.objects.none()
    return NoticeVersion.objects.select_related("notice").only(
        "version", "effective_at", "notice", "notice__title"
    )


def taking_effect(viewer):
    """Wordings not yet in force, soonest first: what readers will be told next."""
    return versions(viewer).filter(effective_at__gt=viewer.now).order_by("effective_at", "pk")


def recently_in_force(viewer):
    """Wordings that came into force in the last 30 days, newest first."""
    return (
        versions(viewer)
        .filter(effective_at__lte=viewer.now, effective_at__gt=viewer.now - RECENT)
        .order_by("-effective_at", "-pk")
    )


def version_row(version, *, when, facts):
    return Row(
        title=f"{version.notice.title} (version {version.version})",
        url=reverse("admin:legal_notice_change", args=[version.notice_id]),
        when=when,
        facts=facts,
    )


def taking_effect_rows(found, viewer):
    return [
        version_row(
            version,
            when=f"takes effect {day_and_clock(version.effective_at)}",
            facts=(ahead(version.effective_at, viewer.now),),
        )
        for version in found
    ]


def in_force_rows(found, viewer):
    return [
        version_row(
            version,
            when=f"in force since {day_and_clock(version.effective_at)}",
            facts=(ago(version.effective_at, viewer.now),),
        )
        for version in found
    ]


def notices_url(viewer):
    return reverse("admin:legal_notice_changelist")
