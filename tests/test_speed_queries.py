"""Constant SQL per page, whatever the data size: the render cost the page cache saves."""

import pytest
from django.urls import reverse

from .factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    NoticeFactory,
    PhotoFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

# Per page: the budget, and a URL given the fixtures built by `newsroom`.
BUDGETS = {
    "home": (4, lambda data: reverse("articles:home")),  # ranked ids, cards, bylines, sections
    "section": (4, lambda data: data["section"].get_absolute_url()),
    "tag": (4, lambda data: reverse("articles:tag", kwargs={"slug": "harbour"})),
    "author": (4, lambda data: data["author"].get_absolute_url()),
    "article": (5, lambda data: data["article"].get_absolute_url()),
}


def newsroom():
    NoticeFactory()
    return {
        "section": SectionFactory(name="News", slug="news"),
        "author": AuthorFactory(slug="anna-nowak"),
        "photo": PhotoFactory(),
    }


def add_articles(data, count):
    """`count` articles with a photo, three tags and two bylines each."""
    for n in range(count):
        article = ArticleFactory(
            section=data["section"], lead_photo=data["photo"], tags=["harbour", f"t{n}", "x"]
        )
        BylineFactory(article=article, author=data["author"])
        BylineFactory(article=article)
        data["article"] = article
    return data


@pytest.mark.parametrize("page", BUDGETS)
def test_page_queries_are_constant_from_one_to_a_full_page_of_articles(
    client, django_assert_max_num_queries, page
):
    budget, url_for = BUDGETS[page]
    data = add_articles(newsroom(), 1)
    client.get("/robots.txt")  # warms the legal notices' cache, as any earlier visitor would
    with django_assert_max_num_queries(budget) as one:
        assert client.get(url_for(data)).status_code == 200

    add_articles(data, 25)  # a full listing of 20 and a second page
    with django_assert_max_num_queries(budget) as many:
        response = client.get(url_for(data))
    assert response.status_code == 200
    assert len(many) == len(one)
    if page not in {"article", "home"}:  # the home page is curated, not a list of 20
        assert response.content.count(b'class="card"') == 20


@pytest.mark.parametrize("asked, shown", [("2", 2), ("abc", 1), ("0", 1), ("99999", 3)])
def test_listing_pages_without_counting_and_bad_pages_give_the_nearest(
    client, django_assert_max_num_queries, asked, shown
):
    section = SectionFactory(name="News", slug="news")
    for n in range(45):
        ArticleFactory(section=section, headline=f"Story {n:02d}")
    client.get("/robots.txt")  # warms the legal notices' cache
    with django_assert_max_num_queries(6):
        response = client.get(section.get_absolute_url(), {"page": asked})
    page = response.context["page"]
    assert page.number == shown
    assert page.has_next() is (shown < 3)
    assert page.has_previous() is (shown > 1)
    assert len(page.object_list) == (5 if shown == 3 else 20)
    if shown == 2:
        assert b'rel="next" href="/news/?page=3"' in response.content
        assert b'rel="prev" href="/news/"' in response.content  # page 1 has one address


def test_page_queries_do_not_include_a_count(client, django_assert_max_num_queries):
    section = SectionFactory(name="News", slug="news")
    ArticleFactory(section=section)
    client.get("/robots.txt")  # warms the legal notices' cache
    with django_assert_max_num_queries(5) as queries:
        client.get(section.get_absolute_url())
    assert not any("COUNT(" in query["sql"] for query in queries.captured_queries)


def test_listing_counts_at_most_the_configured_number_of_pages(client, settings):
    settings.LISTING_MAX_PAGES = 2
    section = SectionFactory(name="News", slug="news")
    for _ in range(45):
        ArticleFactory(section=section)
    response = client.get(section.get_absolute_url() + "?page=9")
    assert response.context["page"].number == 2
    assert response.context["page"].paginator.num_pages == 2
