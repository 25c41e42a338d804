"""Hostile input (issue 12): XSS vectors, control characters, 10,000-character strings,
right-to-left marks and emoji in every text field of every model editable in the admin.

The admin either stores the text as typed or refuses it with a clear message (never a 500),
and every public page type, feed, sitemap and JSON-LD block built from what it stored stays
free of injected markup and well-formed.

One site is built through the admin for the whole module (inside a transaction rolled back
at the end); each page type is then its own test.
"""

import json
import re

import feedparser
import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from lxml import etree
from taggit.models import Tag, TaggedItem

from articles import services
from articles.editing import correction_add
from articles.models import Article, Author, DeletedArticle, HomepageSlot, Section
from articles.writing import HEADLINE_LIMIT, shortened
from legal.models import Crawler, LegalPage, Notice, NoticeVersion, Publisher
from media.models import Photo

from .admin_forms import form_data_from_response, form_errors
from .factories import UserFactory, jpeg_bytes

XSS = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
JAVASCRIPT_URL = "javascript:alert(1)"
MARKDOWN_LINK = f"[click]({JAVASCRIPT_URL})"
RIGHT_TO_LEFT = "\u202egnp.exe\u200f"
EMOJI = "👩\u200d👩\u200d👧\u200d👦 🏳\ufe0f\u200d🌈 👍🏽"
PAYLOAD = f"{XSS} {JAVASCRIPT_URL} {MARKDOWN_LINK} {RIGHT_TO_LEFT} {EMOJI}"
LONG = " ".join(["word"] * 2000)  # 9,999 characters
HOSTILE_URL = 'https://example.com/?q="><script>alert(1)</script>'
# Markup that must never reach a page unescaped.
INJECTED = ["<script>alert", "<img src=x", 'href="javascript:', "href='javascript:"]

# Fields whose values a model constrains: given a valid value, not the payload.
SLUGS = {
    "Section": "hostile",
    "Author": "hostile-author",
    "Article": "hostile-story",
    "Tag": "hostile-tag",
}
VALID_VALUES = {
    "email": "legal@example.com",
    "token": "HostileBot",
    "phone": "+48 22 123 45 67",
    "licence_url": HOSTILE_URL,
    "licensor_url": HOSTILE_URL,
    "link_url": "",
}
# The article form's tags: django-taggit's own model, through the article form.
TAG_XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>"
TAG_NAMES = {TAG_XSS, f"{EMOJI} żółw", f"{RIGHT_TO_LEFT}kot"}
TAGS = ", ".join(sorted(TAG_NAMES))

# Tag: django-taggit's model, through our tag admin (articles/admin_tags.py).
ADMIN_MODELS = [Section, Author, Article, Photo, LegalPage, Notice, Publisher, Crawler, Tag]


def add_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def form_url(model):
    if model is Publisher:  # one row: its change form is its add form
        return reverse("admin:legal_publisher_change", args=[Publisher.SINGLETON_PK])
    return add_url(model)


def model_text_field(model, name):
    """The model text field behind an admin form field (NoticeForm edits NoticeVersion's)."""
    for candidate in (model, NoticeVersion):
        try:
            field = candidate._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if isinstance(field, models.CharField | models.TextField) and not field.choices:
            return field
    return None


def text_fields_of(form, model):
    return {
        name: field
        for name in form.fields
        if (field := model_text_field(model, name)) is not None and field.editable
    }


def constrained(name):
    return name in VALID_VALUES or name == "slug"


def fill(form, model, value_for):
    """`{field name: value}` for every text field of the admin form."""
    valid = {**VALID_VALUES, "slug": SLUGS.get(model.__name__, "hostile-page")}
    return {
        name: valid.get(name, value_for(field))
        for name, field in text_fields_of(form, model).items()
    }


def payload_for(field):
    if isinstance(field, models.TextField):
        return f"{PAYLOAD}\n\n{LONG}"
    return PAYLOAD[: field.max_length].strip()


def extra_data(model, refs):
    """What each form needs besides text: a choice, a picture, a relation."""
    if model is Article:
        return {
            "section": refs["section"].pk,
            "lead_photo": refs["photo"].pk,
            "tags": TAGS,
            "bylines-TOTAL_FORMS": "2",
            "bylines-0-author": refs["author"].pk,
            "bylines-0-position": "0",
            "bylines-1-contributor": PAYLOAD[:150].strip(),
            "bylines-1-position": "1",
        }
    if model is Photo:
        return {
            "image": SimpleUploadedFile("photo.jpg", jpeg_bytes(640, 400), "image/jpeg"),
            "rights_expire_at_0": "",
        }
    if model is Notice:
        return {"kind": Notice.Kind.SYNDICATION, "page": refs["legal_page"].pk}
    if model is Crawler:
        return {"purpose": Crawler.Purpose.TRAINING}
    return {}


def post_admin_form(client, model, refs, value_for, **overrides):
    """The admin form of `model` as a browser sends it, text fields set by `value_for`."""
    page = client.get(form_url(model))
    assert page.status_code == 200, model
    form = page.context["adminform"].form
    data = {**form_data_from_response(page), **extra_data(model, refs)}
    text = fill(form, model, value_for)
    if model is Notice:  # the notice's text must hold its link text
        text["link_text"] = text["text"][:60].strip()
    return client.post(form_url(model), {**data, **text, **overrides}), text


def stored(model):
    return model.objects.order_by("-pk").first()


def build_site():
    """Every admin-editable model filled with the payload through the admin, then published."""
    user = UserFactory(username="chief", is_superuser=True)
    client = Client()
    client.force_login(user)
    refs = {}
    for model, key in [
        (Section, "section"),
        (Author, "author"),
        (Photo, "photo"),
        (LegalPage, "legal_page"),
        (Notice, "notice"),
        (Publisher, "publisher"),
        (Crawler, "crawler"),
        (Article, "article"),
        (Tag, "tag"),
    ]:
        response, submitted = post_admin_form(client, model, refs, payload_for)
        assert response.status_code == 302, (model, form_errors(response))
        refs[key] = stored(model)
        refs[f"{key}_submitted"] = submitted
    article = refs["article"]
    services.article_publish(article=article, user=user)
    correction_add(article=article, kind="correction", text=PAYLOAD, user=user)
    HomepageSlot.objects.create(position=1, article=article)
    refs["user"] = user
    return refs


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings as django_settings

    # What the per-test fixtures of conftest.py set, for this module-wide set-up.
    settings = {
        "STORAGES": {
            **django_settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        "PAGE_CACHE_ENABLED": False,
        "MEDIA_ROOT": tmp_path_factory.mktemp("uploads"),
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "SITE_URL": "https://example-news.com",
    }
    with django_db_blocker.unblock(), override_settings(**settings), transaction.atomic():
        yield build_site()
        transaction.set_rollback(True)


@pytest.fixture
def superuser_client(client, site):
    client.force_login(site["user"])
    return client


# The admin: stored as typed, or refused clearly --------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model.__name__)
def test_the_admin_stores_hostile_text_exactly_as_typed(site, model):
    key = {LegalPage: "legal_page"}.get(model, model.__name__.lower())
    saved, submitted = site[key], site[f"{key}_submitted"]
    if model is Notice:
        saved = saved.versions.get()
    for name, value in submitted.items():
        assert getattr(saved, name) == value, name
    assert submitted  # the form had text fields to fill


@pytest.mark.django_db
def test_tags_with_markup_and_emoji_are_stored_and_slugged(site):
    names = set(site["article"].tags.names())
    assert names == TAG_NAMES
    assert all(Tag.objects.get(name=name).slug for name in names)


@pytest.mark.django_db
@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model.__name__)
def test_the_admin_refuses_control_characters_in_every_text_field(superuser_client, site, model):
    response, submitted = post_admin_form(
        superuser_client, model, site, lambda field: "before\x0bafter"
    )
    checked = {name for name in submitted if not constrained(name)}

    assert response.status_code == 200
    errors = form_errors(response)["form"]
    for name in checked:
        assert "control character (U+000B)" in str(errors.get(name)), (name, errors)
    assert checked


@pytest.mark.django_db
@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model.__name__)
def test_the_admin_refuses_ten_thousand_characters_where_a_field_has_a_limit(
    superuser_client, site, model
):
    response, submitted = post_admin_form(superuser_client, model, site, lambda field: "x" * 10_000)
    limited = {
        name
        for name, field in text_fields_of(response.context["adminform"].form, model).items()
        if field.max_length and not constrained(name)
    }
    limited.discard("link_text")  # post_admin_form fits it to the notice's text

    assert response.status_code == 200
    errors = form_errors(response)["form"]
    for name in limited:
        assert "at most" in str(errors.get(name)) and "10000" in str(errors.get(name)), name


@pytest.mark.django_db
def test_a_ten_thousand_character_tag_is_refused_clearly(superuser_client, site):
    response, _ = post_admin_form(
        superuser_client, Article, site, lambda field: "Plain text", slug="tags", tags="y" * 10_000
    )

    assert response.status_code == 200
    assert "at most 100 characters" in str(form_errors(response)["form"]["tags"])


# Every public page type --------------------------------------------------------------------


def public_urls(site):
    article = site["article"]
    section, author = site["section"], site["author"]
    tag = Tag.objects.get(name=TAG_XSS)
    local = timezone.localtime(article.published_at)
    return {
        "home": reverse("articles:home"),
        "section": section.get_absolute_url(),
        "tag": reverse("articles:tag", args=[tag.slug]),
        "author": author.get_absolute_url(),
        "article": article.get_absolute_url(),
        "search": reverse("articles:search") + "?q=" + XSS,
        "search-hit": reverse("articles:search") + "?q=alert",
        "archive": reverse("articles:archive"),
        "archive-month": reverse("articles:archive_month", args=[local.year, local.month]),
        "corrections": reverse("articles:corrections"),
        "legal-page": site["legal_page"].get_absolute_url(),
        "not-found": "/hostile/<script>alert(1)</script>/",
        "robots": "/robots.txt",
        "tdmrep": "/.well-known/tdmrep.json",
        "rss": reverse("feeds:site-rss"),
        "atom": reverse("feeds:site-atom"),
        "section-rss": reverse("feeds:section-rss", args=[section.slug]),
        "section-atom": reverse("feeds:section-atom", args=[section.slug]),
        "tag-rss": reverse("feeds:tag-rss", args=[tag.slug]),
        "tag-atom": reverse("feeds:tag-atom", args=[tag.slug]),
        "author-rss": reverse("feeds:author-rss", args=[author.slug]),
        "author-atom": reverse("feeds:author-atom", args=[author.slug]),
        "sitemap-index": reverse("sitemap-index"),
        "sitemap-news": reverse("sitemap-news"),
        **{
            f"sitemap-{kind}": reverse("sitemap", args=[kind])
            for kind in ["articles", "sections", "tags", "authors", "legal"]
        },
    }


PAGE_TYPES = [
    "home",
    "section",
    "tag",
    "author",
    "article",
    "search",
    "search-hit",
    "archive",
    "archive-month",
    "corrections",
    "legal-page",
    "not-found",
]
FEEDS = [
    "rss",
    "atom",
    "section-rss",
    "section-atom",
    "tag-rss",
    "tag-atom",
    "author-rss",
    "author-atom",
]
SITEMAPS = [
    "sitemap-index",
    "sitemap-news",
    "sitemap-articles",
    "sitemap-sections",
    "sitemap-tags",
    "sitemap-authors",
    "sitemap-legal",
]
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGE_TYPES)
def test_html_pages_show_hostile_text_as_text(client, site, page):
    response = client.get(public_urls(site)[page])
    html = response.content.decode()

    assert response.status_code == (404 if page == "not-found" else 200)
    for markup in INJECTED:
        assert markup not in html, markup
    for block in JSON_LD.findall(html):
        json.loads(block)
        assert "</script" not in block.lower() and "<!--" not in block
    if page in {"article", "home", "section", "author", "tag", "search-hit"}:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, as text
        assert EMOJI in html and RIGHT_TO_LEFT in html


@pytest.mark.django_db
def test_the_article_page_keeps_its_json_ld_whole(client, site):
    html = client.get(site["article"].get_absolute_url()).content.decode()

    graph = [json.loads(block) for block in JSON_LD.findall(html)]

    items = [item for block in graph for item in (block if isinstance(block, list) else [block])]
    news_article = next(item for item in items if "headline" in item)
    # Structured data keeps to its 110 characters (articles/seo.py): the text, cut at a word.
    assert news_article["headline"] == shortened(site["article"].headline, HEADLINE_LIMIT)
    assert news_article["headline"].startswith("<script>alert(1)</script>")


@pytest.mark.django_db
@pytest.mark.parametrize("feed", FEEDS)
def test_feeds_stay_well_formed_with_hostile_text(client, settings, site, feed):
    settings.FEED_FULL_TEXT = feed.endswith("atom")  # both kinds of item description
    response = client.get(public_urls(site)[feed])

    assert response.status_code == 200
    etree.fromstring(response.content)
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    entry = parsed.entries[0]
    assert entry.title == site["article"].headline
    assert "<script" not in entry.get("summary", "") and "onerror" not in re.sub(
        r"&lt;.*?&gt;", "", entry.get("summary", "")
    )


@pytest.mark.django_db
@pytest.mark.parametrize("sitemap", SITEMAPS)
def test_sitemaps_stay_well_formed_with_hostile_text(client, site, sitemap):
    response = client.get(public_urls(site)[sitemap])

    assert response.status_code == 200
    document = etree.fromstring(response.content)
    assert len(document)  # lists the hostile site's pages


@pytest.mark.django_db
@pytest.mark.parametrize("document", ["robots", "tdmrep"])
def test_machine_readable_files_stay_whole(client, site, document):
    response = client.get(public_urls(site)[document])

    assert response.status_code == 200
    if document == "robots":
        lines = response.content.decode().splitlines()
        assert all(
            line == "" or line.startswith("#") or re.match(r"^[A-Za-z-]+: ", line) for line in lines
        ), lines
    else:
        json.loads(response.content)


@pytest.mark.django_db
def test_the_walk_covers_every_text_field_of_every_admin_model(site):
    """Each admin-editable model of our apps is filled above, through each of its text
    fields that its admin form shows: a model added to the admin later joins the list."""
    editable = {
        model
        for app_label in ("articles", "media", "legal", "taggit")
        for model in apps.get_app_config(app_label).get_models()
        if admin.site.is_registered(model)
    }
    read_only_or_no_text = {NoticeVersion, HomepageSlot, DeletedArticle, TaggedItem}
    assert editable - read_only_or_no_text == set(ADMIN_MODELS)


@pytest.mark.django_db
def test_a_tag_without_a_letter_or_digit_is_refused_clearly(superuser_client, site):
    response, _ = post_admin_form(
        superuser_client, Article, site, lambda field: "Plain text", slug="tags", tags="👍, \u202e"
    )

    assert response.status_code == 200
    errors = str(form_errors(response)["form"]["tags"])
    assert "“👍” cannot be a tag: a tag needs a letter or a digit" in errors


@pytest.mark.django_db
def test_merging_tags_into_a_name_without_a_letter_or_digit_is_refused(client):
    from articles import roles

    from .factories import ArticleFactory, user_with_role

    article = ArticleFactory(tags=["harbour", "ferries"])
    client.force_login(user_with_role(roles.EDITOR, username="editor"))

    response = client.post(
        reverse("admin:taggit_tag_changelist"),
        {
            "action": "merge_tags",
            "_selected_action": [tag.pk for tag in article.tags.all()],
            "apply": "1",
            "name": "🔥",
        },
    )

    assert response.status_code == 200
    assert "“🔥” cannot be a tag" in str(response.context["form"].errors["name"])
    assert not Tag.objects.filter(slug="").exists()
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_the_merge_service_refuses_a_name_without_a_letter_or_digit_whoever_calls_it():
    from django.core.exceptions import ValidationError

    from articles.tagging import tags_merge

    from .factories import ArticleFactory

    ArticleFactory(tags=["harbour", "ferries"])
    superuser = UserFactory(username="chief2", is_superuser=True)

    tags = list(Tag.objects.filter(name__in=["harbour", "ferries"]))

    with pytest.raises(ValidationError, match="cannot be a tag"):
        tags_merge(tags=tags, name="🔥", user=superuser)
    assert Tag.objects.filter(name__in=["harbour", "ferries"]).count() == 2


@pytest.mark.django_db
def test_a_tag_named_beyond_ascii_has_working_pages(client, settings):
    from .factories import ArticleFactory

    settings.SITE_URL = "https://example-news.com"
    article = ArticleFactory(tags=["Żółw"])
    tag = article.tags.get()

    for url in [
        article.get_absolute_url(),
        reverse("articles:tag", args=[tag.slug]),
        reverse("feeds:tag-rss", args=[tag.slug]),
        reverse("feeds:tag-atom", args=[tag.slug]),
        reverse("sitemap", args=["tags"]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "/tag/%C5%BC%C3%B3%C5%82w/" in response.content.decode()


@pytest.mark.django_db
def test_the_migration_gives_an_address_to_tags_stored_without_one():
    from importlib import import_module

    migration = import_module("articles.migrations.0012_text_refuses_control_characters")
    emoji = Tag.objects.create(name="👍", slug="")
    Tag.objects.create(name="Tag 1", slug=f"tag-{emoji.pk}")

    migration.give_every_tag_an_address(apps, None)

    emoji.refresh_from_db()
    assert emoji.slug == f"tag-{emoji.pk}_"
