# SQL here is assembled only from constants in this module and SQL that Django
# compiled from published(); every value from a reader is a query parameter.
# ruff: noqa: S608
"""Full-text search over published articles, in the database's own engine.

One interface, two engines:

- SQLite (the embedded default): an FTS5 table `articles_search_fts` with one row
  per article (rowid = article id) holding headline, lead, body and tags, ranked
  with bm25() and highlighted with highlight()/snippet().
- PostgreSQL: a `search_vector` tsvector column on `articles_article` with a GIN
  index, ranked with ts_rank and highlighted with ts_headline
  (`django.contrib.postgres.search`).

Both indexes are kept in sync by database triggers, so every write path (admin,
services, `queryset.update()`, tag renames) updates them. The index holds every
article, whatever its state: a search always joins back through
`Article.objects.published()`, so the index alone can never reveal unpublished
work. `install_search_index()` is idempotent and also runs after every
`migrate`, because SQLite drops a table's triggers when a later migration
rebuilds the table.

The reader's query is never handed to either engine's query syntax: it is cut to
plain words, and every word must match (AND), so quotes, FTS5 operators, SQL
fragments and null bytes are just text.
"""

import re

from django.conf import settings
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection, connections
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.utils.html import escape, format_html, format_html_join

from .models import Article

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
WORD = re.compile(r"[^\W_]+")

# Highlight markers: private-use characters that cannot come from HTML, turned
# into <mark> only after the text around them has been escaped.
START, STOP = "\ue000", "\ue001"
MARKED = re.compile(f"({START}[^{START}{STOP}]*{STOP})")

# Relative weight of a match in each field: headline, lead, body, tags.
SQLITE_WEIGHTS = (10.0, 4.0, 1.0, 5.0)
EXCERPT_WORDS = 24
# Only the newest matches are ranked and counted: a common word matches a tenth or
# more of a large archive, and ranking (or counting) all of them grew with the archive
# (427 ms at 1,000,000 articles). A newsroom's search favours recent stories anyway.
MAX_RESULTS = 200


def clean_query(raw):
    """The query as it may be shown back: bounded, without control characters."""
    return "".join(ch for ch in raw[:MAX_QUERY_LENGTH] if ch.isprintable())


def search_terms(query):
    """The words of a reader's query; everything else is dropped."""
    return WORD.findall(query[:MAX_QUERY_LENGTH])[:MAX_TERMS]


def search_articles(query):
    """The newest MAX_RESULTS published articles matching every word of `query`, best
    match first (`capped` says whether more matched).

    Returns a sequence for `django.core.paginator.Paginator`. Each article on a
    page has `search_headline`, `search_lead` and `search_excerpt` (safe HTML
    with the matched words in <mark>; the excerpt is empty when the body has no
    match), and the section, photo and bylines of an article card.
    """
    terms = search_terms(query)
    if connection.vendor == "postgresql":
        return PostgresResults(terms)
    return SqliteResults(terms)


def highlighted(text):
    """Escaped `text` with the marked spans wrapped in <mark>."""
    pieces = []
    for piece in MARKED.split(text or ""):
        if piece.startswith(START) and piece.endswith(STOP):
            pieces.append(format_html("<mark>{}</mark>", piece[1:-1]))
        elif piece:
            pieces.append(escape(piece.replace(START, "").replace(STOP, "")))
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def _plain_excerpt(text):
    """A body excerpt without Markdown punctuation; empty when nothing in it matched."""
    if START not in (text or ""):
        return ""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(^|\s)(#+|>|[-*+]|\d+\.)\s", r"\1", text)
    text = re.sub(r"[*_`]+", "", text)
    return " ".join(text.split())


def _decorate(article, headline, lead, excerpt):
    article.search_headline = highlighted(headline)
    article.search_lead = highlighted(lead)
    article.search_excerpt = highlighted(_plain_excerpt(excerpt))
    return article


class SqliteResults:
    def __init__(self, terms):
        self.terms = terms
        # Each word as an FTS5 string: nothing the reader types is an operator.
        self.match = " ".join(f'"{term}"' for term in terms)
        self._matches = None

    def _published_matches(self):
        """FROM and WHERE of the published articles that match, as SQL and parameters:
        one pass over the index's matches, each looked up by id."""
        published_sql, params = (
            Article.objects.published()
            .order_by()
            .values(article_id=F("pk"), go_live=F("published_at"))
            .query
        ).sql_with_params()
        return (
            f"FROM articles_search_fts JOIN ({published_sql}) AS published "
            "ON published.article_id = articles_search_fts.rowid "
            "WHERE articles_search_fts MATCH %s",
            [*params, self.match],
        )

    def _count_matches(self):
        """How many published articles match, counting no further than MAX_RESULTS + 1."""
        if self._matches is None:
            self._matches = 0
            if self.terms:
                matches_sql, params = self._published_matches()
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT count(*) FROM (SELECT 1 {matches_sql} LIMIT %s)",
                        [*params, MAX_RESULTS + 1],
                    )
                    self._matches = cursor.fetchone()[0]
        return self._matches

    def count(self):
        return min(self._count_matches(), MAX_RESULTS)

    @property
    def capped(self):
        return self._count_matches() > MAX_RESULTS

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        if not isinstance(window, slice):
            raise TypeError("Search results are read a page at a time.")
        if not self.terms:
            return []
        offset = window.start or 0
        limit = (window.stop - offset) if window.stop is not None else -1
        matches_sql, params = self._published_matches()
        with connection.cursor() as cursor:
            # The newest matches, scored in the same pass, then the page by score.
            cursor.execute(
                "SELECT article_id FROM ("
                "SELECT published.article_id, published.go_live, "
                f"bm25(articles_search_fts, %s, %s, %s, %s) AS score {matches_sql} "
                "ORDER BY published.go_live DESC, published.article_id DESC LIMIT %s"
                ") ORDER BY score, go_live DESC, article_id DESC LIMIT %s OFFSET %s",
                [*SQLITE_WEIGHTS, *params, MAX_RESULTS, limit, offset],
            )
            page_ids = [row[0] for row in cursor.fetchall()]
            if not page_ids:
                return []
            # Highlighted apart: SQLite computes a result column for every row it
            # sorts, and highlighting is the costly part.
            cursor.execute(
                "SELECT rowid, highlight(articles_search_fts, 0, %s, %s), "
                "highlight(articles_search_fts, 1, %s, %s), "
                "snippet(articles_search_fts, 2, %s, %s, %s, %s) "
                "FROM articles_search_fts WHERE articles_search_fts MATCH %s "
                f"AND rowid IN ({', '.join(['%s'] * len(page_ids))})",
                [START, STOP, START, STOP, START, STOP, "…", EXCERPT_WORDS, self.match, *page_ids],
            )
            marked = {row[0]: row[1:] for row in cursor.fetchall()}
        # Loaded through published() again: the card's query shape, and a
        # second guard in case the clock moved between the queries.
        articles = Article.objects.published().for_listing().with_bylines().in_bulk(page_ids)
        return [
            _decorate(articles[pk], *marked[pk])
            for pk in page_ids
            if pk in articles and pk in marked
        ]


class PostgresResults:
    def __init__(self, terms):
        self.terms = terms
        self.query = SearchQuery(" ".join(terms), config=settings.SEARCH_CONFIG, search_type="plain")
        self._newest = None

    @staticmethod
    def _document():
        # The column is the search index's own (install_search_index), not a model field.
        # Unqualified tables would be wrong in a subquery, so this is only used at the top.
        return RawSQL('"articles_article"."search_vector"', [], output_field=SearchVectorField())

    def newest_ids(self):
        """The ids of the newest MAX_RESULTS + 1 published matches, newest first.

        Walks the publication-order index while a word is common, reads the GIN index
        when it is rare: either way it stops after MAX_RESULTS + 1 rows.
        """
        if self._newest is None:
            self._newest = []
            if self.terms:
                self._newest = list(
                    Article.objects.published()
                    .annotate(document=self._document())
                    .filter(document=self.query)
                    .order_by("-published_at", "-id")
                    .values_list("pk", flat=True)[: MAX_RESULTS + 1]
                )
        return self._newest

    def count(self):
        return min(len(self.newest_ids()), MAX_RESULTS)

    @property
    def capped(self):
        return len(self.newest_ids()) > MAX_RESULTS

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        if not isinstance(window, slice):
            raise TypeError("Search results are read a page at a time.")
        ids = self.newest_ids()[:MAX_RESULTS]
        if not ids:
            return []
        marks = {"config": settings.SEARCH_CONFIG, "start_sel": START, "stop_sel": STOP}
        ranked = (
            # Through published() again: a second guard in case the clock moved.
            Article.objects.published()
            .filter(pk__in=ids)
            .for_listing()
            .with_bylines()
            .annotate(document=self._document())
            .annotate(
                rank=SearchRank(F("document"), self.query),
                marked_headline=SearchHeadline(
                    "headline", self.query, highlight_all=True, **marks
                ),
                marked_lead=SearchHeadline("lead", self.query, highlight_all=True, **marks),
                marked_excerpt=SearchHeadline(
                    "body",
                    self.query,
                    max_words=EXCERPT_WORDS,
                    min_words=EXCERPT_WORDS // 2,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                    **marks,
                ),
            )
            .order_by("-rank", "-published_at", "-id")
        )
        return [
            _decorate(article, article.marked_headline, article.marked_lead, article.marked_excerpt)
            for article in ranked[window]
        ]


# The index itself -------------------------------------------------------------

_ARTICLE_CONTENT_TYPE = (
    "(SELECT id FROM django_content_type WHERE app_label = 'articles' AND model = 'article')"
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


def _install_sqlite(cursor):
    cursor.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS articles_search_fts USING fts5("
        "headline, lead, body, tags, tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    for name, definition in SQLITE_TRIGGERS.items():
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"CREATE TRIGGER {name} {definition}")
    cursor.execute("DELETE FROM articles_search_fts")
    cursor.execute(
        "INSERT INTO articles_search_fts(rowid, headline, lead, body, tags) "
        f"SELECT id, headline, lead, body, {_sqlite_tags('articles_article.id')} "
        "FROM articles_article"
    )


def _sqlite_needs_repair(cursor):
    """The index table is there (the migration ran) but a trigger is missing."""
    cursor.execute(
        "SELECT type, count(*) FROM sqlite_master WHERE (type = 'table' AND name = 'articles_search_fts') "
        f"OR (type = 'trigger' AND name IN ({', '.join(['%s'] * len(SQLITE_TRIGGERS))})) GROUP BY type",
        list(SQLITE_TRIGGERS),
    )
    found = dict(cursor.fetchall())
    return found.get("table") == 1 and found.get("trigger", 0) < len(SQLITE_TRIGGERS)


def _postgres_sql(config):
    # Triggers compare old and new values instead of naming columns
    # (`UPDATE OF headline`), because PostgreSQL refuses to change the type of
    # a column that a trigger names, and that would block later migrations.
    document = (
        "setweight(to_tsvector({c}, coalesce({h}, '')), 'A') || "
        "setweight(to_tsvector({c}, coalesce(articles_search_tags({i}), '')), 'B') || "
        "setweight(to_tsvector({c}, coalesce({l}, '')), 'B') || "
        "setweight(to_tsvector({c}, coalesce({b}, '')), 'D')"
    )
    config = f"'{config}'::regconfig"
    new_document = document.format(
        c=config, h="NEW.headline", l="NEW.lead", b="NEW.body", i="NEW.id"
    )
    row_document = document.format(c=config, h="headline", l="lead", b="body", i="id")
    return [
        # Only when missing: ALTER TABLE is refused while the transaction has
        # pending deferred constraint checks.
        """DO $$ BEGIN
             IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                            WHERE table_name = 'articles_article' AND column_name = 'search_vector'
                              AND table_schema = current_schema()) THEN
               ALTER TABLE articles_article ADD COLUMN search_vector tsvector;
             END IF;
           END $$""",
        f"""CREATE OR REPLACE FUNCTION articles_search_tags(article_id bigint) RETURNS text
            LANGUAGE sql STABLE AS $$
              SELECT coalesce(string_agg(taggit_tag.name, ' '), '') FROM taggit_taggeditem
              JOIN taggit_tag ON taggit_tag.id = taggit_taggeditem.tag_id
              WHERE taggit_taggeditem.object_id = article_id
                AND taggit_taggeditem.content_type_id = {_ARTICLE_CONTENT_TYPE}
            $$""",
        f"""CREATE OR REPLACE FUNCTION articles_search_article() RETURNS trigger
            LANGUAGE plpgsql AS $$ BEGIN
              IF TG_OP = 'INSERT' OR NEW.headline IS DISTINCT FROM OLD.headline
                 OR NEW.lead IS DISTINCT FROM OLD.lead OR NEW.body IS DISTINCT FROM OLD.body THEN
                NEW.search_vector := {new_document};
              END IF;
              RETURN NEW;
            END $$""",
        f"""CREATE OR REPLACE FUNCTION articles_search_reindex(article_ids bigint[]) RETURNS void
            LANGUAGE sql AS $$
              UPDATE articles_article SET search_vector = {row_document}
              WHERE id = ANY(article_ids)
            $$""",
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
                PERFORM articles_search_reindex(ARRAY[OLD.object_id::bigint, NEW.object_id::bigint]);
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
        "CREATE TRIGGER articles_search_article BEFORE INSERT OR UPDATE ON articles_article "
        "FOR EACH ROW EXECUTE FUNCTION articles_search_article()",
        "DROP TRIGGER IF EXISTS articles_search_tagged ON taggit_taggeditem",
        "CREATE TRIGGER articles_search_tagged AFTER INSERT OR UPDATE OR DELETE "
        "ON taggit_taggeditem FOR EACH ROW EXECUTE FUNCTION articles_search_tagged()",
        "DROP TRIGGER IF EXISTS articles_search_tag ON taggit_tag",
        "CREATE TRIGGER articles_search_tag AFTER UPDATE ON taggit_tag "
        "FOR EACH ROW EXECUTE FUNCTION articles_search_tag()",
        """DO $$ BEGIN
             IF to_regclass('articles_article_search_gin') IS NULL THEN
               CREATE INDEX articles_article_search_gin ON articles_article USING gin (search_vector);
             END IF;
           END $$""",
        f"UPDATE articles_article SET search_vector = {row_document}",
    ]


def _postgres_needs_repair(cursor):
    """The search_vector column is there (the migration ran) but a trigger is missing."""
    cursor.execute(
        "SELECT (SELECT count(*) FROM information_schema.columns WHERE table_name = 'articles_article' "
        "AND column_name = 'search_vector' AND table_schema = current_schema()), "
        "(SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgname IN "
        "('articles_search_article', 'articles_search_tagged', 'articles_search_tag'))"
    )
    column, triggers = cursor.fetchone()
    return column == 1 and triggers < 3


def install_search_index(using="default", repair_only=False):
    """Create (or re-create) the search index and its triggers, then fill it.

    With `repair_only`, act only on an index that exists but lost a trigger,
    so a database migrated back before the search index stays without one.
    """
    db = connections[using]
    if "articles_article" not in db.introspection.table_names():
        return
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            if not re.fullmatch(r"[a-z_]+", settings.SEARCH_CONFIG):
                raise ValueError("SEARCH_CONFIG must name a text search configuration.")
            if not repair_only or _postgres_needs_repair(cursor):
                for statement in _postgres_sql(settings.SEARCH_CONFIG):
                    cursor.execute(statement)
        elif db.vendor == "sqlite" and (not repair_only or _sqlite_needs_repair(cursor)):
            _install_sqlite(cursor)


def uninstall_search_index(using="default"):
    db = connections[using]
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            for statement in (
                "DROP TRIGGER IF EXISTS articles_search_tag ON taggit_tag",
                "DROP TRIGGER IF EXISTS articles_search_tagged ON taggit_taggeditem",
                "DROP TRIGGER IF EXISTS articles_search_article ON articles_article",
                "DROP FUNCTION IF EXISTS articles_search_tag(), articles_search_tagged(), "
                "articles_search_article(), articles_search_reindex(bigint[]), "
                "articles_search_tags(bigint)",
                "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector",
            ):
                cursor.execute(statement)
        elif db.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute("DROP TABLE IF EXISTS articles_search_fts")


def ensure_search_index(using="default", **kwargs):
    """post_migrate: put back triggers that a table rebuild dropped, and refill the index."""
    install_search_index(using=using, repair_only=True)
