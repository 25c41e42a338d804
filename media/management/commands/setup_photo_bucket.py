from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from media.storage import PhotoS3Storage, public_renditions_policy


class Command(BaseCommand):
    help = (
        "Set the photo bucket's policy so readers can fetch renditions and never originals "
        "(object storage only; run once per bucket, and again after changing AWS_S3_LOCATION). "
        "--create makes the bucket first when it does not exist."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--create", action="store_true", help="Create the bucket if it does not exist."
        )

    def handle(self, *args, create=False, **options):
        if not isinstance(default_storage, PhotoS3Storage):
            raise CommandError(
                "Uploads are not in object storage (AWS_STORAGE_BUCKET_NAME is unset): "
                "the app serves renditions itself and keeps originals for staff."
            )
        bucket = default_storage.bucket
        client = default_storage.connection.meta.client
        if create and bucket.creation_date is None:
            region = default_storage.region_name
            where = (
                {"CreateBucketConfiguration": {"LocationConstraint": region}}
                if region and region != "us-east-1"
                else {}
            )
            client.create_bucket(Bucket=bucket.name, **where)
            self.stdout.write(f"Bucket {bucket.name} created.")
        policy = public_renditions_policy(bucket.name, default_storage.location)
        client.put_bucket_policy(Bucket=bucket.name, Policy=policy)
        self.stdout.write(
            f"Bucket {bucket.name}: renditions readable by anyone, originals private."
        )
