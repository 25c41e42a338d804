"""Workflow transitions: the only code that changes an article's status or go-live times.

Each service asks articles/policies.py whether the user may act, changes the
fields, full_clean()s, saves and appends an ArticleEvent, in one transaction.
The admin reaches them through articles/transitions.py, which declares each
transition's button, form and bulk action once; commands and tests call them directly.
Refusals: PermissionDenied (not this user, not in this state) or
ValidationError (the article is not ready, e.g. the photo lacks a credit).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.localtime import with_offset

from . import policies
from .models import Article, ArticleEvent
from .signals import article_transitioned, send_on_commit

Status = Article.Status


def _authorise(user, action, article):
    refused = policies.refusal(user, action, article)
    if refused:
        raise PermissionDenied(refused)


def _check_ready_for_readers(*, article, user, at):
    problems = article.publication_problems(at)
    if (
        article.embargo_until
        and at < article.embargo_until
        and not (user.is_superuser or policies.may_manage_embargo(user))
    ):
        problems.append(
            f"The article is embargoed until {with_offset(article.embargo_until)}; "
            "only an editor with the embargo permission can publish it earlier."
        )
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def _transition(*, article, user, action, to_status, comment="", details="", **fields):
    # Lock the row so two editors clicking at once produce one transition each, in order.
    Article.objects.select_for_update().only("pk").get(pk=article.pk)
    # Work from the row as it is now, so a colleague's save in between is never overwritten.
    article.refresh_from_db()
    _authorise(user, action, article)
    from_status = article.status
    article.status = to_status
    for name, value in fields.items():
        setattr(article, name, value)
    article.full_clean()
    article.save()
    event = ArticleEvent.objects.create(
        article=article,
        actor=user,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        details=details,
    )
    send_on_commit(article_transitioned, sender=Article, article=article, event=event)
    return article


def article_submit(*, article, user, comment=""):
    """A writer hands the story to the desk; they can no longer edit it."""
    return _transition(
        article=article,
        user=user,
        action=policies.SUBMIT,
        to_status=Status.IN_REVIEW,
        comment=comment,
    )


def article_withdraw(*, article, user, comment=""):
    """The writer takes a submitted story back to draft before the desk has approved it."""
    return _transition(
        article=article,
        user=user,
        action=policies.WITHDRAW,
        to_status=Status.DRAFT,
        comment=comment,
    )


@transaction.atomic
def article_request_update(*, article, user, comment):
    """The writer asks the desk to change their story: an event in its history, no more.

    The article row is not saved: readers' pages and their cache stay as they are, and an
    editor who has the story open can still save it (its lock version does not move).
    """
    if not comment.strip():
        raise ValidationError({"comment": "Say what should change, so the desk can act on it."})
    # Locked and read afresh, so the permission is judged on the story as it is now.
    article = Article.objects.select_for_update().get(pk=article.pk)
    _authorise(user, policies.REQUEST_UPDATE, article)
    event = ArticleEvent.objects.create(
        article=article,
        actor=user,
        action=policies.REQUEST_UPDATE,
        from_status=article.status,
        to_status=article.status,
        comment=comment,
    )
    send_on_commit(article_transitioned, sender=Article, article=article, event=event)
    return article


def article_send_back(*, article, user, comment):
    """The desk returns the story to its writer, always saying why."""
    if not comment.strip():
        raise ValidationError({"comment": "Say what needs changing when sending an article back."})
    return _transition(
        article=article,
        user=user,
        action=policies.SEND_BACK,
        to_status=Status.SENT_BACK,
        comment=comment,
    )


def article_approve(*, article, user, comment=""):
    return _transition(
        article=article,
        user=user,
        action=policies.APPROVE,
        to_status=Status.APPROVED,
        comment=comment,
    )


def _not_yet_public(article, now):
    return article.first_published_at is None or article.first_published_at > now


def _go_live_fields(article, at):
    # Readers first see an embargoed story when the embargo ends: date it then, so lists,
    # feeds and the 48-hour news sitemap place it where readers meet it.
    if article.embargo_until and article.embargo_until > at:
        at = article.embargo_until
    fields = {"published_at": at}
    # The first publication time is kept for good once readers have seen the story.
    if article.first_published_at is None or article.first_published_at > timezone.now():
        fields["first_published_at"] = at
    return fields


def article_schedule(*, article, user, at, comment=""):
    """Publish at an exact future moment. No job flips it: published() compares with the clock."""
    if at is None or at <= timezone.now():
        raise ValidationError({"at": "Choose a time in the future, or publish now."})
    _authorise(user, policies.SCHEDULE, article)
    _check_ready_for_readers(article=article, user=user, at=at)
    return _transition(
        article=article,
        user=user,
        action=policies.SCHEDULE,
        to_status=Status.PUBLISHED,
        comment=comment,
        details=f"Scheduled for {with_offset(at)}",
        **_go_live_fields(article, at),
    )


def article_publish(*, article, user, comment=""):
    now = timezone.now()
    _authorise(user, policies.PUBLISH, article)
    _check_ready_for_readers(article=article, user=user, at=now)
    return _transition(
        article=article,
        user=user,
        action=policies.PUBLISH,
        to_status=Status.PUBLISHED,
        comment=comment,
        details=f"Published at {with_offset(now)}",
        **_go_live_fields(article, now),
    )


def article_update(*, article, user, comment=""):
    """Mark a material update of a published story: readers see "Updated …"."""
    now = timezone.now()
    _authorise(user, policies.UPDATE, article)
    _check_ready_for_readers(article=article, user=user, at=now)
    return _transition(
        article=article,
        user=user,
        action=policies.UPDATE,
        to_status=Status.PUBLISHED,
        comment=comment,
        details=f"Updated at {with_offset(now)}",
        updated_at=now,
    )


def article_unpublish(*, article, user, comment=""):
    return _transition(
        article=article,
        user=user,
        action=policies.UNPUBLISH,
        to_status=Status.UNPUBLISHED,
        comment=comment,
    )


def article_set_embargo(*, article, user, until, comment=""):
    now = timezone.now()
    if until is None or until <= now:
        raise ValidationError({"at": "An embargo ends in the future."})
    fields = {"embargo_until": until}
    going_live_earlier = (
        article.status == Status.PUBLISHED
        and _not_yet_public(article, now)
        and article.published_at is not None
        and article.published_at < until
    )
    if going_live_earlier:  # a scheduled story now goes live when the embargo ends
        fields |= {"published_at": until, "first_published_at": until}
    return _transition(
        article=article,
        user=user,
        action=policies.SET_EMBARGO,
        to_status=article.status,
        comment=comment,
        details=f"Embargoed until {with_offset(until)}",
        **fields,
    )


def article_lift_embargo(*, article, user, comment=""):
    now = timezone.now()
    fields = {"embargo_until": None}
    # Held back by the embargo alone: due already, or its go-live was set to the embargo end.
    held_back = (
        article.status == Status.PUBLISHED
        and _not_yet_public(article, now)
        and article.published_at is not None
        and (article.published_at <= now or article.published_at == article.embargo_until)
    )
    if held_back:  # only the embargo kept it from readers: it goes live, and is dated, now
        fields |= {"published_at": now, "first_published_at": now}
    return _transition(
        article=article,
        user=user,
        action=policies.LIFT_EMBARGO,
        to_status=article.status,
        comment=comment,
        details=f"Embargo until {with_offset(article.embargo_until)} lifted",
        **fields,
    )


def article_set_expiry(*, article, user, at, comment=""):
    """After `at` the article answers 410 Gone and leaves every list; None removes the expiry."""
    if at is not None and article.published_at and at <= article.published_at:
        raise ValidationError({"at": "The expiry must come after the publication time."})
    return _transition(
        article=article,
        user=user,
        action=policies.SET_EXPIRY,
        to_status=article.status,
        comment=comment,
        details=f"Expires at {with_offset(at)}" if at else "Expiry removed",
        expire_at=at,
    )
