"""The desk's queue of photos whose rights end soon, and the stories that would lose them.

The same photos as the photo admin's rights report (Media › Photos › "Rights expiring
soon"), soonest first, and their stories told the same way (media/usage.py): named only
where the reader may open them, the rest counted.
"""

from django.urls import reverse
from django.utils.text import Truncator

from media.models import Photo
from media.usage import photo_use_policy

from .rows import Row, ahead, day_and_clock


def rights_ending_soon(viewer):
    if not viewer.has_perm("media.view_photo"):
        return Photo.objects.none()
    return (
        Photo.objects.rights_expiring(viewer.now)
        .only("caption", "alt_text", "rights_expire_at")
        .order_by("rights_expire_at", "pk")
    )


def rights_rows(photos, viewer):
    listings = photo_use_policy().stories_using(photos, viewer.user)
    rows = []
    for photo in photos:
        listing = listings[photo.pk]
        used = [f"used by “{article.headline}”" for article in listing.shown]
        if listing.hidden:
            used.append(f"used by {listing.hidden_text}")
        if not (listing.shown or listing.hidden):
            used.append("used by no story")
        rows.append(
            Row(
                title=Truncator(photo.caption or photo.alt_text or f"Photo {photo.pk}").chars(90),
                url=reverse("admin:media_photo_change", args=[photo.pk]),
                when=f"rights end {day_and_clock(photo.rights_expire_at)}",
                facts=(ahead(photo.rights_expire_at, viewer.now), *used),
            )
        )
    return rows


def rights_report_url(viewer):
    return reverse("admin:media_photo_rights_report")
