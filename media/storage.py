"""Object storage for uploads (scale-out installs), with rendition cache lifetimes capped at
each photo's rights.

Every object gets AWS_S3_OBJECT_PARAMETERS (STORAGES' `object_parameters`): public for
RENDITION_CACHE_MAX_AGE. A rendition of a photo whose rights end sooner is uploaded with the time left
instead, so neither a browser nor a CDN may keep it past the end (media.rights).
"""

from storages.backends.s3 import S3Storage

from .rights import rendition_cache_headers, rendition_rights


class PhotoS3Storage(S3Storage):
    def get_object_parameters(self, name):
        params = super().get_object_parameters(name)
        is_rendition, rights_expire_at = rendition_rights(self._relative(name))
        if not is_rendition or rights_expire_at is None:
            return params
        cache_control, expires = rendition_cache_headers(rights_expire_at)
        if expires is None:
            return params
        # A copy: the shared defaults stay as they are for every other object.
        return {**params, "CacheControl": cache_control, "Expires": expires}

    def _relative(self, name):
        """`name` without the bucket prefix (AWS_S3_LOCATION) that the write path adds."""
        prefix = f"{self.location.strip('/')}/" if self.location else ""
        return name[len(prefix) :] if prefix and name.startswith(prefix) else name
