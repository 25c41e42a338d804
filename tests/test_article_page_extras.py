"""The article page reads its bylines, tags and whether it has corrections from the page
extras kept with the article (articles/models/page_extras.py): every change to a byline,
an author, a tag or a correction is on the page at the next request, whichever way it is
made."""

import json
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag

from articles import page_extras
from articles.models import Article, ArticlePageExtras

from .admin_forms import form_errors, open_change_form, post_change_form
from .factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    CorrectionFactory,
    DraftArticleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief(client):
    user = UserFactory(username="chief", is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def shown(client, article):
    """What readers see of the extras: (byline line, tag links, meta tags, JSON-LD)."""
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    byline = re.search(r'<p class="byline">(.*?)</p>', html)
    tags = re.findall(r'<li><a href="(/tag/[^"]+/)">([^<]+)</a></li>', html)
    meta = re.findall(r'<meta property="article:tag" content="([^"]+)">', html)
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1))
    return (
        byline.group(1) if byline else None,
        tags,
        meta,
        [(person["name"], person.get("url")) for person in ld["author"]],
        ld.get("keywords", []),
    )


def test_the_page_shows_bylines_and_tags_without_reading_their_tables(client):
    article = ArticleFactory(tags=["storm", "harbour"])
    BylineFactory(article=article, author=AuthorFactory(name="Anna Nowak", slug="anna-nowak"))
    BylineFactory(article=article, author=None, contributor="A Contributor", position=1)
    client.get("/")  # fills the site-wide caches

    with CaptureQueriesContext(connection) as queries:
        byline, tags, meta, authors, keywords = shown(client, article)

    assert byline == 'By <a href="/author/anna-nowak/">Anna Nowak</a> and A Contributor'
    assert tags == [("/tag/storm/", "storm"), ("/tag/harbour/", "harbour")]
    assert meta == keywords == ["storm", "harbour"]
    assert authors == [
        ("Anna Nowak", f"{settings.SITE_URL}/author/anna-nowak/"),
        ("A Contributor", None),
    ]
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert "articles_byline" not in read and "taggit_" not in read
    assert "articles_correction" not in read  # it has none


def test_editing_bylines_and_tags_in_the_admin_shows_at_the_next_request(client, chief):
    article = ArticleFactory(tags=["storm"])
    BylineFactory(article=article, author=AuthorFactory(name="Anna Nowak", slug="anna-nowak"))
    assert shown(client, article)[0] == 'By <a href="/author/anna-nowak/">Anna Nowak</a>'

    data = open_change_form(client, article)
    response = post_change_form(
        client,
        article,
        data,
        tags="ferries, storm",
        **{"bylines-0-DELETE": "on", "bylines-1-contributor": "Guest Writer"},
    )
    assert response.status_code == 302, form_errors(response)

    byline, tags, meta, authors, _ = shown(client, article)
    assert byline == "By Guest Writer"
    assert sorted(tags) == [("/tag/ferries/", "ferries"), ("/tag/storm/", "storm")]
    assert sorted(meta) == ["ferries", "storm"]
    assert authors == [("Guest Writer", None)]


def test_renaming_an_author_or_a_tag_renames_them_on_the_page(client, chief):
    author = AuthorFactory(name="Anna Nowak", slug="anna-nowak")
    article = ArticleFactory(tags=["harbour"])
    BylineFactory(article=article, author=author)
    assert shown(client, article)[1] == [("/tag/harbour/", "harbour")]

    renamed_author = client.post(
        reverse("admin:articles_author_change", args=[author.pk]),
        {"name": "Anna Kowalska", "slug": "anna-kowalska", "bio": "", "job_title": ""},
    )
    renamed_tag = client.post(
        reverse("admin:taggit_tag_change", args=[Tag.objects.get(name="harbour").pk]),
        {"name": "Port", "slug": "port"},
    )

    assert renamed_author.status_code == renamed_tag.status_code == 302
    byline, tags, meta, authors, keywords = shown(client, article)
    assert byline == 'By <a href="/author/anna-kowalska/">Anna Kowalska</a>'
    assert authors == [("Anna Kowalska", f"{settings.SITE_URL}/author/anna-kowalska/")]
    assert tags == [("/tag/port/", "Port")]
    assert meta == keywords == ["Port"]


def test_merging_tags_in_the_admin_shows_the_merged_tag_on_the_page(client, chief):
    article = ArticleFactory(tags=["harbour", "ferries"])
    BylineFactory(article=article)

    response = client.post(
        reverse("admin:taggit_tag_changelist"),
        {
            "action": "merge_tags",
            "_selected_action": [tag.pk for tag in Tag.objects.all()],
            "index": 0,
            "apply": "1",
            "name": "Harbour and ships",
        },
    )

    assert response.status_code == 302
    assert shown(client, article)[1] == [("/tag/harbour-and-ships/", "Harbour and ships")]


def test_restoring_a_revision_brings_its_bylines_and_tags_back_to_the_page(client, chief):
    article = ArticleFactory(tags=["one"])
    BylineFactory(article=article, author=AuthorFactory(name="Anna Nowak", slug="anna-nowak"))
    data = open_change_form(client, article)
    edited = post_change_form(
        client,
        article,
        data,
        tags="two",
        **{"bylines-0-DELETE": "on", "bylines-1-contributor": "Wrong Name"},
    )
    assert edited.status_code == 302, form_errors(edited)
    assert shown(client, article)[:2] == ("By Wrong Name", [("/tag/two/", "two")])

    restored = client.post(reverse("admin:articles_article_revision_restore", args=[article.pk, 1]))

    assert restored.status_code == 302
    byline, tags, *_ = shown(client, article)
    assert byline == 'By <a href="/author/anna-nowak/">Anna Nowak</a>'
    assert tags == [("/tag/one/", "one")]


def test_an_article_written_without_signals_still_shows_its_bylines_and_tags(client):
    # As a bulk import leaves it: bylines and tags, no page extras yet.
    article = ArticleFactory(tags=["storm"])
    BylineFactory(article=article, author=None, contributor="Wire Reporter")
    ArticlePageExtras.objects.filter(article=article).delete()

    byline, tags, *_ = shown(client, article)

    assert (byline, tags) == ("By Wire Reporter", [("/tag/storm/", "storm")])


def test_the_preview_shows_a_drafts_bylines_and_tags_as_readers_will_see_them(client, chief):
    draft = DraftArticleFactory(tags=["budget"])
    BylineFactory(article=draft, author=AuthorFactory(name="Anna Nowak", slug="anna-nowak"))
    CorrectionFactory(article=draft, text="An earlier figure was wrong.")

    response = client.get(reverse("admin:articles_article_preview", args=[draft.pk]))

    html = response.content.decode()
    assert 'and <a href="/author/anna-nowak/">Anna Nowak</a></p>' in html
    assert '<a href="/tag/budget/">budget</a>' in html
    assert "An earlier figure was wrong." in html


def test_deleting_an_article_deletes_its_page_extras(chief):
    article = DraftArticleFactory(tags=["storm"])
    BylineFactory(article=article)
    assert ArticlePageExtras.objects.filter(article=article).exists()

    Article.objects.filter(pk=article.pk).delete()

    assert not ArticlePageExtras.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_every_existing_article_its_page_extras(client):
    article = ArticleFactory(tags=["storm", "harbour"])
    BylineFactory(article=article, author=AuthorFactory(name="Anna Nowak", slug="anna-nowak"))
    BylineFactory(article=article, author=None, contributor="A Contributor", position=1)
    CorrectionFactory(article=article)
    bare = ArticleFactory()
    expected = ArticlePageExtras.from_tables([article.pk, bare.pk])

    call_command("migrate", "articles", "0014", verbosity=0)
    call_command("migrate", verbosity=0)

    stored = {row.pk: row for row in ArticlePageExtras.objects.all()}
    assert {
        pk: {"bylines": row.bylines, "tags": row.tags, "has_corrections": row.has_corrections}
        for pk, row in stored.items()
    } == expected
    assert expected[article.pk]["has_corrections"] and expected[article.pk]["tags"]
    assert "A Contributor" in client.get(article.get_absolute_url()).content.decode()


def test_renaming_a_prolific_author_renames_them_on_every_page_batch_by_batch(
    client, chief, monkeypatch
):
    monkeypatch.setattr(page_extras, "BATCH_SIZE", 2)
    author = AuthorFactory(name="Anna Nowak", slug="anna-nowak")
    articles = [ArticleFactory() for _ in range(5)]
    for article in articles:
        BylineFactory(article=article, author=author)

    response = client.post(
        reverse("admin:articles_author_change", args=[author.pk]),
        {"name": "Anna Kowalska", "slug": "anna-kowalska", "bio": "", "job_title": ""},
    )

    assert response.status_code == 302
    for article in articles:
        assert shown(client, article)[0] == 'By <a href="/author/anna-kowalska/">Anna Kowalska</a>'
