"""Each role's desk in a real browser: nothing wider than a phone, nothing axe objects to."""

import pytest
from django.utils import timezone

from .desk_newsroom import crowd, draft, people
from .test_site_quality import AXE, AXE_TAGS
from .test_workflow_browser import browser_page, log_in, log_out  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROLES = {"journalist": "anna", "editor": "dana", "photo_editor": "pia", "legal": "lee"}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_every_desk_fits_a_phone_and_passes_axe(browser_page, live_server):  # noqa: F811
    page, base = browser_page, live_server.url
    who = people()
    crowd([who["journalist"], who["colleague"]], who["editor"], per_state=3, now=timezone.now())
    draft(
        "A headline long enough to wrap twice on a phone: the council's unanimously-agreed "
        "harbour-front redevelopment plan",
        who["journalist"],
    )
    for role, username in ROLES.items():
        log_in(page, base, username)
        for width, height in ((1280, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(f"{base}/admin/")
            assert page.locator(".desk-queue").count() > 0, role
            assert page.evaluate(OVERFLOW) == 0, (role, width)
        assert axe_violations(page) == [], role
        log_out(page)


def axe_violations(page):
    """axe's findings inside the desk. A script tag would be an inline script, which the
    admin's CSP rightly refuses; Playwright evaluates axe's source through the DevTools
    protocol instead, which CSP does not govern."""
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run({include: ['.desk']}, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [f"{v['id']}: {v['help']}" for v in result["violations"]]
