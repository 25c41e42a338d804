"""Uploading photos in the admin: only real raster images, credits read from the file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from media.models import Photo

from .factories import UserFactory, jpeg_bytes
from .images import SVG, XMP_CREDITS, agency_jpeg, image_bytes, png_bomb_header

pytestmark = pytest.mark.django_db

TYPED = {
    "alt_text": "Ferries in the harbour at dusk",
    "caption": "Ferries wait in the harbour.",
    "agency": "Reuters",
    "photographer": "Tom Becker",
    "usage_terms": "Editorial use only",
}


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(username="photo-editor", is_superuser=True))
    return client


def upload_photo(client, name, content, content_type="image/jpeg", **fields):
    data = {**TYPED, **fields, "image": SimpleUploadedFile(name, content, content_type)}
    return client.post(reverse("admin:media_photo_add"), data)


def assert_refused_keeping_typed_fields(response, message):
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert message in " ".join(form.errors["image"])
    html = response.content.decode()
    assert message in html
    assert 'value="Ferries in the harbour at dusk"' in html
    assert "Ferries wait in the harbour.</textarea>" in html
    assert 'value="Tom Becker"' in html
    assert "Editorial use only</textarea>" in html
    assert not Photo.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        (
            "holiday.jpg",
            b"Dear editor, this is a text file with a .jpg name.\n" * 20,
            "image/jpeg",
            "This file is not a JPEG, PNG, WebP or GIF image (whatever its name says).",
        ),
        (
            "cut-off.jpg",
            jpeg_bytes(800, 600)[:1500],
            "image/jpeg",
            "The image is damaged or incomplete (the upload may have been cut off).",
        ),
        (
            "logo.svg",
            SVG,
            "image/svg+xml",
            "SVG files are not accepted: they are documents that can carry scripts",
        ),
        (
            "bomb.png",
            png_bomb_header(30000, 30000),
            "image/png",
            "The image is too large to process",
        ),
        ("empty.jpg", b"", "image/jpeg", "The file is empty (0 bytes). Choose the photo again."),
        (
            "scan.tif",
            image_bytes("TIFF"),
            "image/tiff",
            "This file is not a JPEG, PNG, WebP or GIF image",
        ),
    ],
    ids=["renamed-text", "truncated-jpeg", "svg", "decompression-bomb", "zero-bytes", "tiff"],
)
def test_bad_file_is_refused_with_a_clear_message_and_typed_fields_are_kept(
    editor_client, name, content, content_type, message
):
    response = upload_photo(editor_client, name, content, content_type)
    assert_refused_keeping_typed_fields(response, message)


def test_file_over_the_configured_size_limit_is_refused(editor_client, settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 10_000
    content = agency_jpeg(1200, 800, gps=False)
    assert len(content) > 10_000
    response = upload_photo(editor_client, "big.jpg", content)
    assert_refused_keeping_typed_fields(response, "photos may be at most 9.8\xa0KB")


def test_size_limit_comes_from_the_environment(monkeypatch):
    import importlib

    import newsroom.settings

    monkeypatch.setenv("PHOTO_MAX_UPLOAD_BYTES", "1234")
    try:
        assert importlib.reload(newsroom.settings).PHOTO_MAX_UPLOAD_BYTES == 1234
    finally:
        monkeypatch.delenv("PHOTO_MAX_UPLOAD_BYTES")
        importlib.reload(newsroom.settings)


def test_pixel_limit_is_checked_from_the_header_before_decoding(editor_client, settings):
    settings.PHOTO_MAX_PIXELS = 1_000_000
    response = upload_photo(editor_client, "wide.png", image_bytes("PNG", 2000, 1000))
    assert_refused_keeping_typed_fields(
        response, "The image is too large to process (2000×1000 pixels); the limit is 1 megapixels."
    )


@pytest.mark.parametrize(
    ("fmt", "name", "content_type", "stored_ext"),
    [
        ("JPEG", "a.jpg", "image/jpeg", "jpg"),
        ("PNG", "a.png", "image/png", "png"),
        ("WEBP", "a.webp", "image/webp", "webp"),
        ("GIF", "a.gif", "image/gif", "gif"),
    ],
)
def test_each_accepted_raster_format_uploads(editor_client, fmt, name, content_type, stored_ext):
    response = upload_photo(editor_client, name, image_bytes(fmt), content_type)
    assert response.status_code == 302, response.context["adminform"].form.errors
    photo = Photo.objects.get()
    assert photo.format == fmt
    assert photo.image.name.endswith(f".{stored_ext}")
    assert photo.renditions["widths"]["jpeg"]


def test_stored_name_comes_from_the_content_not_the_uploader(editor_client):
    response = upload_photo(editor_client, "../../etc/passwd.png", image_bytes("JPEG"), "image/png")
    assert response.status_code == 302
    first = Photo.objects.get()
    upload_photo(editor_client, "../../etc/passwd.png", image_bytes("JPEG"), "image/png")
    second = Photo.objects.exclude(pk=first.pk).get()
    for photo in (first, second):
        assert photo.image.name.startswith("photos/")
        assert ".." not in photo.image.name and "passwd" not in photo.image.name
        assert photo.image.name.endswith(".jpg")  # the real format, not the claimed one
    assert first.image.name != second.image.name


def test_credits_embedded_as_xmp_prefill_the_photo(editor_client):
    content = agency_jpeg(xmp=XMP_CREDITS)
    response = upload_photo(
        editor_client,
        "agency.jpg",
        content,
        alt_text="Firefighters on the river bank",
        caption="",
        agency="",
        photographer="",
        usage_terms="",
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    photo = Photo.objects.get()
    assert photo.photographer == "Anna Nowak"
    assert photo.agency == "PAP"
    assert photo.credit_line == "PAP/Anna Nowak"
    assert photo.copyright_holder == "PAP"
    assert photo.caption == "Firefighters at the Vistula embankment."
    assert photo.usage_terms == "Editorial use only"
    assert photo.licence_url == "https://example.pl/licencja-zdjec"
    assert photo.data_mining == Photo.DataMining.PROHIBITED
    assert photo.credit == "Images source: © PAP | PAP/Anna Nowak"


def test_credits_embedded_as_iptc_iim_prefill_the_photo(editor_client):
    content = agency_jpeg(
        iim={
            (2, 80): "Łukasz Gągulski",
            (2, 110): "PAP/Łukasz Gągulski",
            (2, 115): "PAP",
            (2, 116): "© PAP 2026",
            (2, 120): "Powódź w Kłodzku.",
        }
    )
    response = upload_photo(
        editor_client, "iim.jpg", content, caption="", agency="", photographer=""
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    photo = Photo.objects.get()
    assert photo.photographer == "Łukasz Gągulski"
    assert photo.credit_line == "PAP/Łukasz Gągulski"
    assert photo.agency == "PAP"
    assert photo.copyright_holder == "PAP 2026"
    assert photo.caption == "Powódź w Kłodzku."


def test_what_the_editor_typed_wins_over_the_file_credits(editor_client):
    content = agency_jpeg(xmp=XMP_CREDITS)
    response = upload_photo(editor_client, "agency.jpg", content)
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert photo.photographer == "Tom Becker"
    assert photo.agency == "Reuters"
    assert photo.caption == "Ferries wait in the harbour."
    # Fields the editor left empty still come from the file.
    assert photo.credit_line == "PAP/Anna Nowak"


def test_exif_artist_and_copyright_are_the_last_fallback(editor_client):
    import io

    from PIL import ExifTags, Image

    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = "Maria Lopez"
    exif[ExifTags.Base.Copyright] = "Copyright Staff Photo Desk"
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300)).save(buffer, "JPEG", exif=exif.tobytes())
    response = upload_photo(
        editor_client, "staff.jpg", buffer.getvalue(), agency="", photographer=""
    )
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert photo.photographer == "Maria Lopez"
    assert photo.copyright_holder == "Staff Photo Desk"


def test_a_camera_mpo_file_uploads_as_the_jpeg_it_starts_with(editor_client):
    """Cameras save stereo and depth shots as MPO: a JPEG followed by more pictures."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    frames = [Image.new("RGB", (400, 300), color) for color in ((200, 40, 40), (40, 40, 200))]
    frames[0].save(buffer, "MPO", save_all=True, append_images=frames[1:])
    response = upload_photo(editor_client, "stereo.jpg", buffer.getvalue())
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert photo.image.name.endswith(".jpg") and photo.format == "JPEG"
    assert photo.renditions["widths"]["jpeg"]
