from django.core.management.base import BaseCommand

from media.rights import withdraw_expired_photos


class Command(BaseCommand):
    help = (
        "Delete the renditions of every photo whose rights have ended, so object storage and "
        "CDNs stop serving them (idempotent; run every minute in scale-out installs, see "
        "docs/deploy.md). Saving a photo with extended rights makes new ones."
    )

    def handle(self, *args, **options):
        count = withdraw_expired_photos()
        self.stdout.write(f"Renditions withdrawn for {count} photo{'' if count == 1 else 's'}.")
