"""Two fixes for readers: the notice's "here" link says where it goes, and the legal page
shows the very notice the article foot shows, from one source."""

import datetime as dt
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from legal.models import LegalPage, Notice

from .factories import ArticleFactory, LegalPageFactory, NoticeFactory

pytestmark = pytest.mark.django_db

SITE_CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "site.css"
# Lighthouse's link-text audit fails a link whose text (innerText: visually hidden text
# counts, aria-label does not) is one of these (lighthouse core/audits/seo/link-text.js).
LIGHTHOUSE_GENERIC_LINK_TEXTS = {
    "click here",
    "click this",
    "go",
    "here",
    "information",
    "learn more",
    "more",
    "more info",
    "more information",
    "right here",
    "read more",
    "see more",
    "start",
    "this",
}


def notice_paragraph(html):
    """The notice's text as shown: the first paragraph of the first legal-notice aside."""
    start = html.index('class="legal-notice')
    return re.search(r"<p>(.*?)</p>", html[start:], re.S)[1]


def link_in(paragraph):
    return re.search(r'<a href="([^"]+)">(.*?)</a>', paragraph, re.S)


def test_the_here_link_keeps_its_wording_and_names_where_it_goes(client):
    NoticeFactory()
    html = client.get(ArticleFactory().get_absolute_url()).content.decode()

    link = link_in(notice_paragraph(html))
    assert link[1] == "/legal/copyright-and-tdm/"
    visible, hidden = re.fullmatch(
        r'(.*?)<span class="visually-hidden">(.*?)</span>', link[2]
    ).groups()
    assert visible == "here"
    name = visible + hidden
    assert name == "here (full text: Copyright and text and data mining reservation)"
    assert name.strip().lower() not in LIGHTHOUSE_GENERIC_LINK_TEXTS
    # The hidden part is read out and indexed, but not shown.
    assert ".visually-hidden {" in SITE_CSS.read_text()


def test_a_notice_linking_elsewhere_names_its_own_title(client):
    NoticeFactory()
    agency = NoticeFactory(
        kind=Notice.Kind.SYNDICATION,
        title="PAP terms",
        text="PAP terms apply, see here.",
        link_url="https://www.pap.pl/regulamin",
    )
    html = client.get(ArticleFactory(legal_notice=agency).get_absolute_url()).content.decode()
    assert link_in(notice_paragraph(html))[2].endswith(
        '<span class="visually-hidden"> (full text: PAP terms)</span>'
    )


def test_the_legal_page_shows_the_notice_the_article_foot_shows_and_follows_its_versions(
    client,
):
    NoticeFactory(
        text="Old wording, details here.", effective_at=timezone.now() - dt.timedelta(days=30)
    )
    article = ArticleFactory()

    def both():
        foot = notice_paragraph(client.get(article.get_absolute_url()).content.decode())
        page = notice_paragraph(client.get("/legal/copyright-and-tdm/").content.decode())
        return foot, page

    foot, page = both()
    assert foot == page
    assert foot.startswith("Old wording")

    NoticeFactory(text="New wording: mining reserved, details here.")
    foot, page = both()
    assert foot == page
    assert foot.startswith("New wording")
    html = client.get("/legal/copyright-and-tdm/").content.decode()
    assert "Old wording" not in html
    assert "version 2" in html and "Text and data mining is reserved." in html


def test_the_legal_page_says_when_the_notice_lifts_the_reservation(client):
    NoticeFactory(text="You may mine our texts; details here.", reserves_tdm=False)
    html = client.get("/legal/copyright-and-tdm/").content.decode()
    assert "Text and data mining is not reserved." in html
    assert client.get("/.well-known/tdmrep.json").json()[0]["tdm-reservation"] == 0


def test_a_page_no_notice_links_to_shows_none(client):
    NoticeFactory()
    LegalPageFactory(slug="imprint", title="Imprint")
    html = client.get("/legal/imprint/").content.decode()
    assert 'class="legal-notice' not in html


def test_the_demo_reservation_page_words_the_reservation_once_in_the_notice(
    client, settings, tmp_path
):
    """The demo page explains the notice instead of restating it in other words."""
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", stdout=StringIO())
    page = LegalPage.objects.get(slug="copyright-and-tdm")
    html = client.get(page.get_absolute_url()).content.decode()
    assert "Article 4(3)" not in page.body
    assert html.count("Article 4(3) of Directive (EU) 2019/790") == 1
    article_html = client.get(
        ArticleFactory(status="published").get_absolute_url()
    ).content.decode()
    assert notice_paragraph(html) == notice_paragraph(article_html)


def test_the_legal_page_runs_constant_queries(client, django_assert_max_num_queries):
    NoticeFactory()
    for n in range(5):
        NoticeFactory(kind=Notice.Kind.SYNDICATION, title=f"Agency {n}", text=f"Agency {n} here.")
    client.get("/legal/copyright-and-tdm/")
    with django_assert_max_num_queries(3):
        client.get("/legal/copyright-and-tdm/")
