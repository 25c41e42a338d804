"""Cached fragments (navigation, footer, article cards, the front page's choice) with the
full-page cache off, as the benchmark's uncached runs serve them: they must follow the
page cache's rules, so no edit is ever hidden and no article shows early or late."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from articles.services import article_unpublish
from publishing.fragments import fragment_cache, keep, read

from .factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    PhotoFactory,
    SectionFactory,
    UserFactory,
)

# Transactional: fragments are kept only outside transactions, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

UTC = dt.UTC
BEFORE = dt.datetime(2026, 11, 25, 14, 4, 59, tzinfo=UTC)
GO_LIVE = dt.datetime(2026, 11, 25, 14, 5, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fragments_without_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_warm_home_page_reads_no_row_and_renders_cards_from_memory(
    client, django_assert_max_num_queries
):
    for n in range(12):
        ArticleFactory(headline=f"Story {n}", lead_photo=PhotoFactory() if n % 2 else None)
    first = page(client, "/")
    # The sections, the choice, the chosen articles and the lead story's bylines are
    # all kept under the content version.
    with django_assert_max_num_queries(0):
        second = page(client, "/")
    assert second == first


def test_edits_reach_cards_and_navigation_on_the_next_request(client):
    article = ArticleFactory(headline="Harbour reopens", tags=["harbour"])
    ArticleFactory(headline="Older story", published_at=article.published_at - dt.timedelta(days=1))
    listings = ["/", article.section.get_absolute_url(), "/tag/harbour/"]
    for url in listings:
        assert "Harbour reopens" in page(client, url)

    article.headline = "Harbour reopens to ferries"
    article.save()
    for url in listings:
        assert "Harbour reopens to ferries" in page(client, url), url

    article.section.name = "Local news"
    article.section.save()
    for url in [*listings, article.get_absolute_url()]:
        html = page(client, url)
        assert 'aria-label="Sections"' in html
        assert re.search(r"<nav[^>]*Sections.*?Local news.*?</nav>", html, re.S), url

    article_unpublish(article=article, user=UserFactory(is_superuser=True))
    for url in listings[:2]:
        assert "Harbour reopens" not in page(client, url), url


def test_scheduled_article_reaches_the_warm_front_page_on_the_exact_second(client):
    with time_machine.travel(BEFORE, tick=False) as clock:
        ArticleFactory(headline="Already out", published_at=BEFORE - dt.timedelta(hours=1))
        ArticleFactory(headline="Scheduled scoop", published_at=GO_LIVE)
        assert "Scheduled scoop" not in page(client, "/")
        assert "Scheduled scoop" not in page(client, "/")  # from the kept choice and cards

        clock.move_to(GO_LIVE)
        home = page(client, "/")
        assert "Scheduled scoop" in home
        assert "Already out" in home


def test_a_photo_leaves_its_card_when_its_rights_end(client):
    with time_machine.travel(BEFORE, tick=False) as clock:
        photo = PhotoFactory(alt_text="Ferry at dawn", rights_expire_at=GO_LIVE)
        ArticleFactory(headline="Harbour reopens", lead_photo=photo)
        ArticleFactory(headline="Second story")
        section = page(client, "/news/")
        assert 'alt="Ferry at dawn"' in section
        clock.move_to(GO_LIVE)
        assert 'alt="Ferry at dawn"' not in page(client, "/news/")
        assert 'alt="Ferry at dawn"' not in page(client, "/")


def test_navigation_marks_the_current_page_on_every_kind_of_page(client):
    news = SectionFactory(name="News", slug="news", position=0)
    SectionFactory(name="Sport", slug="sport", position=1)
    article = ArticleFactory(section=news, tags=["harbour"])

    def current(url):
        nav = re.search(r'<nav class="site-nav".*?</nav>', page(client, url), re.S).group(0)
        return re.findall(r'<a href="([^"]+)" aria-current="(\w+)"', nav)

    for _ in range(2):  # rendered, then from the cache: the same answers
        assert current("/") == [("/", "page")]
        assert current("/news/") == [("/news/", "page")]
        assert current("/sport/") == [("/sport/", "page")]
        assert current(article.get_absolute_url()) == [("/news/", "true")]
        assert current("/tag/harbour/") == []


def test_fragments_rendered_inside_a_transaction_are_not_kept(client):
    article = ArticleFactory(headline="Harbour reopens")
    ArticleFactory(headline="Second story")
    with transaction.atomic():
        article.headline = "Never committed"
        article.save()
        assert "Never committed" in page(client, "/news/")
        transaction.set_rollback(True)
    assert "Never committed" not in page(client, "/news/")
    assert "Harbour reopens" in page(client, "/news/")


def test_turning_fragments_off_renders_the_same_page_from_scratch(client, settings):
    for n in range(6):
        ArticleFactory(headline=f"Story {n}")

    def steady_state(enabled):
        settings.FRAGMENT_CACHE_ENABLED = enabled
        page(client, "/")
        with CaptureQueriesContext(connection) as queries:
            html = page(client, "/")
        return len(queries), html

    kept_queries, kept_html = steady_state(True)
    fresh_queries, fresh_html = steady_state(False)
    assert fresh_html == kept_html
    # Sections, the front page's choice, its articles and the lead story's bylines.
    assert kept_queries == 0
    assert fresh_queries == 4


def test_a_kept_fragment_is_never_served_after_the_change_it_was_read_before():
    """A slow render must not stretch a fragment's life past the next go-live."""
    with time_machine.travel(GO_LIVE - dt.timedelta(seconds=10.3), tick=False) as clock:
        ArticleFactory(headline="Scheduled scoop", published_at=GO_LIVE)
        found = fragment_cache()
        clock.move_to(GO_LIVE - dt.timedelta(seconds=5))
        keep(found, "card", "<p>before</p>")
        assert read(found, "card") == "<p>before</p>"
        clock.move_to(GO_LIVE)
        assert read(found, "card") is None


def test_a_new_byline_reaches_the_kept_lead_story(client):
    article = ArticleFactory(headline="Harbour reopens")
    BylineFactory(article=article, author=AuthorFactory(name="Anna Nowak", slug="anna-nowak"))
    assert "By Anna Nowak ·" in page(client, "/")
    assert "By Anna Nowak ·" in page(client, "/")  # kept
    BylineFactory(
        article=article, author=AuthorFactory(name="Jan Kowalski", slug="jan-kowalski"), position=2
    )
    assert "By Anna Nowak, Jan Kowalski ·" in page(client, "/")
