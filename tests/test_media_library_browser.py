"""The media library in a real browser: credits fill the form as soon as a file is chosen,
a click sets the focal point, and a bulk upload gives each photo its own alt text.

Screenshots go to test-artifacts/e2e/.
"""

import pytest
from django.core.files.base import ContentFile

from articles import roles
from media.models import Photo

from .factories import PhotoFactory, UserFactory, jpeg_bytes
from .images import XMP_CREDITS, agency_jpeg
from .test_workflow_browser import PASSWORD, browser_page, log_in, shot  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def photo_editor():
    return UserFactory(username="pictures", password=PASSWORD, roles=[roles.PHOTO_EDITOR])


def test_choosing_a_file_fills_the_empty_fields_and_keeps_what_was_typed(
    browser_page,  # noqa: F811
    live_server,
    tmp_path,
    photo_editor,
):
    page, base = browser_page, live_server.url
    agency_file = tmp_path / "agency.jpg"
    agency_file.write_bytes(agency_jpeg(xmp=XMP_CREDITS))
    log_in(page, base, "pictures")
    page.goto(f"{base}/admin/media/photo/add/")
    page.fill("#id_photographer", "Typed by the desk")

    page.set_input_files("#id_image", str(agency_file))

    status = page.locator(".photo-metadata-status")
    status.filter(has_text="Filled from the file").wait_for()
    assert page.input_value("#id_caption") == "Firefighters at the Vistula embankment."
    assert page.input_value("#id_credit_line") == "PAP/Anna Nowak"
    assert page.input_value("#id_agency") == "PAP"
    assert page.input_value("#id_data_mining") == Photo.DataMining.PROHIBITED
    assert page.input_value("#id_photographer") == "Typed by the desk"
    assert "Caption" in status.inner_text() and "Kept what you typed in: Photographer" in (
        status.inner_text()
    )
    assert not Photo.objects.exists()  # read, not saved
    shot(page, "media-01-credits-filled-on-choosing")

    # Saved as filled in: the typed photographer stays.
    page.fill("#id_alt_text", "Firefighters on the embankment")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    photo = Photo.objects.get()
    assert photo.photographer == "Typed by the desk"
    assert photo.credit_line == "PAP/Anna Nowak"


def test_choosing_a_file_that_is_no_photo_says_so(
    browser_page,  # noqa: F811
    live_server,
    tmp_path,
    photo_editor,
):
    page, base = browser_page, live_server.url
    text_file = tmp_path / "notes.jpg"
    text_file.write_bytes(b"these are my notes, not a photo")
    log_in(page, base, "pictures")
    page.goto(f"{base}/admin/media/photo/add/")
    page.fill("#id_caption", "Typed caption")

    page.set_input_files("#id_image", str(text_file))

    error = page.locator(".photo-metadata-status--error")
    error.wait_for()
    assert "This file is not a JPEG, PNG, WebP or GIF image" in error.inner_text()
    assert page.input_value("#id_caption") == "Typed caption"


def test_a_click_on_the_preview_sets_the_focal_point(
    browser_page,  # noqa: F811
    live_server,
    photo_editor,
):
    page, base = browser_page, live_server.url
    photo = PhotoFactory(image=ContentFile(jpeg_bytes(1200, 800), name="wide.jpg"))
    log_in(page, base, "pictures")
    page.goto(f"{base}/admin/media/photo/{photo.pk}/change/")
    image = page.locator(".focal-picker__image")
    box = image.bounding_box()

    page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.75)

    assert abs(float(page.input_value("#id_focal_x")) - 0.25) < 0.01
    assert abs(float(page.input_value("#id_focal_y")) - 0.75) < 0.01
    marker = page.locator(".focal-picker__marker").bounding_box()
    assert abs(marker["x"] + marker["width"] / 2 - (box["x"] + box["width"] * 0.25)) < 3
    shot(page, "media-02-focal-point-clicked")
    # Typing moves the marker too (the keyboard way).
    page.fill("#id_focal_x", "0.9")
    marker = page.locator(".focal-picker__marker").bounding_box()
    assert abs(marker["x"] + marker["width"] / 2 - (box["x"] + box["width"] * 0.9)) < 3

    page.fill("#id_focal_x", "0.25")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    photo.refresh_from_db()
    assert abs(photo.focal_x - 0.25) < 0.01 and abs(photo.focal_y - 0.75) < 0.01


def test_a_bulk_upload_gives_each_photo_its_own_alt_text(
    browser_page,  # noqa: F811
    live_server,
    tmp_path,
    photo_editor,
):
    page, base = browser_page, live_server.url
    files = []
    for index, color in enumerate([(30, 90, 160), (160, 90, 30)]):
        path = tmp_path / f"photo-{index}.jpg"
        path.write_bytes(agency_jpeg(xmp=XMP_CREDITS if index == 0 else None, color=color))
        files.append(str(path))
    log_in(page, base, "pictures")
    page.goto(f"{base}/admin/media/photo/bulk-upload/")
    page.set_input_files("#id_images", files)
    page.fill("#id_agency", "Reuters")
    page.click("input[type=submit]")

    page.wait_for_selector(".photo-describe")
    assert page.input_value("#id_photos-0-credit_line") == "PAP/Anna Nowak"
    page.fill("#id_photos-0-alt_text", "Firefighters on the embankment")
    page.fill("#id_photos-1-alt_text", "A tram on the old bridge")
    page.fill("#id_photos-1-caption", "The first tram crosses.")
    shot(page, "media-03-bulk-upload-described")
    page.click("text=Save all photos")
    page.wait_for_selector(".messagelist .success")

    photos = list(Photo.objects.order_by("pk"))
    assert [p.alt_text for p in photos] == [
        "Firefighters on the embankment",
        "A tram on the old bridge",
    ]
    assert photos[1].caption == "The first tram crosses."
    assert {p.agency for p in photos} == {"Reuters"}
