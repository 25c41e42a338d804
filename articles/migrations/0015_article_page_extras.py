import django.db.models.deletion
from django.db import migrations, models

BATCH = 2000


def fill_page_extras(apps, schema_editor):
    """Every existing article's page extras, as articles/page_extras.py keeps them from now on."""
    using = schema_editor.connection.alias
    Article = apps.get_model("articles", "Article")
    ArticlePageExtras = apps.get_model("articles", "ArticlePageExtras")
    Byline = apps.get_model("articles", "Byline")
    Correction = apps.get_model("articles", "Correction")
    ContentType = apps.get_model("contenttypes", "ContentType")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    article_type = ContentType.objects.using(using).filter(app_label="articles", model="article")
    ids = list(Article.objects.using(using).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        extras = {pk: {"bylines": [], "tags": [], "has_corrections": False} for pk in batch}
        bylines = (
            Byline.objects.using(using)
            .filter(article_id__in=batch)
            .order_by("position", "id")
            .values_list("article_id", "author__name", "author__slug", "contributor")
        )
        for article_id, name, slug, contributor in bylines:
            extras[article_id]["bylines"].append(
                {"name": contributor if slug is None else name, "author_slug": slug}
            )
        tagged = (
            TaggedItem.objects.using(using)
            .filter(content_type__in=article_type, object_id__in=batch)
            .order_by("pk")
            .values_list("object_id", "tag__name", "tag__slug")
        )
        for article_id, name, slug in tagged:
            extras[article_id]["tags"].append({"name": name, "slug": slug})
        corrected = Correction.objects.using(using).filter(article_id__in=batch)
        for article_id in corrected.values_list("article_id", flat=True).distinct():
            extras[article_id]["has_corrections"] = True
        ArticlePageExtras.objects.using(using).bulk_create(
            [ArticlePageExtras(article_id=pk, **found) for pk, found in extras.items()]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_search_entries_kept_by_triggers"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticlePageExtras",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="page_extras",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("bylines", models.JSONField(default=list)),
                ("tags", models.JSONField(default=list)),
                ("has_corrections", models.BooleanField(default=False)),
            ],
            options={
                "verbose_name_plural": "article page extras",
            },
        ),
        migrations.RunPython(fill_page_extras, migrations.RunPython.noop),
    ]
