from django.apps import AppConfig


class DeskConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "desk"
    verbose_name = "Editorial desk"

    def ready(self):
        from articles.signals import article_corrected, article_transitioned

        from . import notifications

        # articles announces its workflow through these signals and never imports desk.
        article_transitioned.connect(
            notifications.on_article_transitioned, dispatch_uid="desk_notify_transition"
        )
        article_corrected.connect(
            notifications.on_article_corrected, dispatch_uid="desk_notify_correction"
        )
