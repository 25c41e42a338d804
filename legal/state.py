"""Everything the public site needs from the legal app, read once and cached.

The TDM headers go on every response and the footer is on every page, so this
snapshot lives in the cache and costs no query per request. Saving a notice,
a page, the publisher or a crawler drops it at once and again on commit (so a
request that read the old rows mid-transaction cannot keep them). A snapshot
built inside a transaction is never stored: its rows may be rolled back. It
also expires when the next scheduled notice version comes into force.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from publishing.version import content_version

CACHE_KEY = "legal:state:v1"
MAX_AGE = 3600


@dataclass(frozen=True)
class LegalState:
    publisher: object
    # notice id -> NoticeVersion in force
    notices: dict = field(default_factory=dict)
    footer_pages: list = field(default_factory=list)
    allow_ai_search: bool = False
    allow_user_fetch: bool = False
    expires_at: datetime | None = None

    def site_notice(self, kind):
        for version in self.notices.values():
            if version.notice.kind == kind:
                return version
        return None


def build_state(at=None):
    from .identity import PublisherIdentity
    from .models import LegalPage, NoticeVersion, Publisher

    at = at or timezone.now()
    publisher = Publisher.current()
    notices = {}
    next_version = None
    # Every version in one query (a notice history is a handful of rows): the
    # newest effective one per notice is in force; the earliest future one
    # tells when this snapshot goes stale.
    versions = (
        NoticeVersion.objects.select_related("notice", "page")
        # Page bodies are not needed for links and would bloat every cache read.
        .defer("page__body", "page__body_html")
        .order_by("-effective_at", "-version")
    )
    for version in versions:
        if version.effective_at <= at:
            notices.setdefault(version.notice_id, version)
        else:
            next_version = version.effective_at
    return LegalState(
        publisher=PublisherIdentity.from_model(publisher),
        notices=notices,
        footer_pages=[
            (page.title, page.get_absolute_url())
            for page in LegalPage.objects.filter(footer_position__isnull=False).order_by(
                "footer_position", "title"
            )
        ],
        allow_ai_search=publisher.allow_ai_search,
        allow_user_fetch=publisher.allow_user_fetch,
        expires_at=next_version,
    )


def _cache_key():
    # Keyed on the shared content version, which every commit touching public data bumps
    # for all workers at once: a worker's local cache can never keep an old notice.
    return f"{CACHE_KEY}:{content_version()}"


# (cache key, state) last read by this process. A page asks for the state several
# times (headers, meta tags, footer, notice); unpickling it each time cost more than
# the rest of the legal work. The key carries the content version, so this copy is
# dropped by the same bump that drops the cached one. Inside a transaction it is
# neither used nor kept: the rows read there may yet be rolled back.
_local = (None, None)


def may_roll_back():
    """Whether rows read now may yet be rolled back: inside any atomic block."""
    return connection.in_atomic_block


def legal_state():
    global _local
    key = _cache_key()
    now = timezone.now()
    # No version (the cache is down): nothing tells when a copy goes stale, so no copy.
    local = not key.endswith(":None") and not may_roll_back()
    known_key, state = _local
    if local and known_key == key and not _expired(state, now):
        return state
    state = cache.get(key)
    if state is None or _expired(state, now):
        state = build_state(now)
        # As publishing.fragments.keep(): rows read inside a transaction may yet be rolled
        # back, and a rollback bumps no version, so the shared copy would stay wrong for
        # every worker until its timeout. Such a state is used for this call only.
        if not may_roll_back():
            timeout = MAX_AGE
            if state.expires_at is not None:
                timeout = max(1, min(MAX_AGE, int((state.expires_at - now).total_seconds()) + 1))
            cache.set(key, state, timeout)
    if local:
        _local = (key, state)
    return state


def _expired(state, now):
    return state.expires_at is not None and state.expires_at <= now


def invalidate_legal_state(**kwargs):
    global _local
    _local = (None, None)
    cache.delete(_cache_key())
    transaction.on_commit(lambda: cache.delete(_cache_key()))
