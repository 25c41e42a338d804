"""Who may do what to an article: the one place that decides (issue 3).

Services, the admin's querysets, change permission, read-only fields, actions
and buttons all ask `can()`; nothing else encodes a workflow rule. Roles map to
model permissions (articles/roles.py): journalists have `change_article`,
editors also `publish_article` and `manage_embargo`.
"""

from django.db.models import Q
from django.utils import timezone

from .models import Article

Status = Article.Status

# Every action `can()` answers for; the admin builds its buttons from this list.
EDIT = "edit"
VIEW = "view"
SUBMIT = "submit"
SEND_BACK = "send_back"
APPROVE = "approve"
SCHEDULE = "schedule"
PUBLISH = "publish"
UPDATE = "update"
UNPUBLISH = "unpublish"
SET_EMBARGO = "set_embargo"
LIFT_EMBARGO = "lift_embargo"
SET_EXPIRY = "set_expiry"

TRANSITIONS = [
    SUBMIT,
    SEND_BACK,
    APPROVE,
    SCHEDULE,
    PUBLISH,
    UPDATE,
    UNPUBLISH,
    SET_EMBARGO,
    LIFT_EMBARGO,
    SET_EXPIRY,
]

# States in which the author may still write; afterwards the desk owns the text.
WRITABLE_BY_AUTHOR = {Status.DRAFT, Status.SENT_BACK}
# States from which an editor may send a story live (or reschedule it).
PUBLISHABLE = {
    Status.DRAFT,
    Status.IN_REVIEW,
    Status.SENT_BACK,
    Status.APPROVED,
    Status.UNPUBLISHED,
}


def is_editor(user):
    return user.is_active and user.has_perm("articles.publish_article")


def may_manage_embargo(user):
    return user.is_active and user.has_perm("articles.manage_embargo")


def is_own(user, article):
    """The author's own story: they created it or are one of its bylines."""
    if article.pk is None:
        return True
    if article.created_by_id == user.pk:
        return True
    return article.bylines.filter(author__user=user).exists()


def visible_articles(user, queryset):
    """What a staff member sees in the admin: editors and read-only roles all, writers their own."""
    if user.is_superuser or is_editor(user) or not user.has_perm("articles.change_article"):
        return queryset
    return queryset.filter(Q(created_by=user) | Q(bylines__author__user=user)).distinct()


def can(user, action, article):
    """True when `user` may take `action` on `article` in its current state."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if action == VIEW:
        return user.has_perm("articles.view_article") or user.has_perm("articles.change_article")
    editor = user.is_superuser or is_editor(user)
    status = article.status
    live_or_scheduled = status == Status.PUBLISHED

    if action == EDIT:
        if editor:
            return user.has_perm("articles.change_article")
        return (
            user.has_perm("articles.change_article")
            and status in WRITABLE_BY_AUTHOR
            and is_own(user, article)
        )
    if article.pk is None:
        return False
    if action == SUBMIT:
        return status in WRITABLE_BY_AUTHOR and (
            editor or (user.has_perm("articles.change_article") and is_own(user, article))
        )
    if not editor:
        return False
    if action == SEND_BACK:
        return status in {Status.IN_REVIEW, Status.APPROVED}
    if action == APPROVE:
        return status == Status.IN_REVIEW
    if action in {SCHEDULE, PUBLISH}:
        # A scheduled story may be rescheduled or published now; a live one is
        # updated or unpublished instead.
        return status in PUBLISHABLE or (
            live_or_scheduled and article.published_at > timezone.now()
        )
    if action == UPDATE:
        return article.state == Status.PUBLISHED
    if action == UNPUBLISH:
        # Also cancels a schedule.
        return live_or_scheduled
    if action == SET_EXPIRY:
        return True
    if action in {SET_EMBARGO, LIFT_EMBARGO}:
        if not (user.is_superuser or may_manage_embargo(user)):
            return False
        return action == SET_EMBARGO or article.embargo_until is not None
    return False


def allowed_transitions(user, article):
    return [action for action in TRANSITIONS if can(user, action, article)]
