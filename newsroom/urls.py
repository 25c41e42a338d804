from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from media.views import serve_upload
from publishing.query_params import reads_query_params

# A database failure outside any view is an outage (503), not a bug (500).
handler500 = "ops.outage.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Two-factor sign-in for the admin; outside /admin/ so the 2FA gate lets it through.
    # Each person's calendar feed at a secret address (no session: calendar apps fetch it).
    path("staff/", include("desk.urls")),
    path("staff/", include("staff.urls")),
    path("legal/", include("legal.urls")),
    path("", include("legal.root_urls")),
    path("feeds/", include("articles.feed_urls")),
    path("", include("newsroom.sitemap_urls")),
]

if settings.SERVE_MEDIA:
    # Embedded installs serve uploads themselves; scale-out installs use object storage.
    urlpatterns += [
        re_path(
            r"^uploads/(?P<path>.*)$",
            reads_query_params()(serve_upload),
            name="upload",
        )
    ]

# Sections take the remaining top-level paths, so they come last.
urlpatterns += [path("", include("articles.urls"))]
