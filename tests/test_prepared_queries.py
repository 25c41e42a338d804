"""Prepared queries run exactly the SQL Django would, with each call's own arguments."""

import gc
import threading
import weakref
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.live_page import live_article
from articles.models import Article, Byline
from newsroom.prepared import PreparedQuery

from .factories import ArticleFactory, AuthorFactory, BylineFactory, PhotoFactory, SectionFactory

pytestmark = pytest.mark.django_db


def live_by_slug(slug, at):
    return (
        Article.objects.published(at)
        .select_related("section", "lead_photo")
        .filter(slug=slug)
        .order_by()
    )


def run_captured(function, *arguments):
    with CaptureQueriesContext(connection) as queries:
        result = function(*arguments)
    return result, [query["sql"] for query in queries.captured_queries]


def test_same_sql_and_rows_as_the_queryset_for_every_call():
    section = SectionFactory(slug="news")
    photo = PhotoFactory()
    first = ArticleFactory(slug="first", section=section, lead_photo=photo)
    second = ArticleFactory(slug="second", section=section)
    prepared = PreparedQuery(live_by_slug)
    now = timezone.now()

    for article in (first, second, first):
        rows, prepared_sql = run_captured(prepared, article.slug, now)
        expected, django_sql = run_captured(lambda slug: list(live_by_slug(slug, now)), article.slug)
        assert prepared_sql == django_sql
        assert [row.pk for row in rows] == [row.pk for row in expected] == [article.pk]
        found = rows[0]
        with CaptureQueriesContext(connection) as queries:
            assert found.headline == article.headline
            assert found.section.slug == "news"  # select_related, no query
            assert found.lead_photo == article.lead_photo
        assert not queries.captured_queries


def test_the_clock_argument_decides_what_is_live():
    article = ArticleFactory(slug="scheduled", published_at=timezone.now() + timedelta(hours=1))
    prepared = PreparedQuery(live_by_slug)

    assert prepared("scheduled", timezone.now()) == []
    assert [row.pk for row in prepared("scheduled", article.published_at)] == [article.pk]
    assert prepared("scheduled", article.published_at - timedelta(microseconds=1)) == []


def test_integer_arguments_and_ordering():
    article = ArticleFactory()
    later = BylineFactory(article=article, author=AuthorFactory(name="Zofia"), position=2)
    earlier = BylineFactory(article=article, author=AuthorFactory(name="Adam"), position=1)
    other = ArticleFactory()
    prepared = PreparedQuery(
        lambda article_id: Byline.objects.filter(article_id=article_id).select_related("author")
    )

    assert [byline.pk for byline in prepared(article.pk)] == [earlier.pk, later.pk]
    assert prepared(other.pk) == []


def test_small_integer_columns_take_arguments_too():
    article = ArticleFactory()
    second = BylineFactory(article=article, position=2)
    BylineFactory(article=article, position=1)
    prepared = PreparedQuery(lambda position: Byline.objects.filter(position__gte=position))

    assert [byline.pk for byline in prepared(2)] == [second.pk]


def test_an_argument_that_its_lookup_transforms_is_refused():
    contains = PreparedQuery(lambda words: Article.objects.filter(headline__contains=words))
    # Used as it is once, transformed once: half-prepared SQL would keep a marker.
    both = PreparedQuery(
        lambda words: Article.objects.filter(Q(slug=words) | Q(headline__icontains=words))
    )
    unused = PreparedQuery(lambda words: Article.objects.all())
    # Escaped for LIKE on SQLite: a real "_" would otherwise match any character.
    escaped = PreparedQuery(lambda slug: Article.objects.filter(slug__iexact=slug))

    with pytest.raises(ValueError, match="transformed by its lookup"):
        contains("harbour")
    with pytest.raises(ValueError, match="transformed by its lookup"):
        both("harbour")
    with pytest.raises(ValueError, match="not in its SQL"):
        unused("harbour")
    if connection.vendor == "sqlite":
        with pytest.raises(ValueError, match="transformed by its lookup"):
            escaped("a_b")


@pytest.mark.django_db(transaction=True)
def test_each_thread_prepares_on_its_own_connection_and_lets_it_go():
    article = ArticleFactory(slug="story")
    prepared = PreparedQuery(live_by_slug)
    found, kept = [], []

    def reader():
        found.append([row.pk for row in prepared("story", timezone.now())])
        kept.append(weakref.ref(connections["default"]))
        connections.close_all()

    for _ in range(3):
        thread = threading.Thread(target=reader)
        thread.start()
        thread.join()
    gc.collect()

    assert found == [[article.pk]] * 3
    assert [ref() for ref in kept] == [None, None, None]


def test_arguments_keep_their_types():
    prepared = PreparedQuery(lambda article_id: Byline.objects.filter(article_id=article_id))
    prepared(1)

    with pytest.raises(TypeError, match="same types"):
        prepared("1")
    with pytest.raises(TypeError, match="not booleans or None"):
        PreparedQuery(lambda value: Article.objects.filter(pk=value))(None)
    with pytest.raises(TypeError, match="aware"):
        PreparedQuery(live_by_slug)("slug", timezone.now().replace(tzinfo=None))


def test_live_article_loads_its_page_in_four_queries():
    article = ArticleFactory(tags=["harbour", "storm"])
    BylineFactory(article=article, author=AuthorFactory(name="Anna Nowak"))
    BylineFactory(article=article, author=None, contributor="A Contributor")
    live_article(article.slug)  # compiled on first use

    with CaptureQueriesContext(connection) as queries:
        page = live_article(article.slug)
        names = [byline.display_name for byline in page.bylines.all()]
        tags = [tag.name for tag in page.tags.all()]
        corrections = list(page.corrections.all())
        assert page.bylines.all().count() == 2
        assert page.bylines.all()[0].article is page
    assert len(queries.captured_queries) == 4
    assert names == ["Anna Nowak", "A Contributor"]
    assert tags == [tag.name for tag in Article.objects.get(pk=article.pk).tags.all()]
    assert corrections == []


def test_live_article_is_none_for_unpublished_work():
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    assert live_article(draft.slug) is None
    assert live_article("no-such-story") is None
