"""The newsroom's admin site: Django's, with a "view on site" shortcut that asks the object's admin.

Django's `/admin/r/<content type>/<object>/` redirects any staff account to the
`get_absolute_url()` of any object of any model, registered or not. Here it answers
only for an object that the model's own ModelAdmin finds in its queryset and lets the
asker view, and only with the address that ModelAdmin itself would link to from the
change form; everything else is a 404, so the route says nothing about objects the
asker may not open (a draft's future address, a preview link's token).

Every admin view also answers a refusal with a page in the admin's look (core/refusals.py):
403 with the reason the rule gave, 404 that reads the same whatever was not found.

Installed through `NewsroomAdminConfig` in INSTALLED_APPS, so `admin.site` and
`@admin.register` keep working unchanged.
"""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse

from . import refusals


class NewsroomAdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        """Django's wrapper (sign-in, CSRF, no caching) around a view whose refusals are pages.

        Inside Django's wrapper, so only signed-in staff ever reach a refusal page; everyone
        else is sent to the login as before.
        """
        model_admin = refusals.model_admin_of(view)

        @wraps(view)
        def explained(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except PermissionDenied as refusal:
                reason = str(refusal) or refusals.unworded_refusal(
                    request, model_admin, refusals.page_permission(view, request)
                )
                return refusals.refusal_page(
                    self, request, reason=reason, status=403, model_admin=model_admin
                )
            except Http404:
                return refusals.refusal_page(
                    self, request, reason="", status=404, model_admin=model_admin
                )

        return super().admin_view(explained, cacheable)

    def get_urls(self):
        urls = [url for url in super().get_urls() if getattr(url, "name", None) != "view_on_site"]
        shortcut = path(
            "r/<path:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        # Before the catch-all view that ends Django's list.
        return [shortcut, *urls]

    def view_on_site(self, request, content_type_id, object_id):
        from django.contrib.contenttypes import views as contenttype_views
        from django.contrib.contenttypes.models import ContentType

        try:
            content_type = ContentType.objects.get_for_id(int(content_type_id))
        except (ValueError, ContentType.DoesNotExist):
            raise Http404("No such object.") from None
        model = content_type.model_class()
        if model is None or not self.is_registered(model):
            raise Http404("No such object.")
        model_admin = self.get_model_admin(model)
        obj = model_admin.get_object(request, object_id)
        if obj is None or not model_admin.has_view_or_change_permission(request, obj):
            raise Http404("No such object.")
        url = model_admin.get_view_on_site_url(obj)
        if url is None:
            raise Http404("This object has no page on the site.")
        shortcut_url = reverse(
            "admin:view_on_site",
            kwargs={"content_type_id": content_type.pk, "object_id": obj.pk},
            current_app=self.name,
        )
        if url == shortcut_url:
            # view_on_site = True: Django's shortcut finds get_absolute_url() and its domain.
            return contenttype_views.shortcut(request, content_type.pk, obj.pk)
        return HttpResponseRedirect(url)


class NewsroomAdminConfig(AdminConfig):
    default_site = "core.admin_site.NewsroomAdminSite"
