"""Every public page type, checked in a real browser and by the W3C validator.

- axe-core (npm, pinned in package.json) in headless Chromium, light and dark, desktop
  and phone widths: zero WCAG 2.2 A/AA and best-practice violations.
- The Nu HTML Checker (npm `vnu-jar`, run on the machine's Java): zero errors.
- No console errors, in particular no Content-Security-Policy violations.

Skipped when Chromium, Java or node_modules are missing, unless REQUIRE_BROWSER=1
(as in .ci/run) turns that into a failure. Install the checkers with
scripts/install-check-tools.
"""

import json
import os
import shutil
import subprocess
import tempfile
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from .factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    HomepageSlotFactory,
    NoticeFactory,
    PhotoFactory,
    SectionFactory,
    jpeg_bytes,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(settings.BASE_DIR)
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def missing_tools():
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append("chromium")
    if not shutil.which("java"):
        missing.append("java")
    if not AXE.exists() or not VNU.exists():
        missing.append("node_modules (run scripts/install-check-tools)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("playwright")
    return missing


@pytest.fixture(autouse=True)
def checkers_available():
    missing = missing_tools()
    if missing:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but missing: {', '.join(missing)}")
        pytest.skip(f"missing: {', '.join(missing)}")


@pytest.fixture
def uploads_served(monkeypatch):
    """The upload route captured MEDIA_ROOT at import; point it at this test's folder."""
    from newsroom import urls

    for pattern in urls.urlpatterns:
        if getattr(pattern, "name", None) == "upload":
            monkeypatch.setitem(pattern.default_args, "document_root", settings.MEDIA_ROOT)


def photo(alt):
    from django.core.files.base import ContentFile

    return PhotoFactory(
        image=ContentFile(jpeg_bytes(640, 400, color=(40, 90, 140)), name="p.jpg"), alt_text=alt
    )


@pytest.fixture
def site_pages(uploads_served):
    """A small but complete site; returns the paths of one page of each type."""
    NoticeFactory()
    news = SectionFactory(name="News", slug="news", position=0)
    culture = SectionFactory(name="Culture", slug="culture", position=1)
    author = AuthorFactory(
        name="Anna Nowak",
        slug="anna-nowak",
        job_title="Senior reporter",
        bio="Anna covers the harbour and the city council.",
        photo=photo("Portrait of Anna Nowak"),
    )
    now = timezone.now()
    articles = []
    for n in range(12):
        article = ArticleFactory(
            headline=f"Harbour story number {n} with a headline of usual length",
            slug=f"harbour-story-{n}",
            section=news if n % 2 else culture,
            lead_photo=photo(f"Ferries in the harbour, picture {n}") if n % 3 else None,
            tags=["harbour", "transport"],
            published_at=now - timedelta(hours=n + 1),
            body=(
                "Opening paragraph with a [link](https://example.org/).\n\n"
                "## What changes\n\n- one\n- two\n\n> A quote.\n\nClosing paragraph."
            ),
        )
        BylineFactory(article=article, author=author)
        articles.append(article)
    HomepageSlotFactory(position=1, article=articles[4])
    paths = {
        "home": "/",
        "section": "/news/",
        "tag": "/tag/harbour/",
        "author": "/author/anna-nowak/",
        "article": articles[4].get_absolute_url(),
        "article-no-photo": articles[3].get_absolute_url(),
        "archive": "/archive/",
        "archive-month": f"/archive/{timezone.localtime(now):%Y/%m}/",
        "not-found": "/news/no-such-story/",
        "search": "/search/?q=harbour",
    }
    return paths


def fetch(url):
    try:
        with urllib.request.urlopen(url) as response:  # noqa: S310 (the live server)
            return response.read()
    except urllib.error.HTTPError as error:  # the 404 page is a page too
        return error.read()


def test_every_page_type_passes_the_html_validator(live_server, site_pages):
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for name, path in site_pages.items():
            target = Path(folder) / f"{name}.html"
            target.write_bytes(fetch(live_server.url + path))
            files.append(str(target))
        result = subprocess.run(  # noqa: S603 (our own files)
            ["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always", *files],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] in {"error", "non-document-error"}
    ]
    assert errors == []


def test_pages_load_without_console_errors_or_csp_violations(live_server, site_pages):
    from playwright.sync_api import sync_playwright

    errors = {}
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        browser = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        for name, path in site_pages.items():
            page = browser.new_page()
            seen = []
            page.on("console", lambda m, seen=seen: m.type == "error" and seen.append(m.text))
            page.on("pageerror", lambda e, seen=seen: seen.append(str(e)))
            page.goto(live_server.url + path, wait_until="networkidle")
            # Lazy images below the fold load too.
            page.mouse.wheel(0, 20000)
            page.wait_for_load_state("networkidle")
            expected_404 = name == "not-found"
            seen = [s for s in seen if not (expected_404 and "404" in s)]
            if seen:
                errors[name] = seen
            page.close()
        browser.close()
    assert errors == {}


@pytest.mark.parametrize(
    "variant",
    [
        {"color_scheme": "light", "viewport": {"width": 1280, "height": 900}},
        {"color_scheme": "dark", "viewport": {"width": 1280, "height": 900}},
        {"color_scheme": "light", "viewport": {"width": 390, "height": 844}},
    ],
    ids=["desktop-light", "desktop-dark", "phone-light"],
)
def test_axe_finds_no_accessibility_violations(live_server, site_pages, variant):
    from playwright.sync_api import sync_playwright

    violations = {}
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        # Injecting axe needs an inline script, which the site's CSP rightly forbids.
        browser = p.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            bypass_csp=True,
            **variant,
        )
        page = browser.new_page()
        for name, path in site_pages.items():
            page.goto(live_server.url + path, wait_until="networkidle")
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
            )
            found = [
                f"{v['id']} ({v['impact']}): {v['help']} at "
                + ", ".join(str(node["target"]) for node in v["nodes"][:3])
                for v in result["violations"]
            ]
            if found:
                violations[name] = found
        browser.close()
    assert violations == {}
