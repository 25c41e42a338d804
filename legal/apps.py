from django.apps import AppConfig


class LegalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "legal"

    def ready(self):
        # Signals only drop the cached legal state (see legal/state.py).
        from . import signals, visibility

        signals.connect()
        visibility.register()
