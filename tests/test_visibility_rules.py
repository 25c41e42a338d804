"""One set of clock rules decides what readers see: published(), the admin's state filter,
the state badge and is_published agree for every combination of times around the clock."""

import datetime as dt
import itertools

import pytest
import time_machine

from articles.models import CLOCK_STATES, Article

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
PAST, FUTURE = NOW - dt.timedelta(hours=1), NOW + dt.timedelta(hours=1)


@pytest.fixture
def every_combination():
    articles = []
    for n, (published_at, embargo_until, expire_at) in enumerate(
        itertools.product([PAST, NOW, FUTURE], [None, PAST, NOW, FUTURE], [None, PAST, NOW, FUTURE])
    ):
        articles.append(
            ArticleFactory(
                slug=f"combination-{n}",
                published_at=published_at,
                embargo_until=embargo_until,
                expire_at=expire_at,
            )
        )
    for status in ["draft", "in_review", "sent_back", "approved", "unpublished"]:
        articles.append(ArticleFactory(slug=f"status-{status}", status=status, published_at=PAST))
    return articles


def test_published_filter_state_badge_and_is_published_agree(every_combination):
    with time_machine.travel(NOW, tick=False):
        badges = {
            article.pk: Article.objects.get(pk=article.pk).state for article in every_combination
        }
        live = set(Article.objects.published().values_list("pk", flat=True))
        is_published = {a.pk for a in Article.objects.all() if a.is_published}

        assert live == {pk for pk, state in badges.items() if state == "published"}
        assert is_published == live
        for state in {*CLOCK_STATES, *Article.Status.values}:
            filtered = set(Article.objects.in_state(state).values_list("pk", flat=True))
            assert filtered == {pk for pk, badge in badges.items() if badge == state}, state
    # Every state occurs, so the comparison above is not vacuous.
    assert set(badges.values()) == {*CLOCK_STATES, *Article.Status.values}


def test_the_moment_of_go_live_belongs_to_the_live_side(every_combination):
    with time_machine.travel(NOW, tick=False):
        on_the_second = Article.objects.get(slug="combination-16")  # published NOW, nothing else
        assert (on_the_second.published_at, on_the_second.embargo_until) == (NOW, None)
        assert on_the_second.expire_at is None
        assert on_the_second.state == "published"
        assert Article.objects.published().filter(pk=on_the_second.pk).exists()


def test_next_visibility_change_is_the_nearest_future_moment_of_any_rule(every_combination):
    with time_machine.travel(NOW, tick=False):
        assert Article.objects.next_visibility_change() == FUTURE
    Article.objects.filter(published_at=FUTURE).update(published_at=NOW + dt.timedelta(hours=3))
    Article.objects.filter(embargo_until=FUTURE).update(embargo_until=NOW + dt.timedelta(hours=2))
    with time_machine.travel(NOW, tick=False):
        assert Article.objects.next_visibility_change() == FUTURE  # expiries still at +1h
