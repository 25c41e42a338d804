# PostgreSQL: the search index moves from a tsvector column on the article rows to a
# narrow table of its own (articles/search_index.py). SQLite's FTS5 table is unchanged.
# Dropping the column locks articles_article until the table is filled (about a minute
# per 100,000 articles): run it in a quiet hour. To roll the code back below this
# migration, migrate back, deploy the older code, then run its rebuild_search_index.

from django.db import migrations


def move_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from articles.search_index import install_search_index

        install_search_index(using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [("articles", "0008_public_query_indexes")]

    # Backwards the new table stays until the older code's rebuild_search_index puts the
    # column back (see above); 0007's reverse drops either layout.
    operations = [migrations.RunPython(move_index, migrations.RunPython.noop, elidable=False)]
