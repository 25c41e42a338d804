# SQL here is assembled only from constants in this module and SQL that Django
# compiled from published(); every value from a reader is a query parameter.
# ruff: noqa: S608
"""Full-text search over published articles, in the database's own engine.

One interface, two engines, over the index that articles/search_index.py keeps:

- SQLite (the embedded default): FTS5, ranked with bm25() and highlighted with
  highlight()/snippet().
- PostgreSQL: a tsvector table with a GIN index, ranked with ts_rank and highlighted
  with ts_headline (`django.contrib.postgres.search`).

The index holds every article, whatever its state: a search always joins back
through `Article.objects.published()`, so the index alone can never reveal
unpublished work. Only the newest MAX_RESULTS matches are ranked.

The reader's query is never handed to either engine's query syntax: it is cut to
plain words, and every word must match (AND), so quotes, FTS5 operators, SQL
fragments and null bytes are just text.
"""

import re

from django.conf import settings
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
)
from django.db import connection
from django.db.models import F
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
    """The query as it may be shown back: bounded, without control characters.
    None (no `?q=`) is the empty query."""
    return "".join(ch for ch in (raw or "")[:MAX_QUERY_LENGTH] if ch.isprintable())


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


class _Results:
    """What Paginator and the template ask of either engine's results; each engine
    counts its published matches up to MAX_RESULTS + 1 in `_matches_up_to_cap()`."""

    def count(self):
        return min(self._matches_up_to_cap(), MAX_RESULTS)

    @property
    def capped(self):
        return self._matches_up_to_cap() > MAX_RESULTS

    def __len__(self):
        return self.count()


class SqliteResults(_Results):
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

    def _matches_up_to_cap(self):
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


class PostgresResults(_Results):
    def __init__(self, terms):
        self.terms = terms
        self.query = SearchQuery(" ".join(terms), config=settings.SEARCH_CONFIG, search_type="plain")
        self._newest = None

    def newest(self):
        """(id, rank, publication time) of the newest MAX_RESULTS + 1 published matches,
        newest first, ranked in the same pass over the narrow index rows.

        Walks the index table's publication order while a word is common, reads its
        GIN index when it is rare: either way it stops after MAX_RESULTS + 1 rows.
        """
        if self._newest is None:
            self._newest = []
            if self.terms:
                published_sql, params = (
                    Article.objects.published().order_by().values("pk").query.sql_with_params()
                )
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT article_id, ts_rank(search_vector, query), published_at "
                        "FROM articles_search_index, plainto_tsquery(%s::regconfig, %s) AS query "
                        "WHERE published_at IS NOT NULL AND search_vector @@ query "
                        f"AND article_id IN ({published_sql}) "
                        "ORDER BY published_at DESC, article_id DESC LIMIT %s",
                        [settings.SEARCH_CONFIG, " ".join(self.terms), *params, MAX_RESULTS + 1],
                    )
                    self._newest = cursor.fetchall()
        return self._newest

    def _matches_up_to_cap(self):
        return len(self.newest())

    def __getitem__(self, window):
        if not isinstance(window, slice):
            raise TypeError("Search results are read a page at a time.")
        # Best match first; among equals, the newest.
        best = sorted(self.newest()[:MAX_RESULTS], key=lambda row: row[1:] + row[:1], reverse=True)
        page_ids = [row[0] for row in best[window]]
        if not page_ids:
            return []
        marks = {"config": settings.SEARCH_CONFIG, "start_sel": START, "stop_sel": STOP}
        articles = (
            # Through published() again: a second guard in case the clock moved.
            Article.objects.published()
            .for_listing()
            .with_bylines()
            .annotate(
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
            .in_bulk(page_ids)
        )
        return [
            _decorate(article, article.marked_headline, article.marked_lead, article.marked_excerpt)
            for article in (articles[pk] for pk in page_ids if pk in articles)
        ]
