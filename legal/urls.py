from django.urls import path

from . import views

app_name = "legal"

urlpatterns = [
    path("tdm-policy.json", views.tdm_policy, name="tdm-policy"),
    path("<slug:slug>/", views.legal_page, name="page"),
]
