"""How the settings read the environment: typed values, the secret key, media origins.

Only newsroom/settings.py calls these; every setting is still read there, in one module.
"""

import os
import secrets
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def secret_key(var_dir, *, production):
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if production:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production.")
    # A local install generates its own key once and keeps it out of git, so
    # sessions survive restarts and no key is ever committed.
    key_file = var_dir / "secret_key"
    if not key_file.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def media_origins(media_url, bucket, custom_domain, endpoint_url, region):
    """The origins photos are served from when that is not this site (CSP img-src).

    An absolute MEDIA_URL names its own; with object storage the URLs are the CDN's custom
    domain, else the endpoint's, path style or virtual-hosted (bucket.host), or AWS's.
    """

    def origin(url):
        parts = urlsplit(url if "//" in url else f"https://{url}")
        return f"{parts.scheme}://{parts.netloc}"

    origins = []
    if media_url.startswith(("https://", "http://", "//")):
        origins.append(
            origin(media_url if not media_url.startswith("//") else "https:" + media_url)
        )
    if bucket and custom_domain:
        origins.append(origin(custom_domain))
    elif bucket and endpoint_url:
        parts = urlsplit(endpoint_url)
        origins += [origin(endpoint_url), f"{parts.scheme}://{bucket}.{parts.netloc}"]
    elif bucket:
        origins.append(f"https://{bucket}.s3.amazonaws.com")
        if region:
            origins.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    return list(dict.fromkeys(origins))
