from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse

from core.localtime import zone_hint

from .images import ACCEPTED_HELP, check_image
from .models import Photo

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}

# Fields that the file's embedded IPTC/XMP/EXIF credits may fill when left empty.
PREFILLED_FIELDS = [
    "alt_text",
    "caption",
    "agency",
    "photographer",
    "copyright_holder",
    "credit_line",
    "usage_terms",
    "licence_url",
    "licensor_url",
    "data_mining",
]


class RasterImageField(forms.ImageField):
    """An image upload judged by its content, never by its name or declared type."""

    # The content decides, so a misleading extension gets the content's message.
    default_validators = []
    default_error_messages = {
        "empty": "The file is empty (0 bytes). Choose the photo again.",
        "invalid": f"Choose a {ACCEPTED_HELP} file to upload.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", f"{ACCEPTED_HELP}. Credits in the file fill empty fields.")
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", "image/jpeg,image/png,image/webp,image/gif")

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        # Only the header, the credits and a cheap integrity check: no pixels are kept, so
        # a form with many large photos holds no more memory than their files.
        checked = check_image(upload)
        upload.pixels = checked.pixels
        upload.content_type = Image_MIME[checked.format]
        upload.embedded_metadata = checked.metadata
        # The stored name comes from the content's real format (photo_upload_to adds a uuid).
        upload.name = f"upload.{EXTENSIONS[checked.format]}"
        return upload


Image_MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}


def add_zone_hint(form, name):
    """Say which clock the time is typed in, as the article admin does for its times.

    Django reads and shows form times in the current time zone, which is the
    newsroom's (settings.TIME_ZONE); the hint, built per form, follows daylight saving.
    """
    if name in form.fields:
        field = form.fields[name]
        field.help_text = " ".join(text for text in (field.help_text, zone_hint()) if text)


def prefill_from_metadata(cleaned_data, upload):
    """Fill the fields the editor left empty from the file's embedded credits."""
    metadata = getattr(upload, "embedded_metadata", None) or {}
    for name, value in metadata.items():
        if name in PREFILLED_FIELDS and not cleaned_data.get(name):
            max_length = Photo._meta.get_field(name).max_length
            cleaned_data[name] = value[:max_length] if max_length else value


class PhotoAdminForm(forms.ModelForm):
    image = RasterImageField()
    licence_url = forms.URLField(
        required=False,
        assume_scheme="https",
        label="Licence URL",
        help_text=Photo._meta.get_field("licence_url").help_text,
    )
    licensor_url = forms.URLField(
        required=False,
        assume_scheme="https",
        label="Licensor URL",
        help_text=Photo._meta.get_field("licensor_url").help_text,
    )

    class Meta:
        model = Photo
        fields = []  # The ModelAdmin's fieldsets choose the fields.

    class Media:
        # photo-metadata.js fills empty fields from the chosen file's credits at once;
        # focal-point.js sets the focal point by a click on the preview. Both only
        # enhance: without them the credits fill on save and the numbers are typed.
        js = ["media/photo-metadata.js", "media/focal-point.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Optional on the form: the centre is the default crop.
        for name in ("focal_x", "focal_y"):
            if name in self.fields:
                self.fields[name].required = False
                self.fields[name].widget.attrs.update({"min": 0, "max": 1, "step": 0.01})
        if "image" in self.fields:
            self.fields["image"].widget.attrs["data-metadata-url"] = reverse(
                "admin:media_photo_read_metadata"
            )
        add_zone_hint(self, "rights_expire_at")

    def clean(self):
        cleaned_data = super().clean()
        for name in ("focal_x", "focal_y"):
            if name in self.fields and cleaned_data.get(name) is None and name not in self.errors:
                cleaned_data[name] = 0.5
        if "image" in self.changed_data:
            prefill_from_metadata(cleaned_data, cleaned_data.get("image"))
        return cleaned_data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleRasterImageField(RasterImageField):
    """Several photos in one field (Django docs: "Uploading multiple files")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, (list, tuple)) else [data]
        uploads = [upload for upload in uploads if upload]
        if not uploads:
            raise ValidationError(self.error_messages["required"], code="required")
        # Caps per request: each photo is decoded in full once its renditions are made,
        # so the files and pixels of one upload bound its time and memory.
        most = settings.PHOTO_BULK_MAX_FILES
        if len(uploads) > most:
            raise ValidationError(
                f"You chose {len(uploads)} photos; upload at most {most} at a time.",
                code="too_many_files",
            )
        cleaned, errors = [], []
        for upload in uploads:
            original_name = upload.name
            try:
                cleaned.append(super().clean(upload, initial))
            except ValidationError as error:
                errors.extend(f"{original_name}: {message}" for message in error.messages)
        if errors:
            raise ValidationError(errors)
        total, most = sum(upload.pixels for upload in cleaned), settings.PHOTO_BULK_MAX_PIXELS
        if total > most:
            raise ValidationError(
                f"These photos hold {total / 1e6:.1f} megapixels together; one upload may hold "
                f"at most {most / 1e6:.1f}. Upload them in smaller groups.",
                code="too_many_pixels",
            )
        return cleaned


class BulkUploadForm(forms.Form):
    """Several photos at once; the typed fields apply to each, the file's credits fill gaps."""

    images = MultipleRasterImageField(label="Photos")
    agency = Photo._meta.get_field("agency").formfield()
    photographer = Photo._meta.get_field("photographer").formfield()
    copyright_holder = Photo._meta.get_field("copyright_holder").formfield()
    usage_terms = Photo._meta.get_field("usage_terms").formfield(
        widget=forms.Textarea(attrs={"rows": 2})
    )
    rights_expire_at = Photo._meta.get_field("rights_expire_at").formfield(
        widget=AdminSplitDateTime, form_class=forms.SplitDateTimeField
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_zone_hint(self, "rights_expire_at")

    def clean(self):
        cleaned_data = super().clean()
        if self.errors:
            return cleaned_data
        # Credits read from a file (e.g. a licence URL) get the same validation as typed ones.
        for upload, photo in zip(self.cleaned_data["images"], self.photos(), strict=True):
            try:
                photo.full_clean(exclude=["image"])
            except ValidationError as error:
                problems = "; ".join(
                    f"{field}: {' '.join(messages)}"
                    if field != NON_FIELD_ERRORS
                    else " ".join(messages)
                    for field, messages in error.message_dict.items()
                )
                raise ValidationError(
                    f"“{upload.name}” was not uploaded: {problems} No photo was saved."
                ) from None
        return cleaned_data

    def photos(self):
        """Unsaved Photo objects, one per file, with typed fields and file credits merged."""
        shared = {
            name: value for name, value in self.cleaned_data.items() if name != "images" and value
        }
        photos = []
        for upload in self.cleaned_data["images"]:
            values = dict(shared)
            prefill_from_metadata(values, upload)
            photos.append(Photo(image=upload, **values))
        return photos


class PhotoDescriptionForm(forms.ModelForm):
    """One photo's own words in the second step of a bulk upload."""

    class Meta:
        model = Photo
        fields = ["alt_text", "caption", "photographer", "credit_line"]
        widgets = {"caption": forms.Textarea(attrs={"rows": 3})}


PhotoDescriptionFormSet = forms.modelformset_factory(
    Photo,
    form=PhotoDescriptionForm,
    extra=0,
    # Describes existing photos only: a forged extra row never creates one.
    edit_only=True,
    max_num=settings.PHOTO_BULK_MAX_FILES,
)


def metadata_for_form(upload):
    """The credits read from `upload`, cut to the fields' lengths, as the form would take them."""
    values = {}
    prefill_from_metadata(values, upload)
    return values
