# The search index becomes models (articles/search/models.py) whose triggers are installed
# here, instead of DDL run after every `migrate`.
#
# PostgreSQL: the entries move from articles_search_index, the table the earlier code made
# outside any migration, to articles_search_entry, which Django creates from SearchEntry.
# They are copied, not computed again (a GIN build, not a tsvector per article). Writers
# to articles, taggings and tags wait until the migration commits. Backwards, the index
# and its triggers are dropped: to roll the code back below this migration, migrate
# back, deploy the older code, then run its rebuild_search_index.
#
# SQLite: the FTS5 table is kept (or created) and its triggers installed; it is refilled,
# because a migration since 0007 may have rebuilt a table and dropped its triggers.

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
import core.validators
from django.conf import settings
from django.db import migrations, models

from articles.search import triggers
from articles.search.operations import RunSQLFor

TAKE_OVER_POSTGRES = [
    # The first layout kept the vector on the article row, the second in a table of its own.
    """DO $$ BEGIN
         IF EXISTS (SELECT 1 FROM information_schema.columns
                    WHERE table_name = 'articles_article' AND column_name = 'search_vector'
                      AND table_schema = current_schema()) THEN
           ALTER TABLE articles_article DROP COLUMN search_vector;
         END IF;
         IF to_regclass('articles_search_index') IS NOT NULL THEN
           INSERT INTO articles_search_entry (article_id, published_at, search_vector)
           SELECT article_id, published_at, search_vector FROM articles_search_index;
           DROP TABLE articles_search_index;
         END IF;
       END $$""",
    # A new install, or articles the previous index missed.
    "SELECT articles_search_reindex(ARRAY(SELECT id FROM articles_article WHERE NOT EXISTS "
    "(SELECT 1 FROM articles_search_entry WHERE article_id = articles_article.id)))",
    "DELETE FROM articles_search_entry WHERE NOT EXISTS "
    "(SELECT 1 FROM articles_article WHERE articles_article.id = article_id)",
    "ANALYZE articles_search_entry",
]


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0013_deleted_article_text_refuses_control_characters"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("published_at", models.DateTimeField(null=True)),
                ("search_vector", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={
                "verbose_name_plural": "search entries",
                "db_table": "articles_search_entry",
                "required_db_vendor": "postgresql",
                "indexes": [
                    django.contrib.postgres.indexes.GinIndex(
                        fields=["search_vector"], name="articles_search_entry_gin"
                    ),
                    models.Index(
                        condition=models.Q(("published_at__isnull", False)),
                        fields=["-published_at", "-article"],
                        name="articles_search_entry_newest",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="SqliteSearchEntry",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        db_column="rowid",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("headline", models.TextField(validators=[core.validators.reject_control_characters])),
                ("lead", models.TextField(validators=[core.validators.reject_control_characters])),
                ("body", models.TextField(validators=[core.validators.reject_control_characters])),
                ("tags", models.TextField(validators=[core.validators.reject_control_characters])),
            ],
            options={
                "verbose_name_plural": "SQLite search entries",
                "db_table": "articles_search_fts",
                "managed": False,
                "required_db_vendor": "sqlite",
            },
        ),
        RunSQLFor(
            "postgresql",
            [
                triggers.POSTGRES_LOCK,
                *triggers.postgres_install(settings.SEARCH_CONFIG),
                *TAKE_OVER_POSTGRES,
            ],
            reverse_sql=triggers.POSTGRES_UNINSTALL,
            elidable=False,
        ),
        RunSQLFor(
            "sqlite",
            [triggers.SQLITE_TABLE, *triggers.SQLITE_INSTALL, *triggers.SQLITE_REFILL],
            reverse_sql=triggers.SQLITE_UNINSTALL,
            elidable=False,
        ),
    ]
