from django.urls import path, register_converter

from . import (
    converters,  # noqa: F401  (registers <tag_slug:>)
    views,
    views_editing,
)


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"


class MonthConverter:
    """Two digits, 01 to 12: one stable address per month (/archive/2026/03/)."""

    regex = "0[1-9]|1[0-2]"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(YearConverter, "year")
register_converter(MonthConverter, "month")

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("tag/<tag_slug:slug>/", views.tag_page, name="tag"),
    path("author/<slug:slug>/", views.author_page, name="author"),
    path("corrections/", views_editing.corrections_page, name="corrections"),
    path("preview/<int:pk>/<str:token>/", views_editing.preview_link, name="preview_link"),
    path("archive/", views.archive_index, name="archive"),
    path("archive/<year:year>/<month:month>/", views.archive_month, name="archive_month"),
    path("<slug:slug>/", views.section_page, name="section"),
    path("<slug:section>/<slug:slug>/", views.article_detail, name="detail"),
]
