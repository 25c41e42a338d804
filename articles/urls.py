from django.urls import path

from . import views, views_editing

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("tag/<slug:slug>/", views.tag_page, name="tag"),
    path("author/<slug:slug>/", views.author_page, name="author"),
    path("corrections/", views_editing.corrections_page, name="corrections"),
    path("preview/<int:pk>/<str:token>/", views_editing.preview_link, name="preview_link"),
    path("<slug:slug>/", views.section_page, name="section"),
    path("<slug:section>/<slug:slug>/", views.article_detail, name="detail"),
]
