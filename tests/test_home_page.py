"""The home page: the editors' lead and top stories, then the latest from each section."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.homepage import PER_SECTION, TOP_STORIES
from articles.models import Article, HomepageSlot
from articles.roles import EDITOR, JOURNALIST, sync_roles

from .factories import (
    ArticleFactory,
    BylineFactory,
    HomepageSlotFactory,
    PhotoFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def lead_headline(html):
    match = re.search(r'class="lead-story__headline"><a href="[^"]+">([^<]+)</a>', html)
    return match and match.group(1)


def top_headlines(html):
    top = html[html.index('class="top-stories"') : html.index("</section>")]
    return re.findall(r'class="card__headline"><a href="[^"]+">([^<]+)</a>', top)


def home(client):
    response = client.get(reverse("articles:home"))
    assert response.status_code == 200
    return response.content.decode()


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


def test_without_editors_choice_the_latest_story_leads(client):
    ArticleFactory(headline="Older", published_at=hours_ago(5))
    ArticleFactory(headline="Newest", published_at=hours_ago(1))
    html = home(client)
    assert lead_headline(html) == "Newest"
    assert top_headlines(html) == ["Older"]


def test_editor_chooses_lead_and_top_stories_in_the_admin(client):
    sync_roles()
    editor = UserFactory(username="desk")
    editor.groups.add(Group.objects.get(name=EDITOR))
    client.force_login(editor)
    stories = [ArticleFactory(headline=f"Story {n}", published_at=hours_ago(n)) for n in range(8)]

    for position, article in [(1, stories[6]), (2, stories[4])]:
        response = client.post(
            reverse("admin:articles_homepageslot_add"),
            {"position": position, "article": article.pk},
        )
        assert response.status_code == 302, response.context["adminform"].form.errors

    client.logout()
    html = home(client)
    assert lead_headline(html) == "Story 6"
    # Picks first in slot order, then the latest stories fill the remaining places.
    assert top_headlines(html) == ["Story 4", "Story 0", "Story 1", "Story 2"][:TOP_STORIES]


def test_admin_refuses_a_second_story_in_the_same_slot(client):
    client.force_login(UserFactory(username="chief", is_superuser=True))
    HomepageSlotFactory(position=1)
    response = client.post(
        reverse("admin:articles_homepageslot_add"),
        {"position": 1, "article": ArticleFactory().pk},
    )
    assert response.status_code == 200
    assert "Another story holds this position" in response.content.decode()
    assert HomepageSlot.objects.count() == 1


def test_journalists_cannot_change_the_home_page(client):
    sync_roles()
    journalist = UserFactory(username="reporter")
    journalist.groups.add(Group.objects.get(name=JOURNALIST))
    client.force_login(journalist)
    response = client.get(reverse("admin:articles_homepageslot_add"))
    assert response.status_code == 403


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"status": Article.Status.IN_REVIEW, "published_at": None},
        {"status": Article.Status.UNPUBLISHED},
        {"published_at": timezone.now() + timedelta(days=1)},  # scheduled
        {"embargo_until": timezone.now() + timedelta(hours=2)},
        {"expire_at": timezone.now() - timedelta(minutes=1)},
    ],
    ids=["draft", "in-review", "unpublished", "scheduled", "embargoed", "expired"],
)
def test_a_chosen_story_that_is_not_live_never_shows_and_the_latest_takes_its_place(client, hidden):
    secret = ArticleFactory(headline="Secret pick", **hidden)
    HomepageSlotFactory(position=1, article=secret)
    ArticleFactory(headline="Live story", published_at=hours_ago(2))
    html = home(client)
    assert "Secret pick" not in html
    assert lead_headline(html) == "Live story"


def test_a_scheduled_pick_leads_once_it_goes_live(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    scheduled = ArticleFactory(
        headline="Midnight story", published_at=timezone.now() + timedelta(hours=1)
    )
    HomepageSlotFactory(position=1, article=scheduled)
    ArticleFactory(headline="Earlier story", published_at=hours_ago(3))
    assert lead_headline(home(client)) == "Earlier story"
    time_machine.shift(timedelta(hours=1, seconds=1))
    assert lead_headline(home(client)) == "Midnight story"


def test_sections_show_their_latest_stories_below_the_top_in_section_order(client):
    culture = SectionFactory(name="Culture", slug="culture", position=2)
    sport = SectionFactory(name="Sport", slug="sport", position=1)
    for n in range(1 + TOP_STORIES):
        ArticleFactory(headline=f"Top {n}", published_at=hours_ago(n), section=sport)
    for n in range(PER_SECTION + 2):
        ArticleFactory(headline=f"Sport {n}", published_at=hours_ago(10 + n), section=sport)
        ArticleFactory(headline=f"Culture {n}", published_at=hours_ago(20 + n), section=culture)
    ArticleFactory(
        headline="Culture draft", status=Article.Status.DRAFT, published_at=None, section=culture
    )

    html = home(client)
    blocks = html[html.index('class="section-block"') :]
    assert blocks.index('id="block-sport"') < blocks.index('id="block-culture"')
    sport_block = blocks[: blocks.index('id="block-culture"')]
    culture_block = blocks[blocks.index('id="block-culture"') :]
    # The top stories are not repeated in the section blocks.
    assert "Top 0" not in sport_block
    assert re.findall(r">(Sport \d)</a>", sport_block) == [f"Sport {n}" for n in range(PER_SECTION)]
    assert re.findall(r">(Culture \d)</a>", culture_block) == [
        f"Culture {n}" for n in range(PER_SECTION)
    ]
    assert "Culture draft" not in html
    assert 'href="/culture/">More in Culture' in culture_block


def count_home_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("articles:home")).status_code == 200
    return len(queries)


def test_home_page_queries_do_not_grow_with_sections_picks_or_articles(client):
    ArticleFactory(lead_photo=PhotoFactory())
    few = count_home_queries(client)

    for s in range(6):
        section = SectionFactory(name=f"Desk {s}", slug=f"desk-{s}", position=s)
        for _ in range(8):
            article = ArticleFactory(section=section, lead_photo=PhotoFactory(), tags=["a"])
            BylineFactory(article=article)
            BylineFactory(article=article)
    for position, article in enumerate(Article.objects.all()[:5], start=1):
        HomepageSlotFactory(position=position, article=article)
    many = count_home_queries(client)

    assert many == few <= 4  # candidates, bylines, navigation, and nothing per section
