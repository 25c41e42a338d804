"""Full-text search over published articles, in the database's own engine.

- models.py: the index's rows (a tsvector table on PostgreSQL, FTS5 on SQLite).
- triggers.py: the SQL that keeps them current, installed by migrations.
- queries.py: one interface over both engines, `search_articles()`.
"""
