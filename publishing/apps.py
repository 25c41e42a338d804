from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "Public cache"

    def ready(self):
        from . import invalidation

        invalidation.connect()
