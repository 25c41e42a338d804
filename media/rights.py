"""When a photo's rights end, it is gone from every place a reader could still reach it.

Pages stop showing it on the second (the page cache's next deadline counts every photo in
use: `next_rights_end`). Its rendition URLs stop answering: the app answers 410 Gone
(media.views), and no browser or CDN may keep a copy past the end, because every
rendition's public cache lifetime is capped at the time left on the rights
(`rendition_cache_headers`, used for app-served files and for each object uploaded to
object storage, media.storage). With object storage the app does not answer the URLs
itself, so `withdraw_expired_photos` (run every minute from a timer) deletes the files.
"""

import math
import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone

# Renditions are stored as renditions/<photo pk>/<fingerprint>/<name> (media.renditions),
# so the photo that owns a file is found from its name with one primary-key lookup.
RENDITION_NAME = re.compile(r"^renditions/(\d+)/")


def photo_id_of_rendition(name):
    """The primary key of the photo that `name` is a rendition of, or None."""
    match = RENDITION_NAME.match(name)
    return int(match.group(1)) if match else None


def rendition_cache_headers(rights_expire_at, now=None):
    """(Cache-Control, Expires) for a rendition: long-lived, but never past the rights' end.

    Rendition names change whenever their inputs change, the rights' end among them, so a
    photo without an end date can be cached as immutable; one with an end date is kept
    only for the seconds left. Expires is None when there is no end to state.
    """
    now = now or timezone.now()
    ceiling = settings.RENDITION_CACHE_MAX_AGE
    if rights_expire_at is None:
        return f"public, max-age={ceiling}, immutable", None
    left = max(0, math.floor((rights_expire_at - now).total_seconds()))
    if left >= ceiling:
        return f"public, max-age={ceiling}, immutable", None
    return f"public, max-age={left}", rights_expire_at


def next_rights_end():
    """The next moment a photo shown anywhere leaves the pages (a publishing deadline, media.visibility)."""
    from .models import Photo

    return Photo.objects.next_rights_end()


def withdraw(photo, now=None):
    """Delete `photo`'s renditions and record when; the original stays for the archive.

    Pages already leave an expired photo out; this removes the files that object storage
    and CDNs would otherwise keep answering for. Extending the rights and saving the photo
    makes new renditions (media.renditions.generate_renditions).
    """
    from .renditions import delete_renditions

    now = now or timezone.now()
    old = photo.renditions
    photo.renditions = {}
    photo.renditions_withdrawn_at = now
    type(photo).objects.filter(pk=photo.pk).update(renditions={}, renditions_withdrawn_at=now)
    # Only once the row no longer names the files (a rolled-back update keeps them).
    transaction.on_commit(lambda: delete_renditions(old))


def withdraw_expired_photos(now=None):
    """Withdraw every photo past its rights that still has renditions; returns how many.

    Idempotent: a withdrawn photo is skipped until new renditions are made for it.
    """
    from .models import Photo

    now = now or timezone.now()
    count = 0
    expired = Photo.objects.rights_expired(now).filter(renditions_withdrawn_at__isnull=True)
    for photo in expired.only("pk", "renditions").iterator(chunk_size=100):
        with transaction.atomic():
            withdraw(photo, now)
        count += 1
    return count
