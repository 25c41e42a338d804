"""An article's editorial state in words, read from `Article.state` (status plus the clock).

The admin's badge and status filter, the refusals in policies.py and the preview banner
all name a state from here, so none of them re-derives "scheduled" or "embargoed" from
the status and times on its own.
"""

from core.localtime import with_offset

from .models import Article

# The badge's words; its CSS class is `badge--<state>` (static/css/admin-workflow.css).
STATE_LABELS = {
    **dict(Article.Status.choices),
    "scheduled": "Scheduled",
    "embargoed": "Embargoed",
    "expired": "Expired",
}


def state_of(article):
    """`Article.state`; an article not saved yet is a draft."""
    return article.state if article.pk else Article.Status.DRAFT


def state_label(article):
    return STATE_LABELS[state_of(article)]


def state_sentence(article, write_time=with_offset):
    """The state with the moment that defines it, e.g. "Scheduled for Dec 5, 2026, 2:05 PM
    EST (UTC−05:00)"; `write_time` writes the moment (the public pages pass their own)."""
    state = state_of(article)
    label = STATE_LABELS[state]
    moment = {
        "scheduled": ("for", article.published_at),
        "embargoed": ("until", article.embargo_until),
        "expired": ("at", article.expire_at),
        Article.Status.PUBLISHED: ("at", article.goes_live_at),
    }.get(state)
    if moment is None or moment[1] is None:
        return label
    return f"{label} {moment[0]} {write_time(moment[1])}"


def readers_sentence(article):
    """What readers see of the article now, from the one visibility rule (`is_published`)."""
    if article.is_published:
        return "Readers can see it now."
    if state_of(article) in {Article.Status.UNPUBLISHED, "expired"}:
        return "Readers no longer see it."
    return "Readers cannot see it yet."
