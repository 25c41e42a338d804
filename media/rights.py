"""When a photo's rights end, it is gone from every place a reader could still reach it.

Pages stop showing it on the second (the page cache's next deadline counts every photo in
use: `next_rights_end`). Its rendition URLs stop answering: the app answers 410 Gone
(media.views), and no browser or CDN may keep a copy past the end, because every
rendition's public cache lifetime is capped at the time left on the rights
(`rendition_cache_headers`, used for app-served files and for each object uploaded to
object storage, media.storage). With object storage the app does not answer the URLs
itself, so `withdraw_expired_photos` (run every minute from a timer) deletes the files.
"""

import datetime as dt
import math
import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone

# Renditions are stored as renditions/<photo pk>/<fingerprint>-e<rights' end>/<name>
# (media.renditions), the end as a Unix time, 0 for none. So a rendition is judged from its
# name alone: no query per image, and the pictures of cached pages still load while the
# database is down. The fingerprint changes with the end, so an old name keeps its old end.
RENDITION_NAME = re.compile(r"^renditions/(\d+)/[0-9a-f]+-e(\d+)/")
# Names from before the end was in them: judged by the photo's row until regenerated.
LEGACY_RENDITION_NAME = re.compile(r"^renditions/(\d+)/")


def rendition_folder(photo_pk, fingerprint, rights_expire_at):
    end = math.floor(rights_expire_at.timestamp()) if rights_expire_at else 0
    return f"renditions/{photo_pk}/{fingerprint}-e{end}"


def rendition_rights(name):
    """(is a rendition, its photo's rights' end or None) for the stored file `name`.

    Floored to the second: a rendition stops a fraction early rather than late. A name in
    the old form costs one primary-key lookup; one naming no photo is not a rendition.
    """
    match = RENDITION_NAME.match(name)
    if match:
        end = int(match.group(2))
        return True, (dt.datetime.fromtimestamp(end, dt.UTC) if end else None)
    legacy = LEGACY_RENDITION_NAME.match(name)
    if legacy is None:
        return False, None
    from .models import Photo

    found = Photo.objects.filter(pk=legacy.group(1)).values_list("rights_expire_at", flat=True)
    found = list(found[:1])
    return bool(found), (found[0] if found else None)


def rendition_cache_headers(rights_expire_at, now=None):
    """(Cache-Control, Expires) for a rendition: RENDITION_CACHE_MAX_AGE (a day) at most,
    and never past the rights' end.

    Never `immutable`, even without an end date: an end may be set later, and a copy a
    browser or CDN took before then must not outlive it by more than the ceiling (a CDN
    purge on withdrawal is the scale-out's job, docs/deploy.md). Expires is None when
    there is no end to state.
    """
    now = now or timezone.now()
    ceiling = settings.RENDITION_CACHE_MAX_AGE
    if rights_expire_at is None:
        return f"public, max-age={ceiling}", None
    left = max(0, math.floor((rights_expire_at - now).total_seconds()))
    if left >= ceiling:
        return f"public, max-age={ceiling}", None
    return f"public, max-age={left}", rights_expire_at


# How far ahead of the ceiling an object's headers are restamped (withdraw_expired_photos runs
# every minute; this is the slack for a timer that missed a few runs).
RESTAMP_SLACK = 600


def stored_rendition_headers(rights_expire_at, now=None):
    """The headers object storage keeps with a rendition: fixed at upload, where the app's
    own (`rendition_cache_headers`) are computed for each response.

    A fixed max-age counts from each fetch, so a copy fetched late would outlive the rights
    by as long as the object was stored before. Once the end is within the ceiling, an
    object therefore states only `Expires` at the end, which every cache counts to the same
    moment; further ahead it keeps the ceiling, and `restamp_expiring_renditions` rewrites
    it to the end before the ceiling could reach past it.
    """
    now = now or timezone.now()
    ceiling = settings.RENDITION_CACHE_MAX_AGE
    if (
        rights_expire_at is None
        or (rights_expire_at - now).total_seconds() > ceiling + RESTAMP_SLACK
    ):
        return {"CacheControl": f"public, max-age={ceiling}"}
    return {"CacheControl": "public", "Expires": rights_expire_at}


def restamp_expiring_renditions(now=None):
    """Rewrite the stored headers of the renditions whose photo's rights end within the
    ceiling, once each (object storage only); returns how many photos."""
    from django.core.files.storage import default_storage

    from .models import Photo

    if not hasattr(default_storage, "restamp"):
        return 0  # app-served renditions get their headers computed per response
    now = now or timezone.now()
    horizon = now + dt.timedelta(seconds=settings.RENDITION_CACHE_MAX_AGE + RESTAMP_SLACK)
    due = Photo.objects.filter(rights_expire_at__gt=now, rights_expire_at__lte=horizon)
    count = 0
    for photo in due.exclude(renditions={}).only("pk", "renditions").iterator(chunk_size=100):
        if photo.renditions.get("expires_stamped"):
            continue
        for name in rendition_names(photo.renditions):
            default_storage.restamp(name)
        stamped = {**photo.renditions, "expires_stamped": True}
        # Only if the set is still the one restamped (new renditions were stamped at upload).
        Photo.objects.filter(pk=photo.pk, renditions=photo.renditions).update(renditions=stamped)
        count += 1
    return count


def rendition_names(renditions):
    names = [item["name"] for items in renditions.get("widths", {}).values() for item in items]
    return names + [item["name"] for item in renditions.get("crops", {}).values()]


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
