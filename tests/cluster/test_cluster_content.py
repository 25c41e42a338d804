"""What readers get from the cluster: app servers that agree, photos from the object store,
and an edge cache that is never early and never late.

Every change goes through app server A's admin, as an editor signed in with a two-factor
code; every look is through app server B or through nginx, as an anonymous reader.
"""

import datetime as dt
import io
import math
import re
import secrets
import time
import zoneinfo

import boto3
import pytest
from PIL import Image

from scripts.cluster_lib import BUCKET

from .client import get, max_ages, shell, wait_until

pytestmark = pytest.mark.cluster

NEWSROOM_ZONE = zoneinfo.ZoneInfo("America/New_York")  # the cluster's TIME_ZONE (default)


def approved_article(cluster, headline, **fields):
    """An approved story with a byline, ready for an editor to publish or schedule."""
    extra = "".join(f", {name}={value}" for name, value in fields.items())
    return shell(
        cluster,
        f"""
import json, datetime as dt
from django.utils import timezone
from articles.models import Article
from tests.factories import DraftArticleFactory
article = DraftArticleFactory(
    status=Article.Status.APPROVED, headline={headline!r}, slug={slug(headline)!r}{extra}
)
print(json.dumps({{"pk": article.pk, "path": f"/{{article.section.slug}}/{{article.slug}}/"}}))
""",
    )


def slug(words):
    """Factory sequences restart in every `manage.py shell`: slugs of our own, never reused."""
    return re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-") + "-" + secrets.token_hex(3)


def jpeg(width=1000, height=600):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 110, 160)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def local_fields(prefix, moment):
    local = moment.astimezone(NEWSROOM_ZONE)
    return {f"{prefix}_0": local.strftime("%Y-%m-%d"), f"{prefix}_1": local.strftime("%H:%M:%S")}


def upload_photo(editor, **changes):
    """A photo uploaded through the admin's add form; returns its primary key."""
    answer = editor.submit(
        "/admin/media/photo/add/",
        {
            "alt_text": "Boats in the harbour at dawn",
            "caption": "The harbour at dawn.",
            "agency": "PAP",
            "photographer": "Cluster Photographer",
            "_continue": "1",
            **changes,
        },
        files={"image": ("harbour.jpg", jpeg())},
    )
    assert answer.status == 302, answer.text[:3000]
    return int(re.search(r"/photo/(\d+)/change/", answer.header("location")).group(1))


def use_as_lead_photo(editor, article, photo_pk):
    answer = editor.submit(
        f"/admin/articles/article/{article['pk']}/change/", {"lead_photo": str(photo_pk)}
    )
    assert answer.status == 302, answer.text[:3000]


def publish(editor, article):
    answer = editor.submit(f"/admin/articles/article/{article['pk']}/workflow/publish/")
    assert answer.status == 302, answer.text[:3000]


def rendition_urls(html, cluster, photo_pk):
    pattern = rf"{re.escape(cluster.s3)}/{BUCKET}/uploads/renditions/{photo_pk}/[^\s\"',]+"
    return sorted(set(re.findall(pattern, html)))


def store(cluster):
    return boto3.client(
        "s3",
        endpoint_url=cluster.s3,
        region_name="us-east-1",
        aws_access_key_id="cluster",
        aws_secret_access_key="cluster",
    )


def test_a_story_published_through_a_is_on_bs_next_response(cluster, editor_on_a):
    article = approved_article(cluster, "Harbour bridge opens to traffic")
    b = cluster.app("b")
    # B has the home page and the story's 404 in the shared page cache.
    for _ in range(2):
        assert "Harbour bridge opens" not in get(b + "/").text
        assert get(b + article["path"]).status == 404

    publish(editor_on_a, article)

    page = get(b + article["path"])
    assert page.status == 200
    assert "Harbour bridge opens to traffic" in page.text
    assert "Harbour bridge opens to traffic" in get(b + "/").text


def test_a_photo_uploaded_through_a_is_served_from_the_store_on_bs_pages(cluster, editor_on_a):
    photo_pk = upload_photo(editor_on_a)
    article = approved_article(cluster, "Dawn over the harbour")
    use_as_lead_photo(editor_on_a, article, photo_pk)
    publish(editor_on_a, article)

    page = get(cluster.app("b") + article["path"])
    assert page.status == 200
    urls = rendition_urls(page.text, cluster, photo_pk)
    assert len(urls) >= 4, page.text[:3000]
    # The page allows the store's origin for images (the CSP used to block it).
    img_src = re.search(r"img-src ([^;]+)", page.header("content-security-policy")).group(1)
    assert cluster.s3 in img_src.split()
    for url in urls:  # anyone may fetch a rendition, straight from the store
        answer = get(url)
        assert answer.status == 200, url
        assert answer.header("content-type").startswith("image/")
        assert max_ages(answer.header("cache-control"))["max-age"] <= 86400

    # The original is in the store, not on an app server's disk, and nobody reads it there.
    original = shell(
        cluster,
        f"import json; from media.models import Photo; print(json.dumps(Photo.objects.get(pk={photo_pk}).image.name))",
    )
    assert store(cluster).head_object(Bucket=BUCKET, Key=f"uploads/{original}")["ContentLength"] > 0
    assert not (cluster.dir / "app" / "uploads").exists()
    assert get(f"{cluster.s3}/{BUCKET}/uploads/{original}").status == 403


def test_a_photo_leaves_every_page_and_cache_when_its_rights_end(cluster, editor_on_a):
    end = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(seconds=20)
    photo_pk = upload_photo(editor_on_a, **local_fields("rights_expire_at", end))
    article = approved_article(cluster, "Regatta crowds line the quay")
    use_as_lead_photo(editor_on_a, article, photo_pk)
    publish(editor_on_a, article)

    readers = [cluster.app("b") + article["path"], cluster.edge + article["path"]]
    for url in readers:
        page = get(url)
        left = end.timestamp() - time.time()  # as the header reaches the reader
        urls = rendition_urls(page.text, cluster, photo_pk)
        assert urls, url
        if page.header("x-cache", "MISS") == "MISS":  # the app's header (else no-cache)
            ages = max_ages(page.header("cache-control"))
            assert ages["max-age"] <= left
            assert ages["s-maxage"] + ages["stale-while-revalidate"] <= left
            assert ages["s-maxage"] + ages["stale-if-error"] <= left
        else:
            assert page.header("cache-control") == "public, no-cache"
    for url in urls:  # each rendition object expires with the rights, however late fetched
        answer = get(url)
        assert answer.status == 200
        assert answer.header("cache-control") == "public"  # no max-age counting from the fetch
        assert answer.header("expires") == end.strftime("%a, %d %b %Y %H:%M:%S GMT")

    wait_until(lambda: time.time() >= end.timestamp(), timeout=30)
    for url in readers:  # from the first second on, no page names the photo
        page = get(url)
        assert page.status == 200
        assert f"renditions/{photo_pk}/" not in page.text, url

    # The every-minute job deletes the files: the store stops answering for them.
    assert "withdrawn for 1 photo" in cluster.manage("withdraw_expired_photos")
    for url in urls:
        assert get(url).status in (403, 404), url


def test_a_scheduled_story_appears_through_nginx_on_its_second(cluster, editor_on_a):
    going_live = approved_article(cluster, "Tide tables for the winter season")
    # The moment both changes happen, a few seconds ahead, on a whole second.
    moment = math.ceil(time.time()) + 9
    at = dt.datetime.fromtimestamp(moment, dt.UTC)
    leaving = shell(
        cluster,
        f"""
import json, datetime as dt
from tests.factories import ArticleFactory
article = ArticleFactory(headline="Ferry timetable until the storm", slug={slug("ferry")!r},
                         expire_at=dt.datetime.fromtimestamp({moment}, dt.UTC))
print(json.dumps({{"pk": article.pk, "path": f"/{{article.section.slug}}/{{article.slug}}/"}}))
""",
    )
    answer = editor_on_a.submit(
        f"/admin/articles/article/{going_live['pk']}/workflow/schedule/", local_fields("at", at)
    )
    assert answer.status == 302, answer.text[:3000]

    pages = {
        "home": "/",
        "going_live": going_live["path"],
        "leaving": leaving["path"],
    }
    seen = []
    while time.time() < moment + 2:
        for name, path in pages.items():
            sent = time.time()
            page = get(cluster.edge + path)
            seen.append((name, sent, time.time(), page))
        time.sleep(0.02)

    def shows(name, page):
        if name == "home":
            return "Tide tables for the winter season" in page.text
        if name == "going_live":
            return page.status == 200
        return page.status == 200 and "Ferry timetable" in page.text

    hits = sum(page.header("x-cache") == "HIT" for _n, _s, _r, page in seen)
    assert hits > len(seen) / 2  # the edge did cache, and still:
    for name, sent, received, page in seen:
        if received < moment:  # never early, and no cache may keep it past the change
            assert shows(name, page) == (name == "leaving"), (name, sent, page.header("x-cache"))
            control = page.header("cache-control")
            if page.header("x-cache") in ("MISS", "EXPIRED"):  # the app's header, just made
                ages = max_ages(control)
                assert sent + ages["max-age"] <= moment
                assert sent + ages["s-maxage"] + ages["stale-while-revalidate"] <= moment
            else:  # a copy from the edge's cache: browsers must ask again
                assert control == "public, no-cache", (name, page.header("x-cache"), control)
        elif sent >= moment:  # from the second itself, never late
            assert shows(name, page) == (name != "leaving"), (name, sent, page.header("x-cache"))


@pytest.mark.browser
def test_a_browser_shows_the_stores_photos_under_the_content_security_policy(cluster, editor_on_a):
    """Chromium loads the page through nginx and the lead photo from the store's own origin;
    the strict CSP reports nothing (it used to block the documented media domain)."""
    from playwright.sync_api import sync_playwright

    from tests.test_workflow_browser import CHROMIUM_ARGS

    photo_pk = upload_photo(editor_on_a)
    article = approved_article(cluster, "Lighthouse keepers return")
    use_as_lead_photo(editor_on_a, article, photo_pk)
    publish(editor_on_a, article)
    shots = cluster.dir.parent.parent / "test-artifacts" / "cluster"
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        try:
            for width in (1280, 390):
                page = browser.new_page(viewport={"width": width, "height": 900})
                refused = []
                page.on(
                    "console",
                    lambda message, refused=refused: (
                        refused.append(message.text)
                        if "Content Security Policy" in message.text
                        else None
                    ),
                )
                page.goto(cluster.edge + article["path"], wait_until="load")
                lead = page.locator(f"img[src*='/renditions/{photo_pk}/']").first
                assert lead.get_attribute("src").startswith(cluster.s3 + "/")
                assert lead.evaluate("img => img.complete && img.naturalWidth") > 0
                assert refused == []
                page.screenshot(path=str(shots / f"article-{width}.png"), full_page=True)
                page.close()
        finally:
            browser.close()
