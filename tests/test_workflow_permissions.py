"""Who may do what, proved through the admin's HTTP interface, hand-crafted POSTs included."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import roles
from articles.models import Article, ArticleEvent

from .factories import DraftArticleFactory, PhotoFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Article.Status

ROLE_USERS = {
    "journalist": {"roles": [roles.JOURNALIST]},
    "editor": {"roles": [roles.EDITOR]},
    "photo_editor": {"roles": [roles.PHOTO_EDITOR]},
    "legal": {"roles": [roles.LEGAL]},
    "superuser": {"is_superuser": True},
}


def in_state(status, **fields):
    """Bring a fresh draft into `status`, the way the workflow would have left it."""

    def build(owner):
        article = DraftArticleFactory(created_by=owner, lead_photo=PhotoFactory())
        now = timezone.now()
        values = {"status": status, **fields}
        if status == Status.PUBLISHED:
            values.setdefault("published_at", now - timedelta(hours=1))
            values.setdefault("first_published_at", values["published_at"])
        Article.objects.filter(pk=article.pk).update(**values)
        return Article.objects.get(pk=article.pk)

    return build


def future(hours):
    local = timezone.localtime() + timedelta(hours=hours)
    return {"at_0": local.strftime("%Y-%m-%d"), "at_1": local.strftime("%H:%M:%S")}


# transition -> (starting state, POST data, what the article looks like afterwards)
TRANSITIONS = {
    "submit": (in_state(Status.DRAFT), {}, lambda a: a.status == Status.IN_REVIEW),
    "send_back": (
        in_state(Status.IN_REVIEW),
        {"comment": "Second source please."},
        lambda a: a.status == Status.SENT_BACK,
    ),
    "approve": (in_state(Status.IN_REVIEW), {}, lambda a: a.status == Status.APPROVED),
    "schedule": (
        in_state(Status.APPROVED),
        future(3),
        lambda a: a.status == Status.PUBLISHED and a.published_at > timezone.now(),
    ),
    "publish": (
        in_state(Status.APPROVED),
        {},
        lambda a: a.status == Status.PUBLISHED and a.published_at <= timezone.now(),
    ),
    "update": (in_state(Status.PUBLISHED), {}, lambda a: a.updated_at is not None),
    "unpublish": (in_state(Status.PUBLISHED), {}, lambda a: a.status == Status.UNPUBLISHED),
    "set_embargo": (in_state(Status.APPROVED), future(5), lambda a: a.embargo_until is not None),
    "lift_embargo": (
        in_state(Status.APPROVED, embargo_until=timezone.now() + timedelta(days=1)),
        {},
        lambda a: a.embargo_until is None,
    ),
    "set_expiry": (in_state(Status.PUBLISHED), future(24), lambda a: a.expire_at is not None),
}

ALLOWED = {
    "journalist": {("submit", "own")},
    "editor": {(t, whose) for t in TRANSITIONS for whose in ("own", "other")},
    "photo_editor": set(),
    "legal": set(),
    "superuser": {(t, whose) for t in TRANSITIONS for whose in ("own", "other")},
}


def snapshot(article):
    fresh = Article.objects.get(pk=article.pk)
    return (
        fresh.headline,
        fresh.status,
        fresh.published_at,
        fresh.updated_at,
        fresh.embargo_until,
        fresh.expire_at,
        ArticleEvent.objects.filter(article=article).count(),
    )


@pytest.mark.parametrize("whose", ["own", "other"])
@pytest.mark.parametrize("transition", list(TRANSITIONS))
@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_transition_matrix_through_admin(client, role, transition, whose):
    user = UserFactory(username=f"the-{role}", **ROLE_USERS[role])
    owner = user if whose == "own" else UserFactory(username="someone-else")
    build, data, changed = TRANSITIONS[transition]
    article = build(owner)
    before = snapshot(article)
    client.force_login(user)

    url = reverse("admin:articles_article_transition", args=[article.pk, transition])
    response = client.post(url, data)

    change_url = reverse("admin:articles_article_change", args=[article.pk])
    if (transition, whose) in ALLOWED[role]:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["Location"] == change_url
        assert changed(Article.objects.get(pk=article.pk))
        event = ArticleEvent.objects.filter(article=article).latest()
        assert (event.actor, event.action) == (user, transition)
    else:
        assert response.status_code in {403, 404}
        assert snapshot(article) == before


def change_form_data(article, **overrides):
    return {
        "section": article.section_id,
        "headline": article.headline,
        "slug": article.slug,
        "lead": article.lead,
        "body": article.body,
        "tags": "",
        "lead_photo": article.lead_photo_id or "",
        "lead_photo_caption": "",
        "source_line": article.source_line,
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        **overrides,
    }


EDIT_STATES = [Status.DRAFT, Status.SENT_BACK, Status.IN_REVIEW, Status.PUBLISHED]
# Who may edit the text, per state and ownership. Editors and superusers always may.
EDIT_ALLOWED = {
    "journalist": {(Status.DRAFT, "own"), (Status.SENT_BACK, "own")},
    "editor": {(s, w) for s in EDIT_STATES for w in ("own", "other")},
    "photo_editor": set(),
    "legal": set(),
    "superuser": {(s, w) for s in EDIT_STATES for w in ("own", "other")},
}


@pytest.mark.parametrize("whose", ["own", "other"])
@pytest.mark.parametrize("state", EDIT_STATES)
@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_edit_matrix_with_hand_crafted_status_and_times(client, role, state, whose):
    """Nobody can publish by posting the change form: status and times are not form fields."""
    user = UserFactory(username=f"the-{role}", **ROLE_USERS[role])
    owner = user if whose == "own" else UserFactory(username="someone-else")
    article = in_state(state)(owner)
    before = snapshot(article)
    client.force_login(user)

    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        change_form_data(
            article,
            headline="Rewritten headline",
            status="published",
            published_at_0="2020-01-01",
            published_at_1="00:00:00",
            embargo_until_0="",
            expire_at_0="",
        ),
    )

    after = Article.objects.get(pk=article.pk)
    if (state, whose) in EDIT_ALLOWED[role]:
        assert response.status_code == 302, response.content.decode()[:3000]
        assert after.headline == "Rewritten headline"
        # Text changed; status and publication time did not.
        assert snapshot(article)[1:] == before[1:]
    else:
        # A story the role may not even see (a colleague's, any for Legal) is "not found",
        # like a missing one; one it may read but not change is refused with the reason.
        unseen = role == "legal" or (role == "journalist" and whose == "other")
        assert response.status_code == (404 if unseen else 403)
        assert snapshot(article) == before


def test_journalist_cannot_publish_own_article_by_posting_status(client):
    journalist = UserFactory(roles=[roles.JOURNALIST])
    article = DraftArticleFactory(created_by=journalist)
    client.force_login(journalist)

    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        change_form_data(article, status="published", published_at_0="2020-01-01"),
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.published_at is None
    assert client.get(article.get_absolute_url()).status_code == 404


def test_journalist_can_add_an_article_and_it_is_theirs(client):
    journalist = UserFactory(roles=[roles.JOURNALIST])
    client.force_login(journalist)
    section = DraftArticleFactory().section

    response = client.post(
        reverse("admin:articles_article_add"),
        {
            **change_form_data(DraftArticleFactory.build(section=section), slug="a-new-story"),
            "status": "published",
        },
    )

    assert response.status_code == 302
    article = Article.objects.get(slug="a-new-story")
    assert article.created_by == journalist
    assert article.status == Status.DRAFT


def test_journalist_edits_an_article_they_are_a_byline_on(client):
    from .factories import AuthorFactory

    journalist = UserFactory(roles=[roles.JOURNALIST])
    article = DraftArticleFactory(created_by=UserFactory(username="desk"))
    article.bylines.create(author=AuthorFactory(user=journalist))
    client.force_login(journalist)

    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        change_form_data(article, headline="Co-written headline"),
    )

    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).headline == "Co-written headline"


def test_journalist_sees_only_their_own_articles_and_only_the_submit_action(client):
    journalist = UserFactory(roles=[roles.JOURNALIST])
    DraftArticleFactory(headline="My own story", created_by=journalist)
    DraftArticleFactory(headline="A colleague's story", created_by=UserFactory(username="other"))
    client.force_login(journalist)

    response = client.get(reverse("admin:articles_article_changelist"))

    html = response.content.decode()
    assert "My own story" in html
    assert "A colleague's story" not in html
    actions = [choice[0] for choice in response.context["action_form"].fields["action"].choices]
    assert actions == ["", "bulk_submit"]
    assert reverse("admin:articles_article_scheduled") not in response.content.decode()


def test_editor_sees_every_article_and_every_bulk_action(client):
    editor = UserFactory(roles=[roles.EDITOR])
    DraftArticleFactory(headline="Somebody's story", created_by=UserFactory(username="other"))
    client.force_login(editor)

    response = client.get(reverse("admin:articles_article_changelist"))

    assert "Somebody&#x27;s story" in response.content.decode()
    assert reverse("admin:articles_article_scheduled") in response.content.decode()
    actions = {choice[0] for choice in response.context["action_form"].fields["action"].choices}
    assert {"bulk_submit", "bulk_approve", "bulk_publish", "bulk_unpublish"} <= actions


def test_change_form_shows_only_the_buttons_the_user_may_take(client):
    journalist = UserFactory(roles=[roles.JOURNALIST])
    article = DraftArticleFactory(created_by=journalist)
    client.force_login(journalist)

    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()

    assert "Submit for review" in html
    for label in ["Publish now", "Schedule", "Unpublish", "Set embargo", "Approve"]:
        assert f">{label}</a>" not in html
    assert 'name="status"' not in html
    assert 'name="published_at' not in html


def test_journalist_cannot_bulk_publish_by_posting_the_action_by_hand(client):
    journalist = UserFactory(roles=[roles.JOURNALIST])
    article = in_state(Status.APPROVED)(journalist)
    client.force_login(journalist)

    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "bulk_publish", "_selected_action": [article.pk]},
    )

    assert Article.objects.get(pk=article.pk).status == Status.APPROVED


def test_editor_bulk_publish_reports_articles_that_are_not_ready(client):
    editor = UserFactory(roles=[roles.EDITOR])
    ready = in_state(Status.APPROVED)(editor)
    no_credit = in_state(Status.APPROVED)(editor)
    no_credit.lead_photo.agency = no_credit.lead_photo.photographer = ""
    no_credit.lead_photo.save()
    client.force_login(editor)

    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "bulk_publish", "_selected_action": [ready.pk, no_credit.pk]},
        follow=True,
    )

    assert Article.objects.get(pk=ready.pk).is_published
    assert Article.objects.get(pk=no_credit.pk).status == Status.APPROVED
    assert "needs a credit" in response.content.decode()


def test_unknown_transition_is_not_found(client):
    editor = UserFactory(roles=[roles.EDITOR])
    article = DraftArticleFactory()
    client.force_login(editor)
    url = reverse("admin:articles_article_transition", args=[article.pk, "delete_everything"])
    assert client.post(url).status_code == 404
