"""Settings for the newsroom, all read from the environment in this one module.

Local defaults are safe for a developer's machine (SQLite, local-memory cache,
DEBUG off). `DJANGO_ENV=production` turns on every HTTPS-only protection and
refuses to start without a real SECRET_KEY; `manage.py check --deploy` is clean
in that mode.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

from .env import env_bool, env_list, media_origins, secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NEWSROOM_VAR_DIR", BASE_DIR / "var"))


PRODUCTION = os.environ.get("DJANGO_ENV", "local") == "production"
DEBUG = env_bool("DEBUG", default=False)


SECRET_KEY = secret_key(VAR_DIR, production=PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The publisher's identity, used by templates, feeds, structured data and the
# legal notices.
SITE_NAME = os.environ.get("SITE_NAME", "The Example Herald")
SITE_DOMAIN = os.environ.get("SITE_DOMAIN", "example-news.com")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_LANGUAGE = os.environ.get("SITE_LANGUAGE", "en")
PUBLISHER_NAME = os.environ.get("PUBLISHER_NAME", "Example Herald Media")

INSTALLED_APPS = [
    "core.admin_site.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "taggit",
    "legal",
    "media",
    "articles",
    "publishing",
    "desk",
    "core",
    "ops",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "staff",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # First after security: static files are served even when the database is down.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Needs no query on a warm cache, and fails closed (reserved) when the database is down.
    "legal.middleware.TdmReservationMiddleware",
    # A page cache hit skips every middleware below it.
    "publishing.middleware.PageCacheMiddleware",
    # Below the page cache (cached pages outlive an outage): a lost database is a 503.
    "ops.outage.DatabaseOutageMiddleware",
    "publishing.fragments.FragmentCacheSnapshotMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "staff.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
                "articles.context_processors.navigation",
                "legal.context_processors.legal",
            ],
        },
    },
]

# SQLite is the embedded default; DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'newsroom.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
SQLITE_OPTIONS = {
    # Writers take the lock at BEGIN, so a reader-turned-writer never hits
    # "database is locked" halfway through a transaction.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA busy_timeout=20000;"
        "PRAGMA foreign_keys=ON;"
    ),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Persistent connections (CONN_MAX_AGE above) matter more for SQLite than they
    # seem: a new connection runs the PRAGMAs and starts with an empty page cache,
    # which cost an uncached article page a third of its time. Between requests an
    # idle connection holds no lock and no snapshot (autocommit), so writers and
    # WAL checkpoints are not held up.
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL and os.environ.get("PYTEST_XDIST_WORKER"):
    # Each parallel test worker gets its own Redis database, so one worker
    # flushing its cache never empties another's.
    _base, _, _db = REDIS_URL.rpartition("/")
    _db = int(_db) if _db.isdigit() else 0
    REDIS_URL = f"{_base}/{_db + 1 + int(os.environ['PYTEST_XDIST_WORKER'][2:])}"
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache that serves from the database when Redis is down.
            "BACKEND": "publishing.cache_backends.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
            # Short timeouts: a dead Redis costs readers milliseconds, not seconds.
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
            # Per worker process: about 30 KB a page, so ~60 MB at most by default.
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "2000"))},
        }
    }

# Template fragments (navigation, footer, article cards) live in each process's memory
# whatever the default cache: keys carry the shared content version (publishing/fragments.py).
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "newsroom-fragments",
    "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("FRAGMENT_CACHE_MAX_ENTRIES", "5000"))},
}
FRAGMENT_CACHE_ENABLED = env_bool("FRAGMENT_CACHE", default=True)
FRAGMENT_CACHE_TTL = int(os.environ.get("FRAGMENT_CACHE_TTL", "600"))

# Listings page through at most this many pages (core/pagination.py).
LISTING_MAX_PAGES = int(os.environ.get("LISTING_MAX_PAGES", "100"))

# Full-page cache for anonymous readers (publishing/middleware.py, docs/deploy.md); its
# deadlines (go-live, expiry, rights end, notices) are registered by the apps.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", default=True)
PAGE_CACHE_TTL = int(os.environ.get("PAGE_CACHE_TTL", "600"))
PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", "30"))
PAGE_CACHE_S_MAXAGE = int(os.environ.get("PAGE_CACHE_S_MAXAGE", "60"))
PAGE_CACHE_STALE_WHILE_REVALIDATE = int(os.environ.get("PAGE_CACHE_STALE_WHILE_REVALIDATE", "30"))
PAGE_CACHE_STALE_IF_ERROR = int(os.environ.get("PAGE_CACHE_STALE_IF_ERROR", "300"))
PAGE_CACHE_EXCLUDED_PATHS = ("/admin/", "/preview/", "/accounts/", "/staff/")
# With the local-memory cache the version is shared by the host's workers through this file.
PAGE_CACHE_VERSION_FILE = VAR_DIR / (
    f"page-cache-version-{os.environ['PYTEST_XDIST_WORKER']}"
    if os.environ.get("PYTEST_XDIST_WORKER")
    else "page-cache-version"
)

# Staff sign-in (staff/): lockout after failed passwords, a working day's session and
# two-factor codes for the roles that can publish or change everything.
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out login is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Per username and address (IPv6: its /64): a stranger guessing an editor's password locks
# out only themselves. Past a higher count of failures for the username from anywhere
# (many addresses), the username itself is locked for the cool-off (staff/lockout.py).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_USERNAME_FAILURE_LIMIT = int(os.environ.get("LOGIN_USERNAME_FAILURE_LIMIT", "20"))
AXES_FAILURE_LIMIT = "staff.lockout.failure_limit"
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "staff.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "staff.lockout.client_ip"
# Reverse proxies in front of the app that append the address they saw to X-Forwarded-For
# and set X-Forwarded-Proto. 0: neither header is believed, anyone could send them.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT") or "0")
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_AGE = int(float(os.environ.get("SESSION_HOURS", "10")) * 60 * 60)
# Who must sign in with a code: group names, and `superuser` for every superuser.
OTP_REQUIRED_ROLES = env_list(
    "OTP_REQUIRED_ROLES", ["superuser", "Editor"] if PRODUCTION else []
)
OTP_TOTP_ISSUER = SITE_NAME

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en-us")
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True
# Django's own date-time format in the admin carries the zone (core/formats/en/formats.py).
FORMAT_MODULE_PATH = ["core.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Absolute (https://cdn.example-news.com/uploads/) when a CDN serves the app's own uploads.
MEDIA_URL = os.environ.get("MEDIA_URL", "/uploads/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "uploads"))
# Embedded installs serve uploads from the app; a scale-out install points
# MEDIA_URL at object storage or a CDN and turns this off.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=not AWS_STORAGE_BUCKET_NAME)

# Browsers and CDNs keep a rendition this long at most, and never past its photo's rights
# (media/rights.py). A day, not a year: a rights' end set later reaches copies cached before.
RENDITION_CACHE_MAX_AGE = int(os.environ.get("RENDITION_CACHE_MAX_AGE", 86400))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if env_bool("PLAIN_STATIC_STORAGE")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
if AWS_STORAGE_BUCKET_NAME:
    # Scale-out: uploads and renditions in S3-compatible object storage, so app
    # servers keep no files and any number of them can run behind a load balancer.
    # Credentials come from the standard AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
    # variables (or an instance role), read by boto3 itself.
    STORAGES["default"] = {
        # S3Storage that caps each rendition's Cache-Control at its photo's rights.
        "BACKEND": "media.storage.PhotoS3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "location": os.environ.get("AWS_S3_LOCATION", "uploads"),
            # Public photos: plain URLs a CDN can cache, no expiring signatures.
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {
                "CacheControl": f"public, max-age={RENDITION_CACHE_MAX_AGE}"
            },
        },
    }
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0

FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Photo uploads: bytes per file, and pixels checked from the header before decoding
# (a decompression bomb is refused without allocating its memory).
PHOTO_MAX_UPLOAD_BYTES = int(os.environ.get("PHOTO_MAX_UPLOAD_BYTES", 30 * 1024 * 1024))
PHOTO_MAX_PIXELS = int(os.environ.get("PHOTO_MAX_PIXELS", 60_000_000))
# One bulk upload (media.forms.BulkUploadForm): at most this many files and pixels in all.
# Photos are decoded one at a time, so memory is bounded by one photo, time by these.
PHOTO_BULK_MAX_FILES = int(os.environ.get("PHOTO_BULK_MAX_FILES", 20))
PHOTO_BULK_MAX_PIXELS = int(os.environ.get("PHOTO_BULK_MAX_PIXELS", 1_200_000_000))
# Django refuses requests with more files outright (400); up to it, the form says why.
DATA_UPLOAD_MAX_NUMBER_FILES = 2 * PHOTO_BULK_MAX_FILES
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760

# Security headers. Everything that does not need HTTPS is on everywhere.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
CROSS_ORIGIN_RESOURCE_POLICY = "same-site"


# Content Security Policy (django-csp 4): no inline script, no remote assets but photos.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": [
            "'self'",
            "data:",
            *media_origins(
                MEDIA_URL,
                AWS_STORAGE_BUCKET_NAME,
                os.environ.get("AWS_S3_CUSTOM_DOMAIN", ""),
                os.environ.get("AWS_S3_ENDPOINT_URL", ""),
                os.environ.get("AWS_S3_REGION_NAME", ""),
            ),
        ],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
        "manifest-src": ["'self'"],
    }
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    TEMPLATES[0]["APP_DIRS"] = False
    TEMPLATES[0]["OPTIONS"]["loaders"] = [
        (
            "django.template.loaders.cached.Loader",
            [
                "django.template.loaders.filesystem.Loader",
                "django.template.loaders.app_directories.Loader",
            ],
        )
    ]

TAGGIT_CASE_INSENSITIVE = True

# Reader's site: search, feeds and sitemaps (articles/search/, feeds.py, sitemaps.py).
# PostgreSQL text search configuration (stemming and stop words) for the search index.
SEARCH_CONFIG = os.environ.get("SEARCH_CONFIG", "english")
# Feeds carry the full article text when on, otherwise the lead only.
FEED_FULL_TEXT = env_bool("FEED_FULL_TEXT", default=False)
# Google News sitemap: the publication's name exactly as registered with Google News.
NEWS_PUBLICATION_NAME = os.environ.get("NEWS_PUBLICATION_NAME", SITE_NAME)

# E-mail (desk/notifications.py). Local runs print mail on the console, so `scripts/serve`
# shows each notification; setting EMAIL_HOST sends through that SMTP server.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 587 if env_bool("EMAIL_USE_TLS", True) else 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
# Mail is sent while the editor waits for the page: a hung server must not hold it long.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", 10))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <newsroom@{SITE_DOMAIN}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
