"""What the clock does to a published article, written once.

A published article is live unless one of these rules holds, checked in this order:
its expiry has passed, its embargo has not ended, its publication time is still ahead.
`published()`, the admin's state filter (`in_state`), the state badge (`Article.state`),
`is_published` and the next moment a cache must end (`next_visibility_change`) all read
these rules, as SQL conditions or on one loaded article, so they cannot disagree.
"""

from dataclasses import dataclass

from django.db.models import Q

from .status import ArticleStatus


@dataclass(frozen=True)
class ClockRule:
    state: str
    field: str
    # Whether the rule holds while the field's moment is still ahead (an embargo, a
    # schedule) or once it has passed (an expiry).
    while_ahead: bool
    # Whether a published article may leave the field empty (the rule then never holds).
    nullable: bool = True

    def holds_q(self, at):
        lookup = "gt" if self.while_ahead else "lte"
        return Q(**{f"{self.field}__{lookup}": at})

    def clear_q(self, at):
        lookup = "lte" if self.while_ahead else "gt"
        clear = Q(**{f"{self.field}__{lookup}": at})
        return Q(**{f"{self.field}__isnull": True}) | clear if self.nullable else clear

    def holds(self, article, at):
        moment = getattr(article, self.field)
        if moment is None:
            return False
        return moment > at if self.while_ahead else moment <= at


CLOCK_RULES = (
    ClockRule("expired", "expire_at", while_ahead=False),
    ClockRule("embargoed", "embargo_until", while_ahead=True),
    # A published article always has a publication time (a check constraint says so).
    ClockRule("scheduled", "published_at", while_ahead=True, nullable=False),
)
CLOCK_STATES = tuple(rule.state for rule in CLOCK_RULES)


def published_q(at):
    """The condition for what readers may see at `at`."""
    condition = Q(status=ArticleStatus.PUBLISHED)
    for rule in CLOCK_RULES:
        condition &= rule.clear_q(at)
    return condition


def in_clock_state(state, at):
    """The condition for a published article whose clock state at `at` is `state`: its
    rule holds and no earlier rule does."""
    condition = Q(status=ArticleStatus.PUBLISHED)
    for rule in CLOCK_RULES:
        if rule.state == state:
            return condition & rule.holds_q(at)
        condition &= rule.clear_q(at)
    raise ValueError(f"Not a clock state: {state!r}")


def clock_state(article, at):
    """The state of one loaded article at `at`: its status, or for a published one the
    first clock rule that holds."""
    if article.status != ArticleStatus.PUBLISHED:
        return article.status
    for rule in CLOCK_RULES:
        if rule.holds(article, at):
            return rule.state
    return ArticleStatus.PUBLISHED
