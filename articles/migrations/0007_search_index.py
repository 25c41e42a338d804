# The full-text search index first appeared here, installed by code outside the migrations
# (and again after every `migrate`). 0014_search_entries_kept_by_triggers now creates it,
# for new installs and existing ones alike; this step is kept so the chain stays intact.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0006_homepage_curation"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = []
