"""Planning: who sees which assignment, and turning one into a draft.

Editors (who hold `desk.change_assignment`) plan: they see, create and assign every
assignment. A writer sees only the assignments given to them (`desk.view_assignment`,
filtered to their own). Either may start the draft of an open assignment: the draft is the
assignee's, whoever clicks.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, Author, Byline, SlugRedirect

from .models import Assignment


def is_staff_member(user):
    return user.is_authenticated and user.is_active and user.is_staff


def sees_every_assignment(user):
    return is_staff_member(user) and user.has_perm("desk.change_assignment")


def may_write(user):
    """Who may be assigned a story: active staff who may create articles."""
    return is_staff_member(user) and user.has_perm("articles.add_article")


def visible_assignments(user, queryset=None):
    """The assignments `user` may see: all for editors, their own for writers, else none."""
    queryset = Assignment.objects.all() if queryset is None else queryset
    if sees_every_assignment(user):
        return queryset
    if is_staff_member(user) and user.has_perm("desk.view_assignment"):
        return queryset.filter(assignee=user)
    return queryset.none()


def open_assignments_for(user):
    """The person's own assignments with no draft yet, soonest due first: the desk's
    "Assignments" queue. One query when iterated (section included)."""
    return (
        visible_assignments(user)
        .open()
        .filter(assignee=user)
        .select_related("section")
        .order_by("due_at", "id")
    )


def may_start(user, assignment):
    """Whether `user` may turn `assignment` into a draft now."""
    if assignment.is_started or not may_write(user):
        return False
    return assignment.assignee_id == user.pk or sees_every_assignment(user)


def unused_slug(headline, fallback):
    """A slug no article uses and no old address redirects from, from the headline."""
    base = slugify(headline)[:180].strip("-") or fallback
    taken = set(Article.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= set(
        SlugRedirect.objects.filter(old_slug__startswith=base).values_list("old_slug", flat=True)
    )
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def byline_for(user):
    """The writer's author profile if they have one, else their name as a contributor."""
    author = Author.objects.filter(user=user).first()
    if author is not None:
        return {"author": author}
    return {"contributor": user.get_full_name() or user.get_username()}


def assignment_start_draft(*, assignment, user):
    """Create the assignment's draft (working headline, section, the assignee as author)
    and link it; returns the draft. Raises PermissionDenied or ValidationError.

    The assignment row is locked first, so two clicks (or two people) make one draft.
    """
    with transaction.atomic():
        locked = (
            Assignment.objects.select_for_update()
            .select_related("assignee", "section")
            .filter(pk=assignment.pk)
            .first()
        )
        if locked is None:
            raise ValidationError("This assignment has been deleted.", code="deleted")
        if locked.is_started:
            raise ValidationError(
                "The draft of this assignment was started already.", code="started"
            )
        if not (user.pk == locked.assignee_id or sees_every_assignment(user)):
            raise PermissionDenied
        if not may_write(user):
            raise PermissionDenied
        assignee = locked.assignee
        if not may_write(assignee):
            raise ValidationError(
                f"{assignee.get_full_name() or assignee.get_username()} can no longer write "
                "stories. Assign the story to someone else first.",
                code="assignee_cannot_write",
            )
        article = Article(
            headline=locked.working_headline,
            slug=unused_slug(locked.working_headline, f"assignment-{locked.pk}"),
            lead="",
            body="",
            section=locked.section,
            status=Article.Status.DRAFT,
            created_by=assignee,
        )
        # The writer fills in the lead and body; publishing checks them (publication_problems).
        article.full_clean(exclude=["lead", "body"])
        article.save()
        Byline.objects.create(article=article, position=0, **byline_for(assignee))
        locked.article = article
        locked.started_at = timezone.now()
        locked.save(update_fields=["article", "started_at"])
    assignment.article, assignment.started_at = locked.article, locked.started_at
    assignment.version = locked.version
    return article
