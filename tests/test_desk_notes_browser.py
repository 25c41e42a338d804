"""In a real browser: adding a note keeps what is typed but unsaved in the article form."""

import tempfile

import pytest
from django.db import connections

from articles import roles
from articles.models import Article
from desk.models import Note

from .factories import DraftArticleFactory, UserFactory
from .test_workflow_browser import CHROMIUM_ARGS, PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path="/usr/bin/chromium",
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(15_000)
        yield context
        connections.close_all()
        context.close()


def test_a_note_is_posted_in_place_and_the_unsaved_story_edits_stay(browser, live_server):
    page, base = browser.new_page(), live_server.url
    UserFactory(username="editor", password=PASSWORD, roles=[roles.EDITOR])
    reporter = UserFactory(username="anna", password=PASSWORD, roles=[roles.JOURNALIST])
    UserFactory(username="lawyer", password=PASSWORD, roles=[roles.LEGAL])
    story = DraftArticleFactory(headline="Harbour bridge reopens", created_by=reporter)
    log_in(page, base, "editor")
    page.goto(f"{base}/admin/articles/article/{story.pk}/change/")
    url = page.url

    page.fill("#id_headline", "Harbour bridge reopens to trams")  # typed, not saved
    page.fill("#id_note-text", "@anna one more quote, please. And @lawyer?")
    page.click(".note-form input[type=submit]")

    page.wait_for_selector(".note__mention")
    assert page.url == url  # never left the page
    assert page.input_value("#id_headline") == "Harbour bridge reopens to trams"
    assert page.inner_text(".note-form__status") == "Your note was added."
    assert "@lawyer cannot open this story" in page.inner_text(".editorial-notes__feedback")
    assert page.inner_text("[data-note-count-link]").lower() == "notes (1)"
    assert Note.objects.get().text == "@anna one more quote, please. And @lawyer?"
    assert Article.objects.get(pk=story.pk).headline == "Harbour bridge reopens"

    # A refused note keeps its text; the story form is untouched and still saves.
    page.fill("#id_note-text", "Bad\x0bcharacter")
    page.click(".note-form input[type=submit]")
    page.wait_for_selector(".note-form .errorlist")
    assert page.input_value("#id_note-text") == "Bad\x0bcharacter"
    page.click(".submit-row input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    assert Article.objects.get(pk=story.pk).headline == "Harbour bridge reopens to trams"

    # At 390 px the thread fits the screen.
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{base}/admin/articles/article/{story.pk}/change/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
