import posixpath

from django.conf import settings
from django.http import Http404
from django.views.static import serve

# Readers get renditions only: originals may carry GPS and camera data.
PUBLIC_PREFIX = "renditions/"


def serve_upload(request, path):
    """Uploads for an embedded install: renditions for everyone, everything else staff-only."""
    # Judge the path as serve() will resolve it, so `//photos/x`, `./photos/x` or
    # `renditions/../photos/x` cannot reach an original.
    resolved = posixpath.normpath(path).lstrip("/")
    if not resolved.startswith(PUBLIC_PREFIX) and not (
        request.user.is_authenticated and request.user.is_staff
    ):
        raise Http404
    return serve(request, resolved, document_root=settings.MEDIA_ROOT)
