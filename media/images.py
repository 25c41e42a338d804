"""Checking uploaded files and reading the credits agencies embed in them.

Only raster formats that browsers display and Pillow decodes safely are accepted:
JPEG, PNG, WebP and GIF (first frame). Refused on purpose: SVG (an XML document that
can carry scripts and external references, not pixels), TIFF/BMP/HEIC/PSD (browsers do
not show them and agencies deliver JPEG), and anything Pillow cannot decode fully.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, IptcImagePlugin

from core.validators import CONTROL_CHARACTER

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
ACCEPTED_HELP = "JPEG, PNG, WebP or GIF"


def _looks_like_svg(head):
    text = head.lstrip().lower()
    return text.startswith(b"<?xml") or b"<svg" in text[:1024]


class CheckedImage:
    """What the form keeps of an upload: its format, size and credits, never its pixels."""

    def __init__(self, format, width, height, metadata):
        self.format, self.width, self.height, self.metadata = format, width, height, metadata

    @property
    def pixels(self):
        return self.width * self.height


def check_image(file):
    """Check `file` is a raster image we accept, cheaply; raise ValidationError otherwise.

    Reads the header (size, credits) and proves the file whole without holding its decoded
    pixels: a PNG's chunks are checked against their CRCs, a JPEG is decoded at an eighth
    of its size (a truncated file still fails), GIF and WebP (small, rare) are decoded and
    let go. The one full decode happens later, when the renditions are made.
    """
    size = getattr(file, "size", None)
    if not size:
        raise ValidationError("The file is empty (0 bytes). Choose the photo again.", code="empty")
    limit = settings.PHOTO_MAX_UPLOAD_BYTES
    if size > limit:
        raise ValidationError(
            f"The file is {filesizeformat(size)}; photos may be at most {filesizeformat(limit)}.",
            code="too_large",
        )
    file.seek(0)
    head = file.read(2048)
    file.seek(0)
    if _looks_like_svg(head):
        raise ValidationError(
            "SVG files are not accepted: they are documents that can carry scripts, not "
            f"photos. Upload a {ACCEPTED_HELP} file.",
            code="svg",
        )
    try:
        # Pillow refuses anything over twice MAX_IMAGE_PIXELS itself; our own, lower
        # limit below is checked from the header, before any pixel is decoded.
        image = Image.open(file, formats=ACCEPTED_FORMATS)
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except Exception:
        raise ValidationError(
            f"This file is not a {ACCEPTED_HELP} image (whatever its name says).",
            code="not_image",
        ) from None
    with image:
        width, height = image.size
        if width * height > settings.PHOTO_MAX_PIXELS:
            raise _too_many_pixels(width, height)
        # A camera's MPO is a JPEG with more pictures after it; the first is the photo.
        fmt = "JPEG" if image.format == "MPO" else image.format
        checked = CheckedImage(fmt, width, height, read_embedded_metadata(image))
        try:
            _prove_whole(image)
        except Exception:
            raise ValidationError(
                "The image is damaged or incomplete (the upload may have been cut off). "
                "Export it again and upload the new file.",
                code="damaged",
            ) from None
    file.seek(0)
    return checked


def _prove_whole(image):
    if image.format == "PNG":
        image.verify()
    elif image.format in ("JPEG", "MPO"):
        image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
        image.load()
    else:
        image.load()


def _too_many_pixels(width=None, height=None):
    size = f" ({width}×{height} pixels)" if width else ""
    megapixels = settings.PHOTO_MAX_PIXELS // 1_000_000
    return ValidationError(
        f"The image is too large to process{size}; the limit is {megapixels} megapixels.",
        code="too_many_pixels",
    )


# Embedded metadata ----------------------------------------------------------------


def _text(value):
    """Flatten what Pillow's getxmp() gives for a property (str, Alt/Seq/Bag dicts, lists)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return ", ".join(t for t in (_text(v) for v in value) if t)
    if isinstance(value, dict):
        for key in ("Alt", "Seq", "Bag", "li", "text"):
            if key in value:
                return _text(value[key])
        if "resource" in value:
            return _text(value["resource"])
    return ""


def _xmp_description(image):
    try:
        xmp = image.getxmp()
    except Exception:
        return {}
    descriptions = xmp.get("xmpmeta", {}).get("RDF", {}).get("Description", {})
    # Several rdf:Description blocks come back as a list; merge them.
    if isinstance(descriptions, list):
        merged = {}
        for description in descriptions:
            if isinstance(description, dict):
                merged.update(description)
        return merged
    return descriptions if isinstance(descriptions, dict) else {}


def _iptc(image):
    try:
        info = IptcImagePlugin.getiptcinfo(image) or {}
    except Exception:
        return {}
    encoding = "utf-8" if info.get((1, 90)) == b"\x1b%G" else "cp1252"

    def text(key):
        value = info.get(key)
        if isinstance(value, list):
            value = value[0] if value else b""
        return value.decode(encoding, "replace").strip() if value else ""

    return {
        "photographer": text((2, 80)),
        "credit_line": text((2, 110)),
        "agency": text((2, 115)),
        "copyright": text((2, 116)),
        "caption": text((2, 120)),
    }


def _exif(image):
    if image.format == "PNG" and "exif" not in image.info:
        # Pillow would decode every pixel to look for an eXIf chunk after the image data.
        return {}
    try:
        exif = image.getexif()
    except Exception:
        return {}

    def text(tag):
        value = exif.get(tag, "")
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        return str(value).strip("\x00 ")

    return {"photographer": text(0x013B), "copyright": text(0x8298), "caption": text(0x010E)}


_COPYRIGHT_PREFIX = re.compile(r"^\s*(©|\(c\)|copyright)\s*", re.IGNORECASE)


def read_embedded_metadata(image):
    """Credits the file carries, keyed by Photo field name; XMP first, then IIM, then EXIF.

    IPTC Photo Metadata mapping: STANDARDS.md §6.
    """
    xmp = _xmp_description(image)
    licensor = xmp.get("Licensor")
    xmp_fields = {
        "photographer": _text(xmp.get("creator")),
        "credit_line": _text(xmp.get("Credit")),
        "agency": _text(xmp.get("Source")),
        "copyright": _text(xmp.get("rights")),
        "caption": _text(xmp.get("description")),
        "usage_terms": _text(xmp.get("UsageTerms")),
        "licence_url": _text(xmp.get("WebStatement")),
        "data_mining": _text(xmp.get("DataMining")),
        "alt_text": _text(xmp.get("AltTextAccessibility")),
        "licensor_url": "",
    }
    if licensor:
        entries = licensor.get("Seq", licensor) if isinstance(licensor, dict) else licensor
        entries = entries.get("li", entries) if isinstance(entries, dict) else entries
        for entry in entries if isinstance(entries, list) else [entries]:
            if isinstance(entry, dict) and entry.get("LicensorURL"):
                xmp_fields["licensor_url"] = _text(entry["LicensorURL"])
                break
    sources = [xmp_fields, _iptc(image), _exif(image)]
    found = {}
    for key in xmp_fields:
        found[key] = next((s.get(key) for s in sources if s.get(key)), "")
        # Agency systems leave control characters in captions and credits; typed, they are
        # refused, but what a file carries is taken without them, so the batch goes on.
        found[key] = CONTROL_CHARACTER.sub("", found[key]).strip()
    found["copyright_holder"] = _COPYRIGHT_PREFIX.sub("", found.pop("copyright")).strip()
    if found["data_mining"] not in {value for value, _ in _data_mining_choices()}:
        found["data_mining"] = ""
    for url_field in ("licence_url", "licensor_url"):
        if not found[url_field].startswith(("https://", "http://")):
            found[url_field] = ""
    return {key: value for key, value in found.items() if value}


def _data_mining_choices():
    from .models import Photo

    return Photo.DataMining.choices
