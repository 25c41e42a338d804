"""What readers download: resized, cropped, cleaned renditions that keep the credit."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import ExifTags, Image

from media.models import Photo
from media.renditions import TDM_RESERVED, generate_renditions

from .factories import ArticleFactory, NoticeFactory, PhotoFactory, UserFactory
from .images import XMP_CREDITS, agency_jpeg

pytestmark = pytest.mark.django_db


def agency_photo(width=1800, height=1200, **kwargs):
    content = agency_jpeg(
        width, height, xmp=XMP_CREDITS, orientation=kwargs.pop("orientation", None)
    )
    return PhotoFactory(
        image=ContentFile(content, name="agency.jpg"),
        agency="PAP",
        photographer="Anna Nowak",
        credit_line="PAP/Anna Nowak",
        **kwargs,
    )


def every_rendition(photo):
    names = [item["name"] for items in photo.renditions["widths"].values() for item in items]
    return names + [item["name"] for item in photo.renditions["crops"].values()]


def open_rendition(name):
    with default_storage.open(name) as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def test_renditions_come_in_five_widths_in_webp_and_jpeg():
    photo = agency_photo()
    for kind, fmt in (("webp", "WEBP"), ("jpeg", "JPEG")):
        items = photo.renditions["widths"][kind]
        assert [item["width"] for item in items] == [320, 640, 960, 1280, 1600]
        for item in items:
            image = open_rendition(item["name"])
            assert image.format == fmt
            assert image.size == (item["width"], item["height"])
            assert item["height"] == round(1200 * item["width"] / 1800)


def test_fixed_aspect_crops_are_large_enough_for_structured_data_and_social_cards():
    photo = agency_photo()
    assert {
        kind: (photo.rendition(kind)["width"], photo.rendition(kind)["height"])
        for kind in ("16x9", "4x3", "1x1", "social")
    } == {
        "16x9": (1200, 675),
        "4x3": (1200, 900),
        "1x1": (1200, 1200),
        "social": (1200, 630),
    }
    assert photo.rendition_url("social").startswith("/uploads/renditions/")
    assert [item["width"] / item["height"] for item in photo.structured_data_images] == [
        1200 / 675,
        4 / 3,
        1,
    ]
    assert photo.thumbnail["width"] <= 240


def test_small_originals_are_never_upscaled():
    photo = PhotoFactory()  # 64x40
    assert [item["width"] for item in photo.renditions["widths"]["jpeg"]] == [64]
    assert photo.rendition("1x1")["width"] == 40


def test_crops_keep_the_focal_point_in_view():
    # agency_jpeg paints the top-left quarter red; the rest is blue.
    left = agency_photo(focal_x=0.05, focal_y=0.05)
    right = agency_photo(focal_x=0.95, focal_y=0.95)
    red, blue = (
        open_rendition(left.rendition("1x1")["name"]),
        open_rendition(right.rendition("1x1")["name"]),
    )
    assert red.getpixel((5, 5))[0] > 180  # the red corner is in the crop
    assert blue.getpixel((5, 5))[2] > 120 and blue.getpixel((5, 5))[0] < 80


def test_gps_and_camera_details_are_stripped_from_every_rendition():
    photo = agency_photo()
    original = Image.open(photo.image.path)
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the upload had GPS
    for name in every_rendition(photo):
        image = open_rendition(name)
        exif = image.getexif()
        assert not exif.get_ifd(ExifTags.IFD.GPSInfo), name
        assert ExifTags.Base.Make not in exif and ExifTags.Base.Model not in exif
        assert not exif.get_ifd(ExifTags.IFD.Exif)  # no serial numbers, no dates
        assert b"GPS" not in (image.info.get("xmp") or b"")


def test_exif_orientation_is_applied_to_renditions():
    # Orientation 6: the camera was turned; viewers rotate 90° clockwise to display it.
    photo = agency_photo(640, 480, orientation=6)
    rendition = open_rendition(photo.renditions["widths"]["jpeg"][-1]["name"])
    assert rendition.size == (480, 640)
    assert ExifTags.Base.Orientation not in rendition.getexif()
    # The red top-left corner of the sensor image is now at the top right.
    assert rendition.getpixel((470, 10))[0] > 180
    assert rendition.getpixel((10, 10))[0] < 80


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_large_originals_are_shrunk_once_with_every_size_and_orientation_exact(fmt):
    """Renditions come from one reduced working copy (media.renditions._working_copy):
    the sizes, crops, focal point and orientation are those of the full-size original."""
    if fmt == "JPEG":  # 3600x2400 on the sensor, shown upright as 2400x3600
        content, name = agency_jpeg(3600, 2400, orientation=6), "tall.jpg"
    else:
        picture = Image.new("RGB", (2400, 3600), (30, 90, 160))
        picture.paste((220, 20, 20), (1800, 0, 2400, 900))  # the red block, top right
        buffer = io.BytesIO()
        picture.save(buffer, "PNG")
        content, name = buffer.getvalue(), "tall.png"
    photo = PhotoFactory(image=ContentFile(content, name=name), focal_x=0.95, focal_y=0.05)
    for kind in ("webp", "jpeg"):
        items = photo.renditions["widths"][kind]
        assert [item["width"] for item in items] == [320, 640, 960, 1280, 1600]
        for item in items:
            assert item["height"] == round(3600 * item["width"] / 2400)
            assert open_rendition(item["name"]).size == (item["width"], item["height"])
    for kind, size in {"16x9": (1200, 675), "4x3": (1200, 900), "1x1": (1200, 1200)}.items():
        crop = open_rendition(photo.rendition(kind)["name"])
        assert crop.size == size, kind
    widest = open_rendition(photo.renditions["widths"]["jpeg"][-1]["name"])
    assert widest.getpixel((1590, 10))[0] > 180 and widest.getpixel((10, 10))[0] < 80
    square = open_rendition(photo.rendition("1x1")["name"])
    assert square.getpixel((1190, 10))[0] > 180  # the focal corner is in the crop


def test_credit_and_copyright_travel_with_every_rendition():
    photo = agency_photo()
    for name in every_rendition(photo):
        image = open_rendition(name)
        description = image.getxmp()["xmpmeta"]["RDF"]["Description"]
        assert description["Credit"] == "PAP/Anna Nowak"
        assert description["creator"]["Seq"]["li"] == "Anna Nowak"
        assert description["rights"]["Alt"]["li"]["text"] == "© PAP"
        exif = image.getexif()  # UTF-8 bytes, which Pillow reads back as Latin-1
        assert exif[ExifTags.Base.Artist].encode("latin-1").decode() == "Anna Nowak"
        assert exif[ExifTags.Base.Copyright].encode("latin-1").decode() == "© PAP"


def data_mining_of(photo):
    image = open_rendition(photo.renditions["widths"]["webp"][0]["name"])
    return image.getxmp()["xmpmeta"]["RDF"]["Description"].get("DataMining")


def test_renditions_carry_the_tdm_reservation_while_it_is_in_force():
    NoticeFactory()
    photo = agency_photo(data_mining="")
    assert data_mining_of(photo) == TDM_RESERVED
    jpeg = open_rendition(photo.rendition("social")["name"])
    assert jpeg.getxmp()["xmpmeta"]["RDF"]["Description"]["DataMining"] == TDM_RESERVED


def test_without_a_reservation_the_photo_keeps_its_own_data_mining_value():
    photo = agency_photo(data_mining=Photo.DataMining.PROHIBITED)
    assert data_mining_of(photo) == Photo.DataMining.PROHIBITED
    assert data_mining_of(agency_photo(data_mining="")) is None


def test_command_regenerates_renditions_after_the_reservation_changes(
    django_capture_on_commit_callbacks,
):
    photo = agency_photo(640, 480, data_mining="")
    unprocessed = PhotoFactory(with_renditions=False)
    assert unprocessed.renditions == {}
    old_names = every_rendition(photo)

    NoticeFactory()  # the publisher now reserves TDM
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # old files go after the commit
        call_command("generate_renditions", stdout=out)
    assert "Renditions generated for 2 photos." in out.getvalue()

    photo.refresh_from_db()
    unprocessed.refresh_from_db()
    assert data_mining_of(photo) == TDM_RESERVED
    assert unprocessed.renditions["widths"]["jpeg"]
    assert not any(default_storage.exists(name) for name in old_names)

    call_command("generate_renditions", stdout=out)
    assert "Renditions generated for 0 photos." in out.getvalue()


def test_renditions_are_made_once_and_remade_only_when_their_inputs_change(
    django_capture_on_commit_callbacks,
):
    photo = agency_photo(640, 480)
    names = every_rendition(photo)
    assert generate_renditions(photo) is False
    assert every_rendition(photo) == names

    photo.focal_x = 0.2
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        photo.save()
        assert generate_renditions(photo) is True
        # Until the commit, the old files stay: a rollback must not leave pages without them.
        assert all(default_storage.exists(name) for name in names)
    assert callbacks
    assert set(every_rendition(photo)).isdisjoint(names)
    assert all(default_storage.exists(name) for name in every_rendition(photo))
    assert not any(default_storage.exists(name) for name in names)


def test_article_page_serves_lead_photo_renditions_with_srcset_not_the_original(client):
    photo = agency_photo(alt_text="Firefighters on the river bank")
    article = ArticleFactory(lead_photo=photo)
    html = client.get(article.get_absolute_url()).content.decode()

    def url(kind, width):
        return next(
            default_storage.url(item["name"])
            for item in photo.renditions["widths"][kind]
            if item["width"] == width
        )

    webp_srcset = ", ".join(f"{url('webp', w)} {w}w" for w in (320, 640, 960, 1280, 1600))
    jpeg_srcset = ", ".join(f"{url('jpeg', w)} {w}w" for w in (320, 640, 960, 1280, 1600))
    figure = html[html.index('<figure class="figure">') : html.index("</figure>")]
    assert f'<source type="image/webp" srcset="{webp_srcset}" sizes="' in figure
    assert f'<img src="{url("jpeg", 960)}" srcset="{jpeg_srcset}" sizes="' in figure
    assert 'width="960" height="640"' in figure
    assert 'alt="Firefighters on the river bank"' in figure
    assert "loading=" not in figure  # the lead photo is not lazy
    assert photo.image.url not in html
    for match in re.findall(r'/uploads/[^" ,]+', html):
        assert client.get(match).status_code == 200


def test_cards_use_lazy_responsive_pictures(client):
    photo = agency_photo(640, 480)
    article = ArticleFactory(lead_photo=photo)
    html = client.get(article.section.get_absolute_url()).content.decode()
    card = html[html.index('<article class="card') :]
    assert f'srcset="{photo.webp_srcset}"' in card
    assert f'srcset="{photo.jpeg_srcset}"' in card
    assert 'class="card__image"' in card and 'loading="lazy"' in card
    assert photo.image.url not in html


def test_originals_are_for_staff_only(client):
    photo = agency_photo(640, 480)
    assert client.get(photo.image.url).status_code == 404
    name = photo.image.name  # photos/2026/11/<uuid>.jpg
    for sneaky in [f"/uploads//{name}", f"/uploads/./{name}", f"/uploads/renditions/../{name}"]:
        assert client.get(sneaky).status_code == 404, sneaky
    assert client.get(photo.fallback_url).status_code == 200
    client.force_login(UserFactory())
    assert client.get(photo.image.url).status_code == 200


def test_animated_gif_is_rendered_from_its_first_frame():
    frames = [Image.new("RGB", (400, 300), color) for color in ((220, 20, 20), (20, 20, 220))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)
    photo = PhotoFactory(image=ContentFile(buffer.getvalue(), name="anim.gif"))
    assert photo.format == "GIF"
    rendition = open_rendition(photo.renditions["widths"]["jpeg"][-1]["name"])
    red, green, blue = rendition.getpixel((200, 150))
    assert red > 180 and blue < 80


def test_article_json_ld_image_objects_carry_crops_and_the_photos_own_licence(client, settings):
    import extruct

    settings.SITE_URL = "https://example.pl"
    photo = agency_photo(
        licence_url="https://example.pl/licencja-zdjec",
        licensor_url="https://example.pl/licencje",
    )
    article = ArticleFactory(lead_photo=photo)
    html = client.get(article.get_absolute_url()).content.decode()
    [data] = [
        item
        for item in extruct.extract(html, syntaxes=["json-ld"])["json-ld"]
        if item.get("@type") == "NewsArticle"
    ]
    objects = data["image"]
    assert [(o["width"], o["height"]) for o in objects] == [(1200, 675), (1200, 900), (1200, 1200)]
    first = objects[0]
    assert first["contentUrl"] == f"https://example.pl{photo.rendition_url('16x9')}"
    assert first["creator"] == {"@type": "Person", "name": "Anna Nowak"}
    assert first["creditText"] == "PAP/Anna Nowak"
    assert first["copyrightNotice"] == "© PAP"
    # An agency photo's own licence terms win over the site's notice.
    assert first["license"] == "https://example.pl/licencja-zdjec"
    assert first["acquireLicensePage"] == "https://example.pl/licencje"
