# PostgreSQL's search index moved here from a column of the article rows to a table of its
# own, by code outside the migrations. 0014_search_entries_kept_by_triggers now creates the
# index and takes over either earlier layout; this step is kept so the chain stays intact.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [("articles", "0008_public_query_indexes")]

    operations = []
