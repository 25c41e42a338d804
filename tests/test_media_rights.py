"""Photo rights in the workflow: expired photos disappear, scheduling past expiry is refused."""

import datetime as dt
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from media.models import Photo
from publishing.registry import next_visibility_change

from .factories import (
    ArticleFactory,
    AuthorFactory,
    DraftArticleFactory,
    PhotoFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(username="desk-editor", is_superuser=True))
    return client


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_photo_disappears_from_the_public_page_when_its_rights_expire(client):
    now = timezone.now()
    photo = PhotoFactory(rights_expire_at=now + timedelta(hours=1), caption="River at dawn")
    article = ArticleFactory(lead_photo=photo, headline="Flood waters recede")

    html = client.get(article.get_absolute_url()).content.decode()
    assert "<figure" in html and photo.fallback_url in html and "Images source" in html

    with time_machine.travel(now + timedelta(hours=2)):
        response = client.get(article.get_absolute_url())
        html = response.content.decode()
        assert response.status_code == 200
        assert "Flood waters recede" in html
        assert "<figure" not in html and "<picture" not in html
        assert "River at dawn" not in html and "Images source" not in html
        assert "/uploads/" not in html
        home = client.get(reverse("articles:home")).content.decode()
        assert "Flood waters recede" in home and "/uploads/" not in home


def test_publication_problems_name_the_rights_expiry():
    expiry = timezone.now() + timedelta(days=2)
    photo = PhotoFactory.build(rights_expire_at=expiry)
    assert photo.publication_problems(expiry - timedelta(minutes=1)) == []
    (problem,) = photo.publication_problems(expiry + timedelta(minutes=1))
    assert "rights expire on" in problem and "before the publication time" in problem
    assert photo.publication_problems(expiry) == [problem]  # the expiry moment itself


def test_publication_problems_still_require_alt_text_and_credit():
    photo = PhotoFactory.build(alt_text=" ", agency="", photographer="")
    assert photo.publication_problems() == [
        "The lead photo needs alt text before publication.",
        "The lead photo needs a credit (agency or photographer).",
    ]


def article_form_data(photo, **fields):
    section = SectionFactory(name="News", slug="news")
    return {
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        "source_line": "© example-news.com",
        "headline": "Harbour reopens",
        "slug": "harbour-reopens",
        "lead": "Ferries sail again.",
        "body": "Text.",
        "section": section.pk,
        "lead_photo": photo.pk,
        **fields,
    }


def schedule_form(moment):
    moment = timezone.localtime(moment)
    return {"at_0": f"{moment:%Y-%m-%d}", "at_1": f"{moment:%H:%M:%S}", "comment": ""}


def transition_url(article, action):
    return reverse("admin:articles_article_transition", args=[article.pk, action])


def test_scheduling_an_article_after_its_lead_photos_rights_expire_is_refused(editor_client):
    now = timezone.now().replace(microsecond=0)
    photo = PhotoFactory(rights_expire_at=now + timedelta(days=1))
    article = DraftArticleFactory(headline="Harbour reopens", lead_photo=photo)

    too_late = schedule_form(now + timedelta(days=2))
    response = editor_client.post(transition_url(article, "schedule"), too_late)
    assert response.status_code == 200
    html = response.content.decode()
    assert "rights expire on" in html and "before the publication time" in html
    assert f'value="{too_late["at_0"]}"' in html  # what the editor typed is kept
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT and article.published_at is None

    response = editor_client.post(
        transition_url(article, "schedule"), schedule_form(now + timedelta(hours=12))
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == now + timedelta(hours=12)


def test_publishing_with_a_photo_without_alt_text_is_refused_in_the_admin(editor_client):
    article = DraftArticleFactory(lead_photo=PhotoFactory(alt_text=""))
    response = editor_client.post(transition_url(article, "publish"), {"comment": ""})
    assert response.status_code == 200
    assert "The lead photo needs alt text before publication." in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_a_draft_may_use_a_photo_whose_rights_expired(editor_client):
    photo = PhotoFactory(rights_expire_at=timezone.now() - timedelta(days=1))
    response = editor_client.post(
        reverse("admin:articles_article_add"), article_form_data(photo, status="draft")
    )
    assert response.status_code == 302


def test_editors_are_warned_about_expired_rights_in_the_admin(editor_client):
    photo = PhotoFactory(rights_expire_at=timezone.now() - timedelta(hours=3))
    article = ArticleFactory(lead_photo=photo)

    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert any("rights to the lead photo have expired" in m for m in messages_of(response))
    assert "readers do not see this photo" in response.content.decode()

    response = editor_client.get(reverse("admin:media_photo_change", args=[photo.pk]))
    assert any("Readers no longer see it" in m for m in messages_of(response))


def test_editors_see_where_a_photo_is_used(editor_client):
    photo = PhotoFactory()
    article = ArticleFactory(lead_photo=photo, headline="Bridge repairs finish early")
    AuthorFactory(name="Anna Nowak", photo=photo)
    html = editor_client.get(reverse("admin:media_photo_change", args=[photo.pk])).content.decode()
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    assert f'<a href="{change_url}">Bridge repairs finish early</a> (Published)' in html
    assert "Anna Nowak</a> (author profile)" in html


def test_deleting_a_photo_in_use_is_refused_with_a_message(editor_client):
    photo = PhotoFactory()
    ArticleFactory(lead_photo=photo, headline="Bridge repairs finish early")
    delete_url = reverse("admin:media_photo_delete", args=[photo.pk])
    for response in (
        editor_client.get(delete_url),
        editor_client.post(delete_url, {"post": "yes"}),
    ):
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:media_photo_change", args=[photo.pk])
        assert messages_of(response)[-1] == (
            "This photo cannot be deleted because it is in use: “Bridge repairs finish early”. "
            "Choose another photo there first."
        )
    assert Photo.objects.filter(pk=photo.pk).exists()


def test_an_unused_photo_can_be_deleted_with_its_files(
    editor_client, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    photo = PhotoFactory()
    files = [
        photo.image.name,
        photo.thumbnail["name"],
        photo.renditions["widths"]["webp"][0]["name"],
    ]
    assert all(default_storage.exists(name) for name in files)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:media_photo_delete", args=[photo.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert not Photo.objects.exists()
    assert not any(default_storage.exists(name) for name in files)


def test_rights_report_lists_photos_expiring_within_a_week_and_their_articles(editor_client):
    now = timezone.now()
    soon = PhotoFactory(caption="Expires in three days", rights_expire_at=now + timedelta(days=3))
    ArticleFactory(lead_photo=soon, headline="Story using the expiring photo")
    ArticleFactory(
        lead_photo=soon, headline="Scheduled story", published_at=now + timedelta(days=1)
    )
    PhotoFactory(caption="Expires next month", rights_expire_at=now + timedelta(days=30))
    PhotoFactory(caption="Already expired", rights_expire_at=now - timedelta(days=1))
    PhotoFactory(caption="No end date")

    html = editor_client.get(reverse("admin:media_photo_rights_report")).content.decode()
    assert "Expires in three days" in html
    assert "Story using the expiring photo" in html and "Scheduled story" in html
    for absent in ("Expires next month", "Already expired", "No end date"):
        assert absent not in html
    changelist = editor_client.get(reverse("admin:media_photo_changelist")).content.decode()
    assert reverse("admin:media_photo_rights_report") in changelist


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        ("expired", {"Already expired"}),
        ("expiring", {"Expires in three days"}),
        ("valid", {"Expires in three days", "Expires next month", "No end date"}),
    ],
)
def test_photo_list_filters_by_rights_status(editor_client, status, shown):
    now = timezone.now()
    PhotoFactory(caption="Expires in three days", rights_expire_at=now + timedelta(days=3))
    PhotoFactory(caption="Expires next month", rights_expire_at=now + timedelta(days=30))
    PhotoFactory(caption="Already expired", rights_expire_at=now - timedelta(days=1))
    PhotoFactory(caption="No end date")
    response = editor_client.get(reverse("admin:media_photo_changelist"), {"rights": status})
    listed = {str(photo) for photo in response.context["cl"].result_list}
    assert listed == shown


def test_lead_photo_rights_expiry_is_a_visibility_change_for_caches():
    now = timezone.now()
    expiry = now + timedelta(hours=5)
    ArticleFactory(lead_photo=PhotoFactory(rights_expire_at=expiry))
    ArticleFactory(published_at=now + timedelta(hours=9))
    # One rule for photos (media.rights.next_rights_end), among the page cache's sources.
    assert next_visibility_change() == expiry.timestamp()


def test_swapping_in_a_photo_without_alt_text_on_a_live_article_is_refused(client):
    from articles.roles import EDITOR

    from .admin_forms import open_change_form, post_change_form, user_in_role

    article = ArticleFactory(lead_photo=PhotoFactory())
    client.force_login(user_in_role(EDITOR, username="night-editor"))
    form = open_change_form(client, article)
    bad = PhotoFactory(alt_text="")
    response = post_change_form(client, article, form, lead_photo=bad.pk, headline="Kept text")
    assert response.status_code == 200
    assert "The lead photo needs alt text before publication." in response.content.decode()
    assert 'value="Kept text"' in response.content.decode()
    article.refresh_from_db()
    assert article.lead_photo != bad


def test_a_journalist_cannot_change_a_photo_that_readers_see(client):
    from articles.roles import JOURNALIST

    from .admin_forms import user_in_role

    live = PhotoFactory(caption="On the front page")
    ArticleFactory(lead_photo=live)
    unused = PhotoFactory(caption="Still in the drawer")
    client.force_login(user_in_role(JOURNALIST, username="cub-reporter"))

    url = reverse("admin:media_photo_change", args=[live.pk])
    response = client.post(url, {"caption": "Vandalised", "alt_text": "x", "agency": "PAP"})
    assert response.status_code == 403
    live.refresh_from_db()
    assert live.caption == "On the front page"
    assert client.get(reverse("admin:media_photo_change", args=[unused.pk])).status_code == 200


# Rights times in the newsroom's zone (settings.TIME_ZONE), as in the article admin -----------

NEW_YORK = ZoneInfo("America/New_York")
SUMMER_END = dt.datetime(2026, 7, 1, 17, 30, tzinfo=dt.UTC)  # 1:30 PM EDT in New York
WINTER_END = dt.datetime(2026, 1, 15, 17, 30, tzinfo=dt.UTC)  # 12:30 PM EST in New York


def test_photo_admin_shows_the_rights_end_in_the_newsroom_zone(editor_client):
    with time_machine.travel(dt.datetime(2026, 6, 28, 9, 0, tzinfo=NEW_YORK), tick=False):
        photo = PhotoFactory(caption="Harbour at dusk", rights_expire_at=SUMMER_END)
        newsroom_time = "Jul 1, 2026, 1:30 PM EDT (UTC−04:00)"

        listing = editor_client.get(reverse("admin:media_photo_changelist")).content.decode()
        assert f"Expiring soon ({newsroom_time})" in listing
        report = editor_client.get(reverse("admin:media_photo_rights_report")).content.decode()
        assert newsroom_time in report

        response = editor_client.get(reverse("admin:media_photo_change", args=[photo.pk]))
        form = response.context["adminform"].form
        assert form["rights_expire_at"].value() == SUMMER_END
        html = response.content.decode()
        assert 'name="rights_expire_at_0" value="2026-07-01"' in html
        assert 'name="rights_expire_at_1" value="13:30:00"' in html
        assert "Times are in the newsroom's zone, America/New_York (now EDT, UTC−04:00)" in html


def test_expired_rights_warnings_give_the_newsroom_time(editor_client):
    photo = PhotoFactory(rights_expire_at=WINTER_END)
    article = ArticleFactory(lead_photo=photo)
    newsroom_time = "Jan 15, 2026, 12:30 PM EST (UTC−05:00)"

    with time_machine.travel(dt.datetime(2026, 2, 1, 9, 0, tzinfo=NEW_YORK), tick=False):
        response = editor_client.get(reverse("admin:media_photo_change", args=[photo.pk]))
        assert f"The rights to this photo expired on {newsroom_time}." in messages_of(response)[0]
        preview = editor_client.get(reverse("admin:media_photo_preview"), {"id": photo.pk})
        assert preview.json()["warning"] == (
            f"Rights expired {newsroom_time}: readers do not see this photo."
        )
        picker = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
        assert f"Rights expired {newsroom_time}" in picker.content.decode()


@pytest.mark.parametrize(
    ("typed_date", "stored"),
    [
        ("2026-07-01", dt.datetime(2026, 7, 1, 13, 0, tzinfo=dt.UTC)),  # EDT, UTC−4
        ("2026-12-01", dt.datetime(2026, 12, 1, 14, 0, tzinfo=dt.UTC)),  # EST, UTC−5
    ],
)
def test_a_rights_end_typed_in_the_photo_admin_is_newsroom_time(editor_client, typed_date, stored):
    photo = PhotoFactory()
    response = editor_client.post(
        reverse("admin:media_photo_change", args=[photo.pk]),
        {
            "alt_text": photo.alt_text,
            "caption": photo.caption,
            "agency": photo.agency,
            "photographer": photo.photographer,
            "rights_expire_at_0": typed_date,
            "rights_expire_at_1": "09:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    photo.refresh_from_db()
    assert photo.rights_expire_at == stored
