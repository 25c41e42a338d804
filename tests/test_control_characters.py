"""Control characters (issue 12, item 5): no text field accepts them, and feeds and sitemaps
stay well-formed XML whatever is stored."""

import datetime as dt

import feedparser
import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone
from lxml import etree
from taggit.models import Tag

from articles.models import Article, Author, Section
from core.validators import reject_control_characters, strip_stored_control_characters
from legal.models import LegalPage
from media.models import Photo

from .admin_forms import form_data_from_response, open_change_form, post_change_form
from .factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    LegalPageFactory,
    PhotoFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

OUR_APPS = ("articles", "media", "legal", "desk")
FEEDS = ["site-rss", "site-atom"]
OBJECT_FEEDS = ["section-rss", "section-atom", "tag-rss", "tag-atom", "author-rss", "author-atom"]


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="chief", is_superuser=True))
    return client


def text_fields():
    for app_label in OUR_APPS:
        for model in apps.get_app_config(app_label).get_models():
            for field in model._meta.get_fields():
                if isinstance(field, models.CharField | models.TextField):
                    yield f"{model._meta.label}.{field.name}", field


def test_every_text_field_of_our_apps_refuses_control_characters():
    """A text field added later cannot forget the rule: this lists it until it has it.
    Fields with choices are exempt, since only the choices' own values pass them."""
    missing = [
        label
        for label, field in text_fields()
        if not field.choices and reject_control_characters not in field.validators
    ]
    assert list(text_fields())  # the walk finds the fields at all
    assert missing == []


@pytest.mark.parametrize(
    ("character", "code"), [("\x0b", "U+000B"), ("\x01", "U+0001"), ("\x7f", "U+007F")]
)
def test_admin_refuses_a_headline_with_a_control_character_and_keeps_the_text(
    superuser_client, character, code
):
    article = ArticleFactory(headline="Harbour reopens")
    BylineFactory(article=article)
    data = open_change_form(superuser_client, article)
    typed = f"Harbour{character}reopens after storm"

    response = post_change_form(superuser_client, article, data, headline=typed)

    assert response.status_code == 200  # the form again, not a redirect
    errors = response.context["adminform"].form.errors["headline"]
    assert any(f"control character ({code})" in error for error in errors), errors
    assert response.context["adminform"].form["headline"].value() == typed
    article.refresh_from_db()
    assert article.headline == "Harbour reopens"


def test_admin_keeps_tabs_and_line_breaks_in_a_body(superuser_client):
    article = ArticleFactory()
    BylineFactory(article=article)
    data = open_change_form(superuser_client, article)
    body = "First paragraph.\r\n\r\n\tIndented second paragraph."

    response = post_change_form(superuser_client, article, data, body=body)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == body


def test_admin_refuses_a_tag_with_a_control_character(superuser_client):
    article = ArticleFactory()
    BylineFactory(article=article)
    data = open_change_form(superuser_client, article)

    response = post_change_form(superuser_client, article, data, tags="storm, bad\x1ftag")

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["tags"]
    assert any("control character (U+001F)" in error for error in errors), errors
    assert list(article.tags.names()) == []


def test_admin_refuses_a_tag_longer_than_a_tag_name_may_be(superuser_client):
    article = ArticleFactory()
    BylineFactory(article=article)
    data = open_change_form(superuser_client, article)

    response = post_change_form(superuser_client, article, data, tags="x" * 101)

    assert response.status_code == 200
    assert "at most 100 characters" in " ".join(response.context["adminform"].form.errors["tags"])


@pytest.mark.parametrize(
    ("url_name", "field"),
    [
        ("admin:articles_section_add", "name"),
        ("admin:articles_author_add", "bio"),
        ("admin:legal_legalpage_add", "body"),
        ("admin:legal_crawler_add", "notes"),
        ("admin:taggit_tag_add", "name"),
    ],
)
def test_other_admin_forms_refuse_control_characters_too(superuser_client, url_name, field):
    page = superuser_client.get(reverse(url_name))
    data = form_data_from_response(page)

    response = superuser_client.post(reverse(url_name), {**data, field: "one\x0ctwo"})

    assert response.status_code == 200
    assert "control character (U+000C)" in str(response.context["adminform"].form.errors[field])


@pytest.fixture
def stored_with_control_characters(settings):
    """Rows written around the forms (an import, queryset.update(), raw SQL)."""
    settings.SITE_URL = "https://example-news.com"
    section = SectionFactory(name="Local", slug="local")
    author = AuthorFactory(name="Anna Nowak", slug="anna-nowak")
    photo = PhotoFactory()
    article = ArticleFactory(
        section=section, tags=["storm"], lead_photo=photo, published_at=timezone.now()
    )
    BylineFactory(article=article, author=author)
    BylineFactory(article=article, author=None, contributor="Jan", position=1)
    Article.objects.filter(pk=article.pk).update(
        headline="Harbour\x0breopens\ufffe",
        lead="Ferries\x1b[31m sail",
        body_html="<p>Body\x08</p>",
        source_line="\x07Agency",
        lead_photo_caption="Caption\x01",
    )
    Section.objects.filter(pk=section.pk).update(name="Lo\x0ccal", description="About\x02")
    Author.objects.filter(pk=author.pk).update(name="Anna\x0bNowak")
    Photo.objects.filter(pk=photo.pk).update(
        photographer="Viktor\x03", alt_text="Alt\x04", caption="Cap\x05"
    )
    article.bylines.filter(author=None).update(contributor="Jan\x06")
    article.tags.update(name="storm\x0e")
    return article


@pytest.mark.parametrize("full_text", [False, True])
@pytest.mark.parametrize("name", FEEDS + OBJECT_FEEDS)
def test_every_feed_stays_well_formed_whatever_is_stored(
    client, settings, stored_with_control_characters, name, full_text
):
    settings.FEED_FULL_TEXT = full_text
    slugs = {"section": "local", "tag": "storm", "author": "anna-nowak"}
    kwargs = {} if name in FEEDS else {"slug": slugs[name.split("-")[0]]}

    response = client.get(reverse(f"feeds:{name}", kwargs=kwargs))

    assert response.status_code == 200
    etree.fromstring(response.content)  # raises on a character XML 1.0 forbids
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.entries[0].title == "Harbourreopens"


@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-news.xml", "/sitemap-articles.xml"])
def test_sitemaps_stay_well_formed_whatever_is_stored(client, stored_with_control_characters, url):
    response = client.get(url)

    assert response.status_code == 200
    document = etree.fromstring(response.content)
    if url == "/sitemap-news.xml":
        title = document.find(".//{http://www.google.com/schemas/sitemap-news/0.9}title")
        assert title.text == "Harbourreopens"


def test_data_migration_strips_control_characters_from_stored_rows():
    article = ArticleFactory(body="Keep\ttabs\nand lines")
    page = LegalPageFactory()
    Article.objects.filter(pk=article.pk).update(headline="Harbour\x0breopens", lead="A\x1fB")
    LegalPage.objects.filter(pk=page.pk).update(title="Terms\x7f")
    untouched = ArticleFactory(headline="Clean")
    modified = Article.objects.get(pk=untouched.pk).modified

    for app_label in OUR_APPS:
        strip_stored_control_characters(apps, app_label)

    article.refresh_from_db()
    page.refresh_from_db()
    assert (article.headline, article.lead, article.body) == (
        "Harbourreopens",
        "AB",
        "Keep\ttabs\nand lines",
    )
    assert page.title == "Terms"
    assert Article.objects.get(pk=untouched.pk).modified == modified


def test_stored_published_at_is_kept_by_the_data_migration():
    """The strip writes text columns only: go-live times and versions stay as they were."""
    when = dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)
    article = ArticleFactory(published_at=when)
    Article.objects.filter(pk=article.pk).update(headline="A\x0bB")
    version = Article.objects.get(pk=article.pk).lock_version

    strip_stored_control_characters(apps, "articles")

    stored = Article.objects.get(pk=article.pk)
    assert (stored.headline, stored.published_at, stored.lock_version) == ("AB", when, version)


def merge_all_tags_into(client, name):
    return client.post(
        reverse("admin:taggit_tag_changelist"),
        {
            "action": "merge_tags",
            "_selected_action": list(Tag.objects.values_list("pk", flat=True)),
            "apply": "1",
            "name": name,
        },
    )


def test_merging_tags_into_a_name_with_a_control_character_is_refused(superuser_client):
    ArticleFactory(tags=["harbour", "ferries"])

    response = merge_all_tags_into(superuser_client, "Po\x0brt")

    assert response.status_code == 200  # the merge page again, with the reason
    assert "control character (U+000B)" in str(response.context["form"].errors["name"])
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["ferries", "harbour"]


def test_renaming_a_tag_with_a_control_character_is_refused(superuser_client):
    ArticleFactory(tags=["harbour"])
    harbour = Tag.objects.get(name="harbour")

    response = superuser_client.post(
        reverse("admin:taggit_tag_change", args=[harbour.pk]),
        {"name": "Har\x0bbour", "slug": "harbour"},
    )

    assert response.status_code == 200
    assert "control character (U+000B)" in str(response.context["adminform"].form.errors["name"])
    assert Tag.objects.get(pk=harbour.pk).name == "harbour"


def test_the_articles_data_migration_leaves_the_history_as_it_was_written():
    """Workflow events, revisions and deleted-article records are append-only history:
    the migration cleans what readers get, never rewrites what happened."""
    from importlib import import_module
    from types import SimpleNamespace

    from django.db import connection

    from articles.models import ArticleEvent
    from articles.models.editing import ArticleRevision

    migration = import_module("articles.migrations.0012_text_refuses_control_characters")
    article = ArticleFactory()
    event = ArticleEvent.objects.create(
        article=article,
        action="submit",
        from_status="draft",
        to_status="review",
        comment="Please\x0b check",
        details="at 10:00\x1f",
    )
    revision = ArticleRevision.objects.create(
        article=article, number=99, content={}, comment="typo\x0c fixed"
    )
    Article.objects.filter(pk=article.pk).update(headline="Harbour\x0breopens")

    migration.strip_control_characters(apps, SimpleNamespace(connection=connection))

    event.refresh_from_db()
    revision.refresh_from_db()
    assert (event.comment, event.details) == ("Please\x0b check", "at 10:00\x1f")
    assert revision.comment == "typo\x0c fixed"
    assert Article.objects.get(pk=article.pk).headline == "Harbourreopens"
