"""Files crawlers look for at fixed top-level addresses."""

from django.urls import path

from . import views

urlpatterns = [
    path("robots.txt", views.robots, name="robots-txt"),
    path(".well-known/tdmrep.json", views.tdmrep_json, name="tdmrep-json"),
]
