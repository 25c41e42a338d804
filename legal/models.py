import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html

from core.text import render_markdown
from core.validators import reject_control_characters

# Placeholders a notice or a legal page may use; replaced by the publisher's
# identity when shown, so a change of address never needs a new notice text.
PLACEHOLDERS = ("publisher", "registered_office", "email", "phone", "site_url", "site_name")
PLACEHOLDER_RE = re.compile(r"\{([a-z_]+)\}")


def validate_placeholders(value):
    unknown = sorted({name for name in PLACEHOLDER_RE.findall(value) if name not in PLACEHOLDERS})
    if unknown:
        known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        raise ValidationError(
            f"Unknown placeholder {', '.join(f'{{{name}}}' for name in unknown)}. "
            f"Available: {known}."
        )


def fill_placeholders(text, identity):
    """Replace known `{placeholder}`s with the publisher's identity; leave other braces alone."""
    values = identity.placeholders()
    return PLACEHOLDER_RE.sub(lambda match: values.get(match[1], match[0]), text)


class Publisher(models.Model):
    """The publisher's identity and its machine-readable preferences: one row, edited by Legal.

    A model rather than settings because the legal team changes these facts
    (registered office, contact, crawler policy) without a deployment, and every
    layer (notices, footer, TDM policy, robots.txt, structured data) must change
    with them at once. The site URL stays in settings (SITE_URL): it is where
    the app is served and every absolute URL is built from it.
    """

    SINGLETON_PK = 1

    name = models.CharField(
        max_length=200,
        help_text="Company name as registered, e.g. “Example Herald Media Ltd”. "
        "Shown wherever a notice says {publisher}.",
        validators=[reject_control_characters],
    )
    registered_office = models.TextField(
        help_text="Registered office address, as registered.",
        validators=[reject_control_characters],
    )
    email = models.EmailField(
        help_text="Contact for licences and legal questions.",
        validators=[reject_control_characters],
    )
    phone = models.CharField(
        max_length=40,
        blank=True,
        validators=[
            reject_control_characters,
            RegexValidator(
                r"^\+?[0-9 ()-]{6,}$",
                "Enter a phone number with digits, spaces and an optional leading +, "
                "e.g. +48 22 123 45 67.",
            ),
        ],
    )
    allow_ai_search = models.BooleanField(
        default=False,
        help_text="Let AI search crawlers (e.g. OAI-SearchBot, PerplexityBot) in robots.txt. "
        "Training crawlers are always refused while the TDM reservation is on; search "
        "engines (Googlebot, Bingbot) are always allowed.",
    )
    allow_user_fetch = models.BooleanField(
        default=False,
        help_text="Let user-triggered AI fetchers (e.g. ChatGPT-User, Claude-User) in robots.txt.",
    )

    class Meta:
        verbose_name = "publisher"
        verbose_name_plural = "publisher"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="publisher_singleton"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)

    @classmethod
    def defaults(cls):
        """Until Legal fills in the details, the identity comes from settings."""
        return cls(
            pk=cls.SINGLETON_PK,
            name=settings.PUBLISHER_NAME,
            registered_office="",
            email=f"legal@{settings.SITE_DOMAIN}",
        )

    @classmethod
    def current(cls):
        """The publisher row, or the settings defaults (not saved: reading never writes)."""
        return cls.objects.filter(pk=cls.SINGLETON_PK).first() or cls.defaults()


class LegalPage(models.Model):
    title = models.CharField(max_length=200, validators=[reject_control_characters])
    slug = models.SlugField(
        max_length=100,
        help_text="Part of the page's stable URL. Notices, robots and the TDM policy link "
        "here: do not change it once published.",
        validators=[reject_control_characters],
    )
    body = models.TextField(
        help_text="Markdown. Placeholders such as {publisher}, {registered_office}, {email} "
        "are filled in from the publisher's details.",
        validators=[reject_control_characters],
    )
    body_html = models.TextField(editable=False, blank=True, validators=[reject_control_characters])
    footer_position = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Linked from the footer of every page, in this order (lowest first). "
        "Leave empty to keep the page out of the footer.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="legal_page_unique_slug")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("legal:page", kwargs={"slug": self.slug})

    def clean(self):
        validate_placeholders(self.body)


class NoticeQuerySet(models.QuerySet):
    def in_force(self, kind, at=None):
        """Versions of the notice of `kind` in force at `at`, newest first (`.first()` is it)."""
        return NoticeVersion.objects.in_force(at).filter(notice__kind=kind)


class Notice(models.Model):
    """A notice readers see (the text lives in its versions, which are never edited)."""

    class Kind(models.TextChoices):
        COPYRIGHT = "copyright", "Copyright and text and data mining reservation"
        TERMS = "terms", "Terms of use"
        PRIVACY = "privacy", "Privacy"
        COOKIES = "cookies", "Cookies"
        CORRECTIONS = "corrections", "Corrections policy"
        SYNDICATION = "syndication", "Article-foot notice for syndicated content"

    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.COPYRIGHT,
        help_text="The copyright notice ends every article and decides the machine-readable "
        "TDM reservation. Use “syndicated content” for notices that override it on a "
        "section or an article (e.g. an agency's terms).",
    )
    title = models.CharField(max_length=200, validators=[reject_control_characters])

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "title"]
        constraints = [
            # One site-wide notice of each kind; any number of syndication notices.
            models.UniqueConstraint(
                fields=["kind"],
                condition=~Q(kind="syndication"),
                name="notice_one_per_site_kind",
                violation_error_message="The site already has a notice of this kind: "
                "edit it to create a new version.",
            )
        ]

    def __str__(self):
        return self.title


class NoticeVersionQuerySet(models.QuerySet):
    def in_force(self, at=None):
        """Versions already effective at `at`, newest first; the first per notice is in force."""
        at = at or timezone.now()
        return (
            self.filter(effective_at__lte=at)
            .select_related("notice", "page")
            .order_by("-effective_at", "-version")
        )


class NoticeVersion(models.Model):
    """One wording of a notice. Editing a notice adds a version; old ones stay as history."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    text = models.TextField(
        help_text="Plain text. The last occurrence of the link text becomes the link. "
        "{publisher} is replaced by the publisher's name.",
        validators=[reject_control_characters],
    )
    link_text = models.CharField(
        max_length=60, default="here", validators=[reject_control_characters]
    )
    page = models.ForeignKey(
        LegalPage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notice_versions",
        help_text="The full legal page the notice links to.",
    )
    link_url = models.URLField(
        blank=True,
        help_text="Or an outside address, e.g. an agency's terms. Used when no page is chosen.",
        validators=[reject_control_characters],
    )
    reserves_tdm = models.BooleanField(
        "reserves text and data mining",
        default=True,
        help_text="For the site copyright notice: while on, the site declares tdm-reservation=1 "
        "(headers, meta, tdmrep.json, robots.txt, image metadata). Turn off to lift the "
        "reservation everywhere at once.",
    )
    effective_at = models.DateTimeField(
        default=timezone.now, help_text="When this version comes into force."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = NoticeVersionQuerySet.as_manager()

    class Meta:
        ordering = ["notice", "-effective_at", "-version"]
        get_latest_by = "effective_at"
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "version"], name="notice_version_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(page__isnull=False) | ~Q(link_url=""),
                name="notice_version_has_link_target",
                violation_error_message="Choose a legal page or enter a link address.",
            ),
        ]

    def __str__(self):
        return f"{self.notice.title} (v{self.version})"

    # The notice in force stands in for the notice itself in templates and callers.
    @property
    def title(self):
        return self.notice.title

    @property
    def kind(self):
        return self.notice.kind

    @cached_property
    def url(self):
        # Cached: a page asks several times (notice link, TDM headers, structured data),
        # always of a version held by the legal snapshot, which a page change replaces.
        return self.page.get_absolute_url() if self.page_id else self.link_url

    def clean(self):
        errors = {}
        if self.text:
            try:
                validate_placeholders(self.text)
            except ValidationError as error:
                errors["text"] = error.messages
        if self.text and self.link_text and self.link_text not in self.text:
            errors["link_text"] = f"The text must contain the link text “{self.link_text}”."
        if self.page_id is None and not self.link_url:
            errors["page"] = "Choose a legal page or enter a link address."
        if errors:
            raise ValidationError(errors)

    @property
    def link_purpose(self):
        """What the link leads to, said to those who hear links out of their sentence.

        The visible link text is the notice's own wording (often "here"); screen readers
        list links by name and search engines read link text, so the name carries where it
        goes: the legal page's title, or the notice's own for an outside address.
        """
        target = self.page.title if self.page_id else self.notice.title
        return f" (full text: {target})"

    def as_html(self, identity=None):
        """The notice with the last occurrence of its link text linked to its page.

        The link keeps the visible wording and gains a visually hidden purpose, so its
        accessible name (and the text Lighthouse's link-text audit reads) is descriptive.
        """
        from .identity import publisher

        text = fill_placeholders(self.text, identity or publisher())
        before, found, after = text.rpartition(self.link_text)
        if not found:
            return format_html("{}", text)
        return format_html(
            '{}<a href="{}">{}<span class="visually-hidden">{}</span></a>{}',
            before,
            self.url,
            found,
            self.link_purpose,
            after,
        )


class Crawler(models.Model):
    """An AI crawler's robots.txt token, kept as data so Legal can follow new bots.

    Tokens: ../shared/STANDARDS.md section 3 and the vendors' pages.
    """

    class Purpose(models.TextChoices):
        TRAINING = "training", "Model training"
        AI_SEARCH = "ai_search", "AI search"
        USER_FETCH = "user_fetch", "User-triggered fetch"

    # robots.txt must never shut out the search engines readers find us with.
    SEARCH_ENGINES = ("Googlebot", "Bingbot", "DuckDuckBot", "YandexBot", "Applebot", "Slurp")

    token = models.CharField(
        max_length=80,
        validators=[
            reject_control_characters,
            RegexValidator(
                r"^[A-Za-z0-9_-]+$",
                "A user-agent token has only letters, digits, “-” and “_” (RFC 9309).",
            ),
        ],
        help_text="The product token the crawler matches in robots.txt, e.g. GPTBot.",
    )
    operator = models.CharField(max_length=100, validators=[reject_control_characters])
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    notes = models.CharField(max_length=250, blank=True, validators=[reject_control_characters])

    class Meta:
        ordering = ["purpose", "operator", "token"]
        constraints = [models.UniqueConstraint(fields=["token"], name="crawler_unique_token")]

    def __str__(self):
        return self.token

    def clean(self):
        if self.token.lower() in {engine.lower() for engine in self.SEARCH_ENGINES}:
            raise ValidationError(
                {"token": f"{self.token} is a search engine; search engines are always allowed."}
            )
