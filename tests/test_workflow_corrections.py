"""Corrections: added by editors in the admin, shown to readers, never silently removed."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from articles.models import Article, Correction
from articles.roles import EDITOR, JOURNALIST

from .admin_forms import form_errors, open_change_form, post_change_form, user_in_role
from .factories import ArticleFactory, CorrectionFactory, UserFactory

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")


def new_correction(kind="correction", text="The bridge is 40 metres long, not 400."):
    return {
        "corrections-TOTAL_FORMS": "1",
        "corrections-0-kind": kind,
        "corrections-0-text": text,
    }


def test_editor_adds_a_correction_that_readers_see_with_its_time(client):
    editor = user_in_role(EDITOR, username="editor")
    published = dt.datetime(2026, 11, 20, 8, 0, tzinfo=NEW_YORK)
    article = ArticleFactory(headline="Bridge reopens", published_at=published)
    client.force_login(editor)
    data = open_change_form(client, article)

    corrected_at = dt.datetime(2026, 11, 21, 15, 12, tzinfo=NEW_YORK)
    with time_machine.travel(corrected_at, tick=False):
        response = post_change_form(
            client, article, data, **new_correction(text="The bridge is 40 metres long.")
        )
    assert response.status_code == 302, form_errors(response)

    correction = Correction.objects.get()
    assert correction.created_by == editor
    assert correction.created_at == corrected_at
    article.refresh_from_db()
    assert article.updated_at == corrected_at  # dateModified moves with the correction

    with time_machine.travel(corrected_at + dt.timedelta(minutes=5), tick=False):
        html = client.get(article.get_absolute_url()).content.decode()
    assert "Corrections and updates" in html
    assert "The bridge is 40 metres long." in html
    assert (
        '<time datetime="2026-11-21T15:12:00-05:00">3:12 PM EST, November 21, 2026</time>' in html
    )
    # At the foot of the story, before the source line and the legal notice.
    assert html.index("Corrections and updates") < html.index("source-line")


def test_correction_gives_the_schema_org_correction_comment():
    correction = CorrectionFactory.build(
        text="An earlier version misspelled the mayor's name.",
        created_at=dt.datetime(2026, 11, 21, 20, 12, tzinfo=dt.UTC),
    )
    assert correction.as_schema() == {
        "@type": "CorrectionComment",
        "text": "An earlier version misspelled the mayor's name.",
        "datePublished": "2026-11-21T15:12:00-05:00",
    }


def test_journalist_can_neither_add_nor_delete_corrections_even_by_hand_crafted_post(client):
    journalist = user_in_role(JOURNALIST, username="reporter")
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=journalist)
    existing = CorrectionFactory(article=article, text="Kept for the record.")
    client.force_login(journalist)
    data = open_change_form(client, article)

    response = post_change_form(
        client,
        article,
        data,
        **{
            "corrections-TOTAL_FORMS": "2",
            "corrections-INITIAL_FORMS": "1",
            "corrections-0-id": str(existing.pk),
            "corrections-0-article": str(article.pk),
            "corrections-0-text": "Rewritten by the reporter.",
            "corrections-0-DELETE": "on",
            "corrections-1-kind": "update",
            "corrections-1-text": "Added by the reporter.",
        },
    )

    assert response.status_code in {200, 302, 403}
    assert list(Correction.objects.values_list("text", flat=True)) == ["Kept for the record."]


def test_editor_cannot_edit_or_delete_a_correction_only_append_another(client):
    editor = user_in_role(EDITOR, username="editor")
    article = ArticleFactory()
    existing = CorrectionFactory(article=article, text="The mayor is 54.")
    client.force_login(editor)
    data = open_change_form(client, article)
    # The existing correction is shown read-only: no editable field, no delete box.
    assert "corrections-0-text" not in data and "corrections-0-DELETE" not in data

    response = post_change_form(
        client,
        article,
        data,
        **{
            "corrections-TOTAL_FORMS": "2",
            "corrections-0-id": str(existing.pk),
            "corrections-0-article": str(article.pk),
            "corrections-0-kind": "clarification",
            "corrections-0-text": "Quietly changed.",
            "corrections-0-DELETE": "on",
            "corrections-1-kind": "correction",
            "corrections-1-text": "The mayor is 56, not 54 as we said.",
        },
    )

    assert response.status_code == 302, form_errors(response)
    assert list(Correction.objects.order_by("id").values_list("kind", "text")) == [
        ("correction", "The mayor is 54."),
        ("correction", "The mayor is 56, not 54 as we said."),
    ]


def test_superuser_can_remove_a_correction_for_legal_reasons(client):
    chief = UserFactory(username="chief", is_superuser=True)
    article = ArticleFactory()
    existing = CorrectionFactory(article=article)
    client.force_login(chief)
    data = open_change_form(client, article)

    response = post_change_form(client, article, data, **{"corrections-0-DELETE": "on"})

    assert response.status_code == 302, form_errors(response)
    assert not Correction.objects.filter(pk=existing.pk).exists()


def test_corrections_page_lists_corrections_of_published_articles_only(client):
    now = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(now, tick=False):
        hour = dt.timedelta(hours=1)
        live = ArticleFactory(headline="Live story")
        hidden = [
            ArticleFactory(headline="Draft story", status=Article.Status.DRAFT),
            ArticleFactory(headline="Scheduled story", published_at=now + hour),
            ArticleFactory(headline="Embargoed story", embargo_until=now + hour),
            ArticleFactory(headline="Expired story", expire_at=now - hour),
            ArticleFactory(headline="Unpublished story", status=Article.Status.UNPUBLISHED),
        ]
        CorrectionFactory(article=live, text="Live correction.")
        for article in hidden:
            CorrectionFactory(article=article, text=f"Secret correction of {article.headline}.")

        response = client.get(reverse("articles:corrections"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Live story" in html and "Live correction." in html
    assert f'href="{live.get_absolute_url()}"' in html
    for article in hidden:
        assert article.headline not in html
        assert article.slug not in html
        assert "Secret correction" not in html


def test_corrections_page_is_paginated_with_constant_queries(client, django_assert_max_num_queries):
    CorrectionFactory(article=ArticleFactory())
    client.get("/")  # warms the legal notices' cache, as any earlier visitor would
    with django_assert_max_num_queries(3) as few:
        assert client.get(reverse("articles:corrections")).status_code == 200
    for _ in range(30):
        CorrectionFactory(article=ArticleFactory())
    with django_assert_max_num_queries(3) as many:
        first = client.get(reverse("articles:corrections"))
    assert len(many) == len(few)
    assert 'rel="next" href="/corrections/?page=2"' in first.content.decode()

    second = client.get(reverse("articles:corrections"), {"page": "2"})
    assert second.content.decode().count('class="correction ') == 11
    for bad in ["abc", "99999", "-1"]:
        assert client.get(reverse("articles:corrections"), {"page": bad}).status_code == 200


def test_corrections_are_in_the_article_structured_data(client):
    import extruct

    article = ArticleFactory(headline="Ferry timetable changes")
    correction = CorrectionFactory(
        article=article, text="The first ferry leaves at 6:10, not 6:00."
    )
    html = client.get(article.get_absolute_url()).content.decode()
    [data] = [
        item
        for item in extruct.extract(html, syntaxes=["json-ld"], uniform=True)["json-ld"]
        if item.get("@type") == "NewsArticle"
    ]
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "The first ferry leaves at 6:10, not 6:00.",
            "datePublished": correction.as_schema()["datePublished"],
        }
    ]
