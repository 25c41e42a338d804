"""The desk's part of the demo (after `seed_demo`): editorial notes with mentions, and
assignments over the coming days for the calendar."""

from django.core.management.base import BaseCommand
from django.db import transaction

from desk.demo import seed_notes
from desk.demo_planning import seed_assignments


class Command(BaseCommand):
    help = (
        "Add the desk's demo: editorial notes on the stories in progress and assignments "
        "for the coming days (run after seed_demo)."
    )

    def handle(self, *args, **options):
        added = seed_notes()
        if added:
            self.stdout.write(f"Added {added} editorial notes, with their mentions.")
        with transaction.atomic():
            planned = seed_assignments()
        if planned:
            self.stdout.write(f"Created {planned} demo assignments.")
