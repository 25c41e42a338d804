from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("tag/<slug:slug>/", views.tag_page, name="tag"),
    path("author/<slug:slug>/", views.author_page, name="author"),
    path("<slug:slug>/", views.section_page, name="section"),
    path("<slug:section>/<slug:slug>/", views.article_detail, name="detail"),
]
