"""Article pages describe themselves to search engines and social sites.

JSON-LD is read back with extruct, a real parser, as Google's tools would read it.
"""

import datetime as dt
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import extruct
import pytest

from legal.identity import publisher

from .factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    NoticeFactory,
    PhotoFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")


class MetaCollector(HTMLParser):
    """Every <meta> and <link rel=canonical> of a page, in order."""

    def __init__(self):
        super().__init__()
        self.meta = []
        self.canonical = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.append((key, attrs.get("content")))
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])


def page_meta(html):
    collector = MetaCollector()
    collector.feed(html)
    return collector


def json_ld(html, of_type):
    items = extruct.extract(html, syntaxes=["json-ld"])["json-ld"]
    return [item for item in items if item.get("@type") == of_type]


@pytest.fixture
def full_article():
    notice = NoticeFactory()
    section = SectionFactory(name="World", slug="world")
    article = ArticleFactory(
        headline="Harbour reopens after storm",
        slug="harbour-reopens",
        lead="Ferries are sailing again after three days.",
        section=section,
        lead_photo=PhotoFactory(
            alt_text="Ferries at dusk", agency="PAP", photographer="Viktor Kovalchuk"
        ),
        published_at=dt.datetime(2026, 11, 20, 8, 0, tzinfo=NEW_YORK),
        updated_at=dt.datetime(2026, 11, 20, 9, 10, tzinfo=NEW_YORK),
        source_line="© example-news.com",
        tags=["storm", "harbour"],
    )
    BylineFactory(article=article, author=AuthorFactory(name="Anna Nowak", slug="anna-nowak"))
    BylineFactory(article=article, author=None, contributor="Guest Writer", position=1)
    return article, notice


def test_article_page_has_canonical_description_open_graph_and_twitter_tags(
    client, settings, full_article
):
    article, _ = full_article
    html = client.get(article.get_absolute_url()).content.decode()
    found = page_meta(html)
    meta = dict(found.meta)
    url = f"{settings.SITE_URL}/world/harbour-reopens/"
    photo = article.lead_photo

    assert found.canonical == [url]
    assert meta["description"] == "Ferries are sailing again after three days."
    assert meta["og:type"] == "article"
    assert meta["og:title"] == "Harbour reopens after storm"
    assert meta["og:url"] == url
    assert meta["og:site_name"] == settings.SITE_NAME
    assert meta["og:locale"] == "en_US"
    social = photo.rendition("social")  # the 1200x630 card, never the original upload
    assert meta["og:image"] == f"{settings.SITE_URL}{social['url']}"
    assert meta["og:image:width"] == str(social["width"])
    assert meta["og:image:height"] == str(social["height"])
    assert meta["og:image:alt"] == "Ferries at dusk"
    assert meta["article:published_time"] == "2026-11-20T08:00:00-05:00"
    assert meta["article:modified_time"] == "2026-11-20T09:10:00-05:00"
    assert meta["article:section"] == "World"
    assert sorted(value for key, value in found.meta if key == "article:tag") == [
        "harbour",
        "storm",
    ]
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["twitter:title"] == "Harbour reopens after storm"
    assert meta["twitter:image"] == meta["og:image"]
    assert meta["twitter:image:alt"] == "Ferries at dusk"
    assert meta["robots"] == "max-image-preview:large"


def test_news_article_json_ld_has_what_google_recommends(client, settings, full_article):
    article, _ = full_article
    html = client.get(article.get_absolute_url()).content.decode()
    [data] = json_ld(html, "NewsArticle")
    url = f"{settings.SITE_URL}/world/harbour-reopens/"

    assert data["@context"] == "https://schema.org"
    assert data["headline"] == "Harbour reopens after storm"
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["datePublished"] == "2026-11-20T08:00:00-05:00"
    assert data["dateModified"] == "2026-11-20T09:10:00-05:00"
    assert data["author"] == [
        {"@type": "Person", "name": "Anna Nowak", "url": f"{settings.SITE_URL}/author/anna-nowak/"},
        {"@type": "Person", "name": "Guest Writer"},
    ]
    publisher = data["publisher"]
    assert publisher["@type"] == "Organization"
    assert publisher["name"] == settings.SITE_NAME
    assert publisher["logo"]["url"] == f"{settings.SITE_URL}/static/img/logo-512.png"
    assert publisher["logo"]["width"] >= 112 and publisher["logo"]["height"] >= 112
    assert data["articleSection"] == "World"
    assert sorted(data["keywords"]) == ["harbour", "storm"]


def test_publisher_logo_is_a_real_static_image_of_at_least_112_pixels(client):
    from django.contrib.staticfiles import finders
    from PIL import Image

    with Image.open(finders.find("img/logo-512.png")) as logo:
        assert logo.width >= 112 and logo.height >= 112


def test_news_article_json_ld_carries_copyright_and_licence_of_the_notice_in_force(
    client, settings, full_article
):
    article, notice = full_article
    html = client.get(article.get_absolute_url()).content.decode()
    [data] = json_ld(html, "NewsArticle")
    licence = f"{settings.SITE_URL}{notice.versions.get().page.get_absolute_url()}"

    assert data["copyrightHolder"] == {"@type": "Organization", "name": publisher().name}
    assert data["copyrightNotice"] == "© example-news.com"
    assert data["copyrightYear"] == 2026
    assert data["license"] == licence
    assert data["acquireLicensePage"] == licence
    assert data["isAccessibleForFree"] is True

    photo = article.lead_photo
    crops = photo.structured_data_images  # 16:9, 4:3 and 1:1, as Google asks
    assert len(data["image"]) == len(crops) == 3
    for image, crop in zip(data["image"], crops, strict=True):
        assert image["@type"] == "ImageObject"
        assert image["contentUrl"] == f"{settings.SITE_URL}{crop['url']}"
        assert "/renditions/" in image["contentUrl"]  # never the original upload
        assert (image["width"], image["height"]) == (crop["width"], crop["height"])
        assert image["creator"] == {"@type": "Person", "name": "Viktor Kovalchuk"}
        assert image["creditText"] == "PAP/Viktor Kovalchuk"
        assert image["copyrightNotice"] == "© PAP"
        assert image["license"] == licence
        assert image["acquireLicensePage"] == licence


def test_licence_links_follow_the_notice_in_force(client, settings, full_article):
    from django.utils import timezone

    from .factories import LegalPageFactory

    article, _ = full_article
    NoticeFactory(  # a newer version, in force
        page=LegalPageFactory(slug="licensing", title="Licensing"),
        effective_at=timezone.now() - dt.timedelta(minutes=5),
    )
    NoticeFactory(  # not yet in force
        page=LegalPageFactory(slug="future", title="Future"),
        effective_at=timezone.now() + dt.timedelta(days=1),
    )
    html = client.get(article.get_absolute_url()).content.decode()
    [data] = json_ld(html, "NewsArticle")
    assert data["license"] == f"{settings.SITE_URL}/legal/licensing/"
    assert data["image"][0]["acquireLicensePage"] == data["license"]


def test_without_a_notice_in_force_no_licence_is_claimed(client):
    article = ArticleFactory(lead_photo=PhotoFactory())
    html = client.get(article.get_absolute_url()).content.decode()
    [data] = json_ld(html, "NewsArticle")
    assert "license" not in data and "acquireLicensePage" not in data
    assert "license" not in data["image"][0]
    assert data["copyrightNotice"] == article.source_line


def test_breadcrumbs_lead_from_home_through_the_section_to_the_article(
    client, settings, full_article
):
    article, _ = full_article
    html = client.get(article.get_absolute_url()).content.decode()
    [crumbs] = json_ld(html, "BreadcrumbList")
    assert [
        (item["position"], item["name"], item["item"]) for item in crumbs["itemListElement"]
    ] == [
        (1, settings.SITE_NAME, f"{settings.SITE_URL}/"),
        (2, "World", f"{settings.SITE_URL}/world/"),
        (3, "Harbour reopens after storm", f"{settings.SITE_URL}/world/harbour-reopens/"),
    ]


HOSTILE_HEADLINE = 'Mayor says "no" </script><script>alert(1)</script> & Łódź 東京 <!--'


def test_json_ld_stays_valid_and_inside_its_script_with_a_hostile_headline(client):
    article = ArticleFactory(headline=HOSTILE_HEADLINE, lead="Quotes \" and ' & <b>tags</b>")
    html = client.get(article.get_absolute_url()).content.decode()

    [data] = json_ld(html, "NewsArticle")
    assert data["headline"] == HOSTILE_HEADLINE
    assert data["description"] == "Quotes \" and ' & <b>tags</b>"
    [crumbs] = json_ld(html, "BreadcrumbList")
    assert crumbs["itemListElement"][2]["name"] == HOSTILE_HEADLINE
    # The only script elements are the two JSON-LD blocks: nothing broke out of them.
    assert html.count("<script") == 2
    assert html.count("</script>") == 2
    assert "alert(1)</script>" not in html
    # Non-Latin text is kept as text, not \u-escaped beyond recognition.
    assert "Łódź 東京" in html
    meta = dict(page_meta(html).meta)
    assert meta["og:title"] == HOSTILE_HEADLINE


def test_article_without_photo_has_a_summary_card_and_no_image(client):
    article = ArticleFactory(lead_photo=None)
    html = client.get(article.get_absolute_url()).content.decode()
    meta = dict(page_meta(html).meta)
    assert meta["twitter:card"] == "summary"
    assert "og:image" not in meta
    [data] = json_ld(html, "NewsArticle")
    assert "image" not in data
