"""RSS 2.0 and Atom feeds (STANDARDS.md §7), read back with feedparser."""

import datetime as dt

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from articles.models import Article

from .factories import ArticleFactory, AuthorFactory, BylineFactory, PhotoFactory, SectionFactory

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
MEDIA = "{http://search.yahoo.com/mrss/}"
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE
    settings.SITE_NAME = "The Example Herald"
    settings.PUBLISHER_NAME = "Example Herald Media"
    settings.FEED_FULL_TEXT = False
    settings.SITE_LANGUAGE = "pl"


def fetch(client, name, **kwargs):
    response = client.get(reverse(f"feeds:{name}", kwargs=kwargs))
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


@pytest.fixture
def story():
    photo = PhotoFactory(
        agency="PAP",
        photographer="Viktor Kovalchuk",
        caption="Ferries wait in the harbour.",
    )
    article = ArticleFactory(
        headline="Harbour reopens after storm",
        slug="harbour-reopens",
        lead="Ferries sail again <after> three days.",
        body="Opening paragraph.\n\n## Damage\n\nEngineers checked the piers.",
        section=SectionFactory(name="Local", slug="local"),
        lead_photo=photo,
        tags=["storm", "harbour"],
        published_at=dt.datetime(2026, 11, 20, 7, 0, tzinfo=dt.UTC),
    )
    BylineFactory(article=article, author=AuthorFactory(name="Anna Nowak", slug="anna-nowak"))
    BylineFactory(article=article, author=None, contributor="Jan Kowalski", position=1)
    return article


def test_site_rss_feed_describes_each_article_fully(client, story):
    response, feed = fetch(client, "site-rss")

    assert response["Content-Type"].startswith("application/rss+xml")
    assert feed.version == "rss20"
    assert feed.feed.title == "The Example Herald"
    assert feed.feed.link == f"{SITE}/"
    assert feed.feed.language == "pl"
    [entry] = feed.entries
    url = f"{SITE}/local/harbour-reopens/"
    assert entry.title == "Harbour reopens after storm"
    assert entry.link == url
    assert entry.id == url
    # The lead is plain text: escaped so a reader shows "<after>" rather than a tag.
    assert entry.summary == "Ferries sail again &lt;after&gt; three days."
    assert [tag.term for tag in entry.tags] == ["Local", "harbour", "storm"]

    xml = etree.fromstring(response.content)
    item = xml.find("channel/item")
    assert item.findtext("pubDate") == "Fri, 20 Nov 2026 07:00:00 +0000"
    assert item.find("guid").get("isPermaLink") == "true"
    assert [e.text for e in item.findall(f"{DC}creator")] == ["Anna Nowak", "Jan Kowalski"]
    assert item.find("author") is None
    channel = xml.find("channel")
    assert channel.findtext("copyright") == "© Example Herald Media. All rights reserved."
    self_link = channel.find("{http://www.w3.org/2005/Atom}link")
    assert self_link.get("rel") == "self"
    assert self_link.get("href") == f"{SITE}/feeds/rss/"


def test_lead_photo_is_media_content_with_credit_copyright_and_description(client, story):
    response, feed = fetch(client, "site-rss")

    [entry] = feed.entries
    photo = story.lead_photo
    rendition = photo.rendition("16x9")  # 1200 px wide; the original upload is staff-only
    assert entry.media_content[0]["url"] == f"{SITE}{rendition['url']}"
    assert entry.media_content[0]["medium"] == "image"
    assert entry.media_content[0]["type"] == "image/jpeg"
    assert entry.media_credit == [{"role": "photographer", "content": "Viktor Kovalchuk"}]

    content = etree.fromstring(response.content).find(f"channel/item/{MEDIA}content")
    assert content.get("width") == str(rendition["width"])
    assert content.get("height") == str(rendition["height"])
    assert content.findtext(f"{MEDIA}copyright") == "© PAP"
    assert content.findtext(f"{MEDIA}description") == "Ferries wait in the harbour."


def test_article_without_photo_has_no_media_content(client):
    ArticleFactory(slug="no-photo")

    response, feed = fetch(client, "site-rss")

    assert "media_content" not in feed.entries[0]
    assert b"<media:content" not in response.content


def test_feeds_carry_the_full_text_when_configured(client, story, settings):
    settings.FEED_FULL_TEXT = True

    _, rss = fetch(client, "site-rss")
    _, atom = fetch(client, "site-atom")

    assert "<h2>Damage</h2>" in rss.entries[0].summary
    assert "<h2>Damage</h2>" in atom.entries[0].summary


def test_atom_feed_has_ids_dates_authors_rights_and_self_link(client, story):
    story.updated_at = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
    story.save()

    response, feed = fetch(client, "site-atom")

    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.version == "atom10"
    assert feed.feed.id == f"{SITE}/feeds/atom/"
    assert feed.feed.author == "The Example Herald"
    assert feed.feed.rights == "© Example Herald Media. All rights reserved."
    assert any(
        link.rel == "self" and link.href == f"{SITE}/feeds/atom/" for link in feed.feed.links
    )
    [entry] = feed.entries
    assert entry.id == f"{SITE}/local/harbour-reopens/"
    assert entry.published == "2026-11-20T07:00:00+00:00"
    assert entry.updated == "2026-11-20T09:30:00+00:00"
    assert [author.name for author in entry.authors] == ["Anna Nowak", "Jan Kowalski"]
    assert entry.rights == story.source_line
    assert entry.media_credit == [{"role": "photographer", "content": "Viktor Kovalchuk"}]


def test_unpublished_articles_are_never_in_any_feed(client):
    now = timezone.now()
    section = SectionFactory(name="Local", slug="local")
    author = AuthorFactory(name="Anna Nowak", slug="anna-nowak")
    visible = ArticleFactory(headline="Visible story", slug="visible", section=section, tags=["x"])
    BylineFactory(article=visible, author=author)
    for status, fields in [
        ("draft", {"status": Article.Status.DRAFT, "published_at": None}),
        ("review", {"status": Article.Status.IN_REVIEW, "published_at": None}),
        ("pulled", {"status": Article.Status.UNPUBLISHED}),
        ("scheduled", {"published_at": now + dt.timedelta(hours=1)}),
        ("embargoed", {"embargo_until": now + dt.timedelta(hours=1)}),
        ("expired", {"expire_at": now - dt.timedelta(minutes=1)}),
    ]:
        hidden = ArticleFactory(
            headline=f"Hidden {status}", slug=status, section=section, tags=["x"], **fields
        )
        BylineFactory(article=hidden, author=author)

    for name, kwargs in [
        ("site-rss", {}),
        ("site-atom", {}),
        ("section-rss", {"slug": "local"}),
        ("section-atom", {"slug": "local"}),
        ("tag-rss", {"slug": "x"}),
        ("tag-atom", {"slug": "x"}),
        ("author-rss", {"slug": "anna-nowak"}),
        ("author-atom", {"slug": "anna-nowak"}),
    ]:
        response, feed = fetch(client, name, **kwargs)
        assert [entry.title for entry in feed.entries] == ["Visible story"], name
        assert b"Hidden" not in response.content


def test_section_tag_and_author_feeds_hold_only_their_articles(client):
    local = SectionFactory(name="Local", slug="local")
    sport = SectionFactory(name="Sport", slug="sport")
    anna = AuthorFactory(name="Anna Nowak", slug="anna-nowak")
    derby = ArticleFactory(headline="Derby day", slug="derby", section=sport, tags=["football"])
    BylineFactory(article=derby, author=anna)
    BylineFactory(article=derby, author=anna, position=1)
    ArticleFactory(headline="Council meets", slug="council", section=local, tags=["politics"])

    _, section = fetch(client, "section-rss", slug="sport")
    _, tag = fetch(client, "tag-atom", slug="politics")
    _, author = fetch(client, "author-rss", slug="anna-nowak")

    assert section.feed.title == "Sport · The Example Herald"
    assert section.feed.link == f"{SITE}/sport/"
    assert [e.title for e in section.entries] == ["Derby day"]
    assert tag.feed.title == "politics · The Example Herald"
    assert [e.title for e in tag.entries] == ["Council meets"]
    assert author.feed.link == f"{SITE}/author/anna-nowak/"
    assert [e.title for e in author.entries] == ["Derby day"]


def test_unknown_section_tag_or_author_feed_is_not_found(client):
    for name in ("section-rss", "tag-atom", "author-rss"):
        assert client.get(reverse(f"feeds:{name}", kwargs={"slug": "nope"})).status_code == 404


def test_feeds_hold_the_latest_twenty_articles_newest_first(client):
    now = timezone.now()
    for number in range(25):
        ArticleFactory(
            headline=f"Story {number}",
            slug=f"story-{number}",
            published_at=now - dt.timedelta(minutes=number + 1),
        )

    _, feed = fetch(client, "site-rss")

    assert [entry.title for entry in feed.entries] == [f"Story {n}" for n in range(20)]


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("site-rss", {}),
        ("site-atom", {}),
        ("section-rss", {"slug": "news"}),
        ("tag-atom", {"slug": "busy"}),
        ("author-rss", {"slug": "busy-author"}),
    ],
)
def test_feeds_run_a_constant_number_of_queries(
    client, django_assert_max_num_queries, name, kwargs
):
    author = AuthorFactory(slug="busy-author")
    for number in range(25):
        article = ArticleFactory(slug=f"story-{number}", lead_photo=PhotoFactory(), tags=["busy"])
        BylineFactory(article=article, author=author)
        BylineFactory(article=article, author=None, contributor="Guest")

    client.get("/robots.txt")  # warms the legal notices' cache, as any earlier visitor would
    with django_assert_max_num_queries(4):
        response = client.get(reverse(f"feeds:{name}", kwargs=kwargs))

    assert response.status_code == 200
    assert len(feedparser.parse(response.content).entries) == 20


def test_every_page_links_its_feeds_for_autodiscovery(client):
    section = SectionFactory(name="Local", slug="local")
    author = AuthorFactory(name="Anna Nowak", slug="anna-nowak")
    article = ArticleFactory(slug="story", section=section, tags=["storm"])
    BylineFactory(article=article, author=author)

    pages = {
        reverse("articles:home"): None,
        article.get_absolute_url(): None,
        reverse("articles:search") + "?q=story": None,
        section.get_absolute_url(): "/feeds/section/local/",
        reverse("articles:tag", kwargs={"slug": "storm"}): "/feeds/tag/storm/",
        author.get_absolute_url(): "/feeds/author/anna-nowak/",
    }
    for url, own_feed in pages.items():
        html = client.get(url).content.decode()
        assert '<link rel="alternate" type="application/rss+xml"' in html, url
        assert 'href="/feeds/rss/"' in html, url
        assert 'href="/feeds/atom/"' in html, url
        if own_feed:
            assert f'href="{own_feed}rss/"' in html, url
            assert f'href="{own_feed}atom/"' in html, url
