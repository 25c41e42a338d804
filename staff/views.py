"""The two-factor steps between the admin's password login and the admin itself."""

from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django_otp import user_has_device

from . import two_factor
from .forms import CodeForm


def next_url(request):
    """Where to go once verified: a path on this site, never elsewhere."""
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def with_next(url_name, request):
    return f"{reverse(url_name)}?{urlencode({'next': next_url(request)}, safe='/')}"


def admin_page(request, template, context):
    """A page in the admin's look: its header, title and colour theme."""
    return TemplateResponse(request, template, {**admin.site.each_context(request), **context})


@never_cache
@staff_member_required
def verify(request):
    if request.user.is_verified():
        return redirect(next_url(request))
    if not user_has_device(request.user):
        return redirect(with_next("staff:enrol", request))
    form = CodeForm(request.POST or None)
    if form.is_valid():
        device, throttled = two_factor.verify_code(request.user, form.cleaned_data["token"])
        if device:
            django_otp.login(request, device)
            return redirect(next_url(request))
        form.refuse(throttled)
    return admin_page(request, "staff/verify.html", {"title": "Two-factor sign-in", "form": form})


@never_cache
@staff_member_required
def enrol(request):
    if not request.user.is_verified() and user_has_device(request.user):
        # Whoever has only the password must not add a device of their own.
        return redirect(with_next("staff:verify", request))
    device = two_factor.enrolment_device(request.user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        confirmed, throttled = two_factor.confirm_enrolment(device, form.cleaned_data["token"])
        if confirmed:
            django_otp.login(request, confirmed)
            return redirect(next_url(request))
        form.refuse(throttled)
    context = {
        "title": "Set up two-factor sign-in",
        "form": form,
        "qr_code": two_factor.qr_code_data_uri(device),
        "secret": two_factor.readable_secret(device),
        "issuer": settings.OTP_TOTP_ISSUER,
        "required": two_factor.required_role(request.user),
    }
    return admin_page(request, "staff/enrol.html", context)
