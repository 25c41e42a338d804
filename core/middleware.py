from django.conf import settings


class SecurityHeadersMiddleware:
    """Headers Django 5.2 does not set by itself (Permissions-Policy, CORP).

    Scored by the MDN HTTP Observatory; see ../shared/STANDARDS.md section 8.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault(
            "Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY
        )
        return response
