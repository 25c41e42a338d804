"""Editorial notes are the desk's alone: no page, feed, sitemap, search result, preview,
revision or JSON-LD carries them, and writing one never touches the readers' cache."""

import json
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import roles
from articles.editing import preview_link_create
from articles.models import Article, ArticleRevision, article_snapshot
from desk.models import Note, Notification
from desk.notes import note_add
from publishing.version import content_version

from .admin_forms import form_errors, open_change_form, post_change_form
from .factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    DraftArticleFactory,
    NoticeFactory,
    user_with_role,
)

# A word that is in the notes and nowhere else, so any page that shows it leaked a note.
SECRET = "Kestrelwhisper"
NOTE_TEXT = f"{SECRET}: the source asked not to be named. @dana please check."


@pytest.fixture
def editor():
    return user_with_role(roles.EDITOR, username="dana")


@pytest.fixture
def journalist():
    return user_with_role(roles.JOURNALIST, username="anna")


@pytest.fixture
def live_story(journalist):
    article = ArticleFactory(
        headline="Harbour reopens after storm",
        slug="harbour-reopens",
        tags=["harbour"],
        created_by=journalist,
        published_at=timezone.now() - timezone.timedelta(hours=2),
    )
    BylineFactory(article=article, author=AuthorFactory(slug="anna-nowak", name="Anna Nowak"))
    return article


def leaked(response):
    return SECRET.lower() in response.content.decode().lower()


@pytest.mark.django_db
def test_no_public_page_feed_sitemap_search_or_preview_shows_a_note(
    client, editor, journalist, live_story, django_capture_on_commit_callbacks
):
    NoticeFactory()
    draft = DraftArticleFactory(headline="Harbour deal nearly done", created_by=journalist)
    with django_capture_on_commit_callbacks(execute=True):
        for article in (live_story, draft):
            note_add(article=article, user=journalist, text=NOTE_TEXT)
    assert Note.objects.count() == 2 and Notification.objects.filter(verb="mentioned").count() == 2
    month = timezone.localtime(live_story.published_at)
    reader = Client()
    public = [
        reverse("articles:home"),
        live_story.get_absolute_url(),
        reverse("articles:section", kwargs={"slug": "news"}),
        reverse("articles:tag", kwargs={"slug": "harbour"}),
        reverse("articles:author", kwargs={"slug": "anna-nowak"}),
        reverse("articles:archive"),
        reverse("articles:archive_month", kwargs={"year": month.year, "month": month.month}),
        reverse("articles:corrections"),
        reverse("articles:search") + "?q=harbour",
        reverse("feeds:site-rss"),
        reverse("feeds:site-atom"),
        reverse("feeds:section-rss", kwargs={"slug": "news"}),
        reverse("feeds:tag-atom", kwargs={"slug": "harbour"}),
        reverse("feeds:author-rss", kwargs={"slug": "anna-nowak"}),
        reverse("sitemap-index"),
        reverse("sitemap", kwargs={"section": "articles"}),
        reverse("sitemap-news"),
    ]
    for url in public:
        response = reader.get(url)
        assert response.status_code == 200, url
        assert not leaked(response), url
    # The pages did show the story the notes are on.
    assert "Harbour reopens after storm" in reader.get(public[1]).content.decode()
    found = reader.get(reverse("articles:search") + "?q=harbour")
    assert [a.headline for a in found.context["page"].object_list] == [
        "Harbour reopens after storm"
    ]
    assert "Harbour reopens after storm" in reader.get(reverse("feeds:site-rss")).content.decode()

    # Searching for the note's words finds no story (the page repeats the query itself).
    found = reader.get(reverse("articles:search") + f"?q={SECRET}").content.decode()
    assert "Harbour" not in found

    # The article's JSON-LD, read on its own.
    page = reader.get(live_story.get_absolute_url()).content.decode()
    scripts = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S)
    assert scripts and not any(SECRET in script for script in scripts)
    assert json.loads(scripts[0])["headline"] == "Harbour reopens after storm"

    # The draft's previews: the staff preview and the shared (bearer) link a reader opens.
    link = preview_link_create(article=draft, user=editor, lifetime=timezone.timedelta(days=1))
    bearer = reader.get(link.bearer_url())
    assert bearer.status_code == 200 and "Harbour deal nearly done" in bearer.content.decode()
    assert not leaked(bearer)
    client.force_login(editor)
    preview = client.get(reverse("admin:articles_article_preview", args=[draft.pk]))
    assert preview.status_code == 200 and not leaked(preview)
    # ... while the desk does see it, on the article form.
    assert leaked(client.get(reverse("admin:articles_article_change", args=[draft.pk])))


@pytest.mark.django_db
def test_revisions_never_hold_a_note(client, editor, journalist, live_story):
    note_add(article=live_story, user=journalist, text=NOTE_TEXT)
    client.force_login(editor)
    data = open_change_form(client, live_story)

    response = post_change_form(client, live_story, data, lead="A new lead for the story.")

    assert response.status_code == 302, form_errors(response)
    revision = ArticleRevision.objects.filter(article=live_story).latest("number")
    assert revision.content["lead"] == "A new lead for the story."
    assert SECRET not in json.dumps(revision.content)
    assert set(article_snapshot(Article.objects.get(pk=live_story.pk))) == {
        "headline",
        "slug",
        "lead",
        "body",
        "section",
        "tags",
        "bylines",
        "lead_photo",
        "lead_photo_caption",
        "source_line",
        "seo_title",
        "seo_description",
        "social_title",
        "social_image",
    }
    revisions_page = client.get(reverse("admin:articles_article_revisions", args=[live_story.pk]))
    assert revisions_page.status_code == 200 and not leaked(revisions_page)


@pytest.mark.django_db(transaction=True)
@pytest.mark.page_cache
def test_writing_a_note_on_a_live_story_leaves_the_readers_cache_warm(
    client, editor, journalist, live_story, django_assert_num_queries
):
    reader = Client()
    pages = [reverse("articles:home"), live_story.get_absolute_url()]
    for url in pages:
        assert reader.get(url).status_code == 200
    with django_assert_num_queries(0):
        for url in pages:
            reader.get(url)
    version = content_version()
    client.force_login(journalist)

    response = client.post(
        reverse("admin:desk_note_add_to", args=[live_story.pk]), {"note-text": NOTE_TEXT}
    )

    assert response.status_code == 302
    assert Note.objects.filter(article=live_story).exists()
    assert Notification.objects.filter(verb="mentioned", recipient=editor).exists()
    assert mail.outbox  # the mention went out: the whole write happened
    assert content_version() == version
    with django_assert_num_queries(0):
        for url in pages:
            assert reader.get(url).status_code == 200
