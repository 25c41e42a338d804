"""Admin routes that return an object's address or data answer only what the object's own
admin would show the person asking (issue 12): "view on site", autocomplete, the photo
picker's JSON, history."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from articles import roles
from articles.editing import preview_link_create
from articles.models import Article, PreviewLink

from .factories import (
    ArticleFactory,
    DraftArticleFactory,
    LegalPageFactory,
    PhotoFactory,
    SectionFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db
Status = Article.Status


def view_on_site(obj):
    content_type = ContentType.objects.get_for_model(obj)
    return reverse(
        "admin:view_on_site", kwargs={"content_type_id": content_type.pk, "object_id": obj.pk}
    )


def redirect_path(response):
    return urlsplit(response["Location"]).path


def embargoed_story():
    return ArticleFactory(
        headline="Secret merger agreed",
        slug="secret-merger",
        status=Status.APPROVED,
        published_at=None,
        embargo_until=timezone.now() + timedelta(days=2),
    )


@pytest.fixture
def staff():
    return {
        "journalist": user_with_role(roles.JOURNALIST, username="journalist"),
        "editor": user_with_role(roles.EDITOR, username="editor"),
        "photo_editor": user_with_role(roles.PHOTO_EDITOR, username="photo-editor"),
        "legal": user_with_role(roles.LEGAL, username="legal"),
    }


# 1. "View on site" -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["journalist", "editor", "photo_editor", "legal"])
def test_view_on_site_never_hands_out_a_preview_link(client, staff, role):
    story = embargoed_story()
    link = preview_link_create(article=story, user=staff["editor"])
    client.force_login(staff[role])

    response = client.get(view_on_site(link))

    assert response.status_code == 404
    assert link.token not in response.content.decode()
    assert "secret-merger" not in response.get("Location", "")


def test_a_preview_link_has_no_absolute_url():
    # A bearer token is never "the object's address": anything that follows absolute
    # URLs (the admin, sitemaps, feeds, logging) would hand it out.
    assert not hasattr(PreviewLink, "get_absolute_url")


@pytest.mark.parametrize("role", ["journalist", "editor", "photo_editor", "legal"])
def test_view_on_site_does_not_reveal_where_an_unpublished_story_will_live(client, staff, role):
    story = embargoed_story()
    client.force_login(staff[role])

    response = client.get(view_on_site(story))

    assert response.status_code == 404
    assert "secret-merger" not in response.get("Location", "")


def test_view_on_site_of_a_journalists_own_draft_shows_nothing_either(client, staff):
    draft = DraftArticleFactory(created_by=staff["journalist"], slug="my-scoop")
    client.force_login(staff["journalist"])

    response = client.get(view_on_site(draft))

    assert response.status_code == 404
    assert "my-scoop" not in response.get("Location", "")


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("editor", True), ("photo_editor", True), ("journalist", False), ("legal", False)],
)
def test_view_on_site_of_a_live_story_follows_the_article_admin(client, staff, role, allowed):
    # The journalist's article admin lists only their own stories; Legal has no article admin.
    story = ArticleFactory(created_by=staff["editor"])
    client.force_login(staff[role])

    response = client.get(view_on_site(story))

    if allowed:
        assert response.status_code == 302
        assert redirect_path(response) == story.get_absolute_url()
    else:
        assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("legal", True), ("editor", False), ("journalist", False)],
)
def test_view_on_site_of_a_legal_page_follows_the_legal_admin(client, staff, role, allowed):
    page = LegalPageFactory()
    client.force_login(staff[role])

    response = client.get(view_on_site(page))

    assert response.status_code == (302 if allowed else 404)
    if allowed:
        assert redirect_path(response) == page.get_absolute_url()


def test_view_on_site_of_a_section_works_for_anyone_who_may_view_sections(client, staff):
    section = SectionFactory(name="Local", slug="local")
    client.force_login(staff["journalist"])
    assert redirect_path(client.get(view_on_site(section))) == section.get_absolute_url()
    client.force_login(staff["legal"])
    assert client.get(view_on_site(section)).status_code == 404


@pytest.mark.parametrize("raw", ["abc", "999999"])
def test_view_on_site_with_an_unknown_type_or_object_is_not_found(client, staff, raw):
    client.force_login(staff["editor"])
    content_type = ContentType.objects.get_for_model(Article).pk
    url = reverse("admin:view_on_site", kwargs={"content_type_id": content_type, "object_id": raw})
    assert client.get(url).status_code == 404
    url = reverse("admin:view_on_site", kwargs={"content_type_id": 999999, "object_id": 1})
    assert client.get(url).status_code == 404


def test_the_preview_links_page_still_shows_the_shareable_address(client, staff):
    story = embargoed_story()
    link = preview_link_create(article=story, user=staff["editor"])
    client.force_login(staff["editor"])

    html = client.get(reverse("admin:articles_article_preview_links", args=[story.pk])).content

    assert link.bearer_url().encode() in html
    assert client.get(link.bearer_url()).status_code == 200


# Other admin routes that return object data ---------------------------------------------


def autocomplete(client, model_name, field_name, term=""):
    return client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": model_name, "field_name": field_name, "term": term},
    )


def test_autocomplete_lists_only_the_stories_the_asker_may_see(client, staff):
    embargoed_story()
    own = DraftArticleFactory(headline="Secret council budget", created_by=staff["journalist"])
    client.force_login(staff["journalist"])

    response = autocomplete(client, "homepageslot", "article", "Secret")

    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == [own.headline]


def test_autocomplete_refuses_roles_without_an_article_admin(client, staff):
    embargoed_story()
    client.force_login(staff["legal"])

    response = autocomplete(client, "homepageslot", "article", "Secret")

    assert response.status_code == 403
    assert b"Secret merger" not in response.content


def test_photo_picker_json_answers_only_roles_that_may_view_photos(client, staff):
    photo = PhotoFactory(caption="Minister resigns, unseen picture")
    url = reverse("admin:media_photo_preview")
    client.force_login(staff["legal"])
    response = client.get(url, {"id": photo.pk})
    assert response.status_code == 403
    assert b"Minister" not in response.content
    client.force_login(staff["journalist"])
    assert client.get(url, {"id": photo.pk}).json()["label"].startswith("Minister resigns")


def test_history_of_a_story_the_asker_may_not_see_shows_nothing_of_it(client, staff):
    story = embargoed_story()
    url = reverse("admin:articles_article_history", args=[story.pk])
    for role in ("journalist", "legal"):
        client.force_login(staff[role])
        response = client.get(url, follow=True)
        assert b"Secret merger" not in response.content
        assert response.status_code in {403, 404} or response.redirect_chain
