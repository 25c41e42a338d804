from django.core.management.base import BaseCommand

from media.models import Photo
from media.renditions import generate_renditions


class Command(BaseCommand):
    help = (
        "Generate the reader-facing renditions of every photo whose set is missing or out of "
        "date (run after importing photos or after the TDM reservation changes)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Regenerate even renditions that are current."
        )

    def handle(self, *args, force=False, **options):
        made = 0
        for photo in Photo.objects.order_by("pk").iterator(chunk_size=100):
            try:
                made += generate_renditions(photo, force=force)
            except OSError as error:
                self.stderr.write(f"Photo {photo.pk}: original unreadable ({error}); skipped.")
        self.stdout.write(f"Renditions generated for {made} photos.")
