import posixpath

from django.conf import settings
from django.http import Http404, HttpResponseGone
from django.utils import timezone
from django.utils.http import http_date
from django.views.static import serve

from staff.access import staff_only

from .rights import rendition_cache_headers, rendition_rights

# Readers get renditions only: originals may carry GPS and camera data.
PUBLIC_PREFIX = "renditions/"


def serve_upload(request, path):
    """Uploads for an embedded install: renditions for everyone, everything else staff-only."""
    # Judge the path as serve() will resolve it, so `//photos/x`, `./photos/x` or
    # `renditions/../photos/x` cannot reach an original.
    resolved = posixpath.normpath(path).lstrip("/")
    if resolved.startswith(PUBLIC_PREFIX):
        return serve_rendition(request, resolved)
    return serve_original(request, resolved)


@staff_only
def serve_original(request, name):
    """An original upload, for staff who have signed in fully (code included)."""
    return serve(request, name, document_root=settings.MEDIA_ROOT)


def serve_rendition(request, name):
    """A rendition while its photo's rights last, cached no longer than they do; then 410.
    Judged from the name (media.rights), so it needs no database."""
    is_rendition, rights_expire_at = rendition_rights(name)
    if not is_rendition:
        raise Http404
    now = timezone.now()
    if rights_expire_at is not None and rights_expire_at <= now:
        return HttpResponseGone("The rights to this photo have ended.")
    cache_control, expires = rendition_cache_headers(rights_expire_at, now)
    response = serve(request, name, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = cache_control
    if expires is not None:
        response["Expires"] = http_date(expires.timestamp())
    return response
