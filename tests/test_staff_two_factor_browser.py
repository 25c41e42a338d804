"""Setting up two-factor sign-in in a real browser, under the site's Content Security Policy."""

from base64 import b32decode

import pytest
from django_otp.oath import totp

from articles import roles

from .factories import UserFactory
from .test_workflow_browser import PASSWORD, browser_page, shot  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_scans_the_qr_code_and_enters_the_admin_with_a_code(
    browser_page,  # noqa: F811
    live_server,
    settings,
):
    settings.OTP_REQUIRED_ROLES = ["superuser", roles.EDITOR]
    page, base = browser_page, live_server.url
    UserFactory(username="editor", password=PASSWORD, roles=[roles.EDITOR])
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#totp-secret")

    assert page.url == f"{base}/staff/two-factor/enrol/?next=/admin/"
    qr_shown = "img => img.complete && img.naturalWidth > 100"
    assert page.eval_on_selector("img[alt^='QR code']", qr_shown)
    shot(page, "two-factor-enrol")
    secret = b32decode(page.inner_text("#totp-secret").replace(" ", ""))
    page.fill("#id_token", f"{totp(secret):06d}")
    page.click("input[type=submit]")
    page.wait_for_selector("#content-related .app-articles")  # the admin home, beside the desk

    assert page.url == f"{base}/admin/"
    assert blocked == []
