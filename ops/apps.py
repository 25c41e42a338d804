from django.apps import AppConfig
from django.db.models.signals import post_migrate


def refresh_sqlite_statistics(using="default", **kwargs):
    """Give SQLite's planner table statistics after every migrate (scripts/serve runs one).

    Without sqlite_stat1, SQLite walks the whole publication-order index to count an
    author's or a tag's articles (60 ms at 5,000 articles instead of 1 ms).
    PostgreSQL's autovacuum keeps its own statistics.
    """
    from django.db import connections

    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = "Operations"

    def ready(self):
        post_migrate.connect(refresh_sqlite_statistics, sender=self)
