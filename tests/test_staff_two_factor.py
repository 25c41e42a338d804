"""Two-factor sign-in for the roles OTP_REQUIRED_ROLES names (TOTP, django-otp)."""

import re
from base64 import b32decode
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.roles import EDITOR, JOURNALIST

from .factories import PhotoFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
VERIFY = "/staff/two-factor/"
ENROL = "/staff/two-factor/enrol/"
MONDAY_MORNING = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def production_roles(settings):
    settings.OTP_REQUIRED_ROLES = ["superuser", EDITOR]


def log_in(client, username):
    response = client.post(
        reverse("admin:login"), {"username": username, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302, "the password was accepted"
    return client


def code_for(device):
    """The code the device's authenticator app shows now."""
    return f"{totp(device.bin_key):06d}"


def test_an_editor_reaches_the_admin_only_after_a_valid_code(client):
    editor = user_with_role(EDITOR, username="desk")
    device = TOTPDevice.objects.create(user=editor, name="phone")
    log_in(client, "desk")

    for path in ("/admin/", reverse("admin:articles_article_changelist"), "/admin/login/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{VERIFY}?next=")

    page = client.get(VERIFY + "?next=/admin/articles/")
    assert page.status_code == 200
    assert 'name="token"' in page.content.decode()

    with time_machine.travel(MONDAY_MORNING, tick=False) as clock:
        wrong = client.post(VERIFY + "?next=/admin/articles/", {"token": "000000"})
        assert wrong.status_code == 200
        assert "That code is not valid" in wrong.content.decode()
        assert client.get("/admin/").status_code == 302

        clock.shift(timedelta(seconds=2))  # django-otp's delay after a wrong code
        right = client.post(VERIFY + "?next=/admin/articles/", {"token": code_for(device)})
        assert right.status_code == 302 and right["Location"] == "/admin/articles/"
        assert client.get("/admin/").status_code == 200


def test_a_code_cannot_be_used_twice(client):
    editor = user_with_role(EDITOR, username="desk")
    device = TOTPDevice.objects.create(user=editor, name="phone")
    code = code_for(device)
    log_in(client, "desk")
    assert client.post(VERIFY, {"token": code}).status_code == 302
    client.logout()

    log_in(client, "desk")
    assert client.post(VERIFY, {"token": code}).status_code == 200
    assert client.get("/admin/").status_code == 302


def test_repeated_wrong_codes_are_throttled(client):
    editor = user_with_role(EDITOR, username="desk")
    device = TOTPDevice.objects.create(user=editor, name="phone")
    log_in(client, "desk")
    with time_machine.travel(MONDAY_MORNING, tick=False):
        for _ in range(3):
            client.post(VERIFY, {"token": "000000"})

        refused = client.post(VERIFY, {"token": code_for(device)})

    assert refused.status_code == 200
    assert "Too many wrong codes" in refused.content.decode()
    assert client.get("/admin/").status_code == 302


def test_the_next_address_never_leaves_the_site(client):
    editor = user_with_role(EDITOR, username="desk")
    device = TOTPDevice.objects.create(user=editor, name="phone")
    log_in(client, "desk")

    response = client.post(VERIFY + "?next=https://evil.example/", {"token": code_for(device)})

    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_an_editor_without_a_device_enrols_with_the_qr_code_and_a_first_code(client):
    editor = user_with_role(EDITOR, username="desk")
    log_in(client, "desk")

    assert client.get("/admin/")["Location"] == f"{VERIFY}?next=/admin/"
    to_enrol = client.get(f"{VERIFY}?next=/admin/")
    assert to_enrol.status_code == 302 and to_enrol["Location"] == f"{ENROL}?next=/admin/"

    page = client.get(to_enrol["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert re.search(r'<img[^>]+src="data:image/svg\+xml;', html)
    assert "style=" not in html and "<script>" not in html  # the CSP allows neither
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', html).group(1)
    device = TOTPDevice.objects.get(user=editor)
    assert b32decode(secret.replace(" ", "")) == device.bin_key
    assert not device.confirmed
    assert client.get(ENROL).content.decode().count(secret) == 1  # same secret on reload
    assert client.get("/admin/").status_code == 302  # an unconfirmed device proves nothing

    with time_machine.travel(MONDAY_MORNING, tick=False) as clock:
        assert client.post(ENROL, {"token": "000000"}).status_code == 200
        device.refresh_from_db()
        assert not device.confirmed

        clock.shift(timedelta(seconds=2))
        confirmed = client.post(f"{ENROL}?next=/admin/", {"token": code_for(device)})
        assert confirmed.status_code == 302 and confirmed["Location"] == "/admin/"
        device.refresh_from_db()
        assert device.confirmed
        assert client.get("/admin/").status_code == 200


def test_a_password_alone_cannot_enrol_a_second_device(client):
    """Otherwise whoever stole the password would add their own phone and walk in."""
    editor = user_with_role(EDITOR, username="desk")
    TOTPDevice.objects.create(user=editor, name="phone")
    log_in(client, "desk")

    response = client.get(ENROL)

    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert client.post(ENROL, {"token": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=editor).count() == 1


def test_a_journalist_reaches_the_admin_without_a_code(client):
    user_with_role(JOURNALIST, username="reporter")
    log_in(client, "reporter")

    assert client.get("/admin/").status_code == 200


def test_a_superuser_needs_a_code(client):
    UserFactory(username="root", is_superuser=True)
    log_in(client, "root")

    assert client.get("/admin/").status_code == 302


def test_logging_out_needs_no_code(client):
    user_with_role(EDITOR, username="desk")
    log_in(client, "desk")

    response = client.post(reverse("admin:logout"))

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_journalist_who_enrols_by_choice_is_asked_for_the_code_from_then_on(client):
    reporter = user_with_role(JOURNALIST, username="reporter")
    log_in(client, "reporter")
    assert 'href="/staff/two-factor/enrol/"' in client.get("/admin/").content.decode()
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=reporter)
    assert client.post(ENROL, {"token": code_for(device)}).status_code == 302
    client.logout()

    with time_machine.travel(timedelta(minutes=1)):
        log_in(client, "reporter")
        assert client.get("/admin/").status_code == 302
        assert client.post(VERIFY, {"token": code_for(device)}).status_code == 302
        assert client.get("/admin/").status_code == 200


def test_locally_nobody_is_required_to_use_a_code(client, settings):
    settings.OTP_REQUIRED_ROLES = []
    UserFactory(username="root", is_superuser=True)
    log_in(client, "root")

    assert client.get("/admin/").status_code == 200


def test_a_photo_original_needs_the_code_like_the_admin(client):
    """Originals carry GPS and camera data: staff-only, so behind the same code as the admin."""
    editor = user_with_role(EDITOR, username="desk")
    device = TOTPDevice.objects.create(user=editor, name="phone")
    photo = PhotoFactory()
    original = f"/uploads/{photo.image.name}"
    log_in(client, "desk")

    response = client.get(original)
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next={original}"

    client.post(VERIFY, {"token": code_for(device)})
    assert client.get(original).status_code == 200
