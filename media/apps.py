from django.apps import AppConfig


class MediaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "media"

    def ready(self):
        from . import signals, visibility  # noqa: F401  (signals connects the receivers)

        visibility.register()
