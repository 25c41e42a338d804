from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from .two_factor import must_verify


def verification_url(next_path):
    return f"{reverse('staff:verify')}?{urlencode({'next': next_path}, safe='/')}"


class TwoFactorRequiredMiddleware:
    """Sends a signed-in user who still owes a one-time code to the code page before any
    admin page. Logging out stays open. Needs django-otp's OTPMiddleware before it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.guards(request.path) and must_verify(request.user):
            return redirect(verification_url(request.get_full_path()))
        return self.get_response(request)

    @staticmethod
    def guards(path):
        return path.startswith(reverse("admin:index")) and path != reverse("admin:logout")
