from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite's online backup API, or pg_dump on PostgreSQL) and "
        "the uploads into one new timestamped directory, with a manifest. Safe while the "
        "site runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(settings.VAR_DIR / "backups"),
            help="Directory in which the backup's own directory is made (default: var/backups).",
        )

    def handle(self, *args, output, **options):
        try:
            path, manifest = create_backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up {manifest['engine']} ({sum(manifest['tables'].values())} rows in "
            f"{len(manifest['tables'])} tables) and {len(manifest['uploads'])} uploaded "
            f"file(s) to {path}"
        )
