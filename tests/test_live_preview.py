"""The live preview: the public article template over the form as typed, never written.

The form autosaves; the preview page renders that autosave on the article as the public
page's own loader reads it, with the same template (articles/admin_live_preview.py).
"""

import re
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, ArticleAutosave
from articles.roles import JOURNALIST

from .admin_forms import form_data_from_response, open_change_form, user_in_role
from .factories import (
    BylineFactory,
    DraftArticleFactory,
    NoticeFactory,
    PhotoFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def journalist():
    return user_in_role(JOURNALIST, username="reporter")


@pytest.fixture
def draft(journalist):
    NoticeFactory()
    article = DraftArticleFactory(
        headline="Council approves harbour plan",
        body="The saved body.",
        created_by=journalist,
        tags=["harbour"],
    )
    return article


@pytest.fixture
def writer(client, journalist):
    client.force_login(journalist)
    return client


def page_url(article):
    return reverse("admin:articles_article_live_preview_page", args=[article.pk])


def type_into(client, article, **changes):
    data = open_change_form(client, article)
    response = client.post(
        reverse("admin:articles_article_autosave", args=[article.pk]), {**data, **changes}
    )
    assert response.status_code == 200 and response.json()["saved"], response.content


def test_the_preview_renders_the_public_template_with_the_unsaved_text(writer, draft):
    type_into(
        writer,
        draft,
        headline="Harbour plan approved after all-night session",
        body="An **unsaved** paragraph.",
        tags="harbour, council",
    )

    response = writer.get(page_url(draft))

    assert response.status_code == 200
    assert [template.name for template in response.templates][0] == "articles/detail.html"
    html = response.content.decode()
    assert (
        '<h1 class="article__headline">Harbour plan approved after all-night session</h1>' in html
    )
    assert "An <strong>unsaved</strong> paragraph." in html
    assert ">council</a>" in html
    assert "Live preview: not saved." in html and "Your unsaved changes as of" in html
    assert "By Staff Reporter" in html  # bylines as saved
    # Nothing was written: the article is as it was.
    assert Article.objects.get(pk=draft.pk).headline == "Council approves harbour plan"


def test_the_preview_writes_nothing_to_the_database(writer, draft):
    type_into(writer, draft, headline="Unsaved headline", tags="harbour, brand-new-tag")

    with CaptureQueriesContext(connection) as queries:
        assert writer.get(page_url(draft)).status_code == 200

    writes = [
        query["sql"]
        for query in queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in query["sql"]
    ]
    assert writes == []


def test_the_preview_is_private_noindex_and_framable_only_by_the_admin(writer, draft):
    type_into(writer, draft, headline="Unsaved headline")

    response = writer.get(page_url(draft))

    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_the_preview_page_frames_the_article_and_nothing_else_is_framable(writer, draft):
    response = writer.get(reverse("admin:articles_article_live_preview", args=[draft.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'src="{page_url(draft)}"' in html
    assert "frame-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert 'href="?width=phone"' not in html  # the width links keep the page's own address
    phone = writer.get(
        reverse("admin:articles_article_live_preview", args=[draft.pk]), {"width": "phone"}
    )
    assert "live-preview__stage--phone" in phone.content.decode()
    # The form itself stays unframable.
    form = writer.get(reverse("admin:articles_article_change", args=[draft.pk]))
    assert form["X-Frame-Options"] == "DENY"


def test_a_value_that_does_not_clean_keeps_the_saved_one_and_is_named(writer, draft):
    other = DraftArticleFactory(slug="taken-slug")
    type_into(writer, draft, headline="New headline", slug=other.slug)

    html = writer.get(page_url(draft)).content.decode()

    assert '<h1 class="article__headline">New headline</h1>' in html
    assert "Shown as last saved until corrected in the form: Slug (" in html


def test_without_an_autosave_the_preview_shows_the_article_as_saved(writer, draft):
    html = writer.get(page_url(draft)).content.decode()

    assert '<h1 class="article__headline">Council approves harbour plan</h1>' in html
    assert "No unsaved changes: this is the article as saved." in html


def test_the_status_stamp_moves_with_every_autosave(writer, draft):
    status = reverse("admin:articles_article_autosave_status", args=[draft.pk])
    before = writer.get(status).json()["stamp"]

    type_into(writer, draft, headline="Unsaved headline")
    after = writer.get(status)

    assert after.json()["stamp"] != before
    assert after.json()["message"].startswith("Your unsaved changes as of")
    assert "no-store" in after["Cache-Control"]


def test_live_preview_without_javascript_autosaves_and_opens_the_preview(writer, draft):
    data = open_change_form(writer, draft)

    response = writer.post(
        reverse("admin:articles_article_autosave", args=[draft.pk]),
        {**data, "headline": "Typed without a script", "_live_preview": "1"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_live_preview", args=[draft.pk])
    html = writer.get(page_url(draft)).content.decode()
    assert "Typed without a script</h1>" in html


def test_a_new_article_is_previewed_from_its_draft_key(writer):
    section = SectionFactory(name="City", slug="city")
    add = writer.get(reverse("admin:articles_article_add"))
    key = re.search(r'name="_autosave_draft" value="([0-9a-f-]+)"', add.content.decode()).group(1)
    writer.post(
        reverse("admin:articles_article_autosave_new"),
        {
            **form_data_from_response(add),
            "_autosave_draft": key,
            "section": section.pk,
            "headline": "Tram depot to close",
            "body": "Typed into *Add article*.",
        },
    )

    response = writer.get(reverse("admin:articles_article_live_preview_page_new"), {"draft": key})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="article__headline">Tram depot to close</h1>' in html
    assert "Typed into <em>Add article</em>." in html
    assert not Article.objects.exists()


def test_only_the_writer_of_an_autosave_sees_it_in_a_preview(writer, draft, journalist):
    type_into(writer, draft, headline="Rita's unsaved headline")
    colleague = Client()
    colleague.force_login(user_in_role(JOURNALIST, username="colleague"))
    assert colleague.get(page_url(draft)).status_code == 404
    key = ArticleAutosave.objects.create(
        user=journalist, draft_key=uuid.uuid4(), values={}
    ).draft_key
    response = colleague.get(
        reverse("admin:articles_article_live_preview_page_new"), {"draft": key}
    )
    assert "Rita" not in response.content.decode()  # their own (empty) draft, not Rita's


def test_preview_queries_stay_constant_as_the_newsroom_grows(
    writer, draft, journalist, django_assert_max_num_queries
):
    photo = PhotoFactory()
    type_into(writer, draft, headline="Unsaved", tags="harbour, a, b", lead_photo=str(photo.pk))
    writer.get(page_url(draft))  # warms the legal notices and fragments, as any visit does
    with django_assert_max_num_queries(14) as few:
        assert writer.get(page_url(draft)).status_code == 200

    for number in range(20):
        other = DraftArticleFactory(slug=f"other-{number}", created_by=journalist, tags=["x"])
        BylineFactory(article=other)
        BylineFactory(article=draft)
        ArticleAutosave.objects.create(user=journalist, article=other, values={"body": "..."})
    type_into(
        writer, draft, headline="Unsaved", tags="harbour, a, b, c, d, e, f, g", lead_photo=photo.pk
    )
    with django_assert_max_num_queries(14) as many:
        assert writer.get(page_url(draft)).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
