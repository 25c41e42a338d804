"""Who is told what when a story moves through the workflow, in the admin and by e-mail.

Receivers of articles.signals, which fire only after the change has committed. Each
notification is stored first, then mailed one by one: a mail server that is down or
refuses a message is logged and costs nothing else, neither the transition (committed
already) nor the other recipients' mail.

Editors are the active staff users who hold `articles.publish_article` through a role or
directly. Superusers are administrators, not desk staff, and are not told of every
submission; give an administrator the Editor role to put them on the desk. Sections have
no editors of their own yet, so every editor hears of every submission.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from articles import policies
from core.localtime import with_offset

from .models import Notification, NotificationSettings

logger = logging.getLogger(__name__)
Verb = Notification.Verb

EDITORS = "editors"
WRITERS = "writers"

# The workflow actions that tell someone, what the notification says, and to whom.
RULES = {
    policies.SUBMIT: (Verb.SUBMITTED, EDITORS),
    policies.SEND_BACK: (Verb.SENT_BACK, WRITERS),
    policies.APPROVE: (Verb.APPROVED, WRITERS),
    policies.SCHEDULE: (Verb.SCHEDULED, WRITERS),
    policies.PUBLISH: (Verb.PUBLISHED, WRITERS),
    policies.UNPUBLISH: (Verb.UNPUBLISHED, WRITERS),
    policies.LIFT_EMBARGO: (Verb.EMBARGO_LIFTED, EDITORS),
    policies.WITHDRAW: (Verb.WITHDRAWN, EDITORS),
    policies.REQUEST_UPDATE: (Verb.UPDATE_REQUESTED, EDITORS),
}

# "Anna Nowak submitted “Headline” for review."
SENTENCES = {
    Verb.SUBMITTED: "{actor} submitted “{headline}” for review.",
    Verb.SENT_BACK: "{actor} sent “{headline}” back to you.",
    Verb.APPROVED: "{actor} approved “{headline}”.",
    Verb.SCHEDULED: "{actor} scheduled “{headline}” to go live on {details}.",
    Verb.PUBLISHED: "{actor} published “{headline}”.",
    Verb.UNPUBLISHED: "{actor} unpublished “{headline}”.",
    Verb.CORRECTED: "{actor} added a correction to “{headline}”.",
    Verb.EMBARGO_LIFTED: "{actor} lifted the embargo on “{headline}”.",
    Verb.MENTIONED: "{actor} mentioned you in a note on “{headline}”.",
    Verb.WITHDRAWN: "{actor} withdrew “{headline}” from review; it is a draft again.",
    Verb.UPDATE_REQUESTED: "{actor} asks for an update to “{headline}”.",
}
# What a notification's comment is, in its e-mail; "Comment" otherwise.
COMMENT_LABELS = {Verb.CORRECTED: "Correction", Verb.MENTIONED: "Note"}


def editors():
    User = get_user_model()
    # Permissions come from roles and user permissions (ModelBackend); axes only guards logins.
    return User.objects.with_perm(
        "articles.publish_article",
        include_superusers=False,
        backend="django.contrib.auth.backends.ModelBackend",
    ).filter(is_staff=True)


def writers(article):
    """Whoever created the story and the staff accounts of its bylined authors."""
    User = get_user_model()
    return User.objects.filter(
        Q(pk=article.created_by_id) | Q(author__bylines__article=article),
        is_active=True,
        is_staff=True,
    ).distinct()


def on_article_transitioned(sender, article, event, **kwargs):
    rule = RULES.get(event.action)
    if rule is None:
        return
    verb, audience = rule
    details = with_offset(article.published_at) if verb == Verb.SCHEDULED else ""
    notify(
        verb=verb,
        article=article,
        actor=event.actor,
        comment=event.comment,
        details=details,
        recipients=editors() if audience == EDITORS else writers(article),
    )


def on_article_corrected(sender, article, correction, **kwargs):
    notify(
        verb=Verb.CORRECTED,
        article=article,
        actor=correction.created_by,
        comment=correction.text,
        details=correction.get_kind_display(),
        recipients=writers(article),
    )


def on_note_posted(note, mentioned):
    """desk/notes.py calls this once a note has committed, with the people it may tell."""
    notify(
        verb=Verb.MENTIONED,
        article=note.article,
        actor=note.author,
        comment=note.text,
        details="",
        recipients=mentioned,
        note=note,
    )


def notify(*, verb, article, actor, comment, details, recipients, note=None):
    """Store one notification per recipient, never the actor, then e-mail those who want it."""
    people = [person for person in recipients if actor is None or person.pk != actor.pk]
    with transaction.atomic():
        notifications = Notification.objects.bulk_create(
            [
                Notification(
                    recipient=person,
                    verb=verb,
                    article=article,
                    headline=article.headline,
                    actor=actor,
                    comment=comment,
                    details=details,
                    note=note,
                )
                for person in people
            ]
        )
    by_id = {person.pk: person for person in people}
    wanted = {person.pk for person in NotificationSettings.wants_email(people) if person.email}
    send_emails(
        [
            (notification, by_id[notification.recipient_id])
            for notification in notifications
            if notification.recipient_id in wanted
        ]
    )


def actor_name(actor):
    if actor is None:
        return "Someone"
    return actor.get_full_name() or actor.get_username()


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def sentence(notification):
    return SENTENCES[notification.verb].format(
        actor=actor_name(notification.actor),
        headline=notification.headline,
        details=notification.details,
    )


def email_message(notification, recipient):
    lines = [sentence(notification), ""]
    if notification.comment:
        label = COMMENT_LABELS.get(notification.verb, "Comment")
        lines += [f"{label}:", notification.comment, ""]
    if notification.article_id:
        lines += ["Open the story:", absolute(notification.get_admin_article_url()), ""]
    lines += [
        "—",
        "You can turn these e-mails off in your notification settings:",
        absolute(reverse("admin:desk_notification_settings")),
    ]
    return EmailMessage(
        subject=f"{notification.get_verb_display()}: {notification.headline}",
        body="\n".join(lines),
        to=[recipient.email],
    )


def send_emails(pairs):
    """Send each (notification, recipient) e-mail over one connection.

    The actor waits for this after their transition has committed, inside a worker with a
    time limit: a mail server that hangs must cost one timeout, not one per recipient
    (nor one per article of a bulk action). So the first failure ends the sending; the
    notifications are stored either way, and only these mails are lost (and logged).
    """
    if not pairs:
        return
    connection = get_connection()
    remaining = list(pairs)
    try:
        while remaining:
            notification, recipient = remaining[0]
            message = email_message(notification, recipient)
            message.connection = connection
            message.send()
            remaining.pop(0)
    except Exception:
        logger.exception(
            "Could not e-mail notification %s to %s; %d more e-mail(s) of this change not sent",
            notification.pk,
            recipient.get_username(),
            len(remaining) - 1,
        )
    finally:
        try:
            connection.close()
        except Exception:  # closing a broken connection must not hide the story's success
            logger.warning("Could not close the mail connection", exc_info=True)
