from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"

    def ready(self):
        from . import deletion, page_extras
        from .search_index import ensure_search_index

        deletion.connect()
        page_extras.connect()

        # SQLite drops triggers when a migration rebuilds a table; put them back.
        post_migrate.connect(ensure_search_index, sender=self)
