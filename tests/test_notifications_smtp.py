"""Notifications reach a real SMTP server: one started by the test on a free local port."""

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse

from articles import roles
from articles.models import Article

from .factories import DraftArticleFactory, user_with_role


class Mailbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "Newsroom <newsroom@example-news.com>"
    yield mailbox
    controller.stop()


@pytest.mark.django_db(transaction=True)
def test_submitting_a_story_mails_the_editor_through_smtp(client, smtp_server):
    user_with_role(roles.EDITOR, username="desk-editor", email="desk@example.com")
    journalist = user_with_role(
        roles.JOURNALIST, username="reporter", first_name="Anna", last_name="Nowak"
    )
    article = DraftArticleFactory(headline="Night buses start on Monday", created_by=journalist)
    client.force_login(journalist)

    response = client.post(
        reverse("admin:articles_article_transition", args=[article.pk, "submit"]),
        {"comment": "Checked the timetable with the council."},
    )

    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW
    [envelope] = smtp_server.envelopes
    assert envelope.mail_from == "newsroom@example-news.com"
    assert envelope.rcpt_tos == ["desk@example.com"]
    message = message_from_bytes(envelope.original_content, policy=policy.default)
    assert message["Subject"] == "Submitted for review: Night buses start on Monday"
    assert message["To"] == "desk@example.com"
    body = message.get_content()
    assert "Anna Nowak submitted “Night buses start on Monday” for review." in body
    assert "Checked the timetable with the council." in body
    assert f"/admin/articles/article/{article.pk}/change/" in body
