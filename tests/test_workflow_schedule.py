"""Exact-second go-live, embargo end and expiry on every public surface, with no job in between."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles import roles, services
from articles.models import Article

from .factories import AuthorFactory, DraftArticleFactory, PhotoFactory, UserFactory

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")
GO_LIVE = dt.datetime(2026, 11, 25, 14, 5, tzinfo=NEW_YORK)
JUST_BEFORE = GO_LIVE - dt.timedelta(seconds=1)
EARLIER = dt.datetime(2026, 11, 25, 9, 0, tzinfo=NEW_YORK)


# Every public surface an article appears on. Other features add one line each
# (feeds, sitemaps, search...): a name and the URL for a given article.
def archive_url(moment):
    local = timezone.localtime(moment)
    return reverse("articles:archive_month", args=[local.year, f"{local.month:02d}"])


SURFACES = [
    ("article", lambda article: article.get_absolute_url()),
    ("home", lambda article: reverse("articles:home")),
    ("section", lambda article: article.section.get_absolute_url()),
    ("tag", lambda article: reverse("articles:tag", args=["harbour"])),
    ("author", lambda article: article.bylines.get(author__isnull=False).author.get_absolute_url()),
    ("rss", lambda article: reverse("feeds:site-rss")),
    ("atom", lambda article: reverse("feeds:section-atom", args=[article.section.slug])),
    ("sitemap", lambda article: reverse("sitemap", args=["articles"])),
    ("news-sitemap", lambda article: reverse("sitemap-news")),
    ("search", lambda article: reverse("articles:search") + "?q=bridge"),
    ("archive", lambda article: archive_url(article.published_at or GO_LIVE)),
    ("tag-feed", lambda article: reverse("feeds:tag-rss", args=["harbour"])),
    (
        "author-feed",
        lambda article: reverse(
            "feeds:author-rss", args=[article.bylines.get(author__isnull=False).author.slug]
        ),
    ),
]


def surfaces_showing(client, article, needles=None):
    """Names of the surfaces whose response mentions the article (headline by default)."""
    # The headline, or the article's address (sitemaps list addresses; search marks words).
    needles = needles or [article.headline, article.get_absolute_url()]
    showing = []
    for name, url_for in SURFACES:
        response = client.get(url_for(article))
        assert response.status_code in {200, 404, 410}, (name, response.status_code)
        content = response.content.decode()
        if any(needle in content for needle in needles):
            showing.append(name)
    return showing


ALL = [name for name, _ in SURFACES]


@pytest.fixture
def editor():
    return UserFactory(username="desk-editor", roles=[roles.EDITOR])


@pytest.fixture
def story(editor):
    with time_machine.travel(EARLIER, tick=False):
        article = DraftArticleFactory(
            headline="Harbour bridge reopens",
            slug="harbour-bridge-reopens",
            lead_photo=PhotoFactory(),
            tags=["harbour"],
        )
        article.bylines.create(author=AuthorFactory(name="Anna Nowak", slug="anna-nowak"))
    return article


def test_scheduled_article_appears_everywhere_at_the_exact_second(client, editor, story):
    with time_machine.travel(EARLIER, tick=False):
        services.article_schedule(article=story, user=editor, at=GO_LIVE)

    with time_machine.travel(JUST_BEFORE, tick=False):
        assert surfaces_showing(client, story) == []
        assert client.get(story.get_absolute_url()).status_code == 404
    with time_machine.travel(GO_LIVE, tick=False):
        assert surfaces_showing(client, story) == ALL
        assert client.get(story.get_absolute_url()).status_code == 200


def test_embargoed_article_leaks_nothing_until_the_embargo_ends(client, editor, story):
    with time_machine.travel(EARLIER, tick=False):
        services.article_set_embargo(article=story, user=editor, until=GO_LIVE)
        services.article_publish(article=story, user=editor)
    photo_urls = [story.lead_photo.image.url, story.lead_photo.fallback_url]
    # Headline, slug, image and description: nothing of it in any public response.
    secrets = [story.headline, story.slug, *photo_urls, story.lead]

    with time_machine.travel(EARLIER + dt.timedelta(minutes=1), tick=False):
        assert surfaces_showing(client, story, secrets) == []
    with time_machine.travel(JUST_BEFORE, tick=False):
        assert surfaces_showing(client, story, secrets) == []
        assert client.get(story.get_absolute_url()).status_code == 404
    with time_machine.travel(GO_LIVE, tick=False):
        assert surfaces_showing(client, story) == ALL


def test_an_embargoed_story_is_dated_when_readers_first_see_it(client, editor, story):
    with time_machine.travel(EARLIER, tick=False):
        services.article_set_embargo(article=story, user=editor, until=GO_LIVE)
        services.article_publish(article=story, user=editor)
    story.refresh_from_db()
    assert story.published_at == story.first_published_at == GO_LIVE
    with time_machine.travel(GO_LIVE + dt.timedelta(days=1), tick=False):
        news = client.get(reverse("sitemap-news")).content.decode()
    assert "<news:publication_date>2026-11-25T14:05:00-05:00</news:publication_date>" in news


def test_an_embargo_on_a_scheduled_story_moves_its_go_live_to_the_embargo_end(editor, story):
    with time_machine.travel(EARLIER, tick=False):
        services.article_schedule(article=story, user=editor, at=EARLIER + dt.timedelta(hours=1))
        services.article_set_embargo(article=story, user=editor, until=GO_LIVE)
    story.refresh_from_db()
    assert story.published_at == GO_LIVE


def test_lifting_an_embargo_publishes_the_held_story_now_and_dates_it_now(client, editor, story):
    lifted_at = EARLIER + dt.timedelta(hours=2)
    with time_machine.travel(EARLIER, tick=False):
        services.article_set_embargo(article=story, user=editor, until=GO_LIVE)
        services.article_publish(article=story, user=editor)
    with time_machine.travel(lifted_at, tick=False):
        assert surfaces_showing(client, story) == []
        services.article_lift_embargo(article=story, user=editor)
        assert surfaces_showing(client, story) == ALL
    story.refresh_from_db()
    assert story.published_at == lifted_at
    assert story.events.filter(action="lift_embargo").exists()


def test_expired_article_answers_gone_and_leaves_every_list_at_the_exact_second(
    client, editor, story
):
    with time_machine.travel(EARLIER, tick=False):
        services.article_publish(article=story, user=editor)
        services.article_set_expiry(article=story, user=editor, at=GO_LIVE)

    with time_machine.travel(JUST_BEFORE, tick=False):
        assert surfaces_showing(client, story) == ALL
    with time_machine.travel(GO_LIVE, tick=False):
        assert surfaces_showing(client, story) == []
        response = client.get(story.get_absolute_url())
        assert response.status_code == 410
        html = response.content.decode()
        assert "This article is no longer available" in html
        assert '<link rel="stylesheet"' in html  # the site's own design
        assert story.headline not in html
        assert story.lead_photo.image.url not in html


def test_expired_queryset_is_what_answers_gone(editor, story):
    with time_machine.travel(EARLIER, tick=False):
        services.article_publish(article=story, user=editor)
        services.article_set_expiry(article=story, user=editor, at=GO_LIVE)
    assert not Article.objects.expired(JUST_BEFORE).exists()
    assert list(Article.objects.expired(GO_LIVE)) == [story]
    assert not Article.objects.published(GO_LIVE).exists()


def test_unknown_slug_is_still_404_not_410(client):
    assert client.get("/news/never-existed/").status_code == 404


def test_schedule_across_daylight_saving_fires_at_the_intended_local_time(client, editor, story):
    """Entered on Saturday (EST) for Sunday 14:05 after clocks spring forward: 14:05 EDT."""
    client.force_login(editor)
    with time_machine.travel(dt.datetime(2026, 3, 7, 12, 0, tzinfo=NEW_YORK), tick=False):
        response = client.post(
            reverse("admin:articles_article_transition", args=[story.pk, "schedule"]),
            {"at_0": "2026-03-08", "at_1": "14:05"},
        )
        assert response.status_code == 302
        change = client.get(reverse("admin:articles_article_change", args=[story.pk]))
        assert "Mar 8, 2026, 2:05 PM EDT (UTC−04:00)" in change.content.decode()
    client.logout()

    story.refresh_from_db()
    assert story.published_at == dt.datetime(2026, 3, 8, 18, 5, tzinfo=dt.UTC)
    with time_machine.travel(dt.datetime(2026, 3, 8, 18, 4, 59, tzinfo=dt.UTC), tick=False):
        assert surfaces_showing(client, story) == []
    with time_machine.travel(dt.datetime(2026, 3, 8, 18, 5, tzinfo=dt.UTC), tick=False):
        assert surfaces_showing(client, story) == ALL


def test_schedule_form_states_the_zone_and_offset(client, editor, story):
    client.force_login(editor)
    with time_machine.travel(dt.datetime(2026, 7, 1, 9, 0, tzinfo=NEW_YORK), tick=False):
        html = client.get(
            reverse("admin:articles_article_transition", args=[story.pk, "schedule"])
        ).content.decode()
    assert "America/New_York (now EDT, UTC−04:00)" in html


def test_schedule_in_the_past_is_refused_and_the_typed_time_is_kept(client, editor, story):
    client.force_login(editor)
    with time_machine.travel(EARLIER, tick=False):
        response = client.post(
            reverse("admin:articles_article_transition", args=[story.pk, "schedule"]),
            {"at_0": "2026-11-24", "at_1": "08:15", "comment": "Morning slot"},
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose a time in the future" in html
    assert 'value="2026-11-24"' in html and 'value="08:15"' in html
    assert "Morning slot" in html
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT


def test_editor_sees_what_is_scheduled_for_the_coming_days_in_local_time(client, editor, story):
    later = DraftArticleFactory(headline="Budget vote result")
    far = DraftArticleFactory(headline="Next month's feature")
    with time_machine.travel(EARLIER, tick=False):
        services.article_schedule(article=story, user=editor, at=GO_LIVE)
        services.article_schedule(article=later, user=editor, at=GO_LIVE + dt.timedelta(days=1))
        services.article_schedule(article=far, user=editor, at=GO_LIVE + dt.timedelta(days=30))
        client.force_login(editor)
        response = client.get(reverse("admin:articles_article_scheduled"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Harbour bridge reopens") < html.index("Budget vote result")
    assert "Nov 25, 2026, 2:05 PM EST (UTC−05:00)" in html
    assert "Nov 26, 2026, 2:05 PM EST (UTC−05:00)" in html
    assert "Next month" not in html


def test_scheduled_view_is_for_editors_only(client, story):
    client.force_login(UserFactory(roles=[roles.JOURNALIST]))
    assert client.get(reverse("admin:articles_article_scheduled")).status_code == 403


def test_gone_page_and_scheduled_view_use_constant_queries(
    client, editor, story, django_assert_max_num_queries
):
    with time_machine.travel(EARLIER, tick=False):
        services.article_publish(article=story, user=editor)
        services.article_set_expiry(article=story, user=editor, at=GO_LIVE)
    with time_machine.travel(GO_LIVE, tick=False):
        client.get("/")  # warms the legal notices' cache, as any earlier visitor would
        with django_assert_max_num_queries(4):
            assert client.get(story.get_absolute_url()).status_code == 410

    client.force_login(editor)
    url = reverse("admin:articles_article_scheduled")
    with time_machine.travel(EARLIER, tick=False):
        for n in range(2):
            services.article_schedule(
                article=DraftArticleFactory(), user=editor, at=GO_LIVE + dt.timedelta(hours=n)
            )
        with django_assert_max_num_queries(10) as few:
            client.get(url)
        for n in range(10):
            services.article_schedule(
                article=DraftArticleFactory(), user=editor, at=GO_LIVE + dt.timedelta(hours=n)
            )
        with django_assert_max_num_queries(10) as many:
            client.get(url)
    assert len(many) == len(few)


def test_article_changelist_queries_do_not_grow_with_articles(
    client, editor, django_assert_max_num_queries
):
    client.force_login(editor)
    url = reverse("admin:articles_article_changelist")
    DraftArticleFactory().bylines.create(author=AuthorFactory())
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _ in range(10):
        DraftArticleFactory().bylines.create(author=AuthorFactory())
    with django_assert_max_num_queries(20) as many:
        client.get(url)
    assert len(many) == len(few)


def test_workflow_comments_never_reach_readers(client, editor, story):
    services.article_submit(article=story, user=editor, comment="Internal: check the toll figure")
    services.article_send_back(article=story, user=editor, comment="Internal: lawyer to read")
    services.article_submit(article=story, user=editor)
    services.article_publish(article=story, user=editor, comment="Internal: go go go")
    assert surfaces_showing(client, story) == ALL
    assert surfaces_showing(client, story, ["Internal:"]) == []
