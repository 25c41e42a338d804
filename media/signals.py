"""A deleted photo takes its files with it, by whatever path it is deleted.

Renditions are served by their names alone (media.rights), so a file left behind would
still answer; the original is removed too, it may carry GPS and camera data.
"""

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Photo
from .renditions import delete_renditions


@receiver(post_delete, sender=Photo, dispatch_uid="media.photo_files_deleted")
def delete_photo_files(sender, instance, using, **kwargs):
    name, renditions = instance.image.name, instance.renditions

    def remove_files():
        if name:
            default_storage.delete(name)
        delete_renditions(renditions)

    # Once the row is gone for good: a rolled-back delete keeps its files.
    transaction.on_commit(remove_files, using=using)
