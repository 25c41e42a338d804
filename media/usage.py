"""Where a photo is used and who may change it, told by the apps whose pages show photos.

The photo library knows photos, not stories. The articles app knows which stories and
profiles show a photo, which of them a user may open, and who may change what readers
see; it registers that here once, in its ready() (articles/photo_use.py). Without a
registered policy, as for the library on its own, a photo is used nowhere and the
model permissions alone decide.
"""

from typing import NamedTuple, Protocol

from django.core.exceptions import ImproperlyConfigured

from core.listings import StoryListing


class PhotoUse(NamedTuple):
    stories: StoryListing
    profiles: list  # public author profiles: named to anyone


class PhotoUsePolicy(Protocol):
    def use_of(self, photo, user) -> PhotoUse: ...

    def stories_using(self, photos, user) -> dict:
        """{photo id: StoryListing} for many photos, in a constant number of queries."""

    def may_change(self, user, photo) -> bool: ...

    def refusal(self, user, photo) -> str:
        """Why `user` may not change `photo`, in words; "" when they may."""

    def readers_see(self, holders):
        """Of `holders` (rows of one model that point at photos), those whose page readers
        see now; a model the policy does not know is returned whole."""


class UsedNowhere:
    def use_of(self, photo, user):
        return PhotoUse(StoryListing([]), [])

    def stories_using(self, photos, user):
        return {photo.pk: StoryListing([]) for photo in photos}

    def may_change(self, user, photo):
        return True

    def refusal(self, user, photo):
        return ""

    def readers_see(self, holders):
        return holders


_policy = None


def register_photo_use_policy(policy):
    global _policy
    if _policy is not None and _policy is not policy:
        raise ImproperlyConfigured("A photo-use policy is already registered.")
    _policy = policy


def photo_use_policy():
    return _policy or UsedNowhere()
