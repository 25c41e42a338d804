"""A live article's page: its queries, prepared once per connection (newsroom/prepared.py).

The article page is the one public page that caches cannot carry: readers arrive on
any of thousands of archived stories. Its four queries are the same every time but
for the slug, the clock and the article's id, so their SQL is compiled once.
"""

from django.utils import timezone

from newsroom.prepared import PreparedQuery

from .models import Article, Byline, load_related
from .models_editing import Correction

_live_article = PreparedQuery(
    lambda slug, at: Article.objects.published(at)
    .select_related("section", "lead_photo")
    .defer("body")
    .filter(slug=slug)
    # The slug is unique: no ORDER BY.
    .order_by()
)
_bylines = PreparedQuery(
    lambda article_id: Byline.objects.filter(article_id=article_id).select_related("author")
)
# Through the article's own tag manager, so tags keep taggit's order.
_tags = PreparedQuery(lambda article_id: Article(pk=article_id).tags.all())
_corrections = PreparedQuery(lambda article_id: Correction.objects.filter(article_id=article_id))


def live_article(slug, at=None):
    """The article readers see at `slug`, with its section, photo, bylines, tags and
    corrections, in four queries; None when no published article has that slug."""
    found = _live_article(slug, at or timezone.now())
    if not found:
        return None
    article = found[0]
    bylines = _bylines(article.pk)
    corrections = _corrections(article.pk)
    for related in (*bylines, *corrections):
        related.article = article
    return load_related(
        article,
        bylines=(article.bylines.select_related("author"), bylines),
        tags=(article.tags.all(), _tags(article.pk)),
        corrections=(article.corrections.all(), corrections),
    )
