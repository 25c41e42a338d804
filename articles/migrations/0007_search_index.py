# The full-text search index (articles/search.py): an FTS5 table with triggers
# on SQLite, a tsvector column with a GIN index and triggers on PostgreSQL.

from django.db import migrations


def install(apps, schema_editor):
    from articles.search_index import install_search_index

    install_search_index(using=schema_editor.connection.alias)


def uninstall(apps, schema_editor):
    from articles.search_index import uninstall_search_index

    uninstall_search_index(using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0006_homepage_curation"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
