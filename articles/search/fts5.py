"""SQLite FTS5's MATCH operator and auxiliary functions as ORM expressions.

FTS5 names the table, not a column, as their first argument; they are valid only in a
query over SqliteSearchEntry that has a Match() in its WHERE clause.
"""

from django.db.models import BooleanField, FloatField, Func, TextField, Value

from .models import SqliteSearchEntry


class _Fts5(Func):
    def as_sql(self, compiler, connection, **extra_context):
        table = connection.ops.quote_name(SqliteSearchEntry._meta.db_table)
        return super().as_sql(compiler, connection, table=table, **extra_context)


class Match(_Fts5):
    """The rows matching an FTS5 query string."""

    template = "%(table)s MATCH %(expressions)s"
    output_field = BooleanField()

    def __init__(self, query):
        super().__init__(Value(query))


class Bm25(_Fts5):
    """A match's BM25 score, lower is better, with one weight per column."""

    template = "bm25(%(table)s, %(expressions)s)"
    output_field = FloatField()

    def __init__(self, *weights):
        super().__init__(*(Value(weight) for weight in weights))


class Highlight(_Fts5):
    """Column number `column` with every matched word between `start` and `stop`."""

    template = "highlight(%(table)s, %(expressions)s)"
    output_field = TextField()

    def __init__(self, column, start, stop):
        super().__init__(Value(column), Value(start), Value(stop))


class Snippet(_Fts5):
    """At most `words` words of column `column` around its matches, marked as highlight()."""

    template = "snippet(%(table)s, %(expressions)s)"
    output_field = TextField()

    def __init__(self, column, start, stop, ellipsis, words):
        super().__init__(Value(column), Value(start), Value(stop), Value(ellipsis), Value(words))
