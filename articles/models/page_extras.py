"""What an article page shows besides the article's own row, kept ready to read.

Part of the articles app's models package (articles/models/__init__.py);
kept current by articles/page_extras.py.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models


class ArticlePageExtras(models.Model):
    """An article's bylines and tags as its page shows them, and whether it has
    corrections, read in the page's own query (Article.objects.for_page()).

    Reading them from their tables took three more queries on every article page; they
    change only when an editor changes a byline, an author, a tag, a tag's name or a
    correction, and each such write rewrites this row in the same transaction
    (articles/page_extras.py). A missing row is read from the tables instead
    (Article.page_extras_or_tables), so the page is right either way.
    """

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, primary_key=True, related_name="page_extras"
    )
    # [{"name": …, "author_slug": … or null for a contributor}], in byline order.
    bylines = models.JSONField(default=list)
    # [{"name": …, "slug": …}], in the order the article was tagged.
    tags = models.JSONField(default=list)
    # The corrections themselves are read only when there are any.
    has_corrections = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "article page extras"

    def __str__(self):
        return f"Page extras of article {self.article_id}"

    @classmethod
    def from_tables(cls, article_ids):
        """{article id: {"bylines": …, "tags": …, "has_corrections": …}} read from the
        bylines', tags' and corrections' own tables, in three queries for any number."""
        article_model = cls._meta.get_field("article").related_model
        related = article_model._meta.get_field
        found = {
            article_id: {"bylines": [], "tags": [], "has_corrections": False}
            for article_id in article_ids
        }
        bylines = (
            related("bylines")
            .related_model.objects.filter(article_id__in=found)
            .order_by("position", "id")
            .values_list("article_id", "author__name", "author__slug", "contributor")
        )
        for article_id, name, slug, contributor in bylines:
            found[article_id]["bylines"].append(
                {"name": contributor if slug is None else name, "author_slug": slug}
            )
        # In the order of article.tags.all(): taggit orders an article's tags by tagging.
        tagged = (
            related("tags")
            .through.objects.filter(
                content_type=ContentType.objects.get_for_model(article_model),
                object_id__in=found,
            )
            .order_by("pk")
            .values_list("object_id", "tag__name", "tag__slug")
        )
        for article_id, name, slug in tagged:
            found[article_id]["tags"].append({"name": name, "slug": slug})
        corrected = (
            related("corrections")
            .related_model.objects.filter(article_id__in=found)
            .values_list("article_id", flat=True)
            .distinct()
        )
        for article_id in corrected:
            found[article_id]["has_corrections"] = True
        return found
