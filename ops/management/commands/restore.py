import sys

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, migrations_to_apply, read_backup, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: replaces the whole database and puts "
        "back the uploads, then checks the row counts against the backup's manifest. Stop "
        "the app servers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup's directory.")
        parser.add_argument(
            "--yes", action="store_true", help="Confirm replacing the current database."
        )

    def handle(self, *args, path, yes, **options):
        try:
            manifest = read_backup(path)  # a damaged backup is refused before any question
            if not yes and not self.confirmed(path, manifest):
                raise CommandError(
                    "Nothing restored: restoring replaces the whole database; "
                    "pass --yes to confirm."
                )
            restore_backup(path, manifest)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {path} (made {manifest['created_at']}): "
            f"{sum(manifest['tables'].values())} rows and {len(manifest['uploads'])} "
            "uploaded file(s), counts checked against its manifest."
        )
        pending = migrations_to_apply(manifest)
        if pending:
            self.stdout.write(
                f"The backup predates {len(pending)} migration(s) of this code: run "
                "`manage.py migrate` before starting the app servers."
            )

    def confirmed(self, path, manifest):
        if not sys.stdin.isatty():
            return False
        answer = input(
            f"Replace the whole {manifest['engine']} database and put back the uploads from "
            f"{path}, made {manifest['created_at']}? Type 'yes' to go on: "
        )
        return answer.strip().lower() == "yes"
