"""The public-cache contract: only writes readers could see reach the readers' cache.

Each app declares which of its rows are public (publishing.register_public); a draft, a
revision, a workflow event, a preview link, a login (failed or not) changes nothing
public, so the warm home and article pages stay warm: served with no database query.
A change to something public is on the next request.
"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from articles.models import Article, ArticleRevision, PreviewLink
from articles.roles import EDITOR, JOURNALIST
from desk.models import Notification
from media.models import Photo

from .admin_forms import form_errors, open_change_form, post_change_form, user_in_role
from .factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    DraftArticleFactory,
    PhotoFactory,
)
from .images import agency_jpeg, image_bytes

# Transactional: pages are stored only outside transactions, as in production.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.page_cache]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def live_story():
    article = ArticleFactory(headline="Harbour reopens after storm", slug="harbour-reopens")
    BylineFactory(article=article, author=AuthorFactory(slug="anna-nowak"))
    return article


@pytest.fixture
def journalist():
    return user_in_role(JOURNALIST, username="reporter", password=PASSWORD)


@pytest.fixture
def editor():
    return user_in_role(EDITOR, username="editor", password=PASSWORD)


@pytest.fixture
def reader():
    """An anonymous reader: never shares the staff member's cookies."""
    return Client()


@pytest.fixture
def warm(reader, live_story, django_assert_num_queries):
    """Renders the home page and the live story's page once, and checks that they are now
    served from the cache; call it once the test's own rows exist."""

    def warm_pages():
        urls = [reverse("articles:home"), live_story.get_absolute_url()]
        for url in urls:
            assert reader.get(url).status_code == 200
        assert_still_warm(reader, urls, django_assert_num_queries)
        return urls

    return warm_pages


def assert_still_warm(reader, urls, django_assert_num_queries):
    with django_assert_num_queries(0):
        for url in urls:
            assert reader.get(url).status_code == 200


def test_a_journalist_saving_a_draft_in_the_admin_leaves_warm_pages_warm(
    client, reader, warm, journalist, django_assert_num_queries
):
    draft = DraftArticleFactory(headline="Secret merger agreed", created_by=journalist)
    client.force_login(journalist)
    data = open_change_form(client, draft)
    pages = warm()

    response = post_change_form(
        client, draft, data, headline="Secret merger agreed, sources say", tags="merger, exclusive"
    )

    assert response.status_code == 302, form_errors(response)
    saved = Article.objects.get(pk=draft.pk)
    assert saved.headline == "Secret merger agreed, sources say"
    assert sorted(saved.tags.names()) == ["exclusive", "merger"]  # two new tags
    assert_still_warm(reader, pages, django_assert_num_queries)


def test_editing_an_author_and_a_tag_only_drafts_carry_leaves_warm_pages_warm(
    reader, warm, journalist, django_assert_num_queries
):
    draft = DraftArticleFactory(created_by=journalist, tags=["embargoed-merger"])
    newcomer = AuthorFactory(name="New Contributor", slug="new-contributor")
    BylineFactory(article=draft, author=newcomer)
    pages = warm()

    newcomer.bio = "Joins the business desk in January."
    newcomer.save()
    tag = draft.tags.get()
    tag.name = "embargoed merger talks"
    tag.save()

    assert_still_warm(reader, pages, django_assert_num_queries)


def test_renaming_the_author_of_a_live_story_is_on_the_next_request(reader, warm, live_story):
    warm()

    author = live_story.bylines.get().author
    author.name = "Anna Nowak-Kowalska"
    author.save()

    assert b"Anna Nowak-Kowalska" in reader.get(live_story.get_absolute_url()).content


def test_a_revision_of_a_draft_leaves_warm_pages_warm(
    reader, warm, journalist, django_assert_num_queries
):
    draft = DraftArticleFactory(created_by=journalist)
    pages = warm()

    ArticleRevision.objects.record(article=draft, user=journalist, comment="Second pass")

    assert ArticleRevision.objects.filter(article=draft).exists()
    assert_still_warm(reader, pages, django_assert_num_queries)


def test_submitting_a_draft_for_review_leaves_warm_pages_warm(
    client, reader, warm, journalist, editor, django_assert_num_queries
):
    """The workflow event and the editors' notification are both staff-only writes."""
    draft = DraftArticleFactory(created_by=journalist)
    client.force_login(journalist)
    pages = warm()

    response = client.post(reverse("admin:articles_article_transition", args=[draft.pk, "submit"]))

    assert response.status_code == 302
    assert Article.objects.get(pk=draft.pk).status == Article.Status.IN_REVIEW
    assert draft.events.filter(action="submit").exists()
    assert Notification.objects.filter(recipient=editor, article=draft).exists()
    assert_still_warm(reader, pages, django_assert_num_queries)


def test_creating_a_preview_link_leaves_warm_pages_warm(
    client, reader, warm, editor, django_assert_num_queries
):
    draft = DraftArticleFactory()
    client.force_login(editor)
    pages = warm()

    links_url = reverse("admin:articles_article_preview_links", args=[draft.pk])
    assert client.post(links_url, {"lifetime": "1d"}).status_code == 302

    assert PreviewLink.objects.filter(article=draft).exists()
    assert_still_warm(reader, pages, django_assert_num_queries)


def test_a_failed_admin_login_leaves_warm_pages_warm(
    client, reader, warm, editor, settings, django_assert_num_queries
):
    from axes.models import AccessAttempt, AccessFailureLog

    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True  # off by default: both kinds of row
    pages = warm()
    response = client.post(
        reverse("admin:login"), {"username": "editor", "password": "guess", "next": "/admin/"}
    )

    assert response.status_code == 200  # the form again, with an error
    assert AccessAttempt.objects.exists() and AccessFailureLog.objects.exists()
    assert_still_warm(reader, pages, django_assert_num_queries)


def test_a_successful_staff_login_leaves_warm_pages_warm(
    client, reader, warm, editor, django_assert_num_queries
):
    pages = warm()
    response = client.post(
        reverse("admin:login"), {"username": "editor", "password": PASSWORD, "next": "/admin/"}
    )

    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    assert_still_warm(reader, pages, django_assert_num_queries)


def test_an_edit_of_a_live_story_in_the_admin_is_on_the_next_request(
    client, reader, warm, live_story, editor
):
    client.force_login(editor)
    data = open_change_form(client, live_story)
    pages = warm()

    response = post_change_form(client, live_story, data, headline="Harbour reopens to ferries")

    assert response.status_code == 302, form_errors(response)
    for url in pages:
        assert b"Harbour reopens to ferries" in reader.get(url).content, url


def test_a_draft_becoming_public_is_on_the_next_request(client, reader, warm, editor):
    draft = DraftArticleFactory(headline="Ferry timetable restored")
    pages = warm()
    for url in pages:
        assert b"Ferry timetable restored" not in reader.get(url).content

    client.force_login(editor)
    for transition in ("submit", "approve", "publish"):
        url = reverse("admin:articles_article_transition", args=[draft.pk, transition])
        assert client.post(url).status_code == 302, transition

    assert Article.objects.get(pk=draft.pk).status == Article.Status.PUBLISHED
    assert b"Ferry timetable restored" in reader.get(pages[0]).content


def test_uploading_photos_nothing_shows_yet_leaves_warm_pages_warm(
    client, reader, warm, editor, django_assert_num_queries
):
    client.force_login(editor)
    pages = warm()

    response = client.post(
        reverse("admin:media_photo_bulk_upload"),
        {"images": [SimpleUploadedFile("pier.jpg", image_bytes("JPEG"), "image/jpeg")]},
    )

    assert response.status_code == 302, response.context["form"].errors
    assert Photo.objects.get().renditions["widths"]["webp"]
    assert_still_warm(reader, pages, django_assert_num_queries)


def test_refocusing_the_photo_of_a_live_story_is_on_the_next_request(
    client, reader, warm, live_story, editor
):
    photo = PhotoFactory(image=ContentFile(agency_jpeg(), name="harbour.jpg"))
    live_story.lead_photo = photo
    live_story.save()
    client.force_login(editor)
    pages = warm()
    old_crop = photo.rendition_url("16x9")
    assert old_crop in reader.get(pages[1]).content.decode()

    response = client.post(
        reverse("admin:media_photo_change", args=[photo.pk]),
        {
            "alt_text": photo.alt_text,
            "caption": photo.caption,
            "agency": "PAP",
            "photographer": photo.photographer,
            "focal_x": "0.1",
            "focal_y": "0.9",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    photo.refresh_from_db()
    assert photo.rendition_url("16x9") != old_crop
    page = reader.get(pages[1]).content.decode()
    assert photo.rendition_url("16x9") in page and old_crop not in page


def test_refocusing_a_photo_only_drafts_use_leaves_warm_pages_warm(
    client, reader, warm, editor, django_assert_num_queries
):
    photo = PhotoFactory(image=ContentFile(agency_jpeg(), name="pier.jpg"))
    DraftArticleFactory(headline="Pier repairs", slug="pier-repairs", lead_photo=photo)
    ArticleFactory(
        headline="Pier reopening",
        slug="pier-reopening",
        status=Article.Status.IN_REVIEW,
        lead_photo=photo,
    )
    client.force_login(editor)
    pages = warm()

    response = client.post(
        reverse("admin:media_photo_change", args=[photo.pk]),
        {
            "alt_text": photo.alt_text,
            "caption": "Repairs on the pier",
            "agency": "PAP",
            "photographer": photo.photographer,
            "focal_x": "0.2",
            "focal_y": "0.8",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Photo.objects.get(pk=photo.pk).caption == "Repairs on the pier"
    assert_still_warm(reader, pages, django_assert_num_queries)


def test_a_portrait_counts_for_readers_while_its_author_has_public_stories(live_story):
    author = live_story.bylines.get().author
    author.photo = PhotoFactory(image=ContentFile(agency_jpeg(), name="anna.jpg"))
    author.save()
    assert Photo.objects.shown_to_readers().filter(pk=author.photo.pk).exists()
    live_story.status = Article.Status.UNPUBLISHED
    live_story.save()
    assert not Photo.objects.shown_to_readers().filter(pk=author.photo.pk).exists()
