"""Issue 14's journey in a real browser, with mail through a real SMTP server: a journalist
submits; the editor's desk lists the story and the editor is mailed; the editor sends it back
with a comment, which the journalist's desk and mail both carry; the editor schedules it, and
it appears on the admin calendar and in the editor's iCalendar feed.

Screenshots of both desks at 1280 and 390 pixels go to test-artifacts/e2e/.
"""

import datetime as dt
import time
import urllib.request
from email import message_from_bytes, policy

import icalendar
import pytest
from django.utils import timezone

from articles import roles
from articles.models import Article

from . import test_workflow_browser
from .factories import AuthorFactory, DraftArticleFactory, SectionFactory, UserFactory
from .test_notifications_smtp import smtp_server  # noqa: F401 (fixture)
from .test_workflow_browser import PASSWORD, log_in, log_out, shot

# The browser of the editorial journey's tests, as this module's fixture.
browser_page = test_workflow_browser.browser_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADLINE = "Harbour ferry returns after the winter"
COMMENT = "Please add the fares and a quote from the operator."


def mail_to(mailbox, address, subject_start, timeout=10):
    """The first message to `address` whose subject starts so; mail goes out after the
    transaction commits, so give it a moment rather than assume it is already there."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for envelope in mailbox.envelopes:
            message = message_from_bytes(envelope.original_content, policy=policy.default)
            if address in envelope.rcpt_tos and message["Subject"].startswith(subject_start):
                return message
        time.sleep(0.1)
    subjects = [
        (e.rcpt_tos, message_from_bytes(e.original_content, policy=policy.default)["Subject"])
        for e in mailbox.envelopes
    ]
    raise AssertionError(f"no {subject_start!r} mail to {address}; got {subjects}")


def desk_queue(page, key):
    return page.locator(f"#queue-{key}")


def desk_shots(page, base, name):
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{base}/admin/")
        shot(page, f"journey-{name}-desk-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


def confirm_transition(page, article, action, **fields):
    """Open the article, press the workflow button, fill the confirm form, confirm."""
    page.goto(f"{page.base}/admin/articles/article/{article.pk}/change/")
    page.locator(f".workflow-actions .workflow-button--{action}").click()
    page.wait_for_selector("input[name=_confirm]")
    for selector, value in fields.items():
        page.fill(selector, value)
    page.click("input[name=_confirm]")
    page.wait_for_selector(".messagelist .success")


def test_submit_send_back_schedule_with_desk_mail_calendar_and_feed(
    browser_page,
    live_server,
    smtp_server,  # noqa: F811
):
    page, base, mailbox = browser_page, live_server.url, smtp_server
    page.base = base
    journalist = UserFactory(
        username="anna",
        first_name="Anna",
        last_name="Nowak",
        email="anna@example.com",
        password=PASSWORD,
        roles=[roles.JOURNALIST],
    )
    UserFactory(
        username="dana",
        first_name="Dana",
        last_name="Desk",
        email="dana@example.com",
        password=PASSWORD,
        roles=[roles.EDITOR],
    )
    AuthorFactory(name="Anna Nowak", slug="anna-nowak", user=journalist)
    article = DraftArticleFactory(
        headline=HEADLINE,
        slug="harbour-ferry-returns",
        section=SectionFactory(name="City", slug="city"),
        created_by=journalist,
    )

    # 1. The journalist submits the story in the admin.
    log_in(page, base, "anna")
    confirm_transition(page, article, "submit", **{"#id_comment": "Ready for the desk."})
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    log_out(page)

    # 2. The editor is mailed through SMTP, and the desk lists the story awaiting review.
    submitted = mail_to(mailbox, "dana@example.com", "Submitted for review")
    assert HEADLINE in submitted["Subject"]
    assert f"/admin/articles/article/{article.pk}/change/" in submitted.get_content()
    log_in(page, base, "dana")
    page.goto(f"{base}/admin/")
    awaiting = desk_queue(page, "awaiting_review")
    assert awaiting.locator(f".desk-row__title:has-text('{HEADLINE}')").count() == 1
    assert awaiting.locator(".desk-count").inner_text() == "1"

    # 3. ...who sends it back with a comment.
    confirm_transition(page, article, "send_back", **{"#id_comment": COMMENT})
    article.refresh_from_db()
    assert article.status == Article.Status.SENT_BACK
    page.goto(f"{base}/admin/")
    assert desk_queue(page, "awaiting_review").locator(".desk-row").count() == 0
    desk_shots(page, base, "editor")
    log_out(page)

    # 4. The journalist's desk shows the comment, and so does the mail.
    sent_back_mail = mail_to(mailbox, "anna@example.com", "Sent back")
    assert COMMENT in sent_back_mail.get_content()
    log_in(page, base, "anna")
    page.goto(f"{base}/admin/")
    sent_back = desk_queue(page, "sent_back")
    row = sent_back.locator(".desk-row", has_text=HEADLINE)
    assert row.count() == 1
    assert row.locator(".desk-comment blockquote").inner_text() == COMMENT
    desk_shots(page, base, "journalist")

    # ...revises nothing here, and submits it again.
    confirm_transition(page, article, "submit", **{"#id_comment": "Fares and quote added."})
    log_out(page)

    # 5. The editor schedules it for 09:00 tomorrow, newsroom time.
    go_live = (timezone.localtime() + dt.timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    log_in(page, base, "dana")
    confirm_transition(
        page,
        article,
        "schedule",
        **{"#id_at_0": go_live.strftime("%Y-%m-%d"), "#id_at_1": "09:00:00"},
    )
    article.refresh_from_db()
    assert article.published_at == go_live
    scheduled_mail = mail_to(mailbox, "anna@example.com", "Scheduled")
    assert HEADLINE in scheduled_mail["Subject"]

    # 6. It is on the calendar's week...
    page.goto(f"{base}/admin/desk/assignment/calendar/week/{go_live:%Y/%-m/%-d}/")
    assert page.locator(f"text={HEADLINE}").count() >= 1
    assert f"9:00 AM {go_live.tzname()}" in page.locator("#content").inner_text()
    shot(page, "journey-editor-calendar-week")

    # ...and in the editor's iCalendar feed, at the scheduled minute.
    page.goto(f"{base}/admin/desk/assignment/calendar/feed/")
    page.click("input[value='Create my calendar address']")
    url = page.input_value("#calendar-url")
    path = url.split("/staff/", 1)[1]
    with urllib.request.urlopen(f"{base}/staff/{path}") as response:  # noqa: S310
        feed = icalendar.Calendar.from_ical(response.read())
    [event] = [e for e in feed.walk("VEVENT") if HEADLINE in str(e["SUMMARY"])]
    assert str(event["SUMMARY"]) == f"Goes live: {HEADLINE}"
    assert event.decoded("DTSTART") == go_live
    log_out(page)
