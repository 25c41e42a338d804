"""Settings switches for scale-out, checked in a fresh interpreter (no network)."""

import json
import os
import subprocess
import sys

from django.conf import settings

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import default_storage
print(json.dumps({
    "backend": settings.STORAGES["default"]["BACKEND"],
    "url": default_storage.url("photos/2026/11/harbour.jpg"),
    "serve_media": settings.SERVE_MEDIA,
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_options": settings.CACHES["default"].get("OPTIONS", {}),
    "loaders": settings.TEMPLATES[0]["OPTIONS"].get("loaders"),
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "img_src": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"],
}))
"""


def settings_with(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "REDIS", "DJANGO"))}
    clean.pop("PYTEST_XDIST_WORKER", None)
    result = subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "-c", PROBE],
        env={**clean, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_uploads_go_to_s3_compatible_storage_when_a_bucket_is_configured():
    probe = settings_with(
        AWS_STORAGE_BUCKET_NAME="newsroom-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.net",
        AWS_S3_CUSTOM_DOMAIN="media.example-news.com",
    )
    # django-storages' S3Storage, capping each rendition's cache lifetime at its rights.
    assert probe["backend"] == "media.storage.PhotoS3Storage"
    assert probe["url"] == "https://media.example-news.com/uploads/photos/2026/11/harbour.jpg"
    assert probe["serve_media"] is False
    # Pages may show the photos from where they are served.
    assert probe["img_src"] == ["'self'", "data:", "https://media.example-news.com"]


def test_uploads_stay_on_the_local_disk_by_default():
    probe = settings_with()
    assert probe["backend"] == "django.core.files.storage.FileSystemStorage"
    assert probe["serve_media"] is True
    assert probe["cache"] == "django.core.cache.backends.locmem.LocMemCache"


def test_redis_url_selects_the_resilient_redis_cache_with_short_timeouts():
    probe = settings_with(REDIS_URL="redis://127.0.0.1:6379/3")
    assert probe["cache"] == "publishing.cache_backends.ResilientRedisCache"
    assert probe["cache_options"]["socket_connect_timeout"] <= 0.5


def test_production_uses_the_cached_template_loader():
    probe = settings_with(DJANGO_ENV="production", SECRET_KEY="x" * 50)
    assert probe["loaders"][0][0] == "django.template.loaders.cached.Loader"
    assert probe["ssl_redirect"] is True
