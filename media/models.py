import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.localtime import with_offset
from core.validators import reject_control_characters

from .usage import photo_use_policy

# Days ahead that the admin report and the "expiring" filter look at.
RIGHTS_WARNING_DAYS = 7


def photo_upload_to(instance, filename):
    """Stored names never come from the uploader: no path tricks, no overwrites."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    if extension not in {"jpg", "jpeg", "png", "webp", "gif"}:
        extension = "jpg"
    return f"photos/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class PhotoQuerySet(models.QuerySet):
    def rights_expired(self, at=None):
        return self.filter(rights_expire_at__lte=at or timezone.now())

    def rights_expiring(self, at=None, days=RIGHTS_WARNING_DAYS):
        """Photos still usable at `at` whose rights end within `days`."""
        at = at or timezone.now()
        return self.filter(rights_expire_at__gt=at, rights_expire_at__lte=at + timedelta(days=days))

    def rights_valid(self, at=None):
        return self.filter(
            Q(rights_expire_at__isnull=True) | Q(rights_expire_at__gt=at or timezone.now())
        )

    def in_use(self):
        """Photos some row shows: a lead photo, an author's portrait, any other reference.

        Found from the model's relations rather than a list of them, so a model that
        starts showing photos counts without anyone remembering to add it here.
        """
        return self._held_by(lambda holders: holders)

    def shown_to_readers(self):
        """Photos on a page readers see now: in use by a row the photo-use policy says is
        public (media/usage.py), e.g. a published story rather than a draft."""
        return self._held_by(photo_use_policy().readers_see)

    def _held_by(self, narrow):
        shown = Q(pk__in=[])
        for relation in self.model._meta.get_fields(include_hidden=True):
            if relation.auto_created and (relation.one_to_many or relation.one_to_one):
                holders = relation.related_model._base_manager.exclude(
                    **{f"{relation.field.name}__isnull": True}
                )
                shown |= Q(pk__in=narrow(holders).values(relation.field.attname))
        return self.filter(shown)

    def next_rights_end(self, after=None):
        """When the next photo in use leaves the pages; caches must not outlive it."""
        upcoming = self.in_use().filter(rights_expire_at__gt=after or timezone.now())
        return upcoming.aggregate(moment=models.Min("rights_expire_at"))["moment"]


class Photo(models.Model):
    class DataMining(models.TextChoices):
        """IPTC/PLUS Data Mining values: https://ns.useplus.org/LDF/ldf-XMPSpecification#DataMining"""

        UNSPECIFIED = "", "Not stated"
        ALLOWED = "http://ns.useplus.org/ldf/vocab/DMI-ALLOWED", "Allowed"
        EXCEPT_SEARCH = (
            "http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING",
            "Prohibited except for search engine indexing",
        )
        PROHIBITED = "http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED", "Prohibited"
        AI_TRAINING = (
            "http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED-AIMLTRAINING",
            "Prohibited for AI/ML training",
        )
        GENAI_TRAINING = (
            "http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED-GENAIMLTRAINING",
            "Prohibited for generative AI/ML training",
        )

    image = models.ImageField(upload_to=photo_upload_to, width_field="width", height_field="height")
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    format = models.CharField(
        max_length=10,
        blank=True,
        editable=False,
        help_text="JPEG, PNG, WEBP or GIF.",
        validators=[reject_control_characters],
    )
    alt_text = models.CharField(
        max_length=250,
        blank=True,
        help_text="What the photo shows, for readers who cannot see it. Required for publishing.",
        validators=[reject_control_characters],
    )
    caption = models.TextField(blank=True, validators=[reject_control_characters])
    agency = models.CharField(
        max_length=100,
        blank=True,
        help_text="Agency or source, e.g. PAP, Reuters, or staff.",
        validators=[reject_control_characters],
    )
    photographer = models.CharField(
        max_length=150, blank=True, validators=[reject_control_characters]
    )
    copyright_holder = models.CharField(
        max_length=150,
        blank=True,
        help_text="Leave empty when the agency holds the copyright.",
        validators=[reject_control_characters],
    )
    credit_line = models.CharField(
        max_length=200,
        blank=True,
        help_text="IPTC Credit Line as the agency sent it, e.g. “PAP/Anna Nowak”. "
        "Leave empty to build it from agency and photographer.",
        validators=[reject_control_characters],
    )
    usage_terms = models.TextField(
        blank=True,
        help_text="What the licence allows, e.g. “Editorial use only, no archive”.",
        validators=[reject_control_characters],
    )
    licence_url = models.URLField(
        blank=True,
        help_text="Web statement of rights: the page describing the licence.",
        validators=[reject_control_characters],
    )
    licensor_url = models.URLField(
        blank=True,
        help_text="Where a reader can license the photo (acquireLicensePage).",
        validators=[reject_control_characters],
    )
    data_mining = models.CharField(
        max_length=100,
        blank=True,
        choices=DataMining.choices,
        help_text="The photo's own IPTC Data Mining value. While the site reserves text "
        "and data mining, renditions carry the reservation instead.",
    )
    rights_expire_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="From this moment readers no longer see the photo. Empty: no end date.",
    )
    focal_x = models.FloatField(
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Horizontal centre of interest, 0 (left) to 1 (right); crops keep it in view.",
    )
    focal_y = models.FloatField(
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Vertical centre of interest, 0 (top) to 1 (bottom).",
    )
    # Every rendition's storage name and size, written once when they are generated
    # (media.renditions), so a page builds srcset and social URLs with no query or file I/O.
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    # Set when the rights ended and the renditions were deleted (media.rights.withdraw);
    # cleared when new ones are made.
    renditions_withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]
        get_latest_by = "uploaded_at"
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="photo_focal_point_within_image",
            )
        ]

    def __str__(self):
        return self.caption[:60] or self.alt_text[:60] or f"Photo {self.pk}"

    @property
    def copyright_notice(self):
        """`© PAP`: the holder, falling back to the agency, then the photographer."""
        holder = self.copyright_holder or self.agency or self.photographer
        return f"© {holder}" if holder else ""

    @property
    def credit_text(self):
        """`PAP/Viktor Kovalchuk`, the agency style credit line (IPTC Credit Line)."""
        if self.credit_line:
            return self.credit_line
        return "/".join(part for part in (self.agency, self.photographer) if part)

    @property
    def credit(self):
        """`Images source: © PAP | PAP/Viktor Kovalchuk`, degrading when parts are missing."""
        parts = [self.copyright_notice]
        if self.credit_text and f"© {self.credit_text}" != self.copyright_notice:
            parts.append(self.credit_text)
        parts = [part for part in parts if part]
        return f"Images source: {' | '.join(parts)}" if parts else ""

    # Rights -----------------------------------------------------------------

    def rights_expired(self, at=None):
        return self.rights_expire_at is not None and self.rights_expire_at <= (at or timezone.now())

    @property
    def is_shown_to_readers(self):
        """Public templates check this: an expired photo disappears with no query."""
        return bool(self.renditions) and not self.rights_expired()

    @property
    def rights_expire_local(self):
        """The rights' end as editors read every time: `Jul 1, 2026, 1:30 PM EDT (UTC−04:00)`."""
        return with_offset(self.rights_expire_at)

    @property
    def rights_status(self):
        if self.rights_expire_at is None:
            return "No end date"
        if self.rights_expired():
            return "Expired"
        if self.rights_expire_at <= timezone.now() + timedelta(days=RIGHTS_WARNING_DAYS):
            return "Expiring soon"
        return "Valid"

    def publication_problems(self, at=None, name="The lead photo"):
        """Why an article may not go live with this photo at `at`; empty when it may.

        The workflow's publish and schedule services refuse while this is non-empty.
        `name` is what the article calls the photo (its lead photo, its social image).
        """
        at = at or timezone.now()
        problems = []
        if not self.alt_text.strip():
            problems.append(f"{name} needs alt text before publication.")
        if not self.credit:
            problems.append(f"{name} needs a credit (agency or photographer).")
        if self.rights_expired(at):
            problems.append(
                f"{name}'s rights expire on {self.rights_expire_local}, "
                "before the publication time; "
                "choose another photo or an earlier time."
            )
        return problems

    # Renditions (see media.renditions for how they are made) -----------------

    def _url(self, name):
        return default_storage.url(name)

    def srcset(self, kind="jpeg"):
        """`…-320w.jpg 320w, …-640w.jpg 640w`: the width renditions in one format."""
        return ", ".join(
            f"{self._url(item['name'])} {item['width']}w"
            for item in self.renditions.get("widths", {}).get(kind, [])
        )

    @property
    def webp_srcset(self):
        return self.srcset("webp")

    @property
    def jpeg_srcset(self):
        return self.srcset("jpeg")

    @property
    def fallback(self):
        """The JPEG for `src`: the widest one up to 960 px (the middle of the range)."""
        items = self.renditions.get("widths", {}).get("jpeg", [])
        chosen = None
        for item in items:
            if chosen is None or item["width"] <= 960:
                chosen = item
        return {**chosen, "url": self._url(chosen["name"])} if chosen else None

    @property
    def fallback_url(self):
        fallback = self.fallback
        return fallback["url"] if fallback else ""

    def rendition(self, kind):
        """A fixed-aspect crop: `thumb`, `social` (1200x630), `16x9`, `4x3`, `1x1`.

        Returns {"url", "width", "height", "type"} or None when not generated. The 16x9,
        4x3 and 1x1 crops are 1200 px wide whenever the original is wide enough (schema.org
        image for Google); `social` is the Open Graph / Twitter card.
        """
        item = self.renditions.get("crops", {}).get(kind)
        if not item:
            return None
        return {**item, "url": self._url(item["name"]), "type": "image/jpeg"}

    def rendition_url(self, kind):
        item = self.rendition(kind)
        return item["url"] if item else ""

    @property
    def thumbnail(self):
        return self.rendition("thumb")

    @property
    def structured_data_images(self):
        """16x9, 4x3 and 1x1 crops for NewsArticle.image, in Google's preferred order."""
        return [item for item in (self.rendition(k) for k in ("16x9", "4x3", "1x1")) if item]
