"""robots.txt from the same configuration as the TDM reservation (RFC 9309).

Search engines are always allowed; AI crawlers are data (legal.Crawler), refused
by purpose: training while the reservation is on, AI search and user-triggered
fetches as the publisher decides. ../shared/STANDARDS.md section 3.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import Error as DatabaseFailure
from django.urls import reverse

from .identity import publisher
from .models import Crawler
from .state import legal_state
from .tdm import current_reservation


def refused_tokens(state=None, reservation=None):
    state = state or legal_state()
    reservation = reservation or current_reservation()
    refused_purposes = set()
    if reservation.reserved:
        refused_purposes.add(Crawler.Purpose.TRAINING)
    if not state.allow_ai_search:
        refused_purposes.add(Crawler.Purpose.AI_SEARCH)
    if not state.allow_user_fetch:
        refused_purposes.add(Crawler.Purpose.USER_FETCH)
    return list(
        Crawler.objects.filter(purpose__in=refused_purposes)
        .order_by("token")
        .values_list("token", flat=True)
    )


# Disallow before Allow: RFC 9309 picks the longest match, but simpler parsers
# (Python's urllib.robotparser among them) take the first rule that matches.


# The AI crawlers refused when the database cannot say which ones are (an outage in a
# worker that never served robots.txt): the tokens the legal app is seeded with.
FALLBACK_AI_CRAWLERS = (
    "GPTBot",
    "OAI-SearchBot",
    "ChatGPT-User",
    "ClaudeBot",
    "Claude-SearchBot",
    "Claude-User",
    "anthropic-ai",
    "Claude-Web",
    "Google-Extended",
    "Applebot-Extended",
    "CCBot",
    "PerplexityBot",
    "Perplexity-User",
    "meta-externalagent",
    "meta-externalfetcher",
    "Bytespider",
    "Amazonbot",
    "cohere-training-data-crawler",
    "GoogleOther",
    "Google-CloudVertexBot",
)
LAST_SERVED_KEY = "legal:robots-txt:last-served"
# The last robots.txt this process built: served as it was while the database is down.
_last_served = None


def robots_txt():
    """robots.txt from the legal state; during a database outage the last one served (by
    this process or, through the shared cache, another), else one refusing every known
    AI crawler. Never an error: a crawler that gets a 5xx for robots.txt may read the
    whole site as disallowed, or, after a while, as allowed."""
    global _last_served
    try:
        state = legal_state()
        reservation = current_reservation()
        text = _robots_txt(
            refused_tokens(state, reservation),
            reserved=reservation.reserved,
            allow_ai_search=state.allow_ai_search,
            site_url=publisher().url,
        )
    except DatabaseFailure:
        return _last_served or cache.get(LAST_SERVED_KEY) or fail_closed_robots_txt()
    if text != _last_served:
        _last_served = text
        cache.set(LAST_SERVED_KEY, text, None)
    return text


def fail_closed_robots_txt():
    return _robots_txt(
        sorted(FALLBACK_AI_CRAWLERS, key=str.lower),
        reserved=True,
        allow_ai_search=False,
        site_url=settings.SITE_URL,
    )


def forget_last_served():
    """As in a worker that has not served robots.txt yet (tests)."""
    global _last_served
    _last_served = None
    cache.delete(LAST_SERVED_KEY)


def _robots_txt(refused, *, reserved, allow_ai_search, site_url):
    lines = []
    if refused:
        lines.append("# AI crawlers refused by the publisher (see /.well-known/tdmrep.json)")
        lines += [f"User-agent: {token}" for token in refused]
        lines += ["Disallow: /", ""]
    lines.append("# Search engines may index everything readers can see.")
    lines += [f"User-agent: {engine}" for engine in Crawler.SEARCH_ENGINES]
    lines += ["Disallow: /admin/", "Allow: /", ""]
    lines.append("User-agent: *")
    if reserved:
        # IETF AIPREF draft and Cloudflare Content Signals: not standards yet, harmless.
        lines.append("Content-Usage: train-ai=n")
        signals = ["search=yes", "ai-train=no"]
        if not allow_ai_search:
            signals.append("ai-input=no")
        lines.append(f"Content-Signal: {', '.join(signals)}")
    lines += ["Disallow: /admin/", "Allow: /", ""]
    # RFC 9309 crawlers honour absolute Sitemap lines; this is the sitemap index.
    lines.append(f"Sitemap: {site_url}{reverse('sitemap-index')}")
    return "\n".join(lines) + "\n"
