"""The desk's part of the demo (after `seed_demo`): editorial notes with mentions."""

from django.core.management.base import BaseCommand

from desk.demo import seed_notes


class Command(BaseCommand):
    help = "Add the demo's editorial notes to the stories in progress (run after seed_demo)."

    def handle(self, *args, **options):
        added = seed_notes()
        if added:
            self.stdout.write(f"Added {added} editorial notes, with their mentions.")
