"""Friendly error pages in the site's design."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.views.defaults import server_error

from .factories import SectionFactory

pytestmark = pytest.mark.django_db


def test_missing_page_is_a_404_in_the_site_design_with_ways_onward(client, settings):
    SectionFactory(name="Culture", slug="culture")
    response = client.get("/culture/no-such-story/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We can’t find that page" in html
    assert f'<a class="site-title" href="/">{settings.SITE_NAME}</a>' in html
    assert 'role="search"' in html  # the search box in the header
    assert '<a href="/culture/">Culture</a>' in html
    assert '<a href="/archive/">The archive</a>' in html
    assert '<main id="main"' in html


def test_server_error_page_renders_without_database_or_context_processors(settings):
    """Django renders 500.html with an empty context; it must not need the database,
    which may be the very thing that failed."""
    request = RequestFactory().get("/")
    with CaptureQueriesContext(connection) as queries:
        response = server_error(request)
    assert len(queries) == 0
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert f'<html lang="{settings.SITE_LANGUAGE}">' in html
    assert settings.SITE_NAME in html
    assert "/static/css/site.css" in html


def test_an_exception_in_a_view_shows_the_friendly_500_page(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("articles.views.front_page", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "database on fire" not in response.content.decode()
