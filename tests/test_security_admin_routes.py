"""Admin routes that return an object's address or data answer only what the object's own
admin would show the person asking (issue 12): "view on site", autocomplete, the photo
picker's JSON, history."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

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


# 2. Tags -----------------------------------------------------------------------------------


def tagged_newsroom(journalist):
    """Tags on a live story, on the journalist's own draft, and on an embargoed story only."""
    live = ArticleFactory(headline="Harbour reopens", tags=["harbour", "ferries"])
    own = DraftArticleFactory(created_by=journalist, tags=["council"])
    secret = embargoed_story()
    secret.tags.add("merger", "harbour")
    return live, own, secret


def tag(name):
    return Tag.objects.get(name=name)


def changelist_post(client, action, tags, **extra):
    return client.post(
        reverse("admin:taggit_tag_changelist"),
        {"action": action, "_selected_action": [t.pk for t in tags], "index": 0, **extra},
    )


def test_journalists_see_only_tags_of_published_or_their_own_stories(client, staff):
    tagged_newsroom(staff["journalist"])
    Tag.objects.create(name="unused")
    client.force_login(staff["journalist"])

    response = client.get(reverse("admin:taggit_tag_changelist"))

    names = {t.name for t in response.context["cl"].result_list}
    assert names == {"harbour", "ferries", "council", "unused"}
    assert b"merger" not in response.content
    hidden = client.get(reverse("admin:taggit_tag_change", args=[tag("merger").pk]), follow=True)
    assert b"merger" not in hidden.content


def test_editors_see_every_tag(client, staff):
    tagged_newsroom(staff["journalist"])
    client.force_login(staff["editor"])
    response = client.get(reverse("admin:taggit_tag_changelist"))
    assert {t.name for t in response.context["cl"].result_list} == {
        "harbour",
        "ferries",
        "council",
        "merger",
    }


@pytest.mark.parametrize("action", ["merge_tags", "render_tag_form"])
def test_a_journalist_cannot_merge_tags(client, staff, action):
    live, _, _ = tagged_newsroom(staff["journalist"])
    client.force_login(staff["journalist"])

    response = changelist_post(client, action, [tag("harbour"), tag("ferries")])
    if "merge-tags" in response.get("Location", ""):  # taggit's two-step merge
        client.post(response["Location"], {"new_tag_name": "Ships"})

    assert set(live.tags.names()) == {"harbour", "ferries"}
    assert not Tag.objects.filter(name="Ships").exists()


def test_taggits_own_merge_view_is_gone(client, staff):
    live, _, _ = tagged_newsroom(staff["journalist"])
    client.force_login(staff["journalist"])
    session = client.session
    session["selected_tag_ids"] = f"{tag('harbour').pk},{tag('ferries').pk}"
    session.save()

    response = client.post("/admin/taggit/tag/merge-tags/", {"new_tag_name": "Ships"})

    assert response.status_code in {302, 403, 404}
    assert set(live.tags.names()) == {"harbour", "ferries"}


def test_a_journalist_cannot_rename_a_tag_readers_see(client, staff):
    tagged_newsroom(staff["journalist"])
    client.force_login(staff["journalist"])
    harbour = tag("harbour")

    response = client.post(
        reverse("admin:taggit_tag_change", args=[harbour.pk]), {"name": "Port", "slug": "port"}
    )

    assert response.status_code == 403
    assert tag("harbour").slug == "harbour"


def test_change_tag_permission_alone_does_not_allow_renaming_a_public_tag(client, staff):
    from django.contrib.auth.models import Permission

    writer = staff["journalist"]
    writer.user_permissions.add(Permission.objects.get(codename="change_tag"))
    tagged_newsroom(writer)
    client.force_login(writer)
    harbour, council = tag("harbour"), tag("council")

    refused = client.post(
        reverse("admin:taggit_tag_change", args=[harbour.pk]), {"name": "Port", "slug": "port"}
    )
    allowed = client.post(
        reverse("admin:taggit_tag_change", args=[council.pk]),
        {"name": "City council", "slug": "city-council"},
    )
    merge = changelist_post(client, "merge_tags", [harbour, council], apply="1", name="Town")

    assert refused.status_code == 403
    assert allowed.status_code == 302
    assert Tag.objects.get(pk=council.pk).name == "City council"
    assert merge.status_code == 302
    assert not Tag.objects.filter(name="Town").exists()
    assert Tag.objects.filter(pk=harbour.pk).exists()


def test_an_editor_merges_tags_through_a_confirmation_page(client, staff):
    live, own, secret = tagged_newsroom(staff["journalist"])
    client.force_login(staff["editor"])
    selected = [tag("harbour"), tag("ferries"), tag("merger")]

    confirm = changelist_post(client, "merge_tags", selected)
    assert confirm.status_code == 200
    assert b"Merge tags" in confirm.content
    done = changelist_post(client, "merge_tags", selected, apply="1", name="Harbour and ships")

    assert done.status_code == 302
    assert set(live.tags.names()) == {"Harbour and ships"}
    assert set(secret.tags.names()) == {"Harbour and ships"}
    assert set(own.tags.names()) == {"council"}
    assert not Tag.objects.filter(name__in=["harbour", "ferries", "merger"]).exists()
    assert client.get("/tag/harbour-and-ships/").status_code == 200
    assert client.get("/tag/harbour/").status_code == 404


def test_an_editor_merges_into_one_of_the_selected_tags(client, staff):
    live, _, secret = tagged_newsroom(staff["journalist"])
    client.force_login(staff["editor"])

    changelist_post(
        client, "merge_tags", [tag("harbour"), tag("ferries")], apply="1", name="Harbour"
    )

    assert set(live.tags.names()) == {"harbour"}
    assert set(secret.tags.names()) == {"merger", "harbour"}
    assert not Tag.objects.filter(name="ferries").exists()


def test_merging_needs_a_name(client, staff):
    live, _, _ = tagged_newsroom(staff["journalist"])
    client.force_login(staff["editor"])

    response = changelist_post(client, "merge_tags", [tag("harbour"), tag("ferries")], apply="1")

    assert response.status_code == 200
    assert b"This field is required" in response.content
    assert set(live.tags.names()) == {"harbour", "ferries"}


def test_an_editor_renames_a_public_tag(client, staff):
    tagged_newsroom(staff["journalist"])
    client.force_login(staff["editor"])
    harbour = tag("harbour")

    response = client.post(
        reverse("admin:taggit_tag_change", args=[harbour.pk]), {"name": "Port", "slug": "port"}
    )

    assert response.status_code == 302
    assert Tag.objects.get(pk=harbour.pk).slug == "port"


def test_a_tag_page_lists_only_the_stories_the_asker_may_see(client, staff):
    live, own, secret = tagged_newsroom(staff["journalist"])
    own.tags.add("harbour")
    client.force_login(staff["journalist"])

    html = client.get(reverse("admin:taggit_tag_change", args=[tag("harbour").pk])).content

    assert own.headline.encode() in html
    assert b"Secret merger" not in html and b"secret-merger" not in html
    assert b"Harbour reopens" not in html  # not theirs: the article admin would not open it
    assert b"2 stories you cannot see" in html


# 3. Lists of articles across roles -----------------------------------------------------------


def photo_used_by_a_secret_and_an_own_story(journalist, **photo_fields):
    photo = PhotoFactory(caption="Harbour at dawn", **photo_fields)
    secret = embargoed_story()
    Article.objects.filter(pk=secret.pk).update(lead_photo=photo)
    own = DraftArticleFactory(
        headline="My harbour feature", created_by=journalist, lead_photo=photo
    )
    return photo, own


def test_rights_report_shows_a_journalist_only_the_stories_they_may_see(client, staff):
    soon = timezone.now() + timedelta(days=3)
    photo_used_by_a_secret_and_an_own_story(staff["journalist"], rights_expire_at=soon)
    client.force_login(staff["journalist"])

    html = client.get(reverse("admin:media_photo_rights_report")).content.decode()

    assert "Harbour at dawn" in html
    assert "My harbour feature" in html
    assert "Secret merger" not in html
    assert "1 story you cannot see" in html


def test_rights_report_shows_editors_every_story(client, staff):
    soon = timezone.now() + timedelta(days=3)
    photo_used_by_a_secret_and_an_own_story(staff["journalist"], rights_expire_at=soon)
    client.force_login(staff["editor"])

    html = client.get(reverse("admin:media_photo_rights_report")).content.decode()

    assert "Secret merger" in html and "My harbour feature" in html
    assert "cannot see" not in html


def test_rights_report_is_refused_to_roles_without_the_photo_library(client, staff):
    soon = timezone.now() + timedelta(days=3)
    photo_used_by_a_secret_and_an_own_story(staff["journalist"], rights_expire_at=soon)
    client.force_login(staff["legal"])

    response = client.get(reverse("admin:media_photo_rights_report"))

    assert response.status_code == 403
    assert b"Secret merger" not in response.content


def test_used_in_list_of_a_photo_shows_a_journalist_only_the_stories_they_may_see(client, staff):
    photo, _ = photo_used_by_a_secret_and_an_own_story(staff["journalist"])
    client.force_login(staff["journalist"])

    html = client.get(reverse("admin:media_photo_change", args=[photo.pk])).content.decode()

    assert "My harbour feature" in html
    assert "Secret merger" not in html and "secret-merger" not in html
    assert "1 story you cannot see" in html


def test_used_in_list_shows_editors_and_photo_editors_every_story(client, staff):
    photo, _ = photo_used_by_a_secret_and_an_own_story(staff["journalist"])
    for role in ("editor", "photo_editor"):
        client.force_login(staff[role])
        html = client.get(reverse("admin:media_photo_change", args=[photo.pk])).content.decode()
        assert "Secret merger" in html and "My harbour feature" in html


def test_homepage_slots_list_only_stories_the_asker_may_see(client, staff):
    from django.contrib.auth.models import Permission

    from .factories import HomepageSlotFactory

    writer = staff["journalist"]
    writer.user_permissions.add(Permission.objects.get(codename="view_homepageslot"))
    HomepageSlotFactory(position=1, article=embargoed_story())
    HomepageSlotFactory(position=2, article=ArticleFactory(headline="Mine", created_by=writer))
    client.force_login(writer)

    response = client.get(reverse("admin:articles_homepageslot_changelist"))

    assert [slot.article.headline for slot in response.context["cl"].result_list] == ["Mine"]
    assert b"Secret merger" not in response.content


# 4. Photos that readers see ----------------------------------------------------------------


def photo_form(photo, caption):
    return {
        "alt_text": photo.alt_text,
        "caption": caption,
        "agency": photo.agency,
        "photographer": photo.photographer,
        "focal_x": "0.5",
        "focal_y": "0.5",
    }


def change_caption(client, photo, caption="Vandalised"):
    return client.post(
        reverse("admin:media_photo_change", args=[photo.pk]), photo_form(photo, caption)
    )


def used_by(status, owner, **fields):
    """A photo that is the lead photo of `owner`'s story in `status`."""

    def build():
        photo = PhotoFactory(caption="As the desk approved it")
        story = DraftArticleFactory(created_by=owner, lead_photo=photo)
        Article.objects.filter(pk=story.pk).update(status=status, **fields)
        return photo

    return build


def on_an_author_profile():
    from .factories import AuthorFactory

    photo = PhotoFactory(caption="As the desk approved it")
    AuthorFactory(name="Anna Nowak", photo=photo)
    return photo


PUBLIC_OR_ABOUT_TO_BE = {
    "author profile": lambda staff: on_an_author_profile(),
    "own story in review": lambda staff: used_by(Status.IN_REVIEW, staff["journalist"])(),
    "own approved story": lambda staff: used_by(Status.APPROVED, staff["journalist"])(),
    "scheduled story": lambda staff: used_by(
        Status.PUBLISHED,
        staff["editor"],
        published_at=timezone.now() + timedelta(hours=5),
    )(),
    "embargoed story": lambda staff: used_by(
        Status.APPROVED, staff["editor"], embargo_until=timezone.now() + timedelta(days=1)
    )(),
    "someone else's draft": lambda staff: used_by(Status.DRAFT, staff["editor"])(),
}


@pytest.mark.parametrize("use", list(PUBLIC_OR_ABOUT_TO_BE))
def test_a_journalist_cannot_change_a_photo_readers_see_or_soon_will(client, staff, use):
    photo = PUBLIC_OR_ABOUT_TO_BE[use](staff)
    client.force_login(staff["journalist"])

    response = change_caption(client, photo)

    assert response.status_code == 403
    photo.refresh_from_db()
    assert photo.caption == "As the desk approved it"


@pytest.mark.parametrize("use", list(PUBLIC_OR_ABOUT_TO_BE))
@pytest.mark.parametrize("role", ["editor", "photo_editor"])
def test_editors_and_photo_editors_change_photos_readers_see(client, staff, use, role):
    photo = PUBLIC_OR_ABOUT_TO_BE[use](staff)
    client.force_login(staff[role])

    response = change_caption(client, photo, "Corrected by the desk")

    assert response.status_code == 302, response.context and response.context["errors"]
    photo.refresh_from_db()
    assert photo.caption == "Corrected by the desk"


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SENT_BACK])
def test_a_journalist_changes_a_photo_used_only_by_their_own_unsubmitted_story(
    client, staff, status
):
    photo = used_by(status, staff["journalist"])()
    client.force_login(staff["journalist"])

    response = change_caption(client, photo, "Better caption")

    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.caption == "Better caption"


def test_a_journalist_changes_an_unused_photo(client, staff):
    photo = PhotoFactory(caption="In the drawer")
    client.force_login(staff["journalist"])
    assert change_caption(client, photo, "Still in the drawer").status_code == 302
    photo.refresh_from_db()
    assert photo.caption == "Still in the drawer"


def test_the_journalist_is_told_why_the_photo_is_read_only(client, staff):
    photo = on_an_author_profile()
    client.force_login(staff["journalist"])

    response = client.get(reverse("admin:media_photo_change", args=[photo.pk]))

    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    texts = [str(message) for message in response.context["messages"]]
    assert any("only an editor or a photo editor can change it" in text for text in texts)
