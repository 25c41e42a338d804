"""The search and social overrides: written in the admin, counted against their limits, and
read back from the public page (title, meta description, Open Graph, Twitter, JSON-LD) with
the article's own headline, lead and lead photo standing in when they are empty."""

import datetime as dt
from html.parser import HTMLParser

import extruct
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles import roles, services
from articles.models import Article, ArticleRevision

from .admin_forms import form_errors, open_change_form, post_change_form
from .factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    DraftArticleFactory,
    PhotoFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

HEADLINE = "Harbour reopens after storm"
LEAD = "Ferries are sailing again after three days in port."


class Head(HTMLParser):
    """The page's <title> text and every <meta> by name or property."""

    def __init__(self):
        super().__init__()
        self.meta, self.title, self._in_title = {}, "", False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._in_title = tag == "title"
        if tag == "meta" and (attrs.get("property") or attrs.get("name")):
            self.meta[attrs.get("property") or attrs.get("name")] = attrs.get("content")

    def handle_endtag(self, tag):
        self._in_title = self._in_title and tag != "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def read_page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    head = Head()
    head.feed(html)
    items = extruct.extract(html, syntaxes=["json-ld"])["json-ld"]
    [news] = [item for item in items if item["@type"] == "NewsArticle"]
    return head, news


def absolute(path):
    return f"{settings.SITE_URL}{path}"


@pytest.fixture
def article():
    story = ArticleFactory(
        headline=HEADLINE,
        lead=LEAD,
        lead_photo=PhotoFactory(alt_text="Ferries at dusk"),
    )
    BylineFactory(article=story, author=AuthorFactory(name="Anna Nowak"))
    return story


def test_without_overrides_the_page_presents_the_headline_lead_and_lead_photo(client, article):
    head, news = read_page(client, article)
    card = article.lead_photo.rendition("social")

    assert head.title == f"{HEADLINE} · {settings.SITE_NAME}"
    assert head.meta["description"] == LEAD
    assert head.meta["og:title"] == head.meta["twitter:title"] == HEADLINE
    assert head.meta["og:description"] == head.meta["twitter:description"] == LEAD
    assert head.meta["og:image"] == head.meta["twitter:image"] == absolute(card["url"])
    assert head.meta["og:image:alt"] == head.meta["twitter:image:alt"] == "Ferries at dusk"
    assert news["headline"] == HEADLINE and news["description"] == LEAD
    assert news["image"][0]["contentUrl"].startswith(absolute("/uploads/renditions/"))


def test_the_overrides_reach_the_title_meta_tags_open_graph_twitter_and_json_ld(client, article):
    card_photo = PhotoFactory(alt_text="A ferry's bow in spray")
    Article.objects.filter(pk=article.pk).update(
        seo_title="Harbour reopens: ferry timetable",
        seo_description="Every ferry route runs again from Monday; see the new timetable.",
        social_title="The ferries are back",
        social_image=card_photo,
    )
    article.refresh_from_db()

    head, news = read_page(client, article)
    card = card_photo.rendition("social")

    assert head.title == "Harbour reopens: ferry timetable"  # as written, nothing appended
    description = "Every ferry route runs again from Monday; see the new timetable."
    assert head.meta["description"] == description
    assert head.meta["og:description"] == head.meta["twitter:description"] == description
    assert head.meta["og:title"] == head.meta["twitter:title"] == "The ferries are back"
    assert head.meta["og:image"] == head.meta["twitter:image"] == absolute(card["url"])
    assert head.meta["og:image:width"] == str(card["width"])
    assert head.meta["og:image:height"] == str(card["height"])
    assert head.meta["og:image:alt"] == head.meta["twitter:image:alt"] == "A ferry's bow in spray"
    assert news["description"] == description
    # The story's own headline and photo stay in its structured data: they fit and it has one.
    assert news["headline"] == HEADLINE
    lead_crops = [absolute(crop["url"]) for crop in article.lead_photo.structured_data_images]
    assert [image["contentUrl"] for image in news["image"]] == lead_crops


def test_the_social_title_falls_back_to_the_seo_title_before_the_headline(client, article):
    Article.objects.filter(pk=article.pk).update(seo_title="Ferry timetable after the storm")
    article.refresh_from_db()

    head, _ = read_page(client, article)

    assert head.meta["og:title"] == head.meta["twitter:title"] == "Ferry timetable after the storm"


def test_a_social_image_whose_rights_ended_gives_way_to_the_lead_photo(client, article):
    ended = PhotoFactory(rights_expire_at=timezone.now() - dt.timedelta(minutes=1))
    Article.objects.filter(pk=article.pk).update(social_image=ended)
    article.refresh_from_db()

    head, _ = read_page(client, article)

    assert head.meta["og:image"] == absolute(article.lead_photo.rendition("social")["url"])
    assert head.meta["og:image:alt"] == "Ferries at dusk"


def test_without_a_lead_photo_the_social_image_is_the_structured_datas_image(client):
    card_photo = PhotoFactory(alt_text="A ferry's bow in spray")
    story = ArticleFactory(headline=HEADLINE, social_image=card_photo)

    head, news = read_page(client, story)

    assert head.meta["og:image"] == absolute(card_photo.rendition("social")["url"])
    crops = [absolute(crop["url"]) for crop in card_photo.structured_data_images]
    assert [image["contentUrl"] for image in news["image"]] == crops


LONG_HEADLINE = (
    "Harbour reopens after a storm that kept every ferry, fishing boat and pleasure craft "
    "in port for three days and nights"
)


def test_a_headline_over_110_characters_is_cut_at_a_word_in_the_structured_data(client):
    assert len(LONG_HEADLINE) > 110
    story = ArticleFactory(headline=LONG_HEADLINE)

    _, news = read_page(client, story)

    assert len(news["headline"]) <= 110
    assert news["headline"].endswith("…")
    assert LONG_HEADLINE.startswith(news["headline"][:-1])
    assert LONG_HEADLINE[len(news["headline"]) - 1] == " "  # cut between words


def test_a_headline_over_110_characters_gives_way_to_an_seo_title_that_fits(client):
    story = ArticleFactory(headline=LONG_HEADLINE, seo_title="Harbour reopens after storm")

    _, news = read_page(client, story)

    assert news["headline"] == "Harbour reopens after storm"


def test_the_article_page_reads_the_social_image_in_its_one_query(
    client, article, django_assert_num_queries, django_assert_max_num_queries
):
    client.get("/robots.txt")  # warms the legal notices' cache, as any earlier visitor would
    with django_assert_max_num_queries(10) as without:
        client.get(article.get_absolute_url())
    Article.objects.filter(pk=article.pk).update(social_image=PhotoFactory())

    with django_assert_num_queries(len(without)):
        assert client.get(article.get_absolute_url()).status_code == 200


# The admin form ---------------------------------------------------------------------------


@pytest.fixture
def writer():
    return user_with_role(roles.JOURNALIST, username="reporter")


def test_a_writer_sets_the_overrides_in_the_admin_and_a_revision_keeps_them(client, writer):
    draft = DraftArticleFactory(headline=HEADLINE, lead=LEAD, created_by=writer)
    card_photo = PhotoFactory()
    client.force_login(writer)
    data = open_change_form(client, draft)

    response = post_change_form(
        client,
        draft,
        data,
        seo_title="Ferry timetable after the storm",
        seo_description="Every route runs again from Monday.",
        social_title="The ferries are back",
        social_image=str(card_photo.pk),
    )

    assert response.status_code == 302, form_errors(response)
    draft.refresh_from_db()
    assert (draft.seo_title, draft.social_title, draft.social_image) == (
        "Ferry timetable after the storm",
        "The ferries are back",
        card_photo,
    )
    content = ArticleRevision.objects.filter(article=draft).first().content
    assert content["seo_description"] == "Every route runs again from Monday."
    assert content["social_image"] == card_photo.pk


def test_the_form_shows_each_count_and_the_bodys_words_without_javascript(client, writer):
    draft = DraftArticleFactory(
        headline=LONG_HEADLINE,
        lead=LEAD,
        body="The first ferry left at dawn, [says the port](https://example.com/port-news).\n\n"
        "## Timetable\n\nIt's back to every **twenty** minutes.",
        seo_title="Ferries",
        created_by=writer,
    )
    client.force_login(writer)

    html = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()

    assert (
        f'<p class="writer-count writer-count--over" id="id_headline_count" '
        f'data-count-for="id_headline" data-limit="110">{len(LONG_HEADLINE)} / 110 characters</p>'
    ) in html
    assert 'id="id_seo_title_count" data-count-for="id_seo_title" data-limit="60">7 / 60' in html
    assert 'data-limit="160">0 / 160 characters</p>' in html  # the SEO description
    # 16 words: the link's address is not read.
    assert '<p class="writer-stats" id="id_body_stats" data-stats-for="id_body">16 words' in html
    assert "16 words · 1 min read" in html
    # An empty override shows what stands in for it; each count describes its field.
    assert f'placeholder="{LEAD}"' in html
    assert 'aria-describedby="id_headline_helptext id_headline_count"' in html
    assert 'src="/static/admin/js/writer-tools.js"' in html


def test_a_live_story_cannot_take_a_social_image_without_a_credit(client):
    editor = user_with_role(roles.EDITOR, username="editor")
    story = ArticleFactory()
    BylineFactory(article=story)
    uncredited = PhotoFactory(agency="", photographer="", credit_line="")
    client.force_login(editor)
    data = open_change_form(client, story)

    response = post_change_form(client, story, data, social_image=str(uncredited.pk))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["social_image"]
    assert errors == ["The social image needs a credit (agency or photographer)."]
    assert Article.objects.get(pk=story.pk).social_image is None


def test_publishing_refuses_a_social_image_without_alt_text():
    editor = user_with_role(roles.EDITOR, username="editor")
    draft = DraftArticleFactory(social_image=PhotoFactory(alt_text=""))

    with pytest.raises(ValidationError) as refused:
        services.article_publish(article=draft, user=editor)

    assert refused.value.messages == ["The social image needs alt text before publication."]
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT


def test_a_writer_cannot_change_a_photo_that_a_live_story_shares_as_its_social_image(client):
    writer = user_with_role(roles.JOURNALIST, username="reporter")
    photo = PhotoFactory(caption="As shared")
    ArticleFactory(social_image=photo)
    client.force_login(writer)

    response = client.get(reverse("admin:media_photo_change", args=[photo.pk]))

    assert response.status_code == 200
    assert 'name="caption"' not in response.content.decode()  # read-only for them
