"""The newsroom's admin site: Django's, with a "view on site" shortcut that asks the object's admin.

Django's `/admin/r/<content type>/<object>/` redirects any staff account to the
`get_absolute_url()` of any object of any model, registered or not. Here it answers
only for an object that the model's own ModelAdmin finds in its queryset and lets the
asker view, and only with the address that ModelAdmin itself would link to from the
change form; everything else is a 404, so the route says nothing about objects the
asker may not open (a draft's future address, a preview link's token).

Installed through `NewsroomAdminConfig` in INSTALLED_APPS, so `admin.site` and
`@admin.register` keep working unchanged.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse


class NewsroomAdminSite(admin.AdminSite):
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
