"""The editorial journey in a real browser: write, submit, schedule, and the reader sees it on time.

Screenshots of every step go to test-artifacts/e2e/.
"""

import datetime as dt
import tempfile
from pathlib import Path

import pytest
import time_machine
from django.db import connections
from django.utils import timezone

from articles import roles
from articles.models import Article
from media.models import Photo

from .factories import AuthorFactory, NoticeFactory, SectionFactory, UserFactory, jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "e2e"
PASSWORD = "correct horse battery staple"
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


@pytest.fixture
def browser_page(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM
    # calls are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path="/usr/bin/chromium",
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        yield page
        # While Playwright's loop runs, Django keeps this thread's connection in a
        # context-local slot; close it here or it holds the test database open.
        connections.close_all()
        context.close()


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")


def log_out(page):
    page.click("#logout-form button")
    page.wait_for_selector("text=Logged out")


def pick_autocomplete(page, select_id, text):
    """Choose an option in one of the admin's select2 autocomplete widgets."""
    page.click(f"#{select_id} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")


def test_journalist_writes_editor_schedules_reader_sees_it_on_time(
    browser_page, live_server, tmp_path
):
    page, base = browser_page, live_server.url
    NoticeFactory()
    SectionFactory(name="City", slug="city")
    journalist = UserFactory(username="reporter", password=PASSWORD, roles=[roles.JOURNALIST])
    UserFactory(username="editor", password=PASSWORD, roles=[roles.EDITOR])
    AuthorFactory(name="Anna Nowak", slug="anna-nowak", user=journalist)
    photo_file = tmp_path / "tram.jpg"
    photo_file.write_bytes(jpeg_bytes(1200, 750, color=(30, 90, 140)))

    # 1. The journalist uploads a photo with its credit.
    log_in(page, base, "reporter")
    page.goto(f"{base}/admin/media/photo/add/")
    page.set_input_files("#id_image", str(photo_file))
    page.fill("#id_alt_text", "A blue tram crossing the old bridge")
    page.fill("#id_caption", "The first tram crosses the bridge.")
    page.fill("#id_agency", "PAP")
    page.fill("#id_photographer", "Viktor Kovalchuk")
    shot(page, "01-journalist-uploads-photo")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    # 2. ...writes the article; the slug fills itself from the headline.
    page.goto(f"{base}/admin/articles/article/add/")
    page.select_option("#id_section", label="City")
    page.locator("#id_headline").press_sequentially("Trams return to the old bridge")
    assert page.input_value("#id_slug") == "trams-return-to-the-old-bridge"
    page.fill("#id_lead", "After two years of repairs the bridge carries trams again.")
    page.fill("#id_body", "The first tram crossed at dawn.\n\n## Timetable\n\nEvery ten minutes.")
    page.fill("#id_tags", "transport, bridge")
    # The photo picker is a raw-id field with a thumbnail preview (media.admin.PhotoPickerMixin).
    photo = Photo.objects.get(alt_text="A blue tram crossing the old bridge")
    page.fill("#id_lead_photo", str(photo.pk))
    page.dispatch_event("#id_lead_photo", "change")
    pick_autocomplete(page, "id_bylines-0-author", "Anna Nowak")
    shot(page, "02-journalist-writes-article")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    article = Article.objects.get(slug="trams-return-to-the-old-bridge")
    assert article.status == Article.Status.DRAFT
    assert page.locator(".workflow-button--publish").count() == 0

    # 3. ...and submits it for review.
    page.click(".workflow-button--submit")
    page.fill("#id_comment", "Ready for the desk.")
    shot(page, "03-journalist-submits")
    page.click("input[name=_confirm]")
    page.wait_for_selector(".messagelist .success")
    shot(page, "04-submitted-read-only-for-journalist")
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    assert page.locator("#id_headline").count() == 0  # no longer editable by its writer
    log_out(page)

    # 4. The editor schedules it for 09:00 tomorrow, newsroom time.
    go_live = (timezone.localtime() + dt.timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    log_in(page, base, "editor")
    page.goto(f"{base}/admin/articles/article/{article.pk}/change/")
    page.click(".workflow-button--schedule")
    page.fill("#id_at_0", go_live.strftime("%Y-%m-%d"))
    page.fill("#id_at_1", "09:00:00")
    shot(page, "05-editor-schedules")
    page.click("input[name=_confirm]")
    page.wait_for_selector(".messagelist .success")
    assert page.locator(".badge--scheduled").count() == 1
    shot(page, "06-editor-sees-scheduled-article")
    page.goto(f"{base}/admin/articles/article/")
    assert page.locator("#result_list .badge--scheduled").count() == 1
    shot(page, "06b-editor-article-list")
    page.goto(f"{base}/admin/articles/article/scheduled/")
    assert page.locator("text=Trams return to the old bridge").count() == 1
    shot(page, "07-editor-scheduled-in-the-coming-days")
    log_out(page)
    article.refresh_from_db()
    assert article.published_at == go_live

    # 5. A reader: nothing before the time, the article when it comes. The server runs
    # in this process, so time-machine moves its clock too; no command runs between.
    url = f"{base}{article.get_absolute_url()}"
    with time_machine.travel(go_live - dt.timedelta(seconds=3), tick=True):
        assert page.goto(url).status == 404
        page.goto(f"{base}/")
        assert page.locator("text=Trams return to the old bridge").count() == 0
        shot(page, "08-reader-home-before-go-live")
    with time_machine.travel(go_live, tick=True):
        assert page.goto(url).status == 200
        assert page.locator("h1").inner_text() == "Trams return to the old bridge"
        assert page.locator("img[alt='A blue tram crossing the old bridge']").count() == 1
        shot(page, "09-reader-article-at-go-live")
        page.goto(f"{base}/")
        assert page.locator("text=Trams return to the old bridge").count() >= 1
        shot(page, "10-reader-home-at-go-live")
