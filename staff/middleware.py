from core.links import cached_reverse

from .access import owes_code_redirect


class TwoFactorRequiredMiddleware:
    """Sends a signed-in user who still owes a one-time code to the code page before any
    admin page. Logging out stays open. Needs django-otp's OTPMiddleware before it.
    Staff-only views outside the admin use staff.access.staff_only, the same rule."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.guards(request.path):
            refused = owes_code_redirect(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    @staticmethod
    def guards(path):
        # Remembered URLs: this runs on every request that misses the page cache.
        return path.startswith(cached_reverse("admin:index")) and path != cached_reverse(
            "admin:logout"
        )
