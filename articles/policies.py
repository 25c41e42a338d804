"""Who may do what to an article: the one place that decides (issue 3).

Services, the admin's querysets, change permission, read-only fields, actions
and buttons all ask `can()`; nothing else encodes a workflow rule. Roles map to
model permissions (articles/roles.py): journalists have `change_article`,
editors also `publish_article` and `manage_embargo`.
"""

from django.db.models import Q
from django.utils import timezone

from core.listings import StoryListing

from .models import Article, Author

Status = Article.Status

# Every action `can()` answers for: EDIT and VIEW, and the workflow transitions, whose
# labels, forms and services are declared once in articles/transitions.py.
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
WITHDRAW = "withdraw"
REQUEST_UPDATE = "request_update"

# States in which the author may still write; afterwards the desk owns the text.
WRITABLE_BY_AUTHOR = {Status.DRAFT, Status.SENT_BACK}
# States in which readers see the story, or will without its author touching it again:
# whatever it shows (photos, tags) is the desk's to change from here on.
PUBLIC_OR_PENDING = {Status.IN_REVIEW, Status.APPROVED, Status.PUBLISHED}
# States in which the story is out of its writer's hands for good (approved, live,
# scheduled or embargoed): they may ask the desk for a change, not make it.
UPDATE_REQUESTABLE = {Status.APPROVED, Status.PUBLISHED}
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


def may_change_public_pages(user):
    """Editors (and superusers) answer for what readers see."""
    return user.is_active and (user.is_superuser or is_editor(user))


def is_photo_editor(user):
    return user.is_active and user.has_perm("media.delete_photo")


def sees_every_article(user):
    """Editors and the read-only roles see every article; writers only their own."""
    if user.is_superuser or is_editor(user):
        return True
    return user.has_perm("articles.view_article") and not user.has_perm("articles.change_article")


def own_articles(user, queryset):
    """The stories that are `user`'s own (as `is_own` judges one): created or bylined."""
    return queryset.filter(Q(created_by=user) | Q(bylines__author__user=user)).distinct()


def visible_articles(user, queryset):
    """What a staff member sees in the admin: editors and read-only roles all, writers their
    own, roles without any article permission (Legal) none."""
    if sees_every_article(user):
        return queryset
    if not user.has_perm("articles.change_article"):
        return queryset.none()
    return own_articles(user, queryset)


def article_listings(user, groups):
    """`groups` maps keys to fetched articles; answers a StoryListing per key.

    Every list of articles in the admin (a photo's "used in", the rights report, a tag's
    stories) goes through here, so none shows the headline of a story its reader may not
    open. One query, however many groups.
    """
    groups = {key: list(articles) for key, articles in groups.items()}
    if sees_every_article(user):
        return {key: StoryListing(articles, 0) for key, articles in groups.items()}
    ids = {article.pk for articles in groups.values() for article in articles}
    allowed = set()
    if ids:
        allowed = set(
            visible_articles(user, Article.objects.filter(pk__in=ids)).values_list("pk", flat=True)
        )
    listings = {}
    for key, articles in groups.items():
        shown = [article for article in articles if article.pk in allowed]
        listings[key] = StoryListing(shown, len(articles) - len(shown))
    return listings


def article_listing(user, articles):
    return article_listings(user, {None: articles})[None]


def visible_tags(user, tags):
    """Tags a staff member may learn of: those readers see, those of the articles the member
    may see, and unused ones (which tell of no story)."""
    from taggit.models import TaggedItem

    if sees_every_article(user):
        return tags
    return tags.filter(
        Q(pk__in=Article.objects.public_tags().values("pk"))
        | Q(pk__in=visible_articles(user, Article.objects.all()).values("tags"))
        | ~Q(pk__in=TaggedItem.objects.values("tag"))
    )


def may_change_tag(user, tag):
    """Renaming or merging a tag that readers see (or soon will) changes public tag pages
    and feeds: only for those who may change public pages."""
    if may_change_public_pages(user):
        return True
    return not Article.objects.filter(tags=tag, status__in=PUBLIC_OR_PENDING).exists()


def articles_showing(photo):
    """The articles that show `photo`: as their lead photo or their social image."""
    return articles_showing_any([photo.pk])


def articles_showing_any(photo_ids):
    return Article.objects.filter(Q(lead_photo__in=photo_ids) | Q(social_image__in=photo_ids))


def photo_in_public_use(photo):
    """A photo readers see or soon will: an author's portrait, or the lead photo or social
    image of a story in review, approved or published (scheduled and embargoed included)."""
    return (
        Author.objects.filter(photo=photo).exists()
        or articles_showing(photo).filter(status__in=PUBLIC_OR_PENDING).exists()
    )


def may_change_photo(user, photo):
    """Editors and photo editors change any photo; a writer only one that no reader sees
    or soon will: unused, or used only by stories of theirs they may still write."""
    if may_change_public_pages(user) or is_photo_editor(user):
        return True
    if photo.pk is None:
        return True
    if photo_in_public_use(photo):
        return False
    used_by = articles_showing(photo)
    if used_by.exclude(status__in=WRITABLE_BY_AUTHOR).exists():
        return False
    return visible_articles(user, used_by).count() == used_by.count()


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
    if action == WITHDRAW:
        # Until the desk has approved it, a submitted story is still its writer's to take
        # back. Approval is an editor's decision (the story may already be planned for
        # the home page or a schedule): from then on the writer asks, the desk sends back.
        # Editors edit and send back stories in review themselves.
        return (
            not editor
            and status == Status.IN_REVIEW
            and user.has_perm("articles.change_article")
            and is_own(user, article)
        )
    if action == REQUEST_UPDATE:
        # Editors change the story themselves. An expired story is gone from readers.
        return (
            not editor
            and status in UPDATE_REQUESTABLE
            and article.state != "expired"
            and user.has_perm("articles.change_article")
            and is_own(user, article)
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


def may_take_on_some_article(user, action):
    """Whether bulk `action` is ever open to `user`: of the bulk transitions, writers may
    only submit (withdrawing and asking for an update are one story at a time); the rest
    are the desk's. Decides which bulk actions a person is offered."""
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser or is_editor(user):
        return True
    return action == SUBMIT and user.has_perm("articles.change_article")
