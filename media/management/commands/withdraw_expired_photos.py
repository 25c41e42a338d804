from django.core.management.base import BaseCommand

from media.rights import restamp_expiring_renditions, withdraw_expired_photos


class Command(BaseCommand):
    help = (
        "Delete the renditions of every photo whose rights have ended, so object storage and "
        "CDNs stop serving them (idempotent; run every minute in scale-out installs, see "
        "docs/deploy.md). Saving a photo with extended rights makes new ones. With object "
        "storage it also restamps the renditions whose rights end within a day, so no cache "
        "keeps them past the end."
    )

    def handle(self, *args, **options):
        count = withdraw_expired_photos()
        self.stdout.write(f"Renditions withdrawn for {count} photo{'' if count == 1 else 's'}.")
        # Object storage keeps fixed headers: those whose rights end within a day now say so.
        restamped = restamp_expiring_renditions()
        if restamped:
            self.stdout.write(
                f"Renditions of {restamped} photo{'' if restamped == 1 else 's'} now expire "
                "with their rights."
            )
