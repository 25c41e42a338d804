from django.conf import settings
from django.http import Http404
from django.views.static import serve


def serve_upload(request, path):
    """Uploads for an embedded install. Original photos are staff-only: they may carry GPS
    and camera data, and readers get the cleaned renditions instead."""
    if path.startswith("photos/") and not (request.user.is_authenticated and request.user.is_staff):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)
