"""The photo list's filters and its two layouts (a table, or a grid of large thumbnails)."""

from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR
from django.db.models.functions import Trim

from .models import RIGHTS_WARNING_DAYS

LAYOUTS = {"list": "List", "grid": "Grid"}
LAYOUT_PARAM = "view"
LAYOUT_SESSION_KEY = "media_photo_list_layout"


class RightsStatusFilter(admin.SimpleListFilter):
    title = "rights"
    parameter_name = "rights"

    def lookups(self, request, model_admin):
        return [
            ("expired", "Expired"),
            ("expiring", f"Expiring within {RIGHTS_WARNING_DAYS} days"),
            ("valid", "Valid"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "expired":
            return queryset.rights_expired()
        if self.value() == "expiring":
            return queryset.rights_expiring()
        if self.value() == "valid":
            return queryset.rights_valid()
        return queryset


class AltTextFilter(admin.SimpleListFilter):
    """Photos a story cannot go live with yet: no alt text (blank counts as none, as the
    publication check Photo.publication_problems judges it)."""

    title = "alt text"
    parameter_name = "alt"

    def lookups(self, request, model_admin):
        return [("missing", "Missing"), ("written", "Written")]

    def queryset(self, request, queryset):
        if self.value() not in ("missing", "written"):
            return queryset
        trimmed = queryset.annotate(alt_text_trimmed=Trim("alt_text"))
        if self.value() == "missing":
            return trimmed.filter(alt_text_trimmed="")
        return trimmed.exclude(alt_text_trimmed="")


def list_layout(request):
    """The layout to show and the links that switch it, keeping the filters and search.

    `?view=grid` or `?view=list` chooses, and the choice is remembered in the session so
    that every filter, search and page link (built by the changelist from the rest of the
    query string) stays in it. The parameter is taken off before the changelist reads the
    query string, which would otherwise take it for a field lookup. The picker popup is
    always the table.
    """
    if IS_POPUP_VAR in request.GET:
        return "list", []
    if LAYOUT_PARAM in request.GET:
        chosen = request.GET.get(LAYOUT_PARAM)
        request.GET = request.GET.copy()
        del request.GET[LAYOUT_PARAM]
        if chosen in LAYOUTS:
            request.session[LAYOUT_SESSION_KEY] = chosen
    layout = request.session.get(LAYOUT_SESSION_KEY)
    layout = layout if layout in LAYOUTS else "list"
    links = []
    for key, label in LAYOUTS.items():
        params = request.GET.copy()
        params[LAYOUT_PARAM] = key
        links.append(
            {"key": key, "label": label, "url": f"?{params.urlencode()}", "current": key == layout}
        )
    return layout, links
