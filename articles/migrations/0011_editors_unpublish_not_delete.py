"""Existing installs: editors lose the delete permission; they unpublish instead.

setup_roles (articles/roles.py) sets the same on its next run; this migration makes the
change land with the deployment even where setup_roles is not run again.
"""

from django.db import migrations


def editors_unpublish_instead_of_deleting(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    delete = Permission.objects.filter(
        content_type__app_label="articles", codename="delete_article"
    )
    for group in Group.objects.filter(name="Editor"):
        group.permissions.remove(*delete)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_keep_history_of_deleted_articles"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(editors_unpublish_instead_of_deleting, migrations.RunPython.noop),
    ]
