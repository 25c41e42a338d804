"""The admin pages staff use, on a 390-pixel phone, as each role (issue 14, admin polish):
nothing pushes the page sideways and nothing is cut off; and the date-time widgets work in a
browser whose zone is not the newsroom's, without the "hours ahead of server time" note.

Screenshots of any page that fails go to test-artifacts/phone/.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles import roles, services
from articles.editing import preview_link_create
from articles.models import ArticleRevision
from desk.models import Notification

from .factories import (
    AuthorFactory,
    DraftArticleFactory,
    LegalPageFactory,
    NoticeFactory,
    PhotoFactory,
    UserFactory,
)
from .test_workflow_browser import CHROMIUM_ARGS, PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "phone"
PHONE = {"width": 390, "height": 844}
ROLES = {
    "journalist": roles.JOURNALIST,
    "editor": roles.EDITOR,
    "photo-editor": roles.PHOTO_EDITOR,
    "legal": roles.LEGAL,
}
LONG_HEADLINE = (
    "Harbour authority confirms the night ferry to the islands returns for the whole summer"
)
# Elements whose right edge is past the viewport, unless a horizontally scrollable box
# (overflow-x auto or scroll) holds them: those are cut off by an `overflow: hidden`
# ancestor, or push the page sideways. Hidden and off-screen-left (skip links) are fine.
CUT_OFF = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= width + 1) continue;
    if (getComputedStyle(el).visibility === "hidden") continue;
    let held = false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (["auto", "scroll"].includes(getComputedStyle(up).overflowX)) { held = true; break; }
    }
    if (!held) found.push(`${el.tagName.toLowerCase()}.${el.className} (right edge ${Math.round(box.right)})`);
  }
  return found;
}"""


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        connections.close_all()
        browser.close()


def new_page(browser, **options):
    context = browser.new_context(viewport=PHONE, **options)
    context.set_default_timeout(15_000)
    return context.new_page()


def log_in(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_load_state()


def problems_of(page, label):
    """What does not fit the phone's width on the page shown, as readable lines."""
    width = page.evaluate("innerWidth")
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    problems = [f"{label}: page is {scroll_width}px wide"] if scroll_width > width else []
    problems += [f"{label}: cut off {item}" for item in page.evaluate(CUT_OFF)]
    if problems:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = "".join(c if c.isalnum() else "-" for c in label)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    return problems


@pytest.fixture
def newsroom():
    """Every role's login and a story in each place staff look: a draft with revisions and a
    preview link, a story in review with a photo, a scheduled one, notices, notifications."""
    users = {
        name: UserFactory(username=name, password=PASSWORD, roles=[role])
        for name, role in ROLES.items()
    }
    journalist, editor = users["journalist"], users["editor"]
    AuthorFactory(name="Anna Nowak", user=journalist)
    draft = DraftArticleFactory(created_by=journalist, headline=LONG_HEADLINE)
    ArticleRevision.objects.record(article=draft, user=journalist, comment="First draft")
    draft.lead += " The timetable follows in spring."
    draft.save()
    ArticleRevision.objects.record(article=draft, user=journalist)
    preview_link_create(article=draft, user=journalist)
    photo = PhotoFactory(caption="The night ferry at the harbour wall, photographed at dusk")
    in_review = DraftArticleFactory(
        created_by=journalist, headline=f"{LONG_HEADLINE}, in review", lead_photo=photo
    )
    services.article_submit(article=in_review, user=journalist, comment="Ready for the desk.")
    scheduled = DraftArticleFactory(created_by=journalist, headline=f"{LONG_HEADLINE}, scheduled")
    services.article_schedule(
        article=scheduled, user=editor, at=timezone.now() + dt.timedelta(hours=6)
    )
    notice = NoticeFactory()
    LegalPageFactory()
    Notification.objects.create(
        recipient=journalist,
        verb="sent_back",
        article=draft,
        headline=draft.headline,
        comment="Please check the ferry operator's name and add the winter timetable. " * 3,
    )
    return {
        "users": users,
        "draft": draft,
        "in_review": in_review,
        "scheduled": scheduled,
        "photo": photo,
        "notice": notice,
    }


def staff_pages(data):
    draft, in_review, photo = data["draft"], data["in_review"], data["photo"]
    article = "admin:articles_article_"
    return {
        "article list": reverse(f"{article}changelist"),
        "draft form": reverse(f"{article}change", args=[draft.pk]),
        "in-review form": reverse(f"{article}change", args=[in_review.pk]),
        "schedule form": reverse(f"{article}transition", args=[in_review.pk, "schedule"]),
        "revisions": reverse(f"{article}revisions", args=[draft.pk]),
        "revision compare": reverse(f"{article}revision_compare", args=[draft.pk]),
        "preview links": reverse(f"{article}preview_links", args=[draft.pk]),
        "preview": reverse(f"{article}preview", args=[draft.pk]),
        "scheduled": reverse(f"{article}scheduled"),
        "article history": reverse(f"{article}history", args=[in_review.pk]),
        "photo list": reverse("admin:media_photo_changelist"),
        "photo form": reverse("admin:media_photo_change", args=[photo.pk]),
        "photo upload": reverse("admin:media_photo_add"),
        "bulk upload": reverse("admin:media_photo_bulk_upload"),
        "rights report": reverse("admin:media_photo_rights_report"),
        "notice list": reverse("admin:legal_notice_changelist"),
        "notice form": reverse("admin:legal_notice_change", args=[data["notice"].pk]),
        "notice versions": reverse("admin:legal_noticeversion_changelist"),
        "legal pages": reverse("admin:legal_legalpage_changelist"),
        "notifications": reverse("admin:desk_notification_changelist"),
        "notification settings": reverse("admin:desk_notification_settings"),
        "two-factor enrolment": reverse("staff:enrol"),
    }


@pytest.mark.parametrize("role", list(ROLES))
def test_the_admin_pages_fit_a_phone_for_every_role(browser, live_server, newsroom, role):
    """Pages a role may not open show the refusal page, which must fit as well."""
    base = live_server.url
    page = new_page(browser)
    page.goto(f"{base}/admin/login/")
    problems = problems_of(page, f"{role} login")
    log_in(page, base, role)

    statuses = {}
    for name, path in staff_pages(newsroom).items():
        response = page.goto(base + path)
        page.wait_for_load_state("networkidle")
        statuses[name] = response.status
        problems += problems_of(page, f"{role} {name}")

    assert problems == []
    # The pages were really shown (or refused, or not found, with a page), not errors.
    assert set(statuses.values()) <= {200, 403, 404}, statuses
    assert sum(status == 200 for status in statuses.values()) >= 6, statuses


def test_the_two_factor_code_page_fits_a_phone(browser, live_server, newsroom, settings):
    settings.OTP_REQUIRED_ROLES = [roles.EDITOR]
    device = TOTPDevice.objects.create(user=newsroom["users"]["editor"], confirmed=True)
    base = live_server.url
    page = new_page(browser)

    log_in(page, base, "editor")

    assert page.url.startswith(f"{base}{reverse('staff:verify')}")
    assert problems_of(page, "editor two-factor code") == []
    page.fill("#id_token", f"{totp(device.bin_key):06d}")
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    assert problems_of(page, "editor admin home after the code") == []


def test_date_widgets_work_in_another_zone_without_the_server_time_note(
    browser, live_server, newsroom
):
    """A browser in Tokyo (14 hours ahead of New York): Django would print "Note: You are
    14 hours ahead of server time." under both fields; the newsroom's zone hint says which
    clock times are in, and "Now" still fills in the newsroom's time."""
    base = live_server.url
    page = new_page(browser, timezone_id="Asia/Tokyo")
    log_in(page, base, "editor")
    url = reverse("admin:articles_article_transition", args=[newsroom["in_review"].pk, "schedule"])
    page.goto(base + url)

    notes = page.locator(".timezonewarning")
    # Django's widget did find the zones different and wrote its note, which stays unseen.
    assert notes.count() >= 1
    assert all(not notes.nth(index).is_visible() for index in range(notes.count()))
    assert not page.get_by_text("server time").first.is_visible()
    assert page.get_by_text("Times are in the newsroom's zone").is_visible()

    page.get_by_role("link", name="Today").click()
    page.get_by_role("link", name="Now").click()
    newsroom_now = timezone.localtime()
    assert page.input_value("#id_at_0") == newsroom_now.strftime("%Y-%m-%d")
    typed = dt.datetime.strptime(page.input_value("#id_at_1"), "%H:%M:%S").time()
    minutes_apart = abs(
        (typed.hour * 60 + typed.minute) - (newsroom_now.hour * 60 + newsroom_now.minute)
    )
    assert minutes_apart <= 1 or minutes_apart >= 24 * 60 - 1
    assert problems_of(page, "editor schedule form in Tokyo") == []
