"""The admin's answer when it refuses: a page in the admin's look that says why (403), or
that there is nothing here the asker may open (404).

Reasons are worded by the rule that refused: the workflow's and the photo and tag rules'
in articles/policies.py (raised as `PermissionDenied(reason)`), a role's missing model
permission here (`role_refusal`), a model's own fixed rule (a notice is never deleted)
next to that rule, in its ModelAdmin's `refusal_reasons`. Nothing else words a refusal.

A 404 reads the same whatever its cause: an object the asker may not see (a colleague's
draft) must be indistinguishable from one that never existed, so the page names neither
the object nor the exception's text.
"""

from django.contrib.admin import ModelAdmin
from django.contrib.auth import get_permission_codename
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import get_text_list

NOT_FOUND_TEXT = (
    "There is nothing at this address that you can open: it does not exist, or it is not "
    "yours to see."
)
# What each of Django's own ModelAdmin views needs; a change form that is only read needs
# "view" (Django lets view permission open it read-only).
VIEW_PERMISSION = {
    "changelist_view": "view",
    "add_view": "add",
    "change_view": "view",
    "delete_view": "delete",
    "history_view": "view",
}
VERBS = {"view": "open", "add": "add", "change": "change", "delete": "delete"}


def role_refusal(user, opts, action):
    """Why `user` may not `action` ("view", "add", "change", "delete") the model of `opts`
    when their roles lack the permission, naming the roles that have it; "" when the user
    holds the permission (the refusal is then some other rule's)."""
    wanted = ["view", "change"] if action == "view" else [action]
    codenames = [get_permission_codename(name, opts) for name in wanted]
    if user.is_superuser or any(
        user.has_perm(f"{opts.app_label}.{codename}") for codename in codenames
    ):
        return ""
    # Imported here: the admin site, which imports this module, loads before the models.
    from django.contrib.auth.models import Group

    roles = list(
        Group.objects.filter(
            permissions__content_type__app_label=opts.app_label,
            permissions__content_type__model=opts.model_name,
            permissions__codename__in=codenames,
        )
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)
    )
    doing = f"{VERBS[action]} {opts.verbose_name_plural}"
    if not roles:
        return f"Only an administrator can {doing}."
    noun = "role" if len(roles) == 1 else "roles"
    return f"Only the {get_text_list(roles, 'and')} {noun} can {doing}."


def page_permission(view, request):
    """The model permission one of Django's ModelAdmin views needs, or None for other views."""
    action = VIEW_PERMISSION.get(getattr(view, "__name__", ""))
    if action == "view" and view.__name__ == "change_view" and request.method == "POST":
        return "change"
    return action


def unworded_refusal(request, model_admin, action):
    """The reason for a PermissionDenied raised without one, by Django's own views."""
    if model_admin is None or action is None:
        return "Your role does not include this page."
    # A ModelAdmin's declared reason is a rule for everyone (nobody deletes a notice), so
    # it comes before the role's: no role would help.
    return (
        getattr(model_admin, "refusal_reasons", {}).get(action)
        or role_refusal(request.user, model_admin.opts, action)
        or "Your role does not allow this here."
    )


def model_admin_of(view):
    """The ModelAdmin a view belongs to (its views are bound methods), or None."""
    owner = getattr(view, "__self__", None)
    return owner if isinstance(owner, ModelAdmin) else None


def refusal_page(site, request, *, reason, status, model_admin=None):
    """The styled page: 403 with the reason, or 404 with the one not-found text."""
    back_url, back_label = None, ""
    if model_admin is not None and model_admin.has_view_or_change_permission(request):
        opts = model_admin.opts
        back_url = reverse(
            f"{site.name}:{opts.app_label}_{opts.model_name}_changelist", current_app=site.name
        )
        back_label = opts.verbose_name_plural
    context = {
        **site.each_context(request),
        "title": "Not found" if status == 404 else "Not allowed",
        "reason": NOT_FOUND_TEXT if status == 404 else reason,
        "back_url": back_url,
        "back_label": back_label,
    }
    return TemplateResponse(request, "admin/refused.html", context, status=status)


class UnseenIsNotFound:
    """ModelAdmin mixin for a queryset that hides objects from some people (a colleague's
    drafts, someone else's notifications): an object outside it is "not found", exactly like
    one that does not exist, on every page that looks one up (change, delete, history, the
    admin's extra views, "view on site").

    Django's own answer is a redirect with "… with ID “7” doesn't exist. Perhaps it was
    deleted?": not a 404, and it suggests the object was there. Here `get_object()` raises
    Http404 instead of returning None, before any permission is asked, and the admin site
    renders the one not-found page (NewsroomAdminSite.admin_view).
    """

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("Not found, or not yours to open.")
        return obj
