"""Deployment checks (`manage.py check --deploy`) for staff sign-in."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def trusted_proxy_count(app_configs, **kwargs):
    """The documented deployment puts a TLS proxy in front of the app (docs/deploy.md).
    With TRUSTED_PROXY_COUNT at 0 behind it, every login comes from the proxy's address:
    one stranger's failures lock that username for everyone, and the per-address lockout
    protects nothing. The app cannot see a proxy, so this only asks; an install that
    really takes connections directly silences it (SILENCED_SYSTEM_CHECKS)."""
    if settings.TRUSTED_PROXY_COUNT:
        return []
    return [
        checks.Warning(
            "TRUSTED_PROXY_COUNT is 0: behind a reverse proxy every login shares the "
            "proxy's address, so the login lockout cannot tell guessers from editors, "
            "and HTTPS is not recognised.",
            hint="Set TRUSTED_PROXY_COUNT to the number of proxies in front of the app "
            "(1 behind one Caddy or nginx). If clients connect to the app directly, add "
            "'staff.W001' to SILENCED_SYSTEM_CHECKS.",
            id="staff.W001",
        )
    ]
