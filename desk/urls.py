from django.urls import path

from . import views

app_name = "desk"

urlpatterns = [
    # Outside /admin/: calendar apps fetch it with the token alone, no session.
    path("calendar/<str:token>.ics", views.calendar_feed_view, name="calendar_feed"),
]
