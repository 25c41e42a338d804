"""robots.txt from the same configuration as the TDM reservation (RFC 9309).

Search engines are always allowed; AI crawlers are data (legal.Crawler), refused
by purpose: training while the reservation is on, AI search and user-triggered
fetches as the publisher decides. ../shared/STANDARDS.md section 3.
"""

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


def robots_txt():
    state = legal_state()
    reservation = current_reservation()
    lines = []
    refused = refused_tokens(state, reservation)
    if refused:
        lines.append("# AI crawlers refused by the publisher (see /.well-known/tdmrep.json)")
        lines += [f"User-agent: {token}" for token in refused]
        lines += ["Disallow: /", ""]
    lines.append("# Search engines may index everything readers can see.")
    lines += [f"User-agent: {engine}" for engine in Crawler.SEARCH_ENGINES]
    lines += ["Disallow: /admin/", "Allow: /", ""]
    lines.append("User-agent: *")
    if reservation.reserved:
        # IETF AIPREF draft and Cloudflare Content Signals: not standards yet, harmless.
        lines.append("Content-Usage: train-ai=n")
        signals = ["search=yes", "ai-train=no"]
        if not state.allow_ai_search:
            signals.append("ai-input=no")
        lines.append(f"Content-Signal: {', '.join(signals)}")
    lines += ["Disallow: /admin/", "Allow: /", ""]
    # RFC 9309 crawlers honour absolute Sitemap lines; this is the sitemap index.
    lines.append(f"Sitemap: {publisher().url}{reverse('sitemap-index')}")
    return "\n".join(lines) + "\n"
