"""The search index's rows, one per article whatever its state, kept by database triggers
(articles/search/triggers.py, installed by migrations).

Each engine has its own model and only that engine has its table (`required_db_vendor`):
- PostgreSQL: `SearchEntry`, a narrow table (article id, publication time, tsvector) with a
  GIN index and a newest-first index of what can be published. Kept apart from the wide
  article rows so that a search for a common word walks the newest entries reading a few
  rows per page, instead of an article row and its TOASTed vector each (measured at
  1,000,000 articles: 2 ms against 14 to 25 ms for the newest 200 matches).
- SQLite: `SqliteSearchEntry`, the FTS5 virtual table (rowid = article id). Django cannot
  create a virtual table, so the model is unmanaged and a migration creates it.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q

from core.validators import reject_control_characters


class SearchEntry(models.Model):
    # No foreign key constraint: the triggers own these rows, and Django's test flush
    # truncates articles_article alone (a truncate trigger empties this table instead).
    article = models.OneToOneField(
        "articles.Article",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # The article's publication time, copied so that the newest matches are read from
    # this table's own index.
    published_at = models.DateTimeField(null=True)
    search_vector = SearchVectorField()

    class Meta:
        db_table = "articles_search_entry"
        required_db_vendor = "postgresql"
        verbose_name_plural = "search entries"
        indexes = [
            GinIndex(fields=["search_vector"], name="articles_search_entry_gin"),
            # Only what can be published: drafts have no publication time, and DESC puts
            # NULLs first, where a search would walk past every one of them.
            models.Index(
                fields=["-published_at", "-article"],
                condition=Q(published_at__isnull=False),
                name="articles_search_entry_newest",
            ),
        ]

    def __str__(self):
        return f"Search entry of article {self.article_id}"


class SqliteSearchEntry(models.Model):
    article = models.OneToOneField(
        "articles.Article",
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # Copies of the article's text (and its tag names), which refuse control characters.
    headline = models.TextField(validators=[reject_control_characters])
    lead = models.TextField(validators=[reject_control_characters])
    body = models.TextField(validators=[reject_control_characters])
    tags = models.TextField(validators=[reject_control_characters])

    class Meta:
        managed = False
        db_table = "articles_search_fts"
        required_db_vendor = "sqlite"
        verbose_name_plural = "SQLite search entries"

    def __str__(self):
        return f"Search entry of article {self.article_id}"
