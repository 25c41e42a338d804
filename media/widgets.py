from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.urls import reverse

from .models import Photo


class PhotoPickerWidget(ForeignKeyRawIdWidget):
    """Raw-id photo field with a thumbnail preview.

    The magnifier opens the photo list (thumbnails, search, filters) as a picker;
    photo-picker.js refreshes the preview when the chosen id changes. Static JS only,
    because the CSP forbids inline scripts.
    """

    template_name = "media/widgets/photo_picker.html"

    class Media:
        js = ["media/photo-picker.js"]
        css = {"all": ["media/admin.css"]}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        photo = Photo.objects.filter(pk=value).first() if str(value or "").isdigit() else None
        context["photo"] = photo
        context["preview_url"] = reverse(f"{self.admin_site.name}:media_photo_preview")
        context["widget"]["attrs"]["class"] = (
            context["widget"]["attrs"].get("class", "") + " photo-picker__input"
        ).strip()
        return context
