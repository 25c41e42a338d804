from django.apps import AppConfig
from django.core.management.base import CommandError
from django.db.models.signals import post_migrate


def check_search_triggers(using="default", **kwargs):
    """post_migrate: stop `migrate` when the search index lost a trigger. Nothing is
    repaired here: a migration that rebuilds a table on SQLite (which drops its
    triggers) must end with `restore_sqlite_triggers()`."""
    from .search.triggers import missing_triggers

    missing = missing_triggers(using)
    if missing:
        raise CommandError(
            f"The search index has lost its triggers {', '.join(missing)} and misses every "
            "write until they are back. If a migration of this run rebuilt articles_article "
            "or a taggit table, end it with articles.search.operations."
            "restore_sqlite_triggers(); then (or after a bulk load left them disabled) run "
            "`manage.py rebuild_search_index`."
        )


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"

    def ready(self):
        from . import deletion, page_extras, photo_use, visibility

        deletion.connect()
        page_extras.connect()
        visibility.register()
        photo_use.register()
        post_migrate.connect(check_search_triggers, sender=self)
