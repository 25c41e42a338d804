"""Versioned notices, the publisher's identity, legal pages and who may edit them."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section
from articles.roles import EDITOR, JOURNALIST, LEGAL
from legal.models import LegalPage, Notice, NoticeVersion, Publisher

from .factories import (
    ArticleFactory,
    BylineFactory,
    LegalPageFactory,
    NoticeFactory,
    NoticeVersionFactory,
    PhotoFactory,
    PublisherFactory,
    SectionFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def notice_form(notice, **changes):
    version = notice.versions.order_by("-version").first()
    data = {
        "kind": notice.kind,
        "title": notice.title,
        "text": version.text,
        "link_text": version.link_text,
        "page": version.page_id or "",
        "link_url": version.link_url,
        "reserves_tdm": "on" if version.reserves_tdm else None,
        "effective_at_0": "",
        "effective_at_1": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def foot_notice(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    start = html.index('class="legal-notice"')
    return html[start : html.index("</aside>", start)]


@pytest.fixture
def legal_client(client):
    client.force_login(user_with_role(LEGAL, username="counsel"))
    return client


# Versions ---------------------------------------------------------------------------------


def test_editing_a_notice_adds_a_version_in_force_now_and_keeps_the_old_one(
    legal_client, django_capture_on_commit_callbacks
):
    notice = NoticeFactory(text="Old wording, see here.")
    article = ArticleFactory()
    assert "Old wording" in foot_notice(legal_client, article)

    with django_capture_on_commit_callbacks(execute=True):
        response = legal_client.post(
            reverse("admin:legal_notice_change", args=[notice.pk]),
            notice_form(notice, text="New wording from {publisher}, see here."),
        )
    assert response.status_code == 302

    old, new = notice.versions.order_by("version")
    assert (old.version, old.text) == (1, "Old wording, see here.")
    assert new.version == 2 and new.created_by.username == "counsel"
    assert abs(new.effective_at - timezone.now()) < dt.timedelta(minutes=1)
    shown = foot_notice(legal_client, article)
    assert "New wording from Example Herald Media, see <a" in shown
    assert "Old wording" not in shown


def test_in_force_answers_with_the_current_version_of_a_kind():
    NoticeFactory(text="Old here.", effective_at=timezone.now() - dt.timedelta(days=9))
    NoticeFactory(text="Current here.")
    NoticeFactory(text="Future here.", effective_at=timezone.now() + dt.timedelta(days=9))
    current = Notice.objects.in_force(Notice.Kind.COPYRIGHT).first()
    assert (current.text, current.version, current.title) == (
        "Current here.",
        2,
        "Copyright and TDM reservation",
    )


def test_saving_without_changing_the_wording_adds_no_version(legal_client):
    notice = NoticeFactory()
    response = legal_client.post(
        reverse("admin:legal_notice_change", args=[notice.pk]),
        notice_form(notice, title="Copyright notice"),
    )
    assert response.status_code == 302
    assert notice.versions.count() == 1
    assert Notice.objects.get().title == "Copyright notice"


def test_a_scheduled_version_comes_into_force_at_its_time(client, legal_client):
    notice = NoticeFactory(text="Current wording here.")
    article = ArticleFactory()
    legal_client.post(
        reverse("admin:legal_notice_change", args=[notice.pk]),
        notice_form(
            notice,
            text="Next year wording here.",
            effective_at_0="2099-01-01",
            effective_at_1="00:00:00",
        ),
    )
    assert notice.versions.count() == 2
    assert "Current wording" in foot_notice(client, article)  # cached until the switch

    with time_machine.travel(dt.datetime(2099, 1, 2, tzinfo=dt.UTC)):
        assert "Next year wording" in foot_notice(client, article)


def test_history_is_read_only_for_legal(legal_client):
    notice = NoticeFactory(text="First here.")
    NoticeFactory(text="Second here.")
    version = notice.versions.get(version=1)

    response = legal_client.get(reverse("admin:legal_noticeversion_change", args=[version.pk]))
    assert response.status_code == 200
    assert "First here." in response.content.decode()
    assert 'name="text"' not in response.content.decode()
    response = legal_client.post(
        reverse("admin:legal_noticeversion_change", args=[version.pk]), {"text": "Rewritten here."}
    )
    assert response.status_code == 403
    assert NoticeVersion.objects.get(pk=version.pk).text == "First here."
    listing = legal_client.get(reverse("admin:legal_noticeversion_changelist")).content.decode()
    assert '<td class="field-version">1</td>' in listing
    assert '<td class="field-version">2</td>' in listing


def test_only_one_site_notice_of_a_kind(legal_client):
    NoticeFactory()
    page = LegalPageFactory()
    response = legal_client.post(
        reverse("admin:legal_notice_add"),
        {
            "kind": "copyright",
            "title": "Second",
            "text": "Text here.",
            "link_text": "here",
            "page": page.pk,
            "reserves_tdm": "on",
        },
    )
    assert response.status_code == 200
    assert "already has a notice of this kind" in response.content.decode()
    assert Notice.objects.count() == 1


# Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"page": "", "link_url": "not a url"}, "Enter a valid URL."),
        ({"text": "   "}, "This field is required."),
        ({"page": "", "link_url": ""}, "Choose a legal page or enter a link address."),
        ({"text": "Consent of {publsher} needed here."}, "Unknown placeholder {publsher}"),
        ({"text": "No link in this text."}, "The text must contain the link text"),
        (
            {"text": "Backdated here.", "effective_at_0": "2020-01-01", "effective_at_1": "00:00"},
            "cannot take effect before",
        ),
        (
            {"effective_at_0": "2099-01-01", "effective_at_1": "00:00"},
            "The wording is unchanged",
        ),
    ],
    ids=[
        "invalid-url",
        "empty-text",
        "no-link",
        "unknown-placeholder",
        "no-link-text",
        "past",
        "unchanged",
    ],
)
def test_bad_notice_input_is_refused_with_a_message_and_typed_data_kept(
    legal_client, changes, message
):
    notice = NoticeFactory()
    data = notice_form(notice, title="Typed title kept", **changes)
    response = legal_client.post(reverse("admin:legal_notice_change", args=[notice.pk]), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'value="Typed title kept"' in html
    if changes.get("link_url"):
        assert f'value="{changes["link_url"]}"' in html
    assert notice.versions.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"phone": "call us"}, "Enter a phone number"),
        ({"name": ""}, "This field is required."),
    ],
)
def test_bad_publisher_input_is_refused_and_typed_data_kept(legal_client, changes, message):
    PublisherFactory()
    data = {
        "name": "Typed Name Ltd",
        "registered_office": "Typed street 1",
        "email": "legal@example.com",
        "phone": "",
        **changes,
    }
    response = legal_client.post(reverse("admin:legal_publisher_change", args=[1]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Typed street 1" in html
    assert Publisher.current().registered_office != "Typed street 1"


# Who may edit -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [JOURNALIST, EDITOR])
def test_newsroom_roles_cannot_edit_notices_or_legal_pages(client, role):
    notice = NoticeFactory(text="Original here.")
    page = LegalPage.objects.get()
    client.force_login(user_with_role(role))

    assert client.get(reverse("admin:legal_notice_change", args=[notice.pk])).status_code == 403
    response = client.post(
        reverse("admin:legal_notice_change", args=[notice.pk]),
        notice_form(notice, text="Hijacked here."),
    )
    assert response.status_code == 403
    response = client.post(
        reverse("admin:legal_legalpage_change", args=[page.pk]),
        {"title": "Hijacked", "slug": page.slug, "body": "Hijacked"},
    )
    assert response.status_code == 403
    assert notice.versions.get().text == "Original here."
    assert LegalPage.objects.get().title != "Hijacked"


def test_legal_edits_a_legal_page_and_readers_see_it_at_its_stable_url(
    legal_client, client, django_capture_on_commit_callbacks
):
    PublisherFactory()
    page = LegalPageFactory(slug="imprint", title="Imprint", footer_position=3)
    with django_capture_on_commit_callbacks(execute=True):
        response = legal_client.post(
            reverse("admin:legal_legalpage_change", args=[page.pk]),
            {
                "title": "Imprint",
                "slug": "imprint",
                "body": "**{publisher}**\n\n{registered_office}\n\nWrite to {email}.",
                "footer_position": "3",
            },
        )
    assert response.status_code == 302
    legal_client.logout()
    html = client.get("/legal/imprint/").content.decode()
    assert "<strong>Example Herald Media Ltd</strong>" in html
    assert "1 Harbour Street" in html
    assert "Write to licensing@example-news.com." in html


def test_unknown_placeholder_in_a_legal_page_is_refused(legal_client):
    page = LegalPageFactory()
    response = legal_client.post(
        reverse("admin:legal_legalpage_change", args=[page.pk]),
        {"title": page.title, "slug": page.slug, "body": "By {publishr}."},
    )
    assert response.status_code == 200
    assert "Unknown placeholder {publishr}" in response.content.decode()
    assert "By {publishr}." in response.content.decode()


# Publisher identity -----------------------------------------------------------------------


def test_opening_the_publisher_page_writes_nothing_until_legal_saves_it(legal_client, settings):
    change_url = reverse("admin:legal_publisher_change", args=[Publisher.SINGLETON_PK])
    assert not Publisher.objects.exists()

    response = legal_client.get(reverse("admin:legal_publisher_changelist"), follow=True)

    assert response.redirect_chain == [(change_url, 302)]
    assert response.status_code == 200
    form = response.context["adminform"].form
    # The settings defaults, shown for Legal to complete, are not saved by looking.
    assert form["name"].value() == settings.PUBLISHER_NAME
    assert form["email"].value() == f"legal@{settings.SITE_DOMAIN}"
    assert not Publisher.objects.exists()

    response = legal_client.post(
        change_url,
        {
            "name": "Example Herald Media Ltd",
            "registered_office": "1 Harbour Street",
            "email": "licensing@example-news.com",
            "phone": "",
        },
    )

    assert response.status_code == 302
    publisher = Publisher.objects.get()
    assert (publisher.pk, publisher.registered_office) == (1, "1 Harbour Street")


def test_a_staff_member_without_access_opening_the_publisher_page_writes_nothing(client):
    client.force_login(user_with_role(JOURNALIST))
    response = client.get(reverse("admin:legal_publisher_changelist"), follow=True)
    assert response.status_code == 403
    assert not Publisher.objects.exists()


def test_publisher_identity_comes_from_one_place(
    legal_client, client, django_capture_on_commit_callbacks
):
    PublisherFactory()
    NoticeFactory(text="Reuse needs the consent of {publisher}; details here.")
    article = ArticleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = legal_client.post(
            reverse("admin:legal_publisher_change", args=[1]),
            {
                "name": "Renamed Media S.A.",
                "registered_office": "2 Quay Road",
                "email": "rights@example-news.com",
                "phone": "+48 22 000 00 00",
            },
        )
    assert response.status_code == 302
    legal_client.logout()

    html = client.get(article.get_absolute_url()).content.decode()
    assert "consent of Renamed Media S.A.; details" in foot_notice(client, article)
    footer = html[html.index('class="site-footer"') :]
    assert "Renamed Media S.A." in footer and "2 Quay Road" in footer
    assert 'href="mailto:rights@example-news.com"' in footer
    policy = client.get("/legal/tdm-policy.json").json()
    assert policy["assigner"]["vcard:fn"] == "Renamed Media S.A."
    assert policy["assigner"]["vcard:hasEmail"] == "mailto:rights@example-news.com"
    from legal.identity import publisher

    assert publisher().name == "Renamed Media S.A."


def test_footer_links_the_legal_pages_on_every_page(client):
    NoticeFactory()
    LegalPageFactory(slug="terms", title="Terms of use", footer_position=1)
    LegalPageFactory(slug="imprint", title="Imprint", footer_position=2)
    LegalPageFactory(slug="internal-note", title="Not in footer")
    article = ArticleFactory()
    for url in ["/", "/news/", article.get_absolute_url(), "/legal/terms/"]:
        html = client.get(url).content.decode()
        footer = html[html.index('class="site-footer"') :]
        assert '<a href="/legal/terms/">Terms of use</a>' in footer, url
        assert '<a href="/legal/imprint/">Imprint</a>' in footer, url
        assert "Not in footer" not in footer, url


def test_legal_page_shows_the_notice_version_in_force(client):
    NoticeFactory(text="Old here.", effective_at=timezone.now() - dt.timedelta(days=30))
    NoticeFactory(text="Current here.")
    html = client.get("/legal/copyright-and-tdm/").content.decode()
    assert "Current <a" in html and "version 2" in html
    assert "Old here." not in html


# Article-foot overrides -------------------------------------------------------------------


def test_article_notice_precedence_is_article_then_section_then_site(client):
    NoticeFactory(text="Site notice here.")
    agency = NoticeFactory(
        kind=Notice.Kind.SYNDICATION,
        title="PAP terms",
        text="Agency story: PAP terms apply, see here.",
        link_url="https://www.pap.pl/regulamin",
    )
    wire = NoticeFactory(
        kind=Notice.Kind.SYNDICATION, title="Wire section", text="Wire section notice here."
    )
    plain = ArticleFactory()
    wire_section = SectionFactory(name="Wire", slug="wire", legal_notice=wire)
    in_wire = ArticleFactory(section=wire_section)
    overridden = ArticleFactory(section=wire_section, legal_notice=agency)

    assert "Site notice" in foot_notice(client, plain)
    assert "Wire section notice" in foot_notice(client, in_wire)
    shown = foot_notice(client, overridden)
    assert "PAP terms apply" in shown
    assert (
        '<a href="https://www.pap.pl/regulamin">here'
        '<span class="visually-hidden"> (full text: PAP terms)</span></a>' in shown
    )
    # The machine-readable reservation stays the site's.
    assert client.get(overridden.get_absolute_url())["tdm-reservation"] == "1"


def test_editor_sets_a_section_override_in_the_admin(client):
    NoticeFactory(text="Site notice here.")
    agency = NoticeFactory(
        kind=Notice.Kind.SYNDICATION, title="Agency terms", text="Agency terms apply here."
    )
    section = SectionFactory(name="Wire", slug="wire")
    article = ArticleFactory(section=section)
    client.force_login(user_with_role(EDITOR))
    response = client.post(
        reverse("admin:articles_section_change", args=[section.pk]),
        {"name": "Wire", "slug": "wire", "position": "0", "legal_notice": agency.pk},
    )
    assert response.status_code == 302
    assert "Agency terms apply" in foot_notice(client, article)


def test_override_rule_is_stated_to_editors():
    assert "Precedence: this article's notice, then its section's" in str(
        Article._meta.get_field("legal_notice").help_text
    )
    assert "An article's own notice wins" in str(Section._meta.get_field("legal_notice").help_text)


def test_article_page_queries_stay_constant_with_an_override(client, django_assert_max_num_queries):
    NoticeFactory()
    agency = NoticeFactory(kind=Notice.Kind.SYNDICATION, title="Agency", text="Agency here.")
    plain = ArticleFactory(lead_photo=PhotoFactory())
    overridden = ArticleFactory(lead_photo=PhotoFactory(), legal_notice=agency)
    BylineFactory(article=overridden)
    client.get("/")  # warm the legal cache

    with django_assert_max_num_queries(5) as plain_queries:
        client.get(plain.get_absolute_url())
    with django_assert_max_num_queries(5) as overridden_queries:
        response = client.get(overridden.get_absolute_url())
    assert len(plain_queries) == len(overridden_queries)
    assert "Agency <a" in response.content.decode()


# Demo content -----------------------------------------------------------------------------


def test_seed_demo_creates_the_legal_pages_publisher_and_reservation(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", stdout=StringIO())

    for slug in ["copyright-and-tdm", "terms", "privacy", "imprint"]:
        assert client.get(f"/legal/{slug}/").status_code == 200, slug
    html = client.get("/").content.decode()
    footer = html[html.index('class="site-footer"') :]
    assert footer.count('href="/legal/') == 4
    assert Publisher.objects.exists()
    assert client.get("/.well-known/tdmrep.json").json()[0]["tdm-reservation"] == 1


def test_a_notice_saved_by_another_worker_reaches_this_one_with_the_next_content_version(
    client,
):
    """Each gunicorn worker has its own local-memory cache; the shared content version that
    every commit bumps is what tells this worker its legal snapshot is stale."""
    from publishing.version import bump_version

    article = ArticleFactory()
    NoticeFactory(text="Old wording, details here.")
    assert "Old wording" in client.get(article.get_absolute_url()).content.decode()

    # Another worker's save: the rows change and the version is bumped, but this
    # worker's cache is never told to drop its snapshot.
    NoticeVersion.objects.update(text="New wording, details here.")
    bump_version()

    html = client.get(article.get_absolute_url()).content.decode()
    assert "New wording" in html and "Old wording" not in html


@pytest.mark.django_db(transaction=True)
def test_a_notice_read_inside_a_rolled_back_transaction_is_not_kept_for_later_requests(client):
    notice = NoticeFactory(text="Committed wording, details here.")
    article = ArticleFactory()
    assert "Committed wording" in foot_notice(client, article)

    with transaction.atomic():
        NoticeVersionFactory(notice=notice, text="Never committed, details here.")
        # The request inside the transaction sees its own rows...
        assert "Never committed" in foot_notice(client, article)
        transaction.set_rollback(True)

    # ...but once they are rolled back, no reader is shown them.
    html = foot_notice(client, article)
    assert "Committed wording" in html and "Never committed" not in html
