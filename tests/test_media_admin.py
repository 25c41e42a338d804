"""The photo library in the admin: thumbnail list, search, picker, bulk upload; query counts."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from media.models import Photo

from .factories import ArticleFactory, BylineFactory, PhotoFactory, UserFactory
from .images import SVG, XMP_CREDITS, agency_jpeg, image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(username="picture-desk", is_superuser=True))
    return client


def test_photo_list_shows_thumbnails_not_originals(editor_client):
    photo = PhotoFactory()
    html = editor_client.get(reverse("admin:media_photo_changelist")).content.decode()
    assert f'src="{photo.thumbnail["url"]}"' in html
    assert photo.image.url not in html
    assert "media/admin.css" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Kovalchuk", {"Harbour"}), ("Reuters", {"Stadium"}), ("parliament", {"Parliament"})],
)
def test_photo_list_searches_caption_photographer_and_agency(editor_client, query, expected):
    PhotoFactory(caption="Harbour", agency="PAP", photographer="Viktor Kovalchuk")
    PhotoFactory(caption="Stadium", agency="Reuters", photographer="Tom Becker")
    PhotoFactory(caption="Parliament votes", agency="AFP", photographer="Lena Sato")
    response = editor_client.get(reverse("admin:media_photo_changelist"), {"q": query})
    assert {str(p).split()[0] for p in response.context["cl"].result_list} == expected


def test_photo_list_filters_by_agency(editor_client):
    PhotoFactory(caption="Harbour", agency="PAP")
    PhotoFactory(caption="Stadium", agency="Reuters")
    response = editor_client.get(reverse("admin:media_photo_changelist"), {"agency": "Reuters"})
    assert [str(p) for p in response.context["cl"].result_list] == ["Stadium"]


def test_photo_list_of_twenty_thumbnails_runs_constant_queries(
    editor_client, django_assert_max_num_queries
):
    PhotoFactory()
    url = reverse("admin:media_photo_changelist")
    with django_assert_max_num_queries(12) as few:
        editor_client.get(url)
    PhotoFactory.create_batch(19)
    with django_assert_max_num_queries(12) as many:
        response = editor_client.get(url)
    assert response.content.decode().count('class="photo-thumb"') == 20
    assert len(many) == len(few)


def test_section_page_with_twenty_thumbnails_runs_constant_queries(
    client, django_assert_max_num_queries
):
    first = ArticleFactory(lead_photo=PhotoFactory())
    url = first.section.get_absolute_url()
    client.get(url)  # warms the legal notices' cache, as any earlier visitor would
    with django_assert_max_num_queries(5) as few:
        client.get(url)
    for _ in range(19):
        article = ArticleFactory(lead_photo=PhotoFactory())
        BylineFactory(article=article)
    with django_assert_max_num_queries(5) as many:
        html = client.get(url).content.decode()
    assert html.count("<picture>") == 20
    assert len(many) == len(few)


def test_article_form_has_a_photo_picker_with_a_thumbnail(editor_client):
    photo = PhotoFactory()
    article = ArticleFactory(lead_photo=photo)
    html = editor_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()
    assert 'class="photo-picker"' in html
    assert f'data-preview-url="{reverse("admin:media_photo_preview")}"' in html
    assert f'src="{photo.thumbnail["url"]}"' in html
    assert "media/photo-picker.js" in html
    # The magnifier opens the thumbnail list as a picker.
    assert f'href="{reverse("admin:media_photo_changelist")}?_to_field=id"' in html

    popup = editor_client.get(
        reverse("admin:media_photo_changelist"), {"_to_field": "id", "_popup": "1"}
    ).content.decode()
    assert f'src="{photo.thumbnail["url"]}"' in popup


def test_picker_preview_returns_the_thumbnail_and_any_rights_warning(editor_client, client):
    from datetime import timedelta

    from django.utils import timezone

    photo = PhotoFactory(rights_expire_at=timezone.now() + timedelta(days=1))
    url = reverse("admin:media_photo_preview")
    data = editor_client.get(url, {"id": photo.pk}).json()
    assert data["thumbnail"] == photo.thumbnail["url"]
    assert data["alt_text"] == photo.alt_text
    assert data["label"] == str(photo)
    assert data["warning"] == ""
    # Past its rights a photo has no renditions (media.rights), so no thumbnail either.
    expired = PhotoFactory(rights_expire_at=timezone.now() - timedelta(days=1))
    data = editor_client.get(url, {"id": expired.pk}).json()
    assert data["thumbnail"] == "" and data["alt_text"] == expired.alt_text
    assert data["warning"].startswith("Rights expired")
    assert editor_client.get(url, {"id": "999999"}).status_code == 404
    assert editor_client.get(url, {"id": "abc"}).status_code == 404
    client.logout()
    assert client.get(url, {"id": photo.pk}).status_code == 302  # to the login page


def bulk_upload(client, files, **fields):
    data = {"images": files, **fields}
    return client.post(reverse("admin:media_photo_bulk_upload"), data)


def test_bulk_upload_creates_one_photo_per_file_with_renditions(editor_client):
    files = [
        SimpleUploadedFile("one.jpg", agency_jpeg(xmp=XMP_CREDITS), "image/jpeg"),
        SimpleUploadedFile("two.png", image_bytes("PNG"), "image/png"),
        SimpleUploadedFile("three.webp", image_bytes("WEBP"), "image/webp"),
    ]
    response = bulk_upload(editor_client, files, agency="Reuters", usage_terms="Editorial use only")
    assert response.status_code == 302, response.context["form"].errors
    photos = Photo.objects.order_by("pk")
    assert photos.count() == 3
    assert {p.format for p in photos} == {"JPEG", "PNG", "WEBP"}
    for photo in photos:
        assert photo.agency == "Reuters"  # typed: applies to all
        assert photo.usage_terms == "Editorial use only"
        assert photo.uploaded_by.username == "picture-desk"
        assert photo.renditions["widths"]["webp"]
    # Credits from the file fill what was left empty.
    assert photos[0].photographer == "Anna Nowak"
    assert photos[0].caption == "Firefighters at the Vistula embankment."


def test_bulk_upload_with_a_bad_file_names_it_and_saves_nothing(editor_client):
    files = [
        SimpleUploadedFile("good.jpg", image_bytes("JPEG"), "image/jpeg"),
        SimpleUploadedFile("drawing.svg", SVG, "image/svg+xml"),
        SimpleUploadedFile("empty.jpg", b"", "image/jpeg"),
    ]
    response = bulk_upload(editor_client, files, agency="Reuters", photographer="Tom Becker")
    assert response.status_code == 200
    html = response.content.decode()
    assert "drawing.svg: SVG files are not accepted" in html
    assert "empty.jpg: The file is empty (0 bytes)." in html
    assert "Nothing was uploaded." in html
    assert 'value="Reuters"' in html and 'value="Tom Becker"' in html
    assert not Photo.objects.exists()


def test_bulk_upload_validates_credits_read_from_the_files(editor_client):
    bad_xmp = XMP_CREDITS.replace("https://example.pl/licencja-zdjec", "https://bad host/licence")
    files = [SimpleUploadedFile("agency.jpg", agency_jpeg(xmp=bad_xmp), "image/jpeg")]
    response = bulk_upload(editor_client, files, agency="Reuters")
    assert response.status_code == 200
    html = response.content.decode()
    assert "was not uploaded: licence_url: Enter a valid URL." in html
    assert not Photo.objects.exists()


def test_bulk_upload_takes_agency_credits_with_control_characters_without_them(editor_client):
    """An agency's caption with a stray control character (a vertical tab from its system)
    must not refuse the whole batch: what is read from a file is cleaned, not typed."""
    import io

    from PIL import ExifTags, Image

    exif = Image.Exif()
    exif[ExifTags.Base.ImageDescription] = "Ferries\x0b wait"
    exif[ExifTags.Base.Artist] = "Maria\x07 Lopez"
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300)).save(buffer, "JPEG", exif=exif.tobytes())
    files = [
        SimpleUploadedFile("exif.jpg", buffer.getvalue(), "image/jpeg"),
        SimpleUploadedFile(
            "iim.jpg",
            agency_jpeg(iim={(2, 120): "Storm\x0b over the harbour", (2, 80): "Anna\x1fNowak"}),
            "image/jpeg",
        ),
    ]

    response = bulk_upload(editor_client, files, agency="Reuters")

    assert response.status_code == 302, response.content.decode()
    exif_photo, iim_photo = Photo.objects.order_by("pk")
    assert exif_photo.caption == "Ferries wait"
    assert exif_photo.photographer == "Maria Lopez"
    assert iim_photo.caption == "Storm over the harbour"
    assert iim_photo.photographer == "AnnaNowak"


def test_bulk_upload_page_is_linked_from_the_photo_list(editor_client):
    html = editor_client.get(reverse("admin:media_photo_changelist")).content.decode()
    assert reverse("admin:media_photo_bulk_upload") in html
    page = editor_client.get(reverse("admin:media_photo_bulk_upload")).content.decode()
    assert 'type="file" name="images"' in page and "multiple" in page


def test_saving_a_photo_in_the_admin_regenerates_its_crops(editor_client):
    photo = PhotoFactory(image=ContentFile(agency_jpeg(), name="a.jpg"))
    before = photo.rendition_url("1x1")
    response = editor_client.post(
        reverse("admin:media_photo_change", args=[photo.pk]),
        {
            "alt_text": photo.alt_text,
            "caption": photo.caption,
            "agency": "PAP",
            "photographer": "Viktor Kovalchuk",
            "focal_x": "0.1",
            "focal_y": "0.9",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    photo.refresh_from_db()
    assert (photo.focal_x, photo.focal_y) == (0.1, 0.9)
    assert photo.rendition_url("1x1") != before


def test_bulk_upload_refuses_more_files_than_the_cap_and_keeps_the_typed_fields(
    editor_client, settings
):
    settings.PHOTO_BULK_MAX_FILES = 2
    files = [SimpleUploadedFile(f"{n}.jpg", image_bytes("JPEG"), "image/jpeg") for n in range(3)]
    response = bulk_upload(editor_client, files, agency="Reuters", photographer="Tom Becker")
    assert response.status_code == 200
    html = response.content.decode()
    assert "You chose 3 photos; upload at most 2 at a time." in html
    assert 'value="Reuters"' in html and 'value="Tom Becker"' in html
    assert not Photo.objects.exists()


def test_bulk_upload_refuses_more_pixels_in_total_than_the_cap(editor_client, settings):
    settings.PHOTO_BULK_MAX_PIXELS = 1_000_000
    files = [
        SimpleUploadedFile("wide.png", image_bytes("PNG", 1000, 600), "image/png"),
        SimpleUploadedFile("tall.jpg", image_bytes("JPEG", 600, 1000), "image/jpeg"),
    ]
    response = bulk_upload(editor_client, files, agency="Reuters")
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "These photos hold 1.2 megapixels together; one upload may hold at most 1.0. "
        "Upload them in smaller groups."
    ) in html
    assert 'value="Reuters"' in html
    assert not Photo.objects.exists()


def test_bulk_upload_caps_come_from_the_environment(monkeypatch):
    import importlib

    import newsroom.settings

    monkeypatch.setenv("PHOTO_BULK_MAX_FILES", "7")
    monkeypatch.setenv("PHOTO_BULK_MAX_PIXELS", "123456789")
    try:
        reloaded = importlib.reload(newsroom.settings)
        assert (reloaded.PHOTO_BULK_MAX_FILES, reloaded.PHOTO_BULK_MAX_PIXELS) == (7, 123456789)
    finally:
        monkeypatch.delenv("PHOTO_BULK_MAX_FILES")
        monkeypatch.delenv("PHOTO_BULK_MAX_PIXELS")
        importlib.reload(newsroom.settings)


def test_damaged_png_in_a_bulk_upload_is_refused_before_anything_is_saved(editor_client):
    damaged = bytearray(image_bytes("PNG", 400, 300, color=(10, 200, 90, 255)))
    damaged[60] ^= 0xFF  # inside the pixel data: the chunk's checksum no longer matches
    files = [
        SimpleUploadedFile("good.jpg", image_bytes("JPEG"), "image/jpeg"),
        SimpleUploadedFile("bad.png", bytes(damaged), "image/png"),
    ]
    response = bulk_upload(editor_client, files, agency="Reuters")
    assert response.status_code == 200
    assert "bad.png: The image is damaged or incomplete" in response.content.decode()
    assert not Photo.objects.exists()
