from django.urls import reverse

from .tdm import current_reservation


class TdmReservationMiddleware:
    """TDMRep headers on every public response: pages, feeds, sitemaps, robots.txt, uploads.

    The CG calls headers "currently the preferred technique"; the values come
    from the cached reservation, so this adds no query. The admin is not public.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._admin_prefix = None

    def __call__(self, request):
        response = self.get_response(request)
        if self._admin_prefix is None:
            self._admin_prefix = reverse("admin:index")
        if request.method in ("GET", "HEAD") and not request.path.startswith(self._admin_prefix):
            for name, value in current_reservation().headers().items():
                response.headers[name] = value
        return response
