"""The TDM reservation, machine-readable: tdmrep.json, policy, headers and meta, all identical.

TDMRep: https://www.w3.org/community/reports/tdmrep/CG-FINAL-tdmrep-20240510/
"""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.roles import LEGAL
from legal.models import Notice
from legal.tdm import current_reservation

from .factories import (
    ArticleFactory,
    NoticeFactory,
    PhotoFactory,
    PublisherFactory,
    SectionFactory,
    UserFactory,
    jpeg_bytes,
    user_with_role,
)

pytestmark = pytest.mark.django_db

POLICY_URL = "http://127.0.0.1:8000/legal/tdm-policy.json"


@pytest.fixture
def site(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    PublisherFactory()
    NoticeFactory()
    section = SectionFactory(name="World", slug="world")
    article = ArticleFactory(section=section, lead_photo=PhotoFactory())
    return {"article": article, "section": section}


def meta_content(html, name):
    found = re.findall(rf'<meta name="{name}" content="([^"]*)">', html)
    return found


def public_urls(site):
    return [
        reverse("articles:home"),
        site["section"].get_absolute_url(),
        site["article"].get_absolute_url(),
    ]


def test_tdmrep_json_is_an_array_of_rules_covering_the_site(client, site):
    response = client.get("/.well-known/tdmrep.json")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    rules = json.loads(response.content)
    assert isinstance(rules, list)
    assert rules == [{"location": "/", "tdm-reservation": 1, "tdm-policy": POLICY_URL}]


def test_policy_is_an_odrl_offer_naming_the_publisher_and_the_human_page(client, site):
    response = client.get(POLICY_URL.removeprefix("http://127.0.0.1:8000"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    policy = json.loads(response.content)
    assert policy["@context"] == [
        "http://www.w3.org/ns/odrl.jsonld",
        "http://www.w3.org/ns/tdmrep.jsonld",
    ]
    assert policy["@type"] == "Offer"
    assert policy["profile"] == "http://www.w3.org/ns/tdmrep"
    assert policy["uid"].startswith(POLICY_URL)
    assigner = policy["assigner"]
    assert assigner["vcard:fn"] == "Example Herald Media Ltd"
    assert assigner["vcard:hasEmail"] == "mailto:licensing@example-news.com"
    assert assigner["vcard:hasTelephone"] == "tel:+48221234567"
    assert "1 Harbour Street" in assigner["vcard:hasAddress"]["vcard:street-address"]
    assert policy["permission"] == [{"action": "tdm:mine", "duty": [{"action": "obtainConsent"}]}]


def test_policy_url_is_the_page_the_article_notice_links_to_as_here(client, site):
    policy = client.get("/legal/tdm-policy.json").json()
    html = client.get(site["article"].get_absolute_url()).content.decode()
    notice = html[html.index('class="legal-notice"') :]
    here = re.search(r'<a href="([^"]+)">here<span class="visually-hidden">', notice)[1]

    assert policy["assigner"]["vcard:hasURL"] == f"http://127.0.0.1:8000{here}"
    assert client.get(here).status_code == 200


def test_headers_and_meta_agree_on_home_section_and_article_pages(client, site):
    for url in public_urls(site):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert response["tdm-reservation"] == "1", url
        assert response["tdm-policy"] == POLICY_URL, url
        head = html[: html.index("</head>")]
        assert meta_content(head, "tdm-reservation") == ["1"], url
        assert meta_content(head, "tdm-policy") == [POLICY_URL], url


def test_headers_are_on_non_html_responses_too(client, site):
    photo = site["article"].lead_photo
    for url in ["/robots.txt", "/.well-known/tdmrep.json", POLICY_URL[21:], photo.fallback_url]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["tdm-reservation"] == "1", url
        assert response["tdm-policy"] == POLICY_URL, url
    assert client.head(site["article"].get_absolute_url())["tdm-reservation"] == "1"


def test_the_admin_is_not_public_and_gets_no_tdm_headers(client, site):
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "tdm-reservation" not in response.headers


def test_headers_cost_no_query_once_the_reservation_is_cached(
    client, site, django_assert_num_queries
):
    client.get("/robots.txt")  # fills the cache
    with django_assert_num_queries(0):
        response = client.get("/.well-known/tdmrep.json")
    assert response["tdm-reservation"] == "1"


def test_without_a_copyright_notice_nothing_is_reserved(client, settings):
    ArticleFactory()
    response = client.get(reverse("articles:home"))

    assert response["tdm-reservation"] == "0"
    assert "tdm-policy" not in response.headers
    assert meta_content(response.content.decode(), "tdm-reservation") == ["0"]
    assert meta_content(response.content.decode(), "tdm-policy") == []
    assert client.get("/.well-known/tdmrep.json").json() == [
        {"location": "/", "tdm-reservation": 0}
    ]
    assert client.get("/legal/tdm-policy.json").status_code == 404
    assert current_reservation().reserved is False


def notice_form(notice, **changes):
    version = notice.versions.order_by("-version").first()
    data = {
        "kind": notice.kind,
        "title": notice.title,
        "text": version.text,
        "link_text": version.link_text,
        "page": version.page_id or "",
        "link_url": version.link_url,
        "effective_at_0": "",
        "effective_at_1": "",
    }
    if version.reserves_tdm:
        data["reserves_tdm"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_lifting_the_reservation_in_the_admin_flips_every_layer_at_once_and_keeps_history(
    client, site, django_capture_on_commit_callbacks
):
    notice = Notice.objects.get(kind=Notice.Kind.COPYRIGHT)
    article_url = site["article"].get_absolute_url()
    assert client.get(article_url)["tdm-reservation"] == "1"  # cached now
    old_text = notice.versions.get().text

    client.force_login(user_with_role(LEGAL))
    lifted_text = "Content on this site may be mined freely; see the details here."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:legal_notice_change", args=[notice.pk]),
            notice_form(notice, text=lifted_text, reserves_tdm=None),
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.logout()

    for url in [*public_urls(site), "/robots.txt", site["article"].lead_photo.fallback_url]:
        response = client.get(url)
        assert response["tdm-reservation"] == "0", url
        assert "tdm-policy" not in response.headers, url
    html = client.get(article_url).content.decode()
    assert meta_content(html, "tdm-reservation") == ["0"]
    assert meta_content(html, "tdm-policy") == []
    assert lifted_text.removesuffix("here.") in html
    assert client.get("/.well-known/tdmrep.json").json()[0]["tdm-reservation"] == 0
    assert client.get("/legal/tdm-policy.json").status_code == 404
    robots = client.get("/robots.txt").content.decode()
    assert "User-agent: GPTBot" not in robots
    assert "train-ai=n" not in robots

    # The old wording stays, read-only, as history.
    assert [v.text for v in notice.versions.order_by("version")] == [old_text, lifted_text]
    client.force_login(user_with_role(LEGAL, username="counsel"))
    history = client.get(reverse("admin:legal_notice_change", args=[notice.pk])).content.decode()
    assert "v1" in history and "v2" in history
    assert "requires prior and explicit consent" in history


def test_photo_rendition_served_by_the_app_carries_the_headers(client, site):
    client.force_login(UserFactory(is_superuser=True))
    client.post(
        reverse("admin:media_photo_add"),
        {
            "image": SimpleUploadedFile("x.jpg", jpeg_bytes(), content_type="image/jpeg"),
            "alt_text": "A harbour",
            "agency": "PAP",
        },
    )
    client.logout()
    from media.models import Photo

    response = client.get(Photo.objects.latest().fallback_url)
    assert response.status_code == 200
    assert response["tdm-reservation"] == "1"
    assert response["tdm-policy"] == POLICY_URL
