"""Tells the photo library (media/usage.py) where the newsroom uses a photo and who may
change it: the lead photos and social images of stories and the portraits of authors,
under the rules of articles/policies.py."""

from django.utils import timezone

from media.usage import PhotoUse, register_photo_use_policy

from . import policies
from .models import Article, Author, published_q

# What a listing of stories shows of each: its headline and where it stands.
LISTED_FIELDS = ("pk", "headline", "status", "lead_photo", "social_image")


class StoriesAndProfiles:
    def use_of(self, photo, user):
        stories = policies.articles_showing(photo).only(*LISTED_FIELDS)
        profiles = Author.objects.filter(photo=photo).only("pk", "name")
        return PhotoUse(policies.article_listing(user, stories), list(profiles))

    def stories_using(self, photos, user):
        ids = [photo.pk for photo in photos]
        # One query for both uses; a story showing a photo both ways is listed once.
        stories = policies.articles_showing_any(ids).only(*LISTED_FIELDS)
        using = {pk: {} for pk in ids}
        for story in stories:
            for photo_id in {story.lead_photo_id, story.social_image_id} & using.keys():
                using[photo_id][story.pk] = story
        return policies.article_listings(
            user, {pk: list(by_pk.values()) for pk, by_pk in using.items()}
        )

    def may_change(self, user, photo):
        return policies.may_change_photo(user, photo)

    def refusal(self, user, photo):
        return policies.photo_refusal(user, photo)

    def readers_see(self, holders):
        if holders.model is Article:
            return holders.filter(published_q(timezone.now()))
        if holders.model is Author:
            return holders.filter(pk__in=Article.objects.public_authors().values("pk"))
        return holders


def register():
    register_photo_use_policy(StoriesAndProfiles())
