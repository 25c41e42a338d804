"""The article: what a journalist writes and an editor publishes."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from core.links import cached_reverse
from core.text import render_markdown
from core.validators import reject_control_characters

from .clock import clock_state
from .page_extras import ArticlePageExtras
from .queryset import ArticleQuerySet
from .sections import Section, default_source_line
from .status import ArticleStatus


class Article(models.Model):
    Status = ArticleStatus

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

    # How the story presents itself to search engines and social sites; each falls back
    # to the article's own headline, lead or lead photo when empty (articles/seo.py).
    seo_title = models.CharField(
        "SEO title",
        max_length=200,
        blank=True,
        default="",
        # Kept in the table too, so rows written in SQL (scripts/bench_scale.py) need none.
        db_default="",
        help_text="The page's title in search results, as written (about 60 characters "
        "show). Empty: the headline and the site's name.",
        validators=[reject_control_characters],
    )
    seo_description = models.CharField(
        "SEO description",
        max_length=320,
        blank=True,
        default="",
        db_default="",
        help_text="The text under the title in search results (about 160 characters "
        "show), also used when the story is shared. Empty: the lead.",
        validators=[reject_control_characters],
    )
    social_title = models.CharField(
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text="The title on the card when the story is shared (about 70 characters "
        "show). Empty: the SEO title, or else the headline.",
        validators=[reject_control_characters],
    )
    social_image = models.ForeignKey(
        "media.Photo",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="social_articles",
        help_text="The picture on the card when the story is shared, cropped to 1200×630 "
        "around its focal point. Empty: the lead photo.",
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
        """Whether readers see it now: published() for one loaded article."""
        return self.state == self.Status.PUBLISHED

    @property
    def goes_live_at(self):
        """When readers first see it: the later of publication time and embargo end."""
        if self.published_at and self.embargo_until:
            return max(self.published_at, self.embargo_until)
        return self.published_at

    @property
    def state(self):
        """The editorial state shown in the admin; `status` plus what the clock says."""
        return clock_state(self, timezone.now())

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
        if self.social_image_id and self.social_image_id != self.lead_photo_id:
            problems.extend(self.social_image.publication_problems(at, name="The social image"))
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
        (articles/models/page_extras.py)."""
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

def tag_names(articles):
    """{article id: its tag names, sorted} for many articles, in one query.

    prefetch_related("tags") builds one taggit queryset per article to keep the
    results in (about 0.2 ms each): more than the query it saves.
    """
    names = {article.pk: [] for article in articles}
    tagged = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), object_id__in=names
    ).values_list("object_id", "tag__name")
    for article_id, name in tagged:
        names[article_id].append(name)
    return {article_id: sorted(found) for article_id, found in names.items()}
