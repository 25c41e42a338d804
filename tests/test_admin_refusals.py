"""A refused action gets a page in the admin's look that says why (403); an object the asker
may not see answers exactly like one that does not exist (404) (issue 14, admin polish)."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles import policies, roles, services
from articles.models import Article
from desk.models import Notification

from .factories import (
    ArticleFactory,
    AuthorFactory,
    DraftArticleFactory,
    NoticeFactory,
    PhotoFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Status = Article.Status


@pytest.fixture
def journalist():
    return UserFactory(username="reporter", roles=[roles.JOURNALIST])


@pytest.fixture
def colleague():
    return UserFactory(username="colleague", roles=[roles.JOURNALIST])


def page_text(response):
    return response.content.decode()


def assert_admin_refusal_page(response, status):
    """The admin's own page (header, user tools, breadcrumbs), not Django's bare one."""
    html = page_text(response)
    assert response.status_code == status
    assert response.templates[0].name == "admin/refused.html"
    assert 'id="user-tools"' in html and 'class="breadcrumbs"' in html
    assert "403 Forbidden" not in html and "Perhaps it was deleted" not in html


def test_a_journalist_asking_to_publish_is_told_only_editors_can(client, journalist):
    story = DraftArticleFactory(created_by=journalist, headline="Harbour bridge reopens")
    client.force_login(journalist)

    url = reverse("admin:articles_article_transition", args=[story.pk, policies.PUBLISH])
    response = client.post(url)

    assert_admin_refusal_page(response, 403)
    assert "Only editors can publish a story." in page_text(response)
    assert Article.objects.get(pk=story.pk).status == Status.DRAFT


def test_a_journalist_saving_a_submitted_story_is_told_the_desk_has_it(client, journalist):
    story = DraftArticleFactory(created_by=journalist, status=Status.IN_REVIEW)
    client.force_login(journalist)

    response = client.post(
        reverse("admin:articles_article_change", args=[story.pk]), {"headline": "Rewritten"}
    )

    assert_admin_refusal_page(response, 403)
    assert "Once a story is submitted, only editors change it; this one is in review." in page_text(
        response
    )
    assert Article.objects.get(pk=story.pk).headline != "Rewritten"


def test_an_editor_is_told_why_a_transition_does_not_apply_to_the_state(client):
    editor = UserFactory(roles=[roles.EDITOR])
    story = DraftArticleFactory(created_by=editor)
    client.force_login(editor)

    url = reverse("admin:articles_article_transition", args=[story.pk, policies.APPROVE])
    response = client.get(url)

    assert_admin_refusal_page(response, 403)
    assert "Only a story in review can be approved; this one is draft." in page_text(response)


def test_the_preview_of_a_submitted_story_is_refused_with_the_reason(client, journalist):
    story = DraftArticleFactory(created_by=journalist, status=Status.APPROVED)
    client.force_login(journalist)

    response = client.get(reverse("admin:articles_article_preview_links", args=[story.pk]))

    assert_admin_refusal_page(response, 403)
    assert "this one is approved" in page_text(response)


def test_the_service_refuses_with_the_policy_reason():
    journalist = UserFactory(roles=[roles.JOURNALIST])
    story = DraftArticleFactory(created_by=journalist)

    with pytest.raises(services.PermissionDenied) as refusal:
        services.article_publish(article=story, user=journalist)

    assert str(refusal.value) == policies.refusal(journalist, policies.PUBLISH, story)
    assert str(refusal.value) == "Only editors can publish a story."


@pytest.mark.parametrize(
    ("status", "at", "reason"),
    [
        (Status.PUBLISHED, -1, "This story is published already: update or unpublish it."),
        (
            Status.DRAFT,
            None,
            "Only a live or scheduled story can be unpublished; this one is draft.",
        ),
    ],
)
def test_the_reason_names_the_state_the_clock_gives(status, at, reason):
    editor = UserFactory(roles=[roles.EDITOR])
    fields = {"status": status}
    if at is not None:
        fields["published_at"] = timezone.now() + timedelta(hours=at)
    story = ArticleFactory(**fields)
    action = policies.PUBLISH if status == Status.PUBLISHED else policies.UNPUBLISH

    assert policies.refusal(editor, action, story) == reason
    assert not policies.can(editor, action, story)


def test_a_scheduled_story_is_named_scheduled_in_a_refusal():
    editor = UserFactory(roles=[roles.EDITOR])
    story = ArticleFactory(published_at=timezone.now() + timedelta(hours=3))

    assert policies.refusal(editor, policies.UPDATE, story) == (
        "Only a live story can be marked as materially updated; this one is scheduled."
    )


# Existence: a colleague's draft answers exactly like a story that does not exist ---------


ARTICLE_PAGES = {
    "change": lambda pk: ("get", reverse("admin:articles_article_change", args=[pk])),
    "save": lambda pk: ("post", reverse("admin:articles_article_change", args=[pk])),
    "history": lambda pk: ("get", reverse("admin:articles_article_history", args=[pk])),
    "delete": lambda pk: ("get", reverse("admin:articles_article_delete", args=[pk])),
    "submit": lambda pk: (
        "post",
        reverse("admin:articles_article_transition", args=[pk, policies.SUBMIT]),
    ),
    "revisions": lambda pk: ("get", reverse("admin:articles_article_revisions", args=[pk])),
    "preview": lambda pk: ("get", reverse("admin:articles_article_preview", args=[pk])),
    "preview links": lambda pk: (
        "get",
        reverse("admin:articles_article_preview_links", args=[pk]),
    ),
}


def without_tokens(html):
    """CSRF tokens are new in every response; nothing else may differ."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.parametrize("page", list(ARTICLE_PAGES))
def test_a_colleagues_draft_answers_exactly_like_a_missing_story(
    client, journalist, colleague, page
):
    draft = DraftArticleFactory(created_by=colleague, headline="Secret council budget")
    missing = draft.pk + 1000
    client.force_login(journalist)

    answers = []
    for pk in (draft.pk, missing):
        method, url = ARTICLE_PAGES[page](pk)
        answers.append(getattr(client, method)(url))

    hidden, absent = answers
    assert_admin_refusal_page(hidden, 404)
    assert hidden.status_code == absent.status_code == 404
    assert without_tokens(page_text(hidden)) == without_tokens(page_text(absent))
    assert "Secret council budget" not in page_text(hidden)
    assert str(draft.pk) not in re.sub(r"<[^>]+>", "", page_text(hidden))


def test_someone_elses_notification_answers_like_a_missing_one(client, journalist, colleague):
    story = DraftArticleFactory(created_by=colleague)
    theirs = Notification.objects.create(
        recipient=colleague, verb="submitted", article=story, headline=story.headline
    )
    client.force_login(journalist)

    hidden = client.get(reverse("admin:desk_notification_change", args=[theirs.pk]))
    absent = client.get(reverse("admin:desk_notification_change", args=[theirs.pk + 1000]))

    assert_admin_refusal_page(hidden, 404)
    assert without_tokens(page_text(hidden)) == without_tokens(page_text(absent))
    assert Notification.objects.get(pk=theirs.pk).read_at is None


# Roles and model rules --------------------------------------------------------------------


def test_legal_opening_the_stories_is_told_which_roles_write_them(client):
    client.force_login(UserFactory(roles=[roles.LEGAL]))

    response = client.get(reverse("admin:articles_article_changelist"))

    assert_admin_refusal_page(response, 403)
    assert "Only the Editor, Journalist and Photo editor roles can open articles." in page_text(
        response
    )


def test_a_journalist_opening_the_legal_notices_is_told_legal_keeps_them(client, journalist):
    notice = NoticeFactory()
    client.force_login(journalist)

    response = client.get(reverse("admin:legal_notice_change", args=[notice.pk]))

    assert_admin_refusal_page(response, 403)
    assert "Only the Legal role can open notices." in page_text(response)


def test_nobody_deletes_a_notice_and_legal_is_told_why(client):
    notice = NoticeFactory()
    client.force_login(UserFactory(roles=[roles.LEGAL]))

    response = client.get(reverse("admin:legal_notice_delete", args=[notice.pk]))

    assert_admin_refusal_page(response, 403)
    assert "Notices are evidence of what readers were told" in page_text(response)


def test_legal_asking_for_the_bulk_upload_is_told_who_adds_photos(client):
    client.force_login(UserFactory(roles=[roles.LEGAL]))

    response = client.get(reverse("admin:media_photo_bulk_upload"))

    assert_admin_refusal_page(response, 403)
    assert "Only the Editor, Journalist and Photo editor roles can add photos." in page_text(
        response
    )


def test_a_journalist_changing_a_photo_readers_see_is_told_why(client, journalist):
    photo = PhotoFactory(caption="As the desk approved it")
    AuthorFactory(name="Anna Nowak", photo=photo)
    client.force_login(journalist)

    response = client.post(
        reverse("admin:media_photo_change", args=[photo.pk]), {"caption": "Mine now"}
    )

    assert_admin_refusal_page(response, 403)
    assert "Readers see this photo, or soon will" in page_text(response)
    photo.refresh_from_db()
    assert photo.caption == "As the desk approved it"


def test_a_non_editor_allowed_to_change_tags_is_told_which_tags_readers_see(client):
    user = UserFactory(roles=[roles.JOURNALIST])
    user.user_permissions.add(Permission.objects.get(codename="change_tag"))
    story = ArticleFactory()
    story.tags.add("harbour")
    tag = Tag.objects.get(name="harbour")
    client.force_login(user)

    response = client.post(
        reverse("admin:taggit_tag_change", args=[tag.pk]), {"name": "port", "slug": "port"}
    )

    assert_admin_refusal_page(response, 403)
    assert "Only an editor may change tags that readers see: harbour." in page_text(response)
    assert Tag.objects.filter(name="harbour").exists()


def test_a_journalist_asking_for_the_schedule_is_told_it_is_the_editors(client, journalist):
    client.force_login(journalist)

    response = client.get(reverse("admin:articles_article_scheduled"))

    assert_admin_refusal_page(response, 403)
    assert "Only editors see what is scheduled." in page_text(response)


def test_a_refusal_page_fits_a_phone_and_links_back_to_the_list(client, journalist):
    story = DraftArticleFactory(created_by=journalist)
    client.force_login(journalist)

    url = reverse("admin:articles_article_transition", args=[story.pk, policies.PUBLISH])
    html = page_text(client.get(url))

    assert f'href="{reverse("admin:articles_article_changelist")}"' in html
    assert 'name="viewport"' in html


def test_the_login_still_comes_first_for_anyone_signed_out(client):
    story = DraftArticleFactory()

    response = client.get(reverse("admin:articles_article_change", args=[story.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_refusal_and_not_found_pages_cost_the_same_however_many_stories(
    client, journalist, colleague, django_assert_max_num_queries
):
    own = DraftArticleFactory(created_by=journalist)
    hidden = DraftArticleFactory(created_by=colleague)
    publish = reverse("admin:articles_article_transition", args=[own.pk, policies.PUBLISH])
    unseen = reverse("admin:articles_article_change", args=[hidden.pk])
    client.force_login(journalist)

    def costs():
        counts = []
        for url in (publish, unseen):
            with django_assert_max_num_queries(15) as queries:
                client.get(url)
            counts.append(len(queries))
        return counts

    few = costs()
    for _ in range(30):
        DraftArticleFactory(created_by=journalist)
        DraftArticleFactory(created_by=colleague)
    assert costs() == few


def test_a_note_on_a_colleagues_draft_answers_like_a_missing_note(client, journalist, colleague):
    from desk.notes import note_add

    draft = DraftArticleFactory(created_by=colleague, headline="Secret council budget")
    note = note_add(article=draft, user=colleague, text="Source wants to stay anonymous.").note
    client.force_login(journalist)

    hidden = client.get(reverse("admin:desk_note_change", args=[note.pk]))
    absent = client.get(reverse("admin:desk_note_change", args=[note.pk + 1000]))

    assert_admin_refusal_page(hidden, 404)
    assert without_tokens(page_text(hidden)) == without_tokens(page_text(absent))
    assert "anonymous" not in page_text(hidden)


@pytest.mark.parametrize(
    ("action", "status", "reason"),
    [
        (
            policies.WITHDRAW,
            Status.APPROVED,
            "Only a story in review can be withdrawn; this one is approved.",
        ),
        (
            policies.REQUEST_UPDATE,
            Status.DRAFT,
            "An update is asked for on an approved or live story; this one is draft.",
        ),
    ],
)
def test_a_writer_is_told_why_a_writers_step_does_not_apply(journalist, action, status, reason):
    story = DraftArticleFactory(created_by=journalist, status=status)

    assert policies.refusal(journalist, action, story) == reason
    assert not policies.can(journalist, action, story)
