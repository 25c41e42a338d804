"""When a photo's rights end it is gone everywhere: from pages, from its own URLs, from caches."""

import datetime as dt
import importlib
from email.utils import parsedate_to_datetime

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from django.utils.cache import get_max_age

from media.models import Photo
from media.renditions import generate_renditions

from .factories import ArticleFactory, AuthorFactory, BylineFactory, PhotoFactory

UTC = dt.UTC
BEFORE = dt.datetime(2026, 11, 25, 14, 4, 55, tzinfo=UTC)
RIGHTS_END = dt.datetime(2026, 11, 25, 14, 5, 0, tzinfo=UTC)


def every_rendition(photo):
    names = [item["name"] for items in photo.renditions["widths"].values() for item in items]
    return names + [item["name"] for item in photo.renditions["crops"].values()]


# --- URLs served by the app (embedded installs) ------------------------------------------


@pytest.mark.django_db
def test_rendition_urls_answer_gone_once_the_rights_end(client):
    with time_machine.travel(BEFORE, tick=False) as clock:
        photo = PhotoFactory(rights_expire_at=RIGHTS_END)
        urls = [photo.fallback_url, photo.rendition_url("social"), photo.rendition_url("thumb")]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            # Browsers and CDNs may keep it only while the rights last.
            assert get_max_age(response) == 5
            assert "public" in response["Cache-Control"]
            assert parsedate_to_datetime(response["Expires"]) <= RIGHTS_END

        clock.move_to(RIGHTS_END)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 410, url


@pytest.mark.django_db
def test_renditions_of_a_photo_without_an_end_date_are_cached_a_day_not_for_good(client):
    """An end date may be set later: a copy cached before then must not outlive it by long."""
    photo = PhotoFactory()
    response = client.get(photo.fallback_url)
    assert response.status_code == 200
    assert get_max_age(response) == 86400
    assert "immutable" not in response["Cache-Control"]


@pytest.mark.django_db
def test_an_end_date_far_off_is_cached_a_day_too(client):
    photo = PhotoFactory(rights_expire_at=timezone.now() + dt.timedelta(days=400))
    response = client.get(photo.fallback_url)
    assert get_max_age(response) == 86400
    assert "immutable" not in response["Cache-Control"]


@pytest.mark.django_db
def test_rendition_urls_of_a_deleted_photo_are_not_found(
    client, django_capture_on_commit_callbacks
):
    photo = PhotoFactory()
    url = photo.fallback_url
    with django_capture_on_commit_callbacks(execute=True):
        Photo.objects.filter(pk=photo.pk).delete()  # any path, not only the admin
    assert client.get(url).status_code == 404
    for name in ("x/abc/w320.jpg", f"{10**30}/abc/w320.jpg", "w320.jpg"):
        assert client.get(f"/uploads/renditions/{name}").status_code == 404, name


@pytest.mark.django_db
def test_a_rendition_is_judged_without_a_query(client, django_assert_num_queries):
    """The rights' end is in the rendition's name: no query per image, none in an outage."""
    photo = PhotoFactory(rights_expire_at=timezone.now() + dt.timedelta(days=3))
    with django_assert_num_queries(0):
        assert client.get(photo.fallback_url).status_code == 200


# --- withdrawing the files (object storage, CDN) -------------------------------------------


@pytest.mark.django_db
def test_withdraw_command_deletes_the_files_of_expired_photos_once(
    client, django_capture_on_commit_callbacks
):
    with time_machine.travel(BEFORE, tick=False) as clock:
        expiring = PhotoFactory(rights_expire_at=RIGHTS_END)
        lasting = PhotoFactory(rights_expire_at=RIGHTS_END + dt.timedelta(days=30))
        no_end = PhotoFactory()
        names = every_rendition(expiring)
        assert all(default_storage.exists(name) for name in names)

        call_command("withdraw_expired_photos", stdout=(out := _Output()))
        assert "0 photos" in out.text  # nothing has expired yet
        assert all(default_storage.exists(name) for name in names)

        clock.move_to(RIGHTS_END + dt.timedelta(seconds=30))
        with django_capture_on_commit_callbacks(execute=True):  # files go once it commits
            call_command("withdraw_expired_photos", stdout=(out := _Output()))
        assert "1 photo" in out.text
        assert not any(default_storage.exists(name) for name in names)
        expiring.refresh_from_db()
        assert expiring.renditions_withdrawn_at == RIGHTS_END + dt.timedelta(seconds=30)
        assert not expiring.renditions and not expiring.is_shown_to_readers
        for photo in (lasting, no_end):
            photo.refresh_from_db()
            assert all(default_storage.exists(name) for name in every_rendition(photo))

        call_command("withdraw_expired_photos", stdout=(out := _Output()))
        assert "0 photos" in out.text  # idempotent

        # Rights extended: the renditions come back (new names, so no cache holds them).
        expiring.rights_expire_at = RIGHTS_END + dt.timedelta(days=365)
        expiring.save()
        assert generate_renditions(expiring) is True
        expiring.refresh_from_db()
        assert expiring.renditions_withdrawn_at is None
        assert all(default_storage.exists(name) for name in every_rendition(expiring))
        assert client.get(expiring.fallback_url).status_code == 200


@pytest.mark.django_db
def test_an_expired_photo_gets_no_renditions():
    photo = PhotoFactory(with_renditions=False, rights_expire_at=timezone.now())
    assert generate_renditions(photo) is False
    photo.refresh_from_db()
    assert photo.renditions == {}


class _Output:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def s3_storage(**options):
    from media.storage import PhotoS3Storage

    return PhotoS3Storage(
        bucket_name="newsroom-media",
        object_parameters={"CacheControl": "public, max-age=86400"},
        **options,
    )


@pytest.mark.django_db
def test_object_storage_caps_each_renditions_cache_lifetime_at_its_rights():
    with time_machine.travel(BEFORE, tick=False):
        expiring = PhotoFactory(rights_expire_at=RIGHTS_END, with_renditions=False)
        lasting = PhotoFactory(with_renditions=False)
        storage = s3_storage()

        # Stored headers are fixed: a max-age would count again from each later fetch, so
        # an end within the ceiling is stated as Expires alone, the same moment for everyone.
        params = storage.get_object_parameters(f"renditions/{expiring.pk}/abc/w320.jpg")
        assert params == {"CacheControl": "public", "Expires": RIGHTS_END}

        params = storage.get_object_parameters(f"renditions/{lasting.pk}/abc/w320.jpg")
        assert params == {"CacheControl": "public, max-age=86400"}
        # The write path names objects with the bucket prefix (AWS_S3_LOCATION) in front.
        prefixed = s3_storage(location="uploads")
        params = prefixed.get_object_parameters(f"uploads/renditions/{expiring.pk}/abc/w320.jpg")
        assert params == {"CacheControl": "public", "Expires": RIGHTS_END}
        assert prefixed.get_object_parameters("uploads/photos/2026/11/x.jpg") == {
            "CacheControl": "public, max-age=86400"
        }
        # The shared defaults are never changed by a capped object.
        assert storage.object_parameters == {"CacheControl": "public, max-age=86400"}


@pytest.mark.django_db
def test_stored_renditions_are_restamped_to_expire_with_rights_that_come_within_the_ceiling(
    settings,
):
    """Uploaded two days before the end, a rendition says max-age=a day; fetched an hour
    before the end, that day would outlive the rights. The every-minute job rewrites it to
    Expires at the end once the end is within the ceiling (moto stands in for S3)."""
    from moto import mock_aws

    from media.rights import RESTAMP_SLACK

    uploaded = RIGHTS_END - dt.timedelta(days=2)
    with mock_aws():
        storage = s3_storage(location="uploads", region_name="us-east-1")
        storage.connection.meta.client.create_bucket(Bucket="newsroom-media")
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "media.storage.PhotoS3Storage",
                "OPTIONS": {
                    "bucket_name": "newsroom-media",
                    "location": "uploads",
                    "region_name": "us-east-1",
                    "object_parameters": {"CacheControl": "public, max-age=86400"},
                },
            },
        }

        def headers(name):
            head = storage.connection.meta.client.head_object(
                Bucket="newsroom-media", Key=f"uploads/{name}"
            )
            return head.get("CacheControl"), head.get("Expires"), head["ContentType"]

        with time_machine.travel(uploaded, tick=False):
            photo = PhotoFactory(rights_expire_at=RIGHTS_END)
        names = every_rendition(photo)
        assert headers(names[0])[:2] == ("public, max-age=86400", None)

        day_before = RIGHTS_END - dt.timedelta(seconds=86400 + RESTAMP_SLACK)
        for moment, restamped in (
            (day_before - dt.timedelta(minutes=1), False),
            (day_before, True),
        ):
            with time_machine.travel(moment, tick=False):
                out = _Output()
                call_command("withdraw_expired_photos", stdout=out)
                assert ("Renditions of 1 photo now expire" in out.text) is restamped
        for name in names:
            cache_control, expires, content_type = headers(name)
            assert (cache_control, expires) == ("public", RIGHTS_END), name
            assert content_type.startswith("image/")
        with time_machine.travel(day_before + dt.timedelta(minutes=1), tick=False):
            out = _Output()
            call_command("withdraw_expired_photos", stdout=out)
            assert "now expire" not in out.text  # once only


def test_the_scale_out_setup_uses_the_rights_aware_storage(monkeypatch):
    import newsroom.settings

    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "newsroom-media")
    try:
        settings = importlib.reload(newsroom.settings)
        assert settings.STORAGES["default"]["BACKEND"] == "media.storage.PhotoS3Storage"
    finally:
        monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME")
        importlib.reload(newsroom.settings)


# --- Content-Security-Policy: photos from the media domain ---------------------------------


@pytest.mark.parametrize(
    ("environment", "origins"),
    [
        ({}, []),
        ({"MEDIA_URL": "https://cdn.example-news.com/uploads/"}, ["https://cdn.example-news.com"]),
        (
            {"AWS_STORAGE_BUCKET_NAME": "herald", "AWS_S3_CUSTOM_DOMAIN": "media.example-news.com"},
            ["https://media.example-news.com"],
        ),
        (
            {
                "AWS_STORAGE_BUCKET_NAME": "herald",
                "AWS_S3_ENDPOINT_URL": "https://s3.eu-central-1.amazonaws.com",
            },
            [
                "https://s3.eu-central-1.amazonaws.com",
                "https://herald.s3.eu-central-1.amazonaws.com",
            ],
        ),
        (
            {"AWS_STORAGE_BUCKET_NAME": "herald", "AWS_S3_REGION_NAME": "eu-central-1"},
            ["https://herald.s3.amazonaws.com", "https://herald.s3.eu-central-1.amazonaws.com"],
        ),
    ],
    ids=["embedded", "media-url", "custom-domain", "endpoint", "aws"],
)
def test_content_security_policy_allows_photos_from_the_media_domain(
    monkeypatch, environment, origins
):
    import newsroom.settings

    for name in (
        "MEDIA_URL",
        "AWS_STORAGE_BUCKET_NAME",
        "AWS_S3_CUSTOM_DOMAIN",
        "AWS_S3_ENDPOINT_URL",
        "AWS_S3_REGION_NAME",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    try:
        settings = importlib.reload(newsroom.settings)
        img_src = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
        assert img_src == ["'self'", "data:", *origins]
    finally:
        for name in environment:
            monkeypatch.delenv(name)
        importlib.reload(newsroom.settings)


# --- the page cache: every photo shown anywhere counts -------------------------------------


@pytest.mark.page_cache
@pytest.mark.django_db(transaction=True)
def test_author_photo_leaves_the_warm_cached_author_page_when_its_rights_end(
    client, django_assert_num_queries
):
    with time_machine.travel(BEFORE, tick=False) as clock:
        photo = PhotoFactory(alt_text="Portrait of Anna Nowak", rights_expire_at=RIGHTS_END)
        author = AuthorFactory(name="Anna Nowak", slug="anna-nowak", photo=photo)
        BylineFactory(article=ArticleFactory(headline="Harbour reopens"), author=author)
        url = author.get_absolute_url()

        assert 'alt="Portrait of Anna Nowak"' in client.get(url).content.decode()
        clock.move_to(RIGHTS_END - dt.timedelta(seconds=1))
        with django_assert_num_queries(0):  # warm: served from the page cache
            assert 'alt="Portrait of Anna Nowak"' in client.get(url).content.decode()

        clock.move_to(RIGHTS_END)
        html = client.get(url).content.decode()
        assert "Harbour reopens" in html
        assert 'alt="Portrait of Anna Nowak"' not in html and photo.fallback_url not in html


@pytest.mark.django_db
def test_next_rights_end_counts_photos_in_use_only():
    now = timezone.now()
    unused = PhotoFactory(with_renditions=False, rights_expire_at=now + dt.timedelta(minutes=1))
    lead = PhotoFactory(with_renditions=False, rights_expire_at=now + dt.timedelta(minutes=9))
    portrait = PhotoFactory(with_renditions=False, rights_expire_at=now + dt.timedelta(minutes=5))
    PhotoFactory(with_renditions=False, rights_expire_at=now - dt.timedelta(minutes=1))
    assert unused and Photo.objects.next_rights_end() is None
    ArticleFactory(lead_photo=lead)
    assert Photo.objects.next_rights_end() == lead.rights_expire_at
    AuthorFactory(photo=portrait)
    assert Photo.objects.next_rights_end() == portrait.rights_expire_at
