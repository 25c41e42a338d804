"""Post the article admin form the way a browser does: everything the page shows, plus edits.

The data is read back from the rendered change form (main form and every inline),
so tests keep working when fields or inlines are added to the admin.
"""

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.urls import reverse


def _widget_data(bound_field):
    widget = bound_field.field.widget
    while hasattr(widget, "widget"):  # admin wrappers (related-object links, autocomplete)
        widget = widget.widget
    value = bound_field.value()
    name = bound_field.html_name
    if isinstance(widget, forms.MultiWidget):
        parts = value if isinstance(value, list | tuple) else widget.decompress(value)
        return {
            f"{name}{suffix}": subwidget.format_value(part) or ""
            for suffix, subwidget, part in zip(
                widget.widgets_names, widget.widgets, parts, strict=True
            )
        }
    if isinstance(widget, forms.CheckboxInput):
        return {name: "on"} if value else {}
    if isinstance(widget, forms.SelectMultiple):
        return {name: [str(item) for item in value or []]}
    formatted = widget.format_value(value)
    return {name: "" if formatted is None else formatted}


def _form_data(form, skip=()):
    data = {}
    for name in form.fields:
        if name not in skip:
            data.update(_widget_data(form[name]))
    return data


def form_data_from_response(response):
    """The POST a browser would send for an unchanged admin add/change page."""
    context = response.context
    data = _form_data(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update(
            {management.add_prefix(key): value for key, value in management.initial.items()}
        )
        shown_read_only = set(flatten_fieldsets(inline.fieldsets))
        for form in formset.forms:  # existing rows and blank extra rows, as rendered
            # Rows the user may not change are rendered as text, not as inputs.
            read_only = form.instance.pk and not inline.has_change_permission
            data.update(_form_data(form, skip=shown_read_only if read_only else ()))
    return data


def open_change_form(client, article):
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200, response.status_code
    return form_data_from_response(response)


def post_change_form(client, article, data, **changes):
    return client.post(
        reverse("admin:articles_article_change", args=[article.pk]), {**data, **changes}
    )


def form_errors(response):
    """Errors of the main form and the inlines, for readable assertion messages."""
    context = response.context
    if context is None or "adminform" not in context:
        return None
    errors = {"form": context["adminform"].form.errors}
    for inline in context["inline_admin_formsets"]:
        errors[inline.formset.prefix] = [inline.formset.non_form_errors(), inline.formset.errors]
    return errors


def user_in_role(role, **fields):
    """A staff user in one of the newsroom's role groups (articles/roles.py)."""
    from django.contrib.auth.models import Group

    from articles.roles import sync_roles

    from .factories import UserFactory

    sync_roles()
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name=role))
    return user
