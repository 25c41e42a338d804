"""Nothing typed is lost, in a real browser: autosave survives a closed tab, leaving with
unsaved changes asks first, a workflow button saves first, the live preview follows typing.

Screenshots go to test-artifacts/e2e/ (autosave-*.png).
"""

import re

import pytest
from playwright.sync_api import expect

from articles import roles
from articles.models import Article, ArticleAutosave

from .factories import DraftArticleFactory, NoticeFactory, SectionFactory, UserFactory
from .test_workflow_browser import browser_page, log_in, shot  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
KEPT = re.compile(r"Unsaved changes kept at \d{1,2}:\d\d [AP]M E[SD]T\.")


@pytest.fixture
def story():
    NoticeFactory()
    journalist = UserFactory(username="reporter", password=PASSWORD, roles=[roles.JOURNALIST])
    return DraftArticleFactory(
        headline="Ferry timetable changes",
        slug="ferry-timetable-changes",
        body="The saved body.",
        created_by=journalist,
    )


def change_url(base, article):
    return f"{base}/admin/articles/article/{article.pk}/change/"


def type_into(page, selector, text):
    """Click and type key by key, as a person does (a click is the page's user activation,
    without which Chromium never asks before leaving)."""
    page.click(selector)
    page.keyboard.press("End")
    page.keyboard.type(text)


def test_an_autosave_survives_a_closed_tab_and_is_offered_back(
    browser_page,  # noqa: F811
    live_server,
    story,
):
    page, base = browser_page, live_server.url
    log_in(page, base, "reporter")
    page.goto(change_url(base, story))
    type_into(page, "#id_body", " Typed at deadline, then the tab was closed.")
    expect(page.locator(".autosave__status")).to_have_text(KEPT)
    context = page.context
    page.close()

    page = context.new_page()
    page.goto(change_url(base, story))
    offer = page.locator(".autosave-offer")
    expect(offer).to_contain_text(
        re.compile(r"Restore your unsaved changes from \d{1,2}:\d\d [AP]M E[SD]T")
    )
    expect(page.locator("#id_body")).to_have_value("The saved body.")
    shot(page, "autosave-01-offered-after-closed-tab")
    page.click(".autosave-offer__restore")
    expect(page.locator("#id_body")).to_have_value(
        "The saved body. Typed at deadline, then the tab was closed."
    )
    shot(page, "autosave-02-restored")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    story.refresh_from_db()
    assert story.body == "The saved body. Typed at deadline, then the tab was closed."
    assert not ArticleAutosave.objects.exists()


def test_leaving_with_unsaved_changes_asks_first_and_saving_does_not(
    browser_page,  # noqa: F811
    live_server,
    story,
):
    page, base = browser_page, live_server.url
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    log_in(page, base, "reporter")
    page.goto(change_url(base, story))
    page.goto(f"{base}/admin/")  # nothing typed: leaves without a word
    assert dialogs == []

    page.goto(change_url(base, story))
    type_into(page, "#id_headline", " tonight")
    # Kept on the server before leaving, so the next visit has it on offer whatever the
    # machine's load (the copy sent while the page unloads may land after that visit).
    expect(page.locator(".autosave__status")).to_have_text(KEPT)
    page.goto(f"{base}/admin/")
    assert dialogs == ["beforeunload"]

    page.goto(change_url(base, story))  # the autosave is on offer; restore it and save
    page.click(".autosave-offer__restore")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    assert dialogs == ["beforeunload"]  # the form's own submit never asks
    assert Article.objects.get(pk=story.pk).headline == "Ferry timetable changes tonight"


def test_a_workflow_button_pressed_with_unsaved_edits_keeps_them(
    browser_page,  # noqa: F811
    live_server,
    story,
):
    page, base = browser_page, live_server.url
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    log_in(page, base, "reporter")
    page.goto(change_url(base, story))
    type_into(page, "#id_lead", " Edited a second before submitting.")

    page.click(".workflow-button--submit")

    page.wait_for_selector("#id_comment")  # the step's own page, after the save
    expect(page.locator(".messagelist .success")).to_contain_text("was saved")
    assert dialogs == []
    story.refresh_from_db()
    assert story.lead.endswith("Edited a second before submitting.")
    page.fill("#id_comment", "Ready for the desk.")
    page.click("input[name=_confirm]")
    page.wait_for_selector(".messagelist .success")
    story.refresh_from_db()
    assert story.status == Article.Status.IN_REVIEW
    assert story.lead.endswith("Edited a second before submitting.")


def test_a_workflow_button_on_an_unchanged_form_saves_nothing(
    browser_page,  # noqa: F811
    live_server,
    story,
):
    page, base = browser_page, live_server.url
    version = story.lock_version
    log_in(page, base, "reporter")
    page.goto(change_url(base, story))

    page.click(".workflow-button--submit")

    page.wait_for_selector("#id_comment")
    assert page.locator(".messagelist .success").count() == 0
    assert Article.objects.get(pk=story.pk).lock_version == version


def test_the_live_preview_shows_unsaved_text_and_follows_the_typing(
    browser_page,  # noqa: F811
    live_server,
    story,
):
    page, base = browser_page, live_server.url
    log_in(page, base, "reporter")
    page.goto(change_url(base, story))
    type_into(page, "#id_headline", " tonight")

    with page.expect_popup() as opened:
        page.click(".autosave__preview")
    preview = opened.value
    headline = preview.frame_locator("#live-preview-frame").locator("h1.article__headline")
    expect(headline).to_have_text("Ferry timetable changes tonight")
    shot(preview, "autosave-03-live-preview")

    page.bring_to_front()
    type_into(page, "#id_headline", ", ministry says")
    expect(headline).to_have_text("Ferry timetable changes tonight, ministry says", timeout=20_000)
    assert Article.objects.get(pk=story.pk).headline == "Ferry timetable changes"

    preview.bring_to_front()
    preview.click("text=Phone (390 px)")
    width = preview.locator("#live-preview-frame").bounding_box()["width"]
    assert 380 <= width <= 400
    shot(preview, "autosave-04-live-preview-phone")


def test_typing_into_add_article_is_offered_back_after_a_closed_tab(
    browser_page,  # noqa: F811
    live_server,
    story,
):
    page, base = browser_page, live_server.url
    SectionFactory(name="City", slug="city")
    log_in(page, base, "reporter")
    page.goto(f"{base}/admin/articles/article/add/")
    page.select_option("#id_section", label="City")
    type_into(page, "#id_headline", "Tram depot to close")
    type_into(page, "#id_body", "Half-written when the laptop died.")
    expect(page.locator(".autosave__status")).to_have_text(KEPT)
    context = page.context
    page.close()

    page = context.new_page()
    page.goto(f"{base}/admin/articles/article/add/")
    expect(page.locator(".autosave-offer")).to_contain_text("“Tram depot to close”")
    page.click(".autosave-offer__restore")
    expect(page.locator("#id_headline")).to_have_value("Tram depot to close")
    expect(page.locator("#id_body")).to_have_value("Half-written when the laptop died.")
    expect(page.locator("#id_slug")).to_have_value("tram-depot-to-close")
