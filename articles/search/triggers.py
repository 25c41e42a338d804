# SQL here is assembled only from constants in this module and the configured
# SEARCH_CONFIG (checked to be a bare name before use).
# ruff: noqa: S608
"""The SQL that keeps the search index current: database triggers, so that every write
path (admin, services, `queryset.update()`, tag renames) updates it.

Migrations install it (articles/migrations/0014_search_entries_kept_by_triggers.py) and
`manage.py rebuild_search_index` installs it again and refills the index (after changing
SEARCH_CONFIG, or to repair it). Nothing runs it at `post_migrate`: `check_triggers()`
only verifies, because SQLite drops a table's triggers when a migration rebuilds the
table, and such a migration must put them back itself (`restore_sqlite_triggers()` in
articles/search/operations.py).

A change here changes what an applied migration did: ship it with a new migration that
runs the changed statements.
"""

import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction

_ARTICLE_CONTENT_TYPE = (
    "(SELECT id FROM django_content_type WHERE app_label = 'articles' AND model = 'article')"
)

# SQLite: the FTS5 table behind SqliteSearchEntry ------------------------------------

SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_search_fts USING fts5("
    "headline, lead, body, tags, tokenize = 'porter unicode61 remove_diacritics 2')"
)


def _sqlite_tags(article_id):
    return (
        "(SELECT coalesce(group_concat(taggit_tag.name, ' '), '') FROM taggit_taggeditem "
        "JOIN taggit_tag ON taggit_tag.id = taggit_taggeditem.tag_id "
        f"WHERE taggit_taggeditem.object_id = {article_id} "
        f"AND taggit_taggeditem.content_type_id = {_ARTICLE_CONTENT_TYPE})"
    )


SQLITE_TRIGGERS = {
    "articles_search_article_insert": f"""
        AFTER INSERT ON articles_article BEGIN
          DELETE FROM articles_search_fts WHERE rowid = new.id;
          INSERT INTO articles_search_fts(rowid, headline, lead, body, tags)
          VALUES (new.id, new.headline, new.lead, new.body, {_sqlite_tags("new.id")});
        END""",
    "articles_search_article_update": f"""
        AFTER UPDATE OF id, headline, lead, body ON articles_article BEGIN
          DELETE FROM articles_search_fts WHERE rowid = old.id;
          INSERT INTO articles_search_fts(rowid, headline, lead, body, tags)
          VALUES (new.id, new.headline, new.lead, new.body, {_sqlite_tags("new.id")});
        END""",
    "articles_search_article_delete": """
        AFTER DELETE ON articles_article BEGIN
          DELETE FROM articles_search_fts WHERE rowid = old.id;
        END""",
    "articles_search_tagged_insert": f"""
        AFTER INSERT ON taggit_taggeditem
        WHEN new.content_type_id = {_ARTICLE_CONTENT_TYPE} BEGIN
          UPDATE articles_search_fts SET tags = {_sqlite_tags("new.object_id")}
          WHERE rowid = new.object_id;
        END""",
    "articles_search_tagged_update": f"""
        AFTER UPDATE ON taggit_taggeditem BEGIN
          UPDATE articles_search_fts SET tags = {_sqlite_tags("articles_search_fts.rowid")}
          WHERE rowid IN (old.object_id, new.object_id);
        END""",
    "articles_search_tagged_delete": f"""
        AFTER DELETE ON taggit_taggeditem
        WHEN old.content_type_id = {_ARTICLE_CONTENT_TYPE} BEGIN
          UPDATE articles_search_fts SET tags = {_sqlite_tags("old.object_id")}
          WHERE rowid = old.object_id;
        END""",
    "articles_search_tag_rename": f"""
        AFTER UPDATE OF name ON taggit_tag BEGIN
          UPDATE articles_search_fts SET tags = {_sqlite_tags("articles_search_fts.rowid")}
          WHERE rowid IN (SELECT object_id FROM taggit_taggeditem
                          WHERE tag_id = new.id AND content_type_id = {_ARTICLE_CONTENT_TYPE});
        END""",
}

SQLITE_INSTALL = [
    statement
    for name, definition in SQLITE_TRIGGERS.items()
    for statement in (f"DROP TRIGGER IF EXISTS {name}", f"CREATE TRIGGER {name} {definition}")
]

SQLITE_REFILL = [
    "DELETE FROM articles_search_fts",
    "INSERT INTO articles_search_fts(rowid, headline, lead, body, tags) "
    f"SELECT id, headline, lead, body, {_sqlite_tags('articles_article.id')} "
    "FROM articles_article",
]

SQLITE_UNINSTALL = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS] + [
    "DROP TABLE IF EXISTS articles_search_fts"
]


# PostgreSQL: the rows of SearchEntry ---------------------------------------------------

_UPSERT = (
    "ON CONFLICT (article_id) DO UPDATE "
    "SET published_at = EXCLUDED.published_at, search_vector = EXCLUDED.search_vector"
)


def _postgres_document(config):
    if not re.fullmatch(r"[a-z_]+", config):
        raise ImproperlyConfigured("SEARCH_CONFIG must name a text search configuration.")
    return (
        f"setweight(to_tsvector('{config}'::regconfig, coalesce(headline, '')), 'A') || "
        f"setweight(to_tsvector('{config}'::regconfig, "
        "coalesce(articles_search_tags(id), '')), 'B') || "
        f"setweight(to_tsvector('{config}'::regconfig, coalesce(lead, '')), 'B') || "
        f"setweight(to_tsvector('{config}'::regconfig, coalesce(body, '')), 'D')"
    )


POSTGRES_TRIGGERS = {
    "articles_search_article": "articles_article",
    "articles_search_emptied": "articles_article",
    "articles_search_tagged": "taggit_taggeditem",
    "articles_search_tag": "taggit_tag",
}

# Writers wait for an install or refill instead of writing what it would miss; readers
# keep the old entries until it commits.
POSTGRES_LOCK = "LOCK TABLE articles_article, taggit_taggeditem, taggit_tag IN SHARE MODE"


def postgres_install(config):
    """The functions and triggers that keep articles_search_entry current."""
    # Triggers compare old and new values instead of naming columns
    # (`UPDATE OF headline`), because PostgreSQL refuses to change the type of
    # a column that a trigger names, and that would block later migrations.
    return [
        f"""CREATE OR REPLACE FUNCTION articles_search_tags(article_id bigint) RETURNS text
            LANGUAGE sql STABLE AS $$
              SELECT coalesce(string_agg(taggit_tag.name, ' '), '') FROM taggit_taggeditem
              JOIN taggit_tag ON taggit_tag.id = taggit_taggeditem.tag_id
              WHERE taggit_taggeditem.object_id = article_id
                AND taggit_taggeditem.content_type_id = {_ARTICLE_CONTENT_TYPE}
            $$""",
        f"""CREATE OR REPLACE FUNCTION articles_search_reindex(article_ids bigint[])
            RETURNS void LANGUAGE sql AS $$
              INSERT INTO articles_search_entry (article_id, published_at, search_vector)
              SELECT id, published_at, {_postgres_document(config)} FROM articles_article
              WHERE id = ANY(article_ids)
              -- Waits for a concurrent edit of the article and then reads it as committed;
              -- without the lock, a tag change would write back the headline it had read.
              FOR NO KEY UPDATE
              {_UPSERT}
            $$""",
        """CREATE OR REPLACE FUNCTION articles_search_article() RETURNS trigger
            LANGUAGE plpgsql AS $$ BEGIN
              IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND NEW.id IS DISTINCT FROM OLD.id) THEN
                DELETE FROM articles_search_entry WHERE article_id = OLD.id;
              END IF;
              IF TG_OP = 'DELETE' THEN
                RETURN NULL;
              END IF;
              IF TG_OP = 'INSERT' OR NEW.id IS DISTINCT FROM OLD.id
                 OR NEW.headline IS DISTINCT FROM OLD.headline
                 OR NEW.lead IS DISTINCT FROM OLD.lead OR NEW.body IS DISTINCT FROM OLD.body
                 OR NEW.published_at IS DISTINCT FROM OLD.published_at THEN
                PERFORM articles_search_reindex(ARRAY[NEW.id::bigint]);
              END IF;
              RETURN NULL;
            END $$""",
        """CREATE OR REPLACE FUNCTION articles_search_emptied() RETURNS trigger
            LANGUAGE plpgsql AS $$ BEGIN
              DELETE FROM articles_search_entry;
              RETURN NULL;
            END $$""",
        f"""CREATE OR REPLACE FUNCTION articles_search_tagged() RETURNS trigger
            LANGUAGE plpgsql AS $$ BEGIN
              IF TG_OP = 'DELETE' THEN
                IF OLD.content_type_id = {_ARTICLE_CONTENT_TYPE} THEN
                  PERFORM articles_search_reindex(ARRAY[OLD.object_id::bigint]);
                END IF;
              ELSIF TG_OP = 'INSERT' THEN
                IF NEW.content_type_id = {_ARTICLE_CONTENT_TYPE} THEN
                  PERFORM articles_search_reindex(ARRAY[NEW.object_id::bigint]);
                END IF;
              ELSE
                PERFORM articles_search_reindex(
                  ARRAY[OLD.object_id::bigint, NEW.object_id::bigint]);
              END IF;
              RETURN NULL;
            END $$""",
        f"""CREATE OR REPLACE FUNCTION articles_search_tag() RETURNS trigger
            LANGUAGE plpgsql AS $$ BEGIN
              IF NEW.name IS DISTINCT FROM OLD.name THEN
                PERFORM articles_search_reindex(ARRAY(
                  SELECT object_id::bigint FROM taggit_taggeditem
                  WHERE tag_id = NEW.id AND content_type_id = {_ARTICLE_CONTENT_TYPE}));
              END IF;
              RETURN NULL;
            END $$""",
        "DROP TRIGGER IF EXISTS articles_search_article ON articles_article",
        "CREATE TRIGGER articles_search_article AFTER INSERT OR UPDATE OR DELETE "
        "ON articles_article FOR EACH ROW EXECUTE FUNCTION articles_search_article()",
        "DROP TRIGGER IF EXISTS articles_search_emptied ON articles_article",
        "CREATE TRIGGER articles_search_emptied AFTER TRUNCATE ON articles_article "
        "FOR EACH STATEMENT EXECUTE FUNCTION articles_search_emptied()",
        "DROP TRIGGER IF EXISTS articles_search_tagged ON taggit_taggeditem",
        "CREATE TRIGGER articles_search_tagged AFTER INSERT OR UPDATE OR DELETE "
        "ON taggit_taggeditem FOR EACH ROW EXECUTE FUNCTION articles_search_tagged()",
        "DROP TRIGGER IF EXISTS articles_search_tag ON taggit_tag",
        "CREATE TRIGGER articles_search_tag AFTER UPDATE ON taggit_tag "
        "FOR EACH ROW EXECUTE FUNCTION articles_search_tag()",
    ]


def postgres_refill(config):
    """Every article's entry written again, in place, and entries of deleted ones removed."""
    return [
        f"INSERT INTO articles_search_entry (article_id, published_at, search_vector) "
        f"SELECT id, published_at, {_postgres_document(config)} FROM articles_article "
        f"{_UPSERT}",
        "DELETE FROM articles_search_entry WHERE NOT EXISTS "
        "(SELECT 1 FROM articles_article WHERE articles_article.id = article_id)",
        # Without statistics the planner takes a common word for a rare one and sorts
        # every match instead of walking the newest (400 ms against 2 ms at 1,000,000).
        "ANALYZE articles_search_entry",
    ]


POSTGRES_UNINSTALL = [
    *(f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table in POSTGRES_TRIGGERS.items()),
    "DROP FUNCTION IF EXISTS articles_search_tag(), articles_search_tagged(), "
    "articles_search_article(), articles_search_emptied(), "
    "articles_search_reindex(bigint[]), articles_search_tags(bigint)",
]


# Verification and repair ---------------------------------------------------------------


def missing_triggers(using="default"):
    """Names of the index's triggers that are missing (or, on PostgreSQL, disabled, as a
    bulk load that stopped half-way leaves them), when the index is installed."""
    db = connections[using]
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute(
                "SELECT t.name FROM unnest(%s::text[], %s::text[]) AS t(name, tbl) "
                "WHERE to_regclass('articles_search_entry') IS NOT NULL AND NOT EXISTS ("
                "SELECT 1 FROM pg_trigger WHERE pg_trigger.tgname = t.name "
                "AND pg_trigger.tgrelid = to_regclass(t.tbl) AND NOT tgisinternal "
                "AND tgenabled <> 'D')",
                [list(POSTGRES_TRIGGERS), list(POSTGRES_TRIGGERS.values())],
            )
            return [row[0] for row in cursor.fetchall()]
        if db.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
                "('articles_article', 'taggit_taggeditem', 'taggit_tag')"
            )
            present = {row[0] for row in cursor.fetchall()}
            if "articles_search_fts" not in db.introspection.table_names(cursor):
                return []
            return [name for name in SQLITE_TRIGGERS if name not in present]
    return []


def rebuild(using="default"):
    """Install the triggers again and refill the index, in one transaction."""
    db = connections[using]
    if db.vendor == "postgresql":
        statements = [
            POSTGRES_LOCK,
            *postgres_install(settings.SEARCH_CONFIG),
            *postgres_refill(settings.SEARCH_CONFIG),
        ]
    elif db.vendor == "sqlite":
        statements = [SQLITE_TABLE, *SQLITE_INSTALL, *SQLITE_REFILL]
    else:
        raise ImproperlyConfigured(f"Search supports SQLite and PostgreSQL, not {db.vendor}.")
    with transaction.atomic(using=using), db.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
