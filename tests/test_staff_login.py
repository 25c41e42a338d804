"""Staff sign-in: failed passwords lock a login for a cool-off, sessions last a working day."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from articles.roles import EDITOR

from .factories import user_with_role

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
MONDAY_MORNING = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def log_in(client, username, password=PASSWORD, **meta):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        **meta,
    )


def logged_in(client):
    return "_auth_user_id" in client.session


def test_twenty_wrong_passwords_lock_the_login_until_the_cool_off_has_passed(client):
    user_with_role(EDITOR, username="desk")
    with time_machine.travel(MONDAY_MORNING, tick=False) as clock:
        for _ in range(20):
            log_in(client, "desk", "not-the-password")

        response = log_in(client, "desk")

        assert response.status_code == 429
        assert not logged_in(client)
        html = response.content.decode()
        assert "Too many failed attempts" in html
        assert "try again in 15 minutes" in html
        assert 'id="site-name"' in html  # the admin's own page, not a bare error

        clock.shift(timedelta(minutes=14))
        assert log_in(client, "desk").status_code == 429
        # A refused attempt during the lockout starts the cool-off again.
        clock.shift(timedelta(minutes=16))
        response = log_in(client, "desk")

        assert response.status_code == 302 and response["Location"] == "/admin/"
        assert logged_in(client)


def test_the_lockout_starts_at_the_fifth_failure(client):
    user_with_role(EDITOR, username="desk")
    for _ in range(4):
        assert log_in(client, "desk", "not-the-password").status_code == 200
    assert log_in(client, "desk", "not-the-password").status_code == 429


def test_a_successful_login_clears_earlier_failures(client):
    user_with_role(EDITOR, username="desk")
    for _ in range(4):
        log_in(client, "desk", "not-the-password")
    assert log_in(client, "desk").status_code == 302
    client.logout()
    for _ in range(4):
        log_in(client, "desk", "not-the-password")
    assert log_in(client, "desk").status_code == 302


def test_a_lockout_holds_one_username_from_one_address_only(client):
    """Per username and address: a stranger guessing an editor's password cannot lock the
    editor out of the newsroom, and one locked login does not lock the others."""
    user_with_role(EDITOR, username="desk")
    user_with_role(EDITOR, username="night-desk")
    for _ in range(5):
        log_in(client, "desk", "not-the-password", REMOTE_ADDR="203.0.113.9")

    assert log_in(client, "desk", REMOTE_ADDR="203.0.113.9").status_code == 429
    assert log_in(client, "night-desk", REMOTE_ADDR="203.0.113.9").status_code == 302
    client.logout()
    assert log_in(client, "desk", REMOTE_ADDR="198.51.100.7").status_code == 302


def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_escape_the_lockout(
    client, settings
):
    settings.TRUSTED_PROXY_COUNT = 0
    user_with_role(EDITOR, username="desk")
    for attempt in range(5):
        log_in(client, "desk", "not-the-password", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}")

    assert log_in(client, "desk", HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


def test_behind_a_trusted_proxy_each_reader_address_is_locked_out_on_its_own(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user_with_role(EDITOR, username="desk")
    # The proxy appends the address it saw; anything before it is the client's own claim.
    for _ in range(5):
        log_in(client, "desk", "not-the-password", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.9")

    assert log_in(client, "desk", HTTP_X_FORWARDED_FOR="10.1.1.1, 203.0.113.9").status_code == 429
    assert log_in(client, "desk", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302


def test_addresses_of_one_ipv6_network_count_as_one_address(client):
    """An IPv6 client usually holds a whole /64: a new address for each guess is free."""
    user_with_role(EDITOR, username="desk")
    for guess in range(5):
        log_in(client, "desk", f"guess-{guess}", REMOTE_ADDR=f"2001:db8:1:2::{guess + 1:x}")

    assert log_in(client, "desk", REMOTE_ADDR="2001:db8:1:2:ffff:ffff:ffff:ffff").status_code == 429
    # Another network is another address.
    assert log_in(client, "desk", REMOTE_ADDR="2001:db8:1:3::1").status_code == 302


def test_many_failures_for_one_username_from_any_addresses_lock_that_username(client, settings):
    """Guesses spread over many addresses (a botnet) still add up, to a higher limit:
    LOGIN_USERNAME_FAILURE_LIMIT (20) per username from anywhere within the cool-off."""
    assert settings.LOGIN_USERNAME_FAILURE_LIMIT == 20
    user_with_role(EDITOR, username="desk")
    user_with_role(EDITOR, username="night-desk")
    with time_machine.travel(MONDAY_MORNING, tick=False) as clock:
        for address in range(5):
            for guess in range(4):  # under the per-address limit of 5 everywhere
                log_in(client, "desk", f"guess-{guess}", REMOTE_ADDR=f"198.51.100.{address}")
        # 20 failures: the username is locked wherever the next attempt comes from.
        assert log_in(client, "desk", REMOTE_ADDR="203.0.113.50").status_code == 429
        assert not logged_in(client)
        assert log_in(client, "night-desk", REMOTE_ADDR="203.0.113.50").status_code == 302
        client.logout()

        clock.shift(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
        assert log_in(client, "desk", REMOTE_ADDR="203.0.113.50").status_code == 302


def test_nineteen_failures_from_many_addresses_do_not_lock_the_username(client):
    user_with_role(EDITOR, username="desk")
    for address in range(19):
        log_in(client, "desk", "not-the-password", REMOTE_ADDR=f"198.51.100.{address}")

    assert log_in(client, "desk", REMOTE_ADDR="203.0.113.50").status_code == 302


def test_a_staff_session_lasts_a_working_day(client):
    user_with_role(EDITOR, username="desk")
    response = log_in(client, "desk")

    assert response.status_code == 302
    assert response.cookies["sessionid"]["max-age"] == 10 * 60 * 60


def deploy_check_ids():
    from django.core import checks

    return {message.id for message in checks.run_checks(include_deployment_checks=True)}


def test_the_deploy_check_warns_when_no_proxy_is_trusted(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert "staff.W001" in deploy_check_ids()

    settings.TRUSTED_PROXY_COUNT = 1
    assert "staff.W001" not in deploy_check_ids()
