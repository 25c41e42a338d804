"""The names an article page shows under and below its story, kept ready to read.

Imported at the end of articles/models.py so Django registers it in the `articles` app;
kept current by articles/credits.py.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models


class ArticleCredits(models.Model):
    """An article's bylines and tags as its page shows them, in the page's own query.

    Loading them from their tables took two more queries on every article page; they
    change only when an editor changes a byline, an author, a tag or a tag's name, and
    each such write rewrites this row (articles/credits.py). A missing row is read from
    the tables instead (Article.page_credits), so the page is right either way.
    """

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, primary_key=True, related_name="credits"
    )
    # [{"name": …, "author_slug": … or null for a contributor}], in byline order.
    bylines = models.JSONField(default=list)
    # [{"name": …, "slug": …}], in the order the article was tagged.
    tags = models.JSONField(default=list)

    class Meta:
        verbose_name_plural = "article credits"

    def __str__(self):
        return f"Credits of article {self.article_id}"

    @classmethod
    def from_tables(cls, article_ids):
        """{article id: {"bylines": …, "tags": …}} read from the bylines' and tags' own
        tables, in two queries for any number of articles."""
        article_model = cls._meta.get_field("article").related_model
        found = {article_id: {"bylines": [], "tags": []} for article_id in article_ids}
        bylines = (
            article_model._meta.get_field("bylines")
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
            article_model._meta.get_field("tags")
            .through.objects.filter(
                content_type=ContentType.objects.get_for_model(article_model),
                object_id__in=found,
            )
            .order_by("pk")
            .values_list("object_id", "tag__name", "tag__slug")
        )
        for article_id, name, slug in tagged:
            found[article_id]["tags"].append({"name": name, "slug": slug})
        return found
