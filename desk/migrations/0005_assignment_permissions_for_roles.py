"""Existing installs: editors plan assignments, journalists see their own.

setup_roles (articles/roles.py) grants the same on its next run; this migration makes the
change land with the deployment even where setup_roles is not run again. Django makes a
new model's permissions only after every migration has run, so they are made here first.
"""

from django.db import migrations

GRANTS = {
    "Editor": ["add_assignment", "change_assignment", "delete_assignment", "view_assignment"],
    "Journalist": ["view_assignment"],
}


def grant_assignment_permissions(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # As Django's post_migrate would make them (it then finds them there).
    content_type, _ = ContentType.objects.get_or_create(app_label="desk", model="assignment")
    for action in ("add", "change", "delete", "view"):
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_assignment",
            defaults={"name": f"Can {action} assignment"},
        )
    for name, codenames in GRANTS.items():
        permissions = Permission.objects.filter(content_type=content_type, codename__in=codenames)
        for group in Group.objects.filter(name=name):
            group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0004_planning_and_calendar"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(grant_assignment_permissions, migrations.RunPython.noop),
    ]
