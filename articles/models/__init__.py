"""The articles app's models, one concern per module; imported from here as before."""

from ..search.models import SearchEntry, SqliteSearchEntry
from .article import Article, tag_names
from .autosave import ArticleAutosave
from .clock import CLOCK_RULES, CLOCK_STATES, published_q
from .deletion import DeletedArticle
from .editing import ArticleRevision, Correction, PreviewLink, SlugRedirect, article_snapshot
from .events import ArticleEvent
from .homepage import HomepageSlot
from .page_extras import ArticlePageExtras
from .people import Author, Byline
from .queryset import CARD_FIELDS, ArticleQuerySet, bylines_with_authors
from .sections import RESERVED_SECTION_SLUGS, Section, default_source_line, validate_section_slug
from .status import ArticleStatus

__all__ = [
    "CARD_FIELDS",
    "CLOCK_RULES",
    "CLOCK_STATES",
    "RESERVED_SECTION_SLUGS",
    "Article",
    "ArticleAutosave",
    "ArticleEvent",
    "ArticlePageExtras",
    "ArticleQuerySet",
    "ArticleRevision",
    "ArticleStatus",
    "Author",
    "Byline",
    "Correction",
    "DeletedArticle",
    "HomepageSlot",
    "PreviewLink",
    "SearchEntry",
    "Section",
    "SlugRedirect",
    "SqliteSearchEntry",
    "article_snapshot",
    "bylines_with_authors",
    "default_source_line",
    "published_q",
    "tag_names",
    "validate_section_slug",
]
