"""Who must sign in with a one-time code, and checking the codes (django-otp TOTP devices)."""

from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

SUPERUSER_ROLE = "superuser"


def required_role(user):
    """Whether one of the user's roles is named in OTP_REQUIRED_ROLES."""
    roles = set(settings.OTP_REQUIRED_ROLES)
    if SUPERUSER_ROLE in roles and user.is_superuser:
        return True
    groups = roles - {SUPERUSER_ROLE}
    return bool(groups) and user.groups.filter(name__in=groups).exists()


def must_verify(user):
    """A signed-in user who has yet to give a code this session, and has to.

    Required: the roles OTP_REQUIRED_ROLES names, and whoever has a confirmed device,
    since a device enrolled by choice protects nothing if its code is never asked for.
    """
    if not user.is_authenticated or user.is_verified():
        return False
    return required_role(user) or user_has_device(user)


def check_code(devices, token):
    """The device among `devices` that accepts `token`, and whether one refused to try.

    django-otp throttles a device after each wrong code (1, 2, 4... seconds); while it is
    throttled it refuses even the right code, so guessing six digits takes forever.
    """
    throttled = False
    for device in devices:
        if not device.verify_is_allowed()[0]:
            throttled = True
        elif device.verify_token(token):
            return device, False
    return None, throttled


def verify_code(user, token):
    """Check a sign-in code against the user's confirmed devices, locked while checked."""
    with transaction.atomic():
        return check_code(devices_for_user(user, confirmed=True, for_verify=True), token)


def confirm_enrolment(device, token):
    """Confirm the device being set up with the first code its app shows."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        accepted, throttled = check_code([device], token)
        if accepted:
            accepted.confirmed = True
            accepted.save(update_fields=["confirmed"])
        return accepted, throttled


def enrolment_device(user):
    """The device being set up: the same secret until it is confirmed, however often the
    page is reloaded."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def qr_code_data_uri(device):
    """The otpauth:// address as an SVG QR code in a data: URI (the CSP allows data: images).
    White behind it, not transparent, so it still scans on the admin's dark theme."""
    qr = segno.make(device.config_url, error="m")
    return qr.svg_data_uri(scale=5, border=2, dark="black", light="white")


def readable_secret(device):
    """The base32 secret in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
