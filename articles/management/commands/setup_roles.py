from django.core.management.base import BaseCommand

from articles.roles import ROLE_PERMISSIONS, sync_roles


class Command(BaseCommand):
    help = "Create or update the newsroom's role groups and their permissions (idempotent)."

    def handle(self, *args, **options):
        sync_roles()
        self.stdout.write(f"Roles up to date: {', '.join(ROLE_PERMISSIONS)}.")
