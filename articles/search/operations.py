"""Migration operations for the search index, which is built differently by each engine."""

from django.db import migrations

from . import triggers


class RunSQLFor(migrations.RunSQL):
    """RunSQL that runs on one database engine (`vendor`) and is skipped on the others."""

    def __init__(self, vendor, sql, reverse_sql=None, **kwargs):
        self.vendor = vendor
        super().__init__(sql, reverse_sql, **kwargs)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, args, {"vendor": self.vendor, **kwargs}

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"Raw SQL operation on {self.vendor}"


def restore_sqlite_triggers():
    """The operation that ends any migration which makes SQLite rebuild articles_article,
    taggit_taggeditem or taggit_tag (most field changes do): the rebuild drops the
    search index's triggers, and `migrate` stops with an error until they are back."""
    return RunSQLFor(
        "sqlite",
        [*triggers.SQLITE_INSTALL, *triggers.SQLITE_REFILL],
        reverse_sql=migrations.RunSQL.noop,
        elidable=False,
    )


def restore_sqlite_triggers_when_reversed():
    """The operation that opens such a migration, for its way back: unapplying it rebuilds
    the table again (removing a column), and its operations are undone last to first, so
    the triggers are put back by this first one, undone last."""
    return RunSQLFor(
        "sqlite",
        migrations.RunSQL.noop,
        reverse_sql=[*triggers.SQLITE_INSTALL, *triggers.SQLITE_REFILL],
        elidable=False,
    )
