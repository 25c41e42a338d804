"""Autosave of the article form: what it keeps, who may write it, and how it is offered back.

An autosave is the writer's own copy of the form as typed: not the article, not a revision,
never public. The form's script posts to the autosave address (articles/admin_autosave.py);
these tests post the same form data the way the script does.
"""

import datetime as dt
import re
import uuid

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from articles.autosave import AUTOSAVE_TEXT_LIMIT
from articles.models import Article, ArticleAutosave, ArticleRevision
from articles.models.autosave import AUTOSAVE_LIFETIME
from articles.roles import EDITOR, JOURNALIST

from .admin_forms import (
    form_data_from_response,
    form_errors,
    open_change_form,
    post_change_form,
    user_in_role,
)
from .factories import DraftArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

# 2:03 PM in New York, the newsroom's zone (EST in December).
TWO_OH_THREE = dt.datetime(2026, 12, 3, 19, 3, tzinfo=dt.UTC)


def autosave_url(article):
    return reverse("admin:articles_article_autosave", args=[article.pk])


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def journalist():
    return user_in_role(JOURNALIST, username="reporter", first_name="Rita", last_name="Reporter")


@pytest.fixture
def editor():
    return user_in_role(EDITOR, username="editor", first_name="Ben", last_name="Editor")


@pytest.fixture
def draft(journalist):
    return DraftArticleFactory(
        headline="Council approves harbour plan", body="First draft.", created_by=journalist
    )


@pytest.fixture
def writing(client, journalist, draft):
    """The journalist with their draft's form open: (client, form data)."""
    client.force_login(journalist)
    return client, open_change_form(client, draft)


def autosave(client, article, data, **changes):
    return client.post(autosave_url(article), {**data, **changes}, HTTP_ACCEPT="application/json")


# What is kept, and what is not touched -------------------------------------------------


def test_an_autosave_keeps_the_typed_form_and_leaves_the_article_untouched(writing, draft):
    client, data = writing
    revisions = ArticleRevision.objects.count()

    response = autosave(client, draft, data, headline="Council approves harbour plan at last")

    assert response.status_code == 200
    assert response.json()["saved"] is True
    assert response.json()["message"].startswith("Unsaved changes kept at ")
    kept = ArticleAutosave.objects.get()
    assert (kept.article, kept.user.username, kept.draft_key) == (draft, "reporter", None)
    # Only what differs from the article: restoring puts back nothing else.
    assert kept.values == {"headline": "Council approves harbour plan at last"}
    assert kept.base_version == draft.lock_version
    stored = Article.objects.get(pk=draft.pk)
    assert stored.headline == "Council approves harbour plan"
    assert stored.lock_version == draft.lock_version
    assert ArticleRevision.objects.count() == revisions


def test_autosaving_again_replaces_the_one_autosave_of_that_form(writing, draft):
    client, data = writing
    autosave(client, draft, data, body="Second draft.")
    autosave(client, draft, data, body="Third draft.")

    assert ArticleAutosave.objects.get().values["body"] == "Third draft."


def test_a_form_that_holds_what_is_saved_keeps_no_autosave(writing, draft):
    client, data = writing
    autosave(client, draft, data, body="Second draft.")

    response = autosave(client, draft, data)  # typed back to the saved text

    assert response.json() == {"saved": False, "message": "No unsaved changes."}
    assert not ArticleAutosave.objects.exists()


def test_the_autosave_answer_is_private_json_that_no_cache_keeps(writing, draft):
    client, data = writing
    response = autosave(client, draft, data, body="Second draft.")

    assert response["Content-Type"] == "application/json"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control


def test_autosave_costs_the_same_few_queries_however_much_there_is(
    writing, draft, journalist, django_assert_max_num_queries
):
    client, data = writing
    autosave(client, draft, data, body="First keystrokes.")
    with django_assert_max_num_queries(14) as few:
        autosave(client, draft, data, body="A few more.")
    for number in range(15):
        other = DraftArticleFactory(created_by=journalist, slug=f"other-{number}", tags=["x", "y"])
        ArticleAutosave.objects.create(user=journalist, article=other, values={"body": "..."})

    with django_assert_max_num_queries(14) as many:
        response = autosave(client, draft, data, body="Second draft.")
    assert response.json()["saved"] is True
    assert len(many.captured_queries) == len(few.captured_queries)


# Who may autosave ----------------------------------------------------------------------


def test_autosave_needs_a_signed_in_staff_member(draft):
    response = Client().post(autosave_url(draft), {"body": "x"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

    reader = UserFactory(username="reader", is_staff=False)
    client = Client()
    client.force_login(reader)
    response = client.post(autosave_url(draft), {"body": "x"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not ArticleAutosave.objects.exists()


def test_autosave_answers_only_a_post_carrying_the_csrf_token(journalist, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(journalist)

    assert client.get(autosave_url(draft)).status_code == 405
    assert client.post(autosave_url(draft), {"body": "x"}).status_code == 403
    assert not ArticleAutosave.objects.exists()


def test_a_journalist_cannot_autosave_a_colleagues_story(client, draft):
    client.force_login(user_in_role(JOURNALIST, username="colleague"))

    response = client.post(autosave_url(draft), {"body": "Hijacked."})

    assert response.status_code == 404  # not even told it exists
    assert not ArticleAutosave.objects.exists()


def test_nobody_autosaves_a_story_they_may_no_longer_change(writing, draft, journalist):
    client, data = writing
    draft.status = Article.Status.IN_REVIEW  # submitted: the desk owns the text now
    draft.save()

    response = autosave(client, draft, data, body="Sneaky late edit.")

    assert response.status_code == 403
    assert response.json()["message"] == "Not autosaved: you may not change this article now."
    assert not ArticleAutosave.objects.exists()


def test_a_read_only_role_cannot_autosave(client, draft):
    viewer = UserFactory(username="viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)

    assert client.post(autosave_url(draft), {"body": "x"}).status_code == 403


def test_an_editor_autosaves_any_story_and_each_person_has_their_own(writing, draft, editor):
    client, data = writing
    autosave(client, draft, data, body="Rita's version.")
    desk = Client()
    desk.force_login(editor)

    autosave(desk, draft, open_change_form(desk, draft), body="Ben's version.")

    kept = {a.user.username: a.values["body"] for a in ArticleAutosave.objects.all()}
    assert kept == {"reporter": "Rita's version.", "editor": "Ben's version."}
    assert "Ben&#x27;s version." not in client.get(change_url(draft)).content.decode()


def test_nobody_restores_someone_elses_autosave(writing, draft, editor):
    client, data = writing
    autosave(client, draft, data, body="Rita's private draft.")
    desk = Client()
    desk.force_login(editor)

    html = desk.get(f"{change_url(draft)}?restore={ArticleAutosave.objects.get().pk}")

    assert "Rita&#x27;s private draft." not in html.content.decode()
    assert "unsaved changes" not in html.content.decode()


# Limits --------------------------------------------------------------------------------


def test_a_control_character_is_refused_like_on_save_and_nothing_is_kept(writing, draft):
    client, data = writing

    response = autosave(client, draft, data, headline="Council\x0bapproves")

    assert response.status_code == 400
    body = response.json()
    assert "control character (U+000B)" in body["errors"]["headline"]
    assert body["message"].startswith("Not autosaved: Headline: This contains a control character")
    assert not ArticleAutosave.objects.exists()


def test_text_beyond_the_limits_is_refused_with_the_reason(writing, draft):
    client, data = writing

    too_long_headline = autosave(client, draft, data, headline="x" * 201)
    too_long_body = autosave(client, draft, data, body="x" * (AUTOSAVE_TEXT_LIMIT + 1))

    assert too_long_headline.status_code == 400
    assert "At most 200 characters" in too_long_headline.json()["errors"]["headline"]
    assert too_long_body.status_code == 400
    assert "At most 200,000 characters" in too_long_body.json()["errors"]["body"]
    assert not ArticleAutosave.objects.exists()


def test_a_request_larger_than_an_autosave_may_be_is_refused_before_it_is_kept(writing, draft):
    client, data = writing

    response = client.post(autosave_url(draft), data, CONTENT_LENGTH="2000001")

    assert response.status_code == 413
    assert "too large" in response.json()["message"]
    assert not ArticleAutosave.objects.exists()


# Offered back on the form ----------------------------------------------------------------


def test_reopening_the_form_offers_to_restore_or_discard_in_the_newsroom_zone(writing, draft):
    client, data = writing
    with time_machine.travel(TWO_OH_THREE):
        autosave(client, draft, data, body="Typed before the tab closed.")
        html = client.get(change_url(draft)).content.decode()

    assert "Restore your unsaved changes from 2:03 PM EST" in html
    assert ">Discard</button>" in html
    # Until restored or discarded, the form holds the saved article and autosave waits,
    # so typing cannot replace what is on offer.
    assert "First draft.</textarea>" in html
    assert 'data-pending="1"' in html


def test_restoring_fills_the_form_server_side_and_saving_it_keeps_the_text(writing, draft):
    client, data = writing
    autosave(client, draft, data, headline="Harbour plan approved", body="Typed, then lost.")
    offered = ArticleAutosave.objects.get()

    response = client.get(f"{change_url(draft)}?restore={offered.pk}")

    html = response.content.decode()
    assert "are in the form below." in html and "not saved yet" in html
    assert 'value="Harbour plan approved"' in html and "Typed, then lost.</textarea>" in html
    assert 'data-unsaved="restored"' in html
    saved = post_change_form(client, draft, form_data_from_response(response))
    assert saved.status_code == 302, form_errors(saved)
    draft.refresh_from_db()
    assert (draft.headline, draft.body) == ("Harbour plan approved", "Typed, then lost.")
    assert not ArticleAutosave.objects.exists()  # saving the article ends its autosave


def test_discarding_deletes_the_autosave_and_keeps_the_article(writing, draft):
    client, data = writing
    autosave(client, draft, data, body="Not wanted after all.")

    response = client.post(reverse("admin:articles_article_autosave_discard", args=[draft.pk]))

    assert response.status_code == 302 and response["Location"] == change_url(draft)
    assert not ArticleAutosave.objects.exists()
    html = client.get(change_url(draft)).content.decode()
    assert "Your unsaved changes were discarded." in html
    assert "Restore your unsaved changes" not in html
    draft.refresh_from_db()
    assert draft.body == "First draft."


def test_saving_the_article_deletes_its_autosave(writing, draft):
    client, data = writing
    autosave(client, draft, data, body="Autosaved, then saved.")

    response = post_change_form(client, draft, data, body="Autosaved, then saved.")

    assert response.status_code == 302, form_errors(response)
    assert not ArticleAutosave.objects.exists()


# A colleague saved since ---------------------------------------------------------------


def test_an_autosave_based_on_an_older_version_says_who_saved_since_and_shows_both(
    writing, draft, editor
):
    client, data = writing
    with time_machine.travel(TWO_OH_THREE):
        autosave(client, draft, data, body="Rita's unsaved paragraph.")
    desk = Client()
    desk.force_login(editor)
    with time_machine.travel(TWO_OH_THREE + dt.timedelta(minutes=2)):
        bens = post_change_form(desk, draft, open_change_form(desk, draft), lead="Ben's new lead.")
        assert bens.status_code == 302, form_errors(bens)
        offer = client.get(change_url(draft)).content.decode()
        restored = client.get(f"{change_url(draft)}?restore={ArticleAutosave.objects.get().pk}")

    stale = "Ben Editor saved the article at 2:05 PM EST since; your changes are based on an older version."
    assert stale in offer
    html = restored.content.decode()
    assert stale in html
    # Both versions side by side: Ben's lead as saved now against Rita's older one.
    comparison = html[html.index("autosave-offer__comparison") :]
    assert ">Body</th>" in comparison and "<ins>Rita&#x27;s</ins>" in comparison
    # Only what Rita changed comes back: Ben's lead stays (the form shows it, no diff row).
    assert ">Lead</th>" not in comparison
    assert "Ben&#x27;s new lead.</textarea>" in html
    # The restored form still carries the version Rita typed over: the lock holds.
    restored_data = form_data_from_response(restored)
    assert int(restored_data["lock_version"]) == draft.lock_version

    refused = post_change_form(client, draft, restored_data)
    assert refused.status_code == 200
    assert "Someone else saved this article while you were editing it." in refused.content.decode()
    draft.refresh_from_db()
    assert (draft.lead, draft.body) == ("Ben's new lead.", "First draft.")

    # The refused form now carries the version just seen: saving again is deliberate.
    seen = re.search(r'name="lock_version" value="(\d+)"', refused.content.decode()).group(1)
    deliberate = post_change_form(client, draft, restored_data, lock_version=seen)
    assert deliberate.status_code == 302, form_errors(deliberate)
    draft.refresh_from_db()
    assert (draft.lead, draft.body) == ("Ben's new lead.", "Rita's unsaved paragraph.")


def test_autosaving_over_an_older_version_still_keeps_the_text_and_says_so(writing, draft, editor):
    client, data = writing
    desk = Client()
    desk.force_login(editor)
    post_change_form(desk, draft, open_change_form(desk, draft), lead="Ben's new lead.")

    # The form's script names the fields typed into since the page opened.
    response = autosave(client, draft, data, body="Rita keeps typing.", _autosave_typed="body")

    assert response.json()["saved"] is True
    assert "Ben Editor saved the article at" in response.json()["stale"]
    kept = ArticleAutosave.objects.get()
    assert kept.base_version < Article.objects.get(pk=draft.pk).lock_version
    # Her form's older lead differs from Ben's, but she never touched it: not hers to keep.
    assert kept.values == {"body": "Rita keeps typing."}


def test_an_autosave_that_arrives_after_its_text_was_saved_is_not_kept(writing, draft):
    client, data = writing
    post_change_form(client, draft, data, body="Saved text.")

    late = autosave(client, draft, data, body="Saved text.")  # sent just before the save

    assert late.json()["saved"] is False
    assert not ArticleAutosave.objects.exists()


# A new article -------------------------------------------------------------------------


def add_form(client):
    response = client.get(reverse("admin:articles_article_add"))
    data = form_data_from_response(response)
    key = re.search(r'name="_autosave_draft" value="([0-9a-f-]+)"', response.content.decode())
    return data | {"_autosave_draft": key.group(1)}


def test_typing_into_add_article_is_kept_under_a_draft_key_and_offered_back(client, journalist):
    section = SectionFactory(name="City", slug="city")
    client.force_login(journalist)
    data = add_form(client)

    with time_machine.travel(TWO_OH_THREE):
        response = client.post(
            reverse("admin:articles_article_autosave_new"),
            {**data, "section": section.pk, "headline": "Tram depot to close", "body": "Lost?"},
        )
        assert response.json()["saved"] is True
        kept = ArticleAutosave.objects.get()
        assert (kept.article, str(kept.draft_key)) == (None, data["_autosave_draft"])

        html = client.get(reverse("admin:articles_article_add")).content.decode()
    assert "You have an unsaved new article, “Tram depot to close”, from 2:03 PM EST." in html
    restored = client.get(f"{reverse('admin:articles_article_add')}?restore={kept.pk}")
    html = restored.content.decode()
    assert 'value="Tram depot to close"' in html and "Lost?</textarea>" in html
    assert f'name="_autosave_draft" value="{kept.draft_key}"' in html  # typing goes on there


def test_saving_a_new_article_deletes_its_draft_autosave(client, journalist):
    section = SectionFactory(name="City", slug="city")
    client.force_login(journalist)
    data = add_form(client) | {
        "section": section.pk,
        "headline": "Tram depot to close",
        "slug": "tram-depot-to-close",
        "lead": "The depot closes in May.",
        "body": "Buses take over.",
    }
    client.post(reverse("admin:articles_article_autosave_new"), data)
    assert ArticleAutosave.objects.exists()

    response = client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 302, form_errors(response)
    assert Article.objects.filter(slug="tram-depot-to-close").exists()
    assert not ArticleAutosave.objects.exists()


def test_a_new_article_autosave_needs_a_draft_key_and_the_right_to_add(client, journalist):
    client.force_login(journalist)
    url = reverse("admin:articles_article_autosave_new")
    assert client.post(url, {"headline": "x"}).status_code == 404
    assert client.post(url, {"headline": "x", "_autosave_draft": "nope"}).status_code == 404

    viewer = UserFactory(username="viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)
    response = client.post(url, {"headline": "x", "_autosave_draft": str(uuid.uuid4())})
    assert response.status_code == 403
    assert not ArticleAutosave.objects.exists()


def test_an_untouched_add_form_keeps_nothing(client, journalist):
    client.force_login(journalist)
    response = client.post(reverse("admin:articles_article_autosave_new"), add_form(client))
    assert response.json()["saved"] is False
    assert not ArticleAutosave.objects.exists()


# Expiry --------------------------------------------------------------------------------


def test_old_autosaves_are_no_longer_offered_and_expire_without_a_scheduled_job(
    writing, draft, journalist
):
    client, data = writing
    with time_machine.travel(TWO_OH_THREE):
        autosave(client, draft, data, body="Typed a month ago.")
    later = TWO_OH_THREE + AUTOSAVE_LIFETIME + dt.timedelta(minutes=1)

    with time_machine.travel(later):
        client.force_login(journalist)  # a month on, the working day's session is long over
        html = client.get(change_url(draft)).content.decode()
        assert "Restore your unsaved changes" not in html
        # The next autosave anywhere by the same person clears their expired ones.
        other = DraftArticleFactory(created_by=journalist, slug="another-draft")
        autosave(client, other, open_change_form(client, other), body="Today's typing.")

    assert list(ArticleAutosave.objects.values_list("article", flat=True)) == [other.pk]


def test_expire_autosaves_deletes_every_expired_one(writing, draft, capsys):
    client, data = writing
    with time_machine.travel(TWO_OH_THREE):
        autosave(client, draft, data, body="Typed a month ago.")

    with time_machine.travel(TWO_OH_THREE + AUTOSAVE_LIFETIME + dt.timedelta(minutes=1)):
        call_command("expire_autosaves")

    assert not ArticleAutosave.objects.exists()
    assert "1 expired autosave deleted" in capsys.readouterr().out
