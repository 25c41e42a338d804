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
from .states import state_label

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


def tag_refusal(user, tags):
    """Why `user` may not change (rename, merge, delete) `tags`; "" when they may."""
    refused = sorted(tag.name for tag in tags if not may_change_tag(user, tag))
    if not refused:
        return ""
    return f"Only an editor may change tags that readers see: {', '.join(refused)}."


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
    return not photo_refusal(user, photo)


def photo_refusal(user, photo):
    """Why `user` may not change or delete `photo`; "" when they may. Editors and photo
    editors change any photo; a writer only one that no reader sees or soon will: unused,
    or used only by stories of theirs they may still write."""
    if may_change_public_pages(user) or is_photo_editor(user):
        return ""
    if photo.pk is None:
        return ""
    ask_the_desk = "only an editor or a photo editor can change it."
    if photo_in_public_use(photo):
        return (
            "Readers see this photo, or soon will (on an author's profile, or with a story "
            f"in review, approved or published): {ask_the_desk}"
        )
    used_by = articles_showing(photo)
    if used_by.exclude(status__in=WRITABLE_BY_AUTHOR).exists() or (
        visible_articles(user, used_by).count() != used_by.count()
    ):
        return f"This photo is used by a story that is not yours to write: {ask_the_desk}"
    return ""


def refusal(user, action, article):
    """Why `user` may not take `action` on `article` in its current state, in words for the
    person refused; "" when they may.

    The one rule: `can()` is its negation, so a refusal's reason can never drift from the
    decision. Services raise it (PermissionDenied), the admin shows it on its refusal page.
    A writer is only ever refused over a story they may see (visible_articles): the others
    answer "not found", so no reason here tells of a story's existence.
    """
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return "Sign in with an active staff account first."
    if action == VIEW:
        if user.has_perm("articles.view_article") or user.has_perm("articles.change_article"):
            return ""
        return "Your role does not include articles."
    editor = user.is_superuser or is_editor(user)
    status = article.status
    live_or_scheduled = status == Status.PUBLISHED
    in_words = f"this one is {state_label(article).lower()}"
    read_only = "Your role can read stories but not change them."

    if action == EDIT:
        if not user.has_perm("articles.change_article"):
            return read_only
        if editor:
            return ""
        if status not in WRITABLE_BY_AUTHOR:
            return (
                f"Once a story is submitted, only editors change it; {in_words}. "
                "It is yours to change again if an editor sends it back."
            )
        if not is_own(user, article):
            return "You can only change your own drafts."
        return ""
    if article.pk is None:
        return "Save the story first."
    if action == SUBMIT:
        if status not in WRITABLE_BY_AUTHOR:
            return f"Only a draft or a story sent back can be submitted; {in_words}."
        if editor or (user.has_perm("articles.change_article") and is_own(user, article)):
            return ""
        return "You can only submit your own drafts."
    if action == WITHDRAW:
        # Until the desk has approved it, a submitted story is still its writer's to take
        # back. Approval is an editor's decision (the story may already be planned for
        # the home page or a schedule): from then on the writer asks, the desk sends back.
        # Editors edit and send back stories in review themselves.
        if editor:
            return "Editors send a story back rather than withdraw it."
        if status != Status.IN_REVIEW:
            return f"Only a story in review can be withdrawn; {in_words}."
        if not user.has_perm("articles.change_article"):
            return read_only
        if not is_own(user, article):
            return "You can only withdraw your own stories."
        return ""
    if action == REQUEST_UPDATE:
        # Editors change the story themselves. An expired story is gone from readers.
        if editor:
            return "Editors change the story themselves: there is no update to ask for."
        if status not in UPDATE_REQUESTABLE or article.state == "expired":
            return f"An update is asked for on an approved or live story; {in_words}."
        if not user.has_perm("articles.change_article"):
            return read_only
        if not is_own(user, article):
            return "You can only ask for updates to your own stories."
        return ""
    if not editor:
        return desk_only(action)
    if action == SEND_BACK:
        if status in {Status.IN_REVIEW, Status.APPROVED}:
            return ""
        return f"Only a story in review or approved can be sent back; {in_words}."
    if action == APPROVE:
        if status == Status.IN_REVIEW:
            return ""
        return f"Only a story in review can be approved; {in_words}."
    if action in {SCHEDULE, PUBLISH}:
        # A scheduled story may be rescheduled or published now; a live one is
        # updated or unpublished instead.
        if status in PUBLISHABLE or (live_or_scheduled and article.published_at > timezone.now()):
            return ""
        if article.state == "embargoed":
            return "This story goes live when its embargo ends; lift the embargo to publish it now."
        return f"This story is {state_label(article).lower()} already: update or unpublish it."
    if action == UPDATE:
        if article.state == Status.PUBLISHED:
            return ""
        return f"Only a live story can be marked as materially updated; {in_words}."
    if action == UNPUBLISH:
        # Also cancels a schedule.
        if live_or_scheduled:
            return ""
        return f"Only a live or scheduled story can be unpublished; {in_words}."
    if action == SET_EXPIRY:
        return ""
    if action in {SET_EMBARGO, LIFT_EMBARGO}:
        if not (user.is_superuser or may_manage_embargo(user)):
            return desk_only(action)
        if action == SET_EMBARGO or article.embargo_until is not None:
            return ""
        return "This story has no embargo to lift."
    return "There is no such action on a story."


def desk_only(action):
    """The reason a writer may not take a transition that is the desk's."""
    if action in {SET_EMBARGO, LIFT_EMBARGO}:
        return "Only editors with the embargo permission can set or lift an embargo."
    if action == SET_EXPIRY:
        return "Only editors can set when a story expires."
    if action == UPDATE:
        return "Only editors can mark a story as materially updated."
    return f"Only editors can {action.replace('_', ' ')} a story."


def can(user, action, article):
    """True when `user` may take `action` on `article` in its current state."""
    return not refusal(user, action, article)


def may_see_schedule(user):
    return user.is_active and (user.is_superuser or is_editor(user))


def schedule_refusal(user):
    return "" if may_see_schedule(user) else "Only editors see what is scheduled."


def may_take_on_some_article(user, action):
    """Whether bulk `action` is ever open to `user`: of the bulk transitions, writers may
    only submit (withdrawing and asking for an update are one story at a time); the rest
    are the desk's. Decides which bulk actions a person is offered."""
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser or is_editor(user):
        return True
    return action == SUBMIT and user.has_perm("articles.change_article")
