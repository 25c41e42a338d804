"""What readers may see, and the query shapes of the pages that show it."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from taggit.models import Tag

from .clock import CLOCK_RULES, CLOCK_STATES, in_clock_state, published_q
from .people import Author, Byline
from .status import ArticleStatus

# What a card shows (templates/includes/article_card.html and picture.html), and no
# more: a listing builds a few dozen of these per request, column by column.
CARD_FIELDS = (
    "headline",
    "slug",
    "lead",
    "published_at",
    "lock_version",
    "section__name",
    "section__slug",
    "lead_photo__alt_text",
    "lead_photo__renditions",
    "lead_photo__rights_expire_at",
)


def bylines_with_authors():
    """The prefetch lookup of articles' bylines and their authors: one query for any
    number of articles (prefetch_related() or prefetch_related_objects())."""
    return models.Prefetch("bylines", queryset=Byline.objects.select_related("author"))


class ArticleQuerySet(models.QuerySet):
    def published(self, at=None):
        """The one rule for what readers may see. Every public path goes through it.

        Go-live is a comparison with the clock, not a state flipped by a job, so
        a scheduled article appears at its exact second with no cron (the rules:
        articles/models/clock.py).
        """
        return self.filter(published_q(at or timezone.now()))

    def expired(self, at=None):
        """Articles that were public and whose expiry has passed: they answer 410 Gone.

        One that expired at or before its go-live was never public, and answers like an
        address that never existed (404): a 410 would confirm it."""
        at = at or timezone.now()
        return self.filter(
            Q(embargo_until__isnull=True) | Q(embargo_until__lt=F("expire_at")),
            status=ArticleStatus.PUBLISHED,
            published_at__lt=F("expire_at"),
            expire_at__lte=at,
        )

    def scheduled(self, after=None, until=None):
        """Published articles whose go-live (publication or embargo end) is still ahead."""
        after = after or timezone.now()
        queryset = self.filter(status=ArticleStatus.PUBLISHED).filter(
            Q(published_at__gt=after) | Q(embargo_until__gt=after)
        )
        if until is not None:
            queryset = queryset.filter(published_at__lte=until).filter(
                Q(embargo_until__isnull=True) | Q(embargo_until__lte=until)
            )
        return queryset

    def in_state(self, state, at=None):
        """Articles whose `Article.state` is `state` at `at`: the admin's status filter."""
        at = at or timezone.now()
        if state == ArticleStatus.PUBLISHED:
            return self.published(at)
        if state in CLOCK_STATES:
            return self.filter(in_clock_state(state, at))
        return self.filter(status=state)

    def public_authors(self):
        """Authors with at least one published article: an author page or feed for anyone
        else would confirm unpublished bylines."""
        return Author.objects.filter(
            pk__in=Byline.objects.filter(article__in=self.published()).values("author")
        )

    def public_tags(self):
        """Tags used by at least one published article: the only tags readers may learn of
        (a tag used only by an embargoed story would otherwise confirm it exists)."""
        return Tag.objects.filter(pk__in=self.published().values("tags"))

    def next_visibility_change(self, after=None):
        """The earliest future moment at which published() will answer differently.

        Caches must not outlive it: a cached listing expires no later than the
        next go-live, embargo end or expiry.
        """
        after = after or timezone.now()
        candidates = self.filter(status=ArticleStatus.PUBLISHED).aggregate(
            **{
                rule.field: models.Min(rule.field, filter=Q(**{f"{rule.field}__gt": after}))
                for rule in CLOCK_RULES
            }
        )
        # Photos whose rights end are the media app's rule (media.rights.next_rights_end).
        upcoming = [moment for moment in candidates.values() if moment is not None]
        return min(upcoming) if upcoming else None

    def for_listing(self):
        """The query shape of an article card: its section and photo, in the same query.

        Only the columns a card shows (CARD_FIELDS): no body, no bylines.
        """
        return self.select_related("section", "lead_photo").only(*CARD_FIELDS)

    def with_bylines(self):
        """Bylines with their authors, in one query for any number of articles."""
        return self.prefetch_related(bylines_with_authors())

    def for_feed(self):
        """A feed item: a card plus its bylines and, for full-text feeds, its body (its
        tags come from tag_names())."""
        return self.for_listing().with_bylines().defer(None).defer("body")

    def for_page(self):
        """The article page's query shape, for readers (after published()) and for staff
        previews (over any state) alike, so a preview shows what readers will.

        One query: the article with its section, lead photo, social image and page extras
        (its bylines and tags as the page shows them, and whether it has corrections, which
        are read only then: articles/models/page_extras.py). The body's Markdown is not read: the page
        shows body_html.
        """
        return self.select_related("section", "lead_photo", "social_image", "page_extras").defer(
            "body"
        )
