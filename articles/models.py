from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import cached_property
from taggit.managers import TaggableManager

from core.links import cached_reverse
from core.text import render_markdown
from core.validators import reject_control_characters


def default_source_line():
    return f"© {settings.SITE_DOMAIN}"


# Top-level paths that a section slug would shadow.
RESERVED_SECTION_SLUGS = {
    "admin",
    "author",
    "tag",
    "search",
    "feeds",
    "feed",
    "legal",
    "static",
    "uploads",
    "sitemap",
    "preview",
    "archive",
    "corrections",
    "robots.txt",
    "well-known",
}


def validate_section_slug(value):
    if value in RESERVED_SECTION_SLUGS:
        raise ValidationError(f"“{value}” is reserved for another part of the site.")


class Section(models.Model):
    name = models.CharField(max_length=80, validators=[reject_control_characters])
    slug = models.SlugField(
        max_length=80, validators=[reject_control_characters, validate_section_slug]
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the site navigation, lowest first."
    )
    description = models.TextField(blank=True, validators=[reject_control_characters])
    legal_notice = models.ForeignKey(
        "legal.Notice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind__in": ["copyright", "syndication"]},
        help_text="Replaces the site's notice at the foot of this section's articles. "
        "An article's own notice wins over this one.",
    )

    class Meta:
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="section_unique_slug")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_reverse("articles:section", self.slug)


class Author(models.Model):
    """A person who writes for the newsroom: staff (linked to a user) or a contributor."""

    name = models.CharField(max_length=150, validators=[reject_control_characters])
    slug = models.SlugField(max_length=150, validators=[reject_control_characters])
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
        help_text="The staff account of this author, if any.",
    )
    bio = models.TextField(blank=True, validators=[reject_control_characters])
    job_title = models.CharField(max_length=120, blank=True, validators=[reject_control_characters])
    photo = models.ForeignKey(
        "media.Photo", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="author_unique_slug")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_reverse("articles:author", self.slug)


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
        a scheduled article appears at its exact second with no cron.
        """
        at = at or timezone.now()
        return self.filter(
            Q(embargo_until__isnull=True) | Q(embargo_until__lte=at),
            Q(expire_at__isnull=True) | Q(expire_at__gt=at),
            status=Article.Status.PUBLISHED,
            published_at__lte=at,
        )

    def expired(self, at=None):
        """Articles that were public and whose expiry has passed: they answer 410 Gone.

        One that expired at or before its go-live was never public, and answers like an
        address that never existed (404): a 410 would confirm it."""
        at = at or timezone.now()
        return self.filter(
            Q(embargo_until__isnull=True) | Q(embargo_until__lt=F("expire_at")),
            status=Article.Status.PUBLISHED,
            published_at__lt=F("expire_at"),
            expire_at__lte=at,
        )

    def scheduled(self, after=None, until=None):
        """Published articles whose go-live (publication or embargo end) is still ahead."""
        after = after or timezone.now()
        queryset = self.filter(status=Article.Status.PUBLISHED).filter(
            Q(published_at__gt=after) | Q(embargo_until__gt=after)
        )
        if until is not None:
            queryset = queryset.filter(published_at__lte=until).filter(
                Q(embargo_until__isnull=True) | Q(embargo_until__lte=until)
            )
        return queryset

    def in_state(self, state, at=None):
        """Articles whose `Article.state` is `state` at `at`: the admin's status filter.

        The clock's states take precedence in the same order as `state`: expired, then
        embargoed, then scheduled.
        """
        at = at or timezone.now()
        live_status = self.filter(status=Article.Status.PUBLISHED)
        not_expired = Q(expire_at__isnull=True) | Q(expire_at__gt=at)
        if state == Article.Status.PUBLISHED:
            return self.published(at)
        if state == "expired":
            # Never public or gone now, it will not go live again (expired() is the public
            # side's narrower question).
            return live_status.filter(expire_at__lte=at)
        if state == "embargoed":
            return live_status.filter(not_expired, embargo_until__gt=at)
        if state == "scheduled":
            return live_status.filter(
                not_expired,
                Q(embargo_until__isnull=True) | Q(embargo_until__lte=at),
                published_at__gt=at,
            )
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
        from taggit.models import Tag

        return Tag.objects.filter(pk__in=self.published().values("tags"))

    def next_visibility_change(self, after=None):
        """The earliest future moment at which published() will answer differently.

        Caches must not outlive it: a cached listing expires no later than the
        next go-live, embargo end or expiry.
        """
        after = after or timezone.now()
        candidates = self.filter(status=Article.Status.PUBLISHED).aggregate(
            go_live=models.Min("published_at", filter=Q(published_at__gt=after)),
            embargo_end=models.Min("embargo_until", filter=Q(embargo_until__gt=after)),
            expiry=models.Min("expire_at", filter=Q(expire_at__gt=after)),
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

        One query: the article with its section, photo and page extras (its bylines and
        tags as the page shows them, and whether it has corrections, which are read only
        then: articles/models_page_extras.py). The body's Markdown is not read: the page
        shows body_html.
        """
        return self.select_related("section", "lead_photo", "page_extras").defer("body")


def tag_names(articles):
    """{article id: its tag names, sorted} for many articles, in one query.

    prefetch_related("tags") builds one taggit queryset per article to keep the
    results in (about 0.2 ms each): more than the query it saves.
    """
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import TaggedItem

    names = {article.pk: [] for article in articles}
    tagged = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), object_id__in=names
    ).values_list("object_id", "tag__name")
    for article_id, name in tagged:
        names[article_id].append(name)
    return {article_id: sorted(found) for article_id, found in names.items()}


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        SENT_BACK = "sent_back", "Sent back"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    headline = models.CharField(max_length=200, validators=[reject_control_characters])
    slug = models.SlugField(
        max_length=200,
        help_text="The article's address; unique.",
        validators=[reject_control_characters],
    )
    lead = models.TextField(
        help_text="The standfirst: one or two sentences under the headline.",
        validators=[reject_control_characters],
    )
    body = models.TextField(
        help_text="Markdown: ## Subheading, **bold**, *italic*, [link](https://…), "
        "- lists, > quotes. Blank line between paragraphs.",
        validators=[reject_control_characters],
    )
    body_html = models.TextField(editable=False, blank=True, validators=[reject_control_characters])
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    tags = TaggableManager(blank=True)
    lead_photo = models.ForeignKey(
        "media.Photo",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_articles",
    )
    lead_photo_caption = models.TextField(
        blank=True,
        help_text="Overrides the photo's own caption for this article.",
        validators=[reject_control_characters],
    )
    source_line = models.CharField(
        max_length=200, default=default_source_line, validators=[reject_control_characters]
    )
    legal_notice = models.ForeignKey(
        "legal.Notice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind__in": ["copyright", "syndication"]},
        help_text="The notice at the foot of this article, e.g. an agency's terms for a "
        "syndicated story. Precedence: this article's notice, then its section's, then "
        "the site's copyright notice.",
    )

    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When readers first see the article. A future time schedules it.",
    )
    updated_at = models.DateTimeField(
        null=True, blank=True, help_text="Time of the last material update shown to readers."
    )
    first_published_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Kept when the article is updated later."
    )
    embargo_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Nothing about the article is public before this time.",
    )
    expire_at = models.DateTimeField(
        null=True, blank=True, help_text="After this time the article answers 410 Gone."
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    lock_version = models.PositiveIntegerField(
        default=0, editable=False, help_text="Raised by every save; guards against lost updates."
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="article_unique_slug"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_requires_time",
            ),
        ]
        indexes = [
            # In the exact order of Meta.ordering (id breaks ties), so a listing, or a tag or
            # author page joined to it, walks the index and stops after one page: no sort of
            # every matching row (checked with EXPLAIN at 1,000,000 articles: scripts/bench-scale).
            models.Index(fields=["status", "-published_at", "-id"], name="article_published_order"),
            models.Index(
                fields=["section", "status", "-published_at", "-id"], name="article_section_order"
            ),
        ]
        permissions = [
            ("publish_article", "Can publish, schedule, update and unpublish articles"),
            ("manage_embargo", "Can set and lift embargoes"),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        # Rendered once on save so readers' requests never run Markdown or nh3.
        self.body_html = render_markdown(self.body)
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html"}
        # Optimistic locking: every write moves the version on, so an editor whose
        # form carries an older one is told instead of overwriting (admin_editing.py).
        self.lock_version = (self.lock_version or 0) + 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "lock_version"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return cached_reverse("articles:detail", self.section.slug, self.slug)

    @property
    def is_published(self):
        """Mirrors ArticleQuerySet.published() for one instance."""
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.embargo_until is None or self.embargo_until <= now)
            and (self.expire_at is None or self.expire_at > now)
        )

    @property
    def goes_live_at(self):
        """When readers first see it: the later of publication time and embargo end."""
        if self.published_at and self.embargo_until:
            return max(self.published_at, self.embargo_until)
        return self.published_at

    @property
    def state(self):
        """The editorial state shown in the admin; `status` plus what the clock says."""
        if self.status != self.Status.PUBLISHED:
            return self.status
        now = timezone.now()
        if self.expire_at and self.expire_at <= now:
            return "expired"
        if self.embargo_until and self.embargo_until > now:
            return "embargoed"
        if self.published_at and self.published_at > now:
            return "scheduled"
        return self.status

    def publication_problems(self, at=None):
        """Why the article may not go live at `at`; empty when it may (see services)."""
        problems = [
            f"The {label} is missing."
            for label, value in [
                ("headline", self.headline),
                ("slug", self.slug),
                ("lead", self.lead),
                ("body", self.body),
            ]
            if not value.strip()
        ]
        if self.pk and not self.bylines.exists():
            problems.append("The article needs at least one byline.")
        if self.lead_photo_id:
            problems.extend(self.lead_photo.publication_problems(at))
        return problems

    def check_bylines_left(self, *, current, remaining):
        """Refuse an edit that would leave a published article without a byline.

        Publishing needs a byline (publication_problems); once the article is out,
        live, scheduled, embargoed or expired, it keeps one, so readers and the
        structured data always name who wrote it. `current` and `remaining` are the
        number of bylines before and after the edit. An article that already has
        none (an import) may still be edited: the edit does not make it worse.
        """
        if self.status == self.Status.PUBLISHED and current and not remaining:
            raise ValidationError(
                "A published article must keep at least one byline. Add another byline "
                "before removing the last one, or unpublish the article first.",
                code="last_byline",
            )

    @property
    def caption(self):
        if self.lead_photo_caption:
            return self.lead_photo_caption
        return self.lead_photo.caption if self.lead_photo else ""

    @cached_property
    def extras(self):
        """What the page shows besides this row (bylines, tags, whether it has corrections):
        its page extras, or the same read from the tables when it has none yet
        (articles/models_page_extras.py)."""
        try:
            return self.page_extras
        except ArticlePageExtras.DoesNotExist:
            return ArticlePageExtras(
                article_id=self.pk, **ArticlePageExtras.from_tables([self.pk])[self.pk]
            )

    @cached_property
    def page_corrections(self):
        """The corrections the page lists, read once for the page and its structured data,
        and only when it has any."""
        return list(self.corrections.all()) if self.extras.has_corrections else []

    @property
    def byline_names(self):
        return [byline.display_name for byline in self.bylines.all()]


class Byline(models.Model):
    """One name under the headline: a known author, or a one-off contributor."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(
        Author, on_delete=models.PROTECT, null=True, blank=True, related_name="bylines"
    )
    contributor = models.CharField(
        max_length=150,
        blank=True,
        help_text="A free-text name, for contributors without a profile.",
        validators=[reject_control_characters],
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(author__isnull=False) & Q(contributor=""))
                | (Q(author__isnull=True) & ~Q(contributor="")),
                name="byline_author_xor_contributor",
                violation_error_message="Choose an author or type a contributor's name, not both.",
            )
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.author.name if self.author_id else self.contributor


class HomepageSlot(models.Model):
    """An editor's choice for the top of the home page: slot 1 is the lead story.

    Only live articles are shown; a slot whose article is not (yet, or any longer)
    published is skipped and the latest stories fill the gap (articles/homepage.py).
    """

    position = models.PositiveSmallIntegerField(
        help_text="1 is the lead story; 2 and up are the top stories beside it, in order."
    )
    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        related_name="homepage_slot",
        help_text="Shown only while the article is published; otherwise the slot is skipped.",
    )

    class Meta:
        ordering = ["position"]
        verbose_name = "home page slot"
        constraints = [
            models.UniqueConstraint(
                fields=["position"],
                name="homepage_slot_unique_position",
                violation_error_message="Another story holds this position; "
                "move or remove it first.",
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1),
                name="homepage_slot_position_positive",
                violation_error_message="Positions start at 1 (the lead story).",
            ),
        ]

    def __str__(self):
        role = "Lead story" if self.position == 1 else f"Top story {self.position - 1}"
        return f"{role}: {self.article}"


class ArticleEvent(models.Model):
    """One workflow transition: append-only, never edited or deleted (issue 3).

    It outlives its article: deleting one relinks its events to its DeletedArticle.
    """

    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, related_name="events"
    )
    deleted_article = models.ForeignKey(
        "articles.DeletedArticle", on_delete=models.PROTECT, null=True, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=30, validators=[reject_control_characters])
    from_status = models.CharField(max_length=20, choices=Article.Status.choices)
    to_status = models.CharField(max_length=20, choices=Article.Status.choices)
    comment = models.TextField(blank=True, validators=[reject_control_characters])
    details = models.CharField(
        max_length=200,
        blank=True,
        help_text="E.g. the scheduled time, in the newsroom's zone.",
        validators=[reject_control_characters],
    )

    class Meta:
        ordering = ["at", "id"]
        get_latest_by = "at"
        verbose_name = "workflow event"

    def __str__(self):
        return f"{self.action}: {self.from_status} -> {self.to_status}"

    def save(self, *args, **kwargs):
        # History is evidence: once written it never changes.
        if not self._state.adding:
            raise ValueError("Workflow events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Workflow events are append-only.")


# Corrections, slug redirects, revisions, preview links, deleted articles and the page
# extras live in their own modules.
from .models_deletion import DeletedArticle  # noqa: E402, F401
from .models_editing import (  # noqa: E402, F401
    ArticleRevision,
    Correction,
    PreviewLink,
    SlugRedirect,
)
from .models_page_extras import ArticlePageExtras  # noqa: E402, F401
from .search.models import SearchEntry, SqliteSearchEntry  # noqa: E402, F401
