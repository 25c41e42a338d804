"""A workflow button pressed with unsaved edits saves them first, or loses nothing.

On a form its user may change, each workflow button submits the article form with
`_then=<transition>`: the admin saves, then opens the transition's page. With errors
nothing is saved, nothing is lost and the transition is not started. With nothing
changed nothing is saved (the form's script goes straight to the step; this is the
same without it).
"""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from articles.models import Article, ArticleRevision
from articles.roles import EDITOR, JOURNALIST

from .admin_forms import form_errors, open_change_form, post_change_form, user_in_role
from .factories import DraftArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def journalist():
    return user_in_role(JOURNALIST, username="reporter")


@pytest.fixture
def draft(journalist):
    return DraftArticleFactory(headline="Ferry timetable changes", created_by=journalist)


@pytest.fixture
def writing(client, journalist, draft):
    client.force_login(journalist)
    return client, open_change_form(client, draft)


def transition_url(article, action):
    return reverse("admin:articles_article_transition", args=[article.pk, action])


def test_a_workflow_button_with_unsaved_edits_saves_them_then_opens_the_step(writing, draft):
    client, data = writing

    response = post_change_form(
        client, draft, data, body="Edited just before submitting.", _then="submit"
    )

    assert response.status_code == 302, form_errors(response)
    assert response["Location"] == transition_url(draft, "submit")
    draft.refresh_from_db()
    assert draft.body == "Edited just before submitting."
    assert draft.status == Article.Status.DRAFT  # the step itself is confirmed on its page
    page = client.get(response["Location"])
    assert "“Ferry timetable changes” was saved." in page.content.decode()


def test_with_errors_nothing_typed_is_lost_and_the_step_is_not_started(writing, draft):
    client, data = writing

    response = post_change_form(
        client,
        draft,
        data,
        headline="",
        body="Edited, headline emptied by mistake.",
        _then="submit",
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Submit for review: not started, because the article could not be saved." in html
    assert "Edited, headline emptied by mistake.</textarea>" in html
    draft.refresh_from_db()
    assert (draft.headline, draft.status) == ("Ferry timetable changes", Article.Status.DRAFT)
    assert not draft.events.exists()


def test_an_unchanged_form_goes_to_the_step_and_saves_nothing(writing, draft):
    client, data = writing
    version = Article.objects.get(pk=draft.pk).lock_version
    revisions, log = ArticleRevision.objects.count(), LogEntry.objects.count()

    response = post_change_form(client, draft, data, _then="submit")

    assert response.status_code == 302, form_errors(response)
    assert response["Location"] == transition_url(draft, "submit")
    assert Article.objects.get(pk=draft.pk).lock_version == version
    assert (ArticleRevision.objects.count(), LogEntry.objects.count()) == (revisions, log)


def test_a_stale_form_is_refused_before_any_step(writing, draft):
    client, data = writing
    Article.objects.get(pk=draft.pk).save()  # someone else saved meanwhile

    response = post_change_form(client, draft, data, body="My late edit.", _then="submit")

    assert response.status_code == 200
    assert "Someone else saved this article while you were editing it." in response.content.decode()
    assert Article.objects.get(pk=draft.pk).body != "My late edit."


def test_a_step_that_is_not_open_saves_and_says_so(writing, draft):
    client, data = writing

    response = post_change_form(client, draft, data, body="Saved anyway.", _then="publish")

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_change", args=[draft.pk])
    html = client.get(response["Location"]).content.decode()
    assert "That workflow step is not open to you for this article now." in html
    draft.refresh_from_db()
    assert (draft.body, draft.status) == ("Saved anyway.", Article.Status.DRAFT)


def test_the_buttons_submit_the_form_and_enter_still_presses_save(client, draft):
    client.force_login(user_in_role(EDITOR, username="editor"))

    html = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()

    form = html[html.index('id="article_form"') :]
    first_submit = re.search(r"<(?:input|button)[^>]*type=\"submit\"[^>]*>", form).group(0)
    assert 'name="_save"' in first_submit  # the button Enter in a field presses
    for action in ("submit", "approve", "publish", "schedule"):
        if f'value="{action}"' in html:
            assert re.search(
                rf'<button type="submit" name="_then" value="{action}" data-href="{re.escape(transition_url(draft, action))}"',
                html,
            )
    assert '<button type="submit" name="_then" value="publish"' in html


def test_a_reader_who_may_not_change_the_article_keeps_links(client, draft, journalist):
    draft.status = Article.Status.IN_REVIEW
    draft.save()
    client.force_login(user_in_role(EDITOR, username="editor"))
    html = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    assert 'name="_then"' in html  # the desk may change it: buttons save first

    client.force_login(journalist)
    html = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    assert 'name="_then"' not in html and 'id="autosave"' not in html
