"""The planning part of the demo (after seed_demo): assignments for the coming days."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from desk.demo_planning import seed_assignments


class Command(BaseCommand):
    help = "Seed the desk's demo assignments (idempotent; run after seed_demo)."

    def handle(self, *args, **options):
        editor = get_user_model().objects.filter(username="editor").first()
        if editor is None:
            self.stdout.write("No demo editor yet; run seed_demo first.")
            return
        with transaction.atomic():
            created = seed_assignments(editor=editor)
        if created:
            self.stdout.write(f"Created {created} demo assignments.")
