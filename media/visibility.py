"""What of the media app readers can see, for the public cache (publishing.registry).

A photo counts once something shows it (PhotoQuerySet.in_use: a lead photo, a portrait,
any row that points at it, whatever app it belongs to): a fresh upload or an unused photo
changes nothing public. Counting a draft's lead photo too keeps the rule to one query
that needs no other app's notion of public. Rights ending are a deadline: pages drop the
photo on the second.
"""

from publishing.registry import register_deadline, register_public

from .models import Photo
from .rights import next_rights_end


def is_shown(photo):
    return Photo.objects.in_use().filter(pk=photo.pk).exists()


def photo_affects_readers(old, new):
    # Only a row that already existed can be shown: nothing points at a new upload yet.
    return old is not None and is_shown(old)


def register():
    register_public(Photo, affects_readers=photo_affects_readers)
    register_deadline(next_rights_end)
