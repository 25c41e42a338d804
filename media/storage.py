"""Object storage for uploads (scale-out installs), with rendition cache lifetimes that
never outlive each photo's rights.

Every object gets AWS_S3_OBJECT_PARAMETERS (STORAGES' `object_parameters`): public for
RENDITION_CACHE_MAX_AGE. A rendition whose photo's rights end within that ceiling is stored
with `Expires` at the end instead (media.rights.stored_rendition_headers), and one whose end
comes within it later is restamped in place by `withdraw_expired_photos` (`restamp`).
"""

import json
import mimetypes
import posixpath

from storages.backends.s3 import S3Storage

from .rights import rendition_rights, stored_rendition_headers


class PhotoS3Storage(S3Storage):
    def get_object_parameters(self, name):
        params = super().get_object_parameters(name)
        is_rendition, rights_expire_at = rendition_rights(self._relative(name))
        if not is_rendition or rights_expire_at is None:
            return params
        # A copy: the shared defaults stay as they are for every other object.
        params = {key: value for key, value in params.items() if key != "Expires"}
        return {**params, **stored_rendition_headers(rights_expire_at)}

    def restamp(self, name):
        """Rewrite a stored rendition's headers as an upload now would (an S3 copy of the
        object onto itself: the bytes stay, the metadata is replaced)."""
        key = posixpath.join(self.location, name) if self.location else name
        params = self.get_object_parameters(key)
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        self.connection.meta.client.copy_object(
            Bucket=self.bucket_name,
            Key=key,
            CopySource={"Bucket": self.bucket_name, "Key": key},
            MetadataDirective="REPLACE",
            ContentType=content_type,
            **params,
        )

    def _relative(self, name):
        """`name` without the bucket prefix (AWS_S3_LOCATION) that the write path adds."""
        prefix = f"{self.location.strip('/')}/" if self.location else ""
        return name[len(prefix) :] if prefix and name.startswith(prefix) else name


def public_renditions_policy(bucket, location):
    """The bucket policy readers need: anyone may GET a rendition, nothing else.

    Originals (`photos/`, which may carry GPS and camera data) stay private: with no
    statement for them S3 refuses an anonymous GET (403). Renditions of a photo whose rights
    ended are deleted by `withdraw_expired_photos`, so the policy needs no dates.
    """
    prefix = f"{location.strip('/')}/" if location.strip("/") else ""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "ReadersGetRenditions",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{bucket}/{prefix}renditions/*",
                }
            ],
        }
    )
