"""The one rule for staff-only pages: a staff account that has given its one-time code if it
owes one. The admin gets it from TwoFactorRequiredMiddleware, other views from `staff_only`,
so a staff-only view outside /admin/ cannot be reached with the password alone."""

from functools import wraps
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from .two_factor import must_verify


def verification_url(next_path):
    return f"{reverse('staff:verify')}?{urlencode({'next': next_path}, safe='/')}"


def owes_code_redirect(request):
    """The redirect to the code page if the signed-in user still owes a code, else None."""
    if must_verify(request.user):
        return redirect(verification_url(request.get_full_path()))
    return None


def staff_only(view):
    """Staff who have given their code if they owe one; anyone else gets a plain 404, so the
    view does not even admit to existing."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_staff):
            raise Http404
        return owes_code_redirect(request) or view(request, *args, **kwargs)

    return guarded
