"""A writer's tools in a real browser: the live counts, the Markdown toolbar and its
shortcuts, the fallbacks shown in the empty overrides; and a writer withdrawing a story
they submitted. Screenshots go to test-artifacts/e2e/."""

import pytest

from articles import roles
from articles.models import Article

from .factories import DraftArticleFactory, UserFactory
from .test_workflow_browser import PASSWORD, browser_page, log_in, shot  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def select(page, selector, start, end):
    page.eval_on_selector(
        selector, f"area => {{ area.focus(); area.setSelectionRange({start}, {end}); }}"
    )


def value(page, selector):
    return page.input_value(selector)


@pytest.fixture
def writer_and_draft():
    writer = UserFactory(username="reporter", password=PASSWORD, roles=[roles.JOURNALIST])
    draft = DraftArticleFactory(
        headline="Ferries return",
        lead="Every route runs again from Monday.",
        body="Start",
        created_by=writer,
    )
    return writer, draft


def test_the_counts_follow_the_typing_and_the_toolbar_writes_markdown(
    browser_page,  # noqa: F811
    live_server,
    writer_and_draft,
):
    page, base = browser_page, live_server.url
    _, draft = writer_and_draft
    problems = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    log_in(page, base, "reporter")
    page.goto(f"{base}/admin/articles/article/{draft.pk}/change/")

    # The headline's count, live, and past the 110 characters of structured data.
    assert page.inner_text("#id_headline_count") == "14 / 110 characters"
    page.focus("#id_headline")
    page.keyboard.press("End")
    page.keyboard.type(" to the islands")
    assert page.inner_text("#id_headline_count") == "29 / 110 characters"
    assert page.get_attribute("#id_seo_title", "placeholder") == "Ferries return to the islands"
    page.fill("#id_headline", "Ferries " * 15)
    assert page.inner_text("#id_headline_count") == "120 / 110 characters"
    assert "writer-count--over" in page.get_attribute("#id_headline_count", "class")
    page.fill("#id_headline", "Ferries return to the islands")
    page.fill("#id_seo_title", "Ferry timetable")
    assert page.get_attribute("#id_social_title", "placeholder") == "Ferry timetable"

    # Bold by shortcut on a selection, and Ctrl+Z takes it back.
    body = "#id_body"
    page.fill(body, "The first ferry left at dawn")
    select(page, body, 4, 9)
    page.keyboard.press("Control+b")
    assert value(page, body) == "The **first** ferry left at dawn"
    page.keyboard.press("Control+z")
    assert value(page, body) == "The first ferry left at dawn"
    # Italic from the toolbar, then again to take it off.
    select(page, body, 10, 15)
    page.click(".writer-toolbar__button--italic")
    assert value(page, body) == "The first *ferry* left at dawn"
    page.click(".writer-toolbar__button--italic")
    assert value(page, body) == "The first ferry left at dawn"
    # A link: the address is selected, ready to type over.
    select(page, body, 24, 28)
    page.keyboard.press("Control+k")
    page.keyboard.type("https://example.com/port")
    assert value(page, body) == "The first ferry left at [dawn](https://example.com/port)"
    # Subheading, quote and list start their own block.
    page.eval_on_selector(
        body,
        "area => { area.focus(); area.setSelectionRange(area.value.length, area.value.length); }",
    )
    page.keyboard.type("\nTimetable")
    page.click(".writer-toolbar__button--heading")
    page.keyboard.press("End")
    page.keyboard.type("\n\nEvery ten minutes\nUntil midnight")
    page.eval_on_selector(
        body, "area => area.setSelectionRange(area.value.length - 30, area.value.length)"
    )
    page.click(".writer-toolbar__button--list")
    assert value(page, body) == (
        "The first ferry left at [dawn](https://example.com/port)\n\n## Timetable\n\n"
        "- Every ten minutes\n- Until midnight"
    )
    # Words and reading time follow; the link's address is not a word.
    live_stats = page.inner_text("#id_body_stats")
    assert live_stats == "12 words · 1 min read"
    # The toolbar is one tab stop; the arrow keys move along it.
    page.focus(".writer-toolbar__button--bold")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.textContent") == "I"
    shot(page, "writer-tools-form")

    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    # The server counts the saved body as the script did.
    assert page.inner_text("#id_body_stats") == live_stats
    saved = Article.objects.get(pk=draft.pk)
    assert saved.seo_title == "Ferry timetable"
    assert "<h2>Timetable</h2>" in saved.body_html and "<li>Until midnight</li>" in saved.body_html
    assert not [text for text in problems if "Content Security Policy" in text]


def test_a_writer_withdraws_a_submitted_story(
    browser_page,  # noqa: F811
    live_server,
    writer_and_draft,
):
    page, base = browser_page, live_server.url
    UserFactory(username="editor", password=PASSWORD, roles=[roles.EDITOR])
    _, draft = writer_and_draft
    log_in(page, base, "reporter")
    page.goto(f"{base}/admin/articles/article/{draft.pk}/change/")
    page.click(".workflow-button--submit")
    page.click("input[name=_confirm]")
    page.wait_for_selector(".messagelist .success")
    assert page.locator("#id_headline").count() == 0  # the desk's now

    page.click("text=Preview")
    assert page.locator("h1.article__headline").inner_text() == "Ferries return"
    page.go_back()
    page.click(".workflow-button--withdraw")
    page.fill("#id_comment", "A source has gone quiet.")
    shot(page, "writer-withdraws")
    page.click("input[name=_confirm]")
    page.wait_for_selector(".messagelist .success")

    assert page.locator("#id_headline").count() == 1  # theirs to write again
    assert page.locator(".badge--draft").count() == 1
    assert page.locator("td:has-text('Withdrawn to draft')").count() == 1
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT
