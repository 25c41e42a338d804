"""Lighthouse's SEO audit of an article page: at least 92, every audit passed but one.

The one that fails on purpose is `robots-txt`: Lighthouse does not know the two AI-preference
lines (`Content-Usage`, `Content-Signal`) that robots.txt carries for the publisher's text and
data mining reservation (legal/robots.py), and they stay. Everything else, the notice's
"here" link among it (`link-text`), must pass.

Lighthouse is pinned in package.json (12.2.3: 13 needs Node 22) and runs Debian's Chromium
(CHROME_PATH). Skipped without them, unless REQUIRE_BROWSER=1.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from .test_site_quality import CHROMIUM, site_pages, uploads_served  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIGHTHOUSE = Path(settings.BASE_DIR) / "node_modules" / ".bin" / "lighthouse"
SEO_FLOOR = 0.92
# The AI-preference lines Lighthouse's robots.txt parser does not know; deliberate.
DELIBERATE_ROBOTS_LINES = {"Content-Usage", "Content-Signal"}


@pytest.fixture(autouse=True)
def lighthouse_available():
    missing = [str(p) for p in (LIGHTHOUSE, Path(CHROMIUM)) if not p.exists()]
    if missing:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but missing: {', '.join(missing)}")
        pytest.skip(f"missing: {', '.join(missing)} (npm ci installs Lighthouse)")


def lighthouse(url, tmp_path):
    report = tmp_path / "lighthouse.json"
    subprocess.run(  # noqa: S603 (our pinned tool, our live server)
        [
            str(LIGHTHOUSE),
            url,
            "--only-categories=seo",
            "--output=json",
            f"--output-path={report}",
            "--quiet",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        timeout=120,
        check=True,
    )
    return json.loads(report.read_text())


def test_an_article_page_scores_at_least_92_for_seo(
    live_server,
    site_pages,  # noqa: F811
    settings,
    tmp_path,
):
    # The canonical URL and every absolute link name the site being audited.
    settings.SITE_URL = live_server.url

    result = lighthouse(live_server.url + site_pages["article"], tmp_path)

    score = result["categories"]["seo"]["score"]
    audits = result["audits"]
    failed = sorted(
        audit_id
        for audit_id, audit in audits.items()
        if audit.get("score") is not None and audit["score"] < 1
    )
    assert failed == ["robots-txt"], failed
    unknown = {item["line"].split(":")[0] for item in audits["robots-txt"]["details"]["items"]}
    assert unknown == DELIBERATE_ROBOTS_LINES
    assert audits["link-text"]["score"] == 1
    assert score >= SEO_FLOOR, score
