"""Search over the index's models: one interface, two engines.

- SQLite: FTS5 (`SqliteSearchEntry`), ranked with bm25() and highlighted with
  highlight()/snippet().
- PostgreSQL: `SearchEntry`, ranked with SearchRank (ts_rank) and highlighted with
  SearchHeadline (ts_headline).

The index holds every article, whatever its state: a search always goes through
`Article.objects.published()`, so the index alone can never reveal unpublished work.
Only the newest MAX_RESULTS matches are ranked, and only a page's rows highlighted.

The reader's query is never handed to either engine's query syntax: it is cut to
plain words, and every word must match (AND), so quotes, FTS5 operators, SQL
fragments and null bytes are just text.
"""

import re

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Exists, F, OuterRef
from django.utils.html import escape, format_html, format_html_join

from ..models import Article
from .fts5 import Bm25, Highlight, Match, Snippet
from .models import SearchEntry, SqliteSearchEntry

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


class _Results:
    """What Paginator and the template ask of either engine's results.

    Each engine says which published articles match, newest first, with a score
    (`_newest_matches()`), and loads a page's article cards with their matched words
    marked in headline, lead and a body excerpt (`_marked_cards()`, a list in page order).
    """

    def __init__(self, terms):
        self.terms = terms
        self._newest = None

    def newest(self):
        """(id, score, publication time) of the newest MAX_RESULTS + 1 published matches,
        newest first; a higher score is a better match."""
        if self._newest is None:
            self._newest = list(self._newest_matches(MAX_RESULTS + 1)) if self.terms else []
        return self._newest

    def count(self):
        return min(len(self.newest()), MAX_RESULTS)

    @property
    def capped(self):
        return len(self.newest()) > MAX_RESULTS

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        """The articles of a page, best match first, their matched words marked."""
        if not isinstance(window, slice):
            raise TypeError("Search results are read a page at a time.")
        # Best match first; among equals, the newest.
        best = sorted(self.newest()[:MAX_RESULTS], key=lambda row: row[1:] + row[:1], reverse=True)
        page_ids = [row[0] for row in best[window]]
        if not page_ids:
            return []
        page = []
        for article, headline, lead, excerpt in self._marked_cards(page_ids):
            article.search_headline = highlighted(headline)
            article.search_lead = highlighted(lead)
            article.search_excerpt = highlighted(_plain_excerpt(excerpt))
            page.append(article)
        return page

    @staticmethod
    def _cards():
        # Through published() again: a second guard in case the clock moved.
        return Article.objects.published().for_listing().with_bylines()


class SqliteResults(_Results):
    def __init__(self, terms):
        super().__init__(terms)
        # Each word as an FTS5 string: nothing the reader types is an operator.
        self.match = " ".join(f'"{term}"' for term in terms)

    def _matching(self):
        return SqliteSearchEntry.objects.filter(Match(self.match))

    def _newest_matches(self, limit):
        # One pass over the index's matches, each article looked up by id, scored in the
        # same pass. EXISTS, not IN: SQLite would hand `rowid IN (published ids)` to FTS5,
        # which then runs one MATCH per published article (ten times slower at 20,000).
        return (
            self._matching()
            .filter(Exists(Article.objects.published().filter(pk=OuterRef("article_id"))))
            .annotate(score=-Bm25(*SQLITE_WEIGHTS), go_live=F("article__published_at"))
            .order_by("-go_live", "-article_id")
            .values_list("article_id", "score", "go_live")[:limit]
        )

    def _marked_cards(self, page_ids):
        # Only the page's rows: highlighting is the costly part.
        rows = (
            self._matching()
            .filter(article__in=page_ids)
            .values_list(
                "article_id",
                Highlight(0, START, STOP),
                Highlight(1, START, STOP),
                Snippet(2, START, STOP, "…", EXCERPT_WORDS),
            )
        )
        marked = {pk: marks for pk, *marks in rows}
        articles = self._cards().in_bulk(page_ids)
        return [(articles[pk], *marked[pk]) for pk in page_ids if pk in articles and pk in marked]


class PostgresResults(_Results):
    def __init__(self, terms):
        super().__init__(terms)
        self.query = SearchQuery(" ".join(terms), config=settings.SEARCH_CONFIG, search_type="plain")

    def _newest_matches(self, limit):
        # Walks the entries' newest-first index while a word is common, reads the GIN
        # index when it is rare: either way it stops after `limit` narrow rows.
        return (
            SearchEntry.objects.filter(
                search_vector=self.query,
                published_at__isnull=False,
                article__in=Article.objects.published().values("pk"),
            )
            .annotate(score=SearchRank(F("search_vector"), self.query))
            .order_by("-published_at", "-article_id")
            .values_list("article_id", "score", "published_at")[:limit]
        )

    def _marked_cards(self, page_ids):
        marks = {"config": settings.SEARCH_CONFIG, "start_sel": START, "stop_sel": STOP}
        articles = (
            self._cards()
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
            (article, article.marked_headline, article.marked_lead, article.marked_excerpt)
            for article in (articles[pk] for pk in page_ids if pk in articles)
        ]
