"""What of the media app readers can see, for the public cache (publishing.registry).

A photo counts once a page readers see shows it (PhotoQuerySet.shown_to_readers: any row
that points at it, narrowed by the photo-use policy the articles app registers to the
published stories and public profiles): a fresh upload, an unused photo or a draft's
photo changes nothing public. Rights ending are a deadline: pages drop the photo on the
second (counting every photo in use, drafts' too, so a story that goes live later is
covered without a second rule).
"""

from publishing.registry import register_deadline, register_public

from .models import Photo
from .rights import next_rights_end


def is_shown(photo):
    return Photo.objects.shown_to_readers().filter(pk=photo.pk).exists()


def photo_affects_readers(old, new):
    # Only a row that already existed can be shown: nothing points at a new upload yet.
    return old is not None and is_shown(old)


def register():
    register_public(Photo, affects_readers=photo_affects_readers)
    register_deadline(next_rights_end)
