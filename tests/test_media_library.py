"""The media library at deadline, through the admin: credits read as soon as a file is
chosen, each photo of a bulk upload described, the missing-alt-text filter, the grid, the
focal point fields and the picker's credit and rights."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from articles import roles
from media.admin_views import describe_url
from media.models import Photo

from .factories import ArticleFactory, PhotoFactory, UserFactory, user_with_role
from .images import SVG, XMP_CREDITS, agency_jpeg, image_bytes

pytestmark = pytest.mark.django_db

READ_METADATA = "admin:media_photo_read_metadata"
CHANGELIST = "admin:media_photo_changelist"


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(username="picture-desk", is_superuser=True))
    return client


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


# Credits read as soon as a file is chosen ------------------------------------------------


def test_chosen_file_credits_come_back_as_json_and_nothing_is_saved_or_kept(
    editor_client, settings, tmp_path
):
    # Large enough to go to a temporary file rather than memory, to see it deleted.
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "incoming")
    (tmp_path / "incoming").mkdir()
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    upload = SimpleUploadedFile("agency.jpg", agency_jpeg(xmp=XMP_CREDITS), "image/jpeg")

    response = editor_client.post(reverse(READ_METADATA), {"image": upload})

    assert response.status_code == 200
    values = response.json()["values"]
    assert values["caption"] == "Firefighters at the Vistula embankment."
    assert values["photographer"] == "Anna Nowak"
    assert values["credit_line"] == "PAP/Anna Nowak"
    assert values["agency"] == "PAP"
    assert values["copyright_holder"] == "PAP"
    assert values["usage_terms"] == "Editorial use only"
    assert values["licence_url"] == "https://example.pl/licencja-zdjec"
    assert values["data_mining"] == Photo.DataMining.PROHIBITED
    assert not Photo.objects.exists()
    assert stored_files(settings) == []
    assert list((tmp_path / "incoming").iterdir()) == []


def test_a_file_without_credits_returns_no_values(editor_client):
    upload = SimpleUploadedFile("plain.png", image_bytes("PNG"), "image/png")
    response = editor_client.post(reverse(READ_METADATA), {"image": upload})
    assert response.status_code == 200
    assert response.json() == {"values": {}}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("drawing.jpg", SVG, "SVG files are not accepted"),
        ("notes.jpg", b"just some text, not a photo", "is not a JPEG, PNG, WebP or GIF image"),
        ("empty.jpg", b"", "The file is empty (0 bytes)."),
    ],
)
def test_an_invalid_file_gets_the_upload_forms_clear_message(editor_client, name, content, message):
    upload = SimpleUploadedFile(name, content, "image/jpeg")
    response = editor_client.post(reverse(READ_METADATA), {"image": upload})
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not Photo.objects.exists()


def test_no_file_gets_a_message(editor_client):
    response = editor_client.post(reverse(READ_METADATA), {})
    assert response.status_code == 400
    assert response.json()["error"] == "Choose a photo file to read its credits."


def test_a_request_larger_than_a_photo_may_be_is_refused_before_it_is_read(editor_client, settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 1000
    # Over the limit with the multipart allowance; the content is never looked at.
    upload = SimpleUploadedFile("big.jpg", b"\xff\xd8" + bytes(200_000), "image/jpeg")
    response = editor_client.post(reverse(READ_METADATA), {"image": upload})
    assert response.status_code == 413
    assert "larger than 1000" in response.json()["error"]


def test_reading_credits_needs_a_csrf_token():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(UserFactory(username="desk", is_superuser=True))
    form_page = strict.get(reverse("admin:media_photo_add"))
    token = form_page.cookies["csrftoken"].value
    upload = lambda: SimpleUploadedFile("a.jpg", agency_jpeg(xmp=XMP_CREDITS), "image/jpeg")  # noqa: E731

    refused = strict.post(reverse(READ_METADATA), {"image": upload()})
    assert refused.status_code == 403
    accepted = strict.post(reverse(READ_METADATA), {"image": upload()}, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 200


def test_reading_credits_is_for_staff_who_may_upload_and_only_by_post():
    from django.test import Client

    url = reverse(READ_METADATA)
    upload = SimpleUploadedFile("a.jpg", agency_jpeg(xmp=XMP_CREDITS), "image/jpeg")
    client, editor_client = Client(), Client()
    editor_client.force_login(UserFactory(username="picture-desk", is_superuser=True))
    assert client.post(url, {"image": upload}).status_code == 302  # to the admin login
    client.force_login(UserFactory(username="reader", is_staff=False))
    assert client.post(url, {"image": upload}).status_code == 302
    client.force_login(user_with_role(roles.LEGAL, username="counsel"))
    assert client.post(url, {"image": upload}).status_code == 403
    assert editor_client.get(url).status_code == 405


def test_the_photo_form_points_its_script_at_the_reader(editor_client):
    html = editor_client.get(reverse("admin:media_photo_add")).content.decode()
    assert f'data-metadata-url="{reverse(READ_METADATA)}"' in html
    assert "media/photo-metadata.js" in html
    assert "<script>" not in html  # CSP: scripts come from static files only


# Bulk upload, step two -------------------------------------------------------------------


def bulk_upload(client, files, **fields):
    return client.post(reverse("admin:media_photo_bulk_upload"), {"images": files, **fields})


def three_files():
    return [
        SimpleUploadedFile("one.jpg", agency_jpeg(xmp=XMP_CREDITS), "image/jpeg"),
        SimpleUploadedFile("two.png", image_bytes("PNG"), "image/png"),
        SimpleUploadedFile("three.webp", image_bytes("WEBP"), "image/webp"),
    ]


def describe_data(response, per_photo):
    """The formset as the page rendered it, with `per_photo[index] = {field: value}` typed."""
    formset = response.context["formset"]
    data = {
        f"photos-{key}": value
        for key, value in formset.management_form.initial.items()
        if key in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
    }
    for index, form in enumerate(formset.forms):
        data[f"photos-{index}-id"] = form.instance.pk
        for name in form.fields:
            if name != "id":
                data[f"photos-{index}-{name}"] = form[name].value() or ""
        data.update({f"photos-{index}-{k}": v for k, v in per_photo.get(index, {}).items()})
    return data


def test_bulk_upload_goes_on_to_a_page_describing_each_photo(editor_client):
    response = bulk_upload(editor_client, three_files(), agency="Reuters")
    photos = list(Photo.objects.order_by("pk"))
    ids = ",".join(str(photo.pk) for photo in photos)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:media_photo_bulk_describe')}?photos={ids}"

    page = editor_client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('class="module aligned photo-describe') == 3
    for photo in photos:
        assert photo.fallback["url"] in html  # each photo's picture beside its fields
    # The credit read from the file is there to correct, the others empty.
    assert 'value="PAP/Anna Nowak"' in html
    assert "Firefighters at the Vistula embankment.</textarea>" in html


def test_each_photo_gets_its_own_alt_text_and_caption_saved_together(editor_client):
    bulk_upload(editor_client, three_files())
    photos = list(Photo.objects.order_by("pk"))
    url = describe_url(photos)
    page = editor_client.get(url)
    first_renditions = photos[0].renditions["fingerprint"]
    data = describe_data(
        page,
        {
            0: {"alt_text": "Firefighters on the embankment", "credit_line": "PAP/A. Nowak"},
            1: {"alt_text": "A tram on the bridge", "caption": "The first tram."},
            2: {"alt_text": "Crowd at the fair", "caption": "Visitors on day one."},
        },
    )

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context["formset"].errors
    assert response["Location"] == reverse(CHANGELIST)
    for photo, alt in zip(
        photos,
        ["Firefighters on the embankment", "A tram on the bridge", "Crowd at the fair"],
        strict=True,
    ):
        photo.refresh_from_db()
        assert photo.alt_text == alt
    assert photos[1].caption == "The first tram."
    assert photos[2].caption == "Visitors on day one."
    assert photos[0].caption == "Firefighters at the Vistula embankment."
    # A changed credit goes into the renditions' embedded metadata.
    assert photos[0].credit_line == "PAP/A. Nowak"
    assert photos[0].renditions["fingerprint"] != first_renditions


def test_an_error_on_one_photo_saves_none_and_keeps_what_was_typed_for_each(editor_client):
    bulk_upload(editor_client, three_files())
    photos = list(Photo.objects.order_by("pk"))
    url = describe_url(photos)
    data = describe_data(
        editor_client.get(url),
        {
            0: {"alt_text": "Firefighters on the embankment"},
            1: {"alt_text": "x" * 251, "caption": "The first tram."},
            2: {"alt_text": "Crowd\x07 at the fair", "caption": "Visitors on day one."},
        },
    )

    response = editor_client.post(url, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved yet; what you typed is kept." in html
    assert "Ensure this value has at most 250 characters" in html
    assert html.count('class="module aligned photo-describe photo-describe--errors"') == 2
    assert 'value="Firefighters on the embankment"' in html
    assert "The first tram.</textarea>" in html
    assert "Visitors on day one.</textarea>" in html
    assert not Photo.objects.exclude(alt_text="").exists()


def test_the_describe_page_offers_only_the_users_own_photos_they_may_change(client):
    journalist = user_with_role(roles.JOURNALIST, username="reporter")
    own_unused = PhotoFactory(uploaded_by=journalist, alt_text="")
    own_on_a_live_story = PhotoFactory(uploaded_by=journalist)
    ArticleFactory(lead_photo=own_on_a_live_story)
    someone_elses = PhotoFactory(uploaded_by=UserFactory(username="other"))
    client.force_login(journalist)
    ids = f"{own_unused.pk},{own_on_a_live_story.pk},{someone_elses.pk},abc"
    url = f"{reverse('admin:media_photo_bulk_describe')}?photos={ids}"

    page = client.get(url)

    assert page.status_code == 200
    assert [form.instance for form in page.context["formset"].forms] == [own_unused]
    # A forged row for another photo is refused, not saved.
    data = describe_data(page, {0: {"alt_text": "Mine"}})
    data.update({"photos-TOTAL_FORMS": "2", "photos-1-id": someone_elses.pk})
    data.update({"photos-1-alt_text": "Hijacked", "photos-1-caption": ""})
    data.update({"photos-1-photographer": "", "photos-1-credit_line": ""})
    client.post(url, data)
    someone_elses.refresh_from_db()
    assert someone_elses.alt_text != "Hijacked"
    assert Photo.objects.count() == 3  # nor does the forged row make a new photo


def test_the_describe_page_without_photos_of_ones_own_goes_back_to_the_list(editor_client):
    response = editor_client.get(f"{reverse('admin:media_photo_bulk_describe')}?photos=99999")
    assert response.status_code == 302
    assert response["Location"] == reverse(CHANGELIST)


def test_the_describe_page_runs_constant_queries(
    editor_client, django_assert_max_num_queries, django_user_model
):
    user = django_user_model.objects.get(username="picture-desk")
    url = reverse("admin:media_photo_bulk_describe")
    few = [PhotoFactory(uploaded_by=user) for _ in range(2)]
    with django_assert_max_num_queries(12) as few_queries:
        editor_client.get(f"{url}?photos={','.join(str(p.pk) for p in few)}")
    many = few + [PhotoFactory(uploaded_by=user) for _ in range(8)]
    with django_assert_max_num_queries(len(few_queries.captured_queries)):
        editor_client.get(f"{url}?photos={','.join(str(p.pk) for p in many)}")


# Missing alt text, grid, picker ----------------------------------------------------------


def test_missing_alt_text_filter_lists_photos_without_it(editor_client):
    PhotoFactory(caption="Described", alt_text="A ferry at dusk")
    PhotoFactory(caption="Blank", alt_text="")
    PhotoFactory(caption="Only spaces", alt_text="   ")
    missing = editor_client.get(reverse(CHANGELIST), {"alt": "missing"})
    names = {str(photo) for photo in missing.context["cl"].result_list}
    assert names == {"Blank", "Only spaces"}
    written = editor_client.get(reverse(CHANGELIST), {"alt": "written"})
    assert [str(p) for p in written.context["cl"].result_list] == ["Described"]
    assert "By alt text" in missing.content.decode()


def test_grid_view_shows_large_thumbnails_keeps_filters_and_is_remembered(editor_client):
    described = PhotoFactory(caption="Described", alt_text="A ferry at dusk")
    blank = PhotoFactory(caption="Blank", alt_text="")

    grid = editor_client.get(reverse(CHANGELIST), {"view": "grid", "alt": "missing"})

    assert grid.status_code == 200
    html = grid.content.decode()
    assert 'class="photo-grid"' in html and 'id="result_list"' not in html
    assert f'src="{blank.fallback["url"]}"' in html  # the 960 px picture, not the 240 px thumb
    assert f'srcset="{blank.jpeg_srcset}"' in html
    assert "Described" not in html.split('class="photo-grid"')[1]
    assert "No alt text" in html
    assert 'aria-current="page">Grid</a>' in html
    assert 'href="?alt=missing&amp;view=list"' in html
    # Remembered: the filter links (built without the parameter) stay in the grid.
    again = editor_client.get(reverse(CHANGELIST))
    assert 'class="photo-grid"' in again.content.decode()
    assert f'src="{described.fallback["url"]}"' in again.content.decode()
    back = editor_client.get(reverse(CHANGELIST), {"view": "list"})
    assert 'id="result_list"' in back.content.decode()


def test_grid_view_has_the_lists_permissions_and_actions(client, editor_client):
    PhotoFactory()
    html = editor_client.get(reverse(CHANGELIST), {"view": "grid"}).content.decode()
    assert 'name="_selected_action"' in html and 'name="action"' in html
    client.force_login(user_with_role(roles.LEGAL, username="counsel"))
    assert client.get(reverse(CHANGELIST), {"view": "grid"}).status_code == 403


def test_grid_view_runs_constant_queries(editor_client, django_assert_max_num_queries):
    PhotoFactory()
    editor_client.get(reverse(CHANGELIST), {"view": "grid"})
    with django_assert_max_num_queries(12) as one:
        editor_client.get(reverse(CHANGELIST))
    for _ in range(9):
        PhotoFactory(with_renditions=False)
    with django_assert_max_num_queries(len(one.captured_queries)):
        editor_client.get(reverse(CHANGELIST))


def test_the_picker_shows_credit_and_rights_and_no_layout_switch(editor_client):
    ends = timezone.now() + timezone.timedelta(days=3)
    PhotoFactory(agency="PAP", photographer="Anna Nowak", rights_expire_at=ends)
    editor_client.get(reverse(CHANGELIST), {"view": "grid"})  # the picker ignores this
    response = editor_client.get(reverse(CHANGELIST), {"_popup": "1", "_to_field": "id"})
    html = response.content.decode()
    assert 'id="result_list"' in html and "photo-layout" not in html
    assert "PAP/Anna Nowak" in html
    assert "Expiring soon" in html
    header = [column["text"] for column in response.context["result_headers"]]
    assert header[-2:] == ["Credit", "Rights"]


def test_the_picker_preview_names_credit_and_rights(editor_client):
    photo = PhotoFactory(agency="PAP", photographer="Anna Nowak")
    data = editor_client.get(reverse("admin:media_photo_preview"), {"id": photo.pk}).json()
    assert data["credit"] == "Images source: © PAP | PAP/Anna Nowak"
    assert data["rights"] == "No end date"


# Focal point ------------------------------------------------------------------------------


def test_the_focal_point_fields_sit_under_the_preview_and_save(editor_client):
    photo = PhotoFactory(with_renditions=True)
    url = reverse("admin:media_photo_change", args=[photo.pk])
    page = editor_client.get(url)
    html = page.content.decode()
    assert "media/focal-point.js" in html
    assert html.index('class="photo-preview"') < html.index('id="id_focal_x"')
    focal_x_input = re.search(r'<input[^>]*id="id_focal_x"[^>]*>', html)[0]
    assert 'min="0"' in focal_x_input and 'max="1"' in focal_x_input
    data = {
        "alt_text": photo.alt_text,
        "caption": photo.caption,
        "agency": photo.agency,
        "photographer": photo.photographer,
        "focal_x": "0.25",
        "focal_y": "0.8",
    }
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    photo.refresh_from_db()
    assert (photo.focal_x, photo.focal_y) == (0.25, 0.8)
    refused = editor_client.post(url, {**data, "focal_x": "1.5"})
    assert refused.status_code == 200
    assert 'value="1.5"' in refused.content.decode()
