"""Reader-facing copies of photos: resized, cropped around the focal point, cleaned.

Our own small module rather than easy-thumbnails / sorl-thumbnail / django-imagekit,
because none of them writes IPTC XMP (credit, rights, the TDM reservation) into the
output, strips EXIF selectively, or exposes a srcset without a cache or database
lookup per image. Here every rendition is made once, when the photo is saved, into
names derived from the inputs; the list lives in `Photo.renditions` (a JSONField), so a
listing of 20 cards builds every srcset from the rows it already loaded.
"""

import hashlib
import io
import json
import math
from xml.sax.saxutils import escape, quoteattr

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import ExifTags, Image

from publishing.version import bump_version

from .rights import rendition_folder, rendition_names, withdraw

# Bump when the output changes (sizes, quality, metadata), to regenerate everything.
SPEC_VERSION = 2  # 2: the rights' end in the folder name (media.rights)
WIDTHS = (320, 640, 960, 1280, 1600)
# Fixed aspects: name -> (width, height). 16x9/4x3/1x1 are >= 1200 px wide for Google's
# NewsArticle image; social is the Open Graph card; thumb is for the admin and pickers.
CROPS = {
    "thumb": (240, 160),
    "social": (1200, 630),
    "16x9": (1200, 675),
    "4x3": (1200, 900),
    "1x1": (1200, 1200),
}
JPEG_QUALITY = 82
WEBP_QUALITY = 78
TDM_RESERVED = "http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING"
EXIF_ARTIST = 0x013B
EXIF_COPYRIGHT = 0x8298


def _data_mining(photo):
    from legal.tdm import current_reservation

    if current_reservation().reserved:
        return TDM_RESERVED
    return photo.data_mining


def _fingerprint(photo, data_mining):
    inputs = [
        SPEC_VERSION,
        photo.image.name,
        round(photo.focal_x, 4),
        round(photo.focal_y, 4),
        photo.photographer,
        photo.credit_text,
        photo.copyright_notice,
        photo.agency,
        photo.usage_terms,
        photo.licence_url,
        photo.licensor_url,
        data_mining,
        # Cache lifetimes are capped at the rights' end (media.rights), so a new end date
        # needs new names: no browser or CDN may keep a copy made under the old one.
        photo.rights_expire_at.isoformat() if photo.rights_expire_at else None,
    ]
    return hashlib.sha256(json.dumps(inputs).encode()).hexdigest()[:12]


def build_xmp(photo, data_mining):
    """A fresh XMP packet with only the credit and rights fields (never the original's,
    which may hold GPS or camera serial numbers). IPTC mapping: STANDARDS.md §6."""

    def alt(value):
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(value)}</rdf:li></rdf:Alt>'

    attributes = {
        "photoshop:Credit": photo.credit_text,
        "photoshop:Source": photo.agency,
        "xmpRights:WebStatement": photo.licence_url,
        "plus:DataMining": data_mining,
    }
    elements = []
    if photo.photographer:
        elements.append(
            f"<dc:creator><rdf:Seq><rdf:li>{escape(photo.photographer)}</rdf:li></rdf:Seq></dc:creator>"
        )
    if photo.copyright_notice:
        elements.append(f"<dc:rights>{alt(photo.copyright_notice)}</dc:rights>")
    if photo.usage_terms:
        elements.append(f"<xmpRights:UsageTerms>{alt(photo.usage_terms)}</xmpRights:UsageTerms>")
    if photo.licensor_url:
        elements.append(
            '<plus:Licensor><rdf:Seq><rdf:li rdf:parseType="Resource">'
            f"<plus:LicensorURL>{escape(photo.licensor_url)}</plus:LicensorURL>"
            "</rdf:li></rdf:Seq></plus:Licensor>"
        )
    attrs = "".join(f" {key}={quoteattr(value)}" for key, value in attributes.items() if value)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about=""'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"'
        ' xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/"'
        ' xmlns:plus="http://ns.useplus.org/ldf/xmp/1.0/"'
        f"{attrs}>{''.join(elements)}</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    ).encode()


def _exif(photo):
    """Only the credit survives in EXIF: no GPS, camera serials, owner names or dates.

    EXIF text fields are nominally ASCII; UTF-8 bytes keep "©" and "Ł" for the readers
    that matter (ExifTool, browsers, agencies' tools). XMP above is the full record.
    """
    exif = Image.Exif()
    if photo.photographer:
        exif[EXIF_ARTIST] = photo.photographer.encode()
    if photo.copyright_notice:
        exif[EXIF_COPYRIGHT] = photo.copyright_notice.encode()
    return exif.tobytes()


# EXIF orientation -> the transpose that makes the picture upright (as ImageOps.exif_transpose).
UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def working_scale(width, height):
    """How far an upright width×height original may shrink before any rendition is cut
    from it, with every rendition still made from at least as many pixels as it has."""
    scale = min(width, WIDTHS[-1]) / width
    for target_width, target_height in CROPS.values():
        box_width = min(width, height * target_width / target_height)
        scale = max(scale, min(box_width, target_width) / box_width)
    return min(scale, 1)


def _working_copy(photo):
    """The original decoded once, first frame, upright, in RGB/RGBA, and shrunk to what the
    renditions need (1,600 px wide for a landscape photo) before anything else is made.

    A JPEG is decoded straight at a reduced scale (draft); other formats are decoded in
    full and reduced at once, so only one full-size copy ever exists, and only here.
    Returns (image, upright original size, ICC profile, source format).
    """
    with photo.image.open("rb") as handle:
        image = Image.open(handle)
        image.seek(0)
        # A camera's MPO is a JPEG with more pictures after it (the first is the photo).
        source_format = "JPEG" if image.format == "MPO" else image.format or ""
        icc = image.info.get("icc_profile")
        # A PNG's getexif() would decode every pixel to look past the image data.
        readable = image.format != "PNG" or "exif" in image.info
        orientation = image.getexif().get(ExifTags.Base.Orientation, 1) if readable else 1
        width, height = image.size
        upright = (height, width) if orientation in (5, 6, 7, 8) else (width, height)
        scale = working_scale(*upright)
        box = (max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale)))
        has_alpha = image.mode in ("RGBA", "LA") or (
            image.mode == "P" and "transparency" in image.info
        )
        if scale < 1 and source_format == "JPEG":
            image.draft("RGB", box)
        image.load()
    mode = "RGBA" if has_alpha else "RGB"
    # Shrink first where Pillow can resample the decoded mode itself (a converted full-size
    # copy would double the memory); palette, CMYK and 16-bit images are converted first.
    if image.mode not in ("L", "LA", "RGB", "RGBA"):
        image = image.convert(mode)
    if image.size != box:
        image = image.resize(box, Image.Resampling.LANCZOS, reducing_gap=2.0)
    if image.mode != mode:
        image = image.convert(mode)
    if orientation in UPRIGHT:
        image = image.transpose(UPRIGHT[orientation])
    return image, upright, icc, source_format


def _focal_crop(image, focal_x, focal_y, ratio):
    """The largest box of `ratio` (w/h) inside the image, centred on the focal point."""
    width, height = image.size
    if width / height > ratio:
        box_w, box_h = round(height * ratio), height
    else:
        box_w, box_h = width, round(width / ratio)
    left = min(max(round(focal_x * width - box_w / 2), 0), width - box_w)
    top = min(max(round(focal_y * height - box_h / 2), 0), height - box_h)
    return image.crop((left, top, left + box_w, top + box_h))


def _encode(image, fmt, icc, xmp, exif):
    buffer = io.BytesIO()
    if fmt == "jpeg":
        if image.mode == "RGBA":
            flat = Image.new("RGB", image.size, (255, 255, 255))
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
        image.save(
            buffer,
            "JPEG",
            quality=JPEG_QUALITY,
            optimize=True,
            progressive=True,
            icc_profile=icc,
            xmp=xmp,
            exif=exif,
        )
    else:
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, icc_profile=icc, xmp=xmp, exif=exif)
    return buffer.getvalue()


def generate_renditions(photo, *, force=False):
    """Make every rendition of `photo` unless the current set already matches its inputs.

    Returns True when files were written. Old files are deleted after the new set is saved.
    A photo past its rights gets none: its renditions are withdrawn instead.
    """
    if photo.rights_expired():
        if photo.renditions or photo.renditions_withdrawn_at is None:
            withdraw(photo)
        return False
    data_mining = _data_mining(photo)
    fingerprint = _fingerprint(photo, data_mining)
    if not force and photo.renditions.get("fingerprint") == fingerprint:
        return False
    image, (width, height), icc, source_format = _working_copy(photo)
    xmp, exif = build_xmp(photo, data_mining), _exif(photo)
    folder = rendition_folder(photo.pk, fingerprint, photo.rights_expire_at)

    def store(picture, name, fmt):
        data = _encode(picture, fmt, icc, xmp, exif)
        stored = default_storage.save(
            f"{folder}/{name}.{'jpg' if fmt == 'jpeg' else 'webp'}", ContentFile(data)
        )
        return {"name": stored, "width": picture.width, "height": picture.height}

    widths = {"webp": [], "jpeg": []}
    # Never upscale: a small original gets one rendition at its own width. Sizes come from
    # the original; the pixels from the working copy, which is at least that large.
    targets = [w for w in WIDTHS if w < width] + [min(width, WIDTHS[-1])]
    for target in sorted(set(targets)):
        size = (target, max(1, round(height * target / width)))
        resized = image if size == image.size else image.resize(size, Image.Resampling.LANCZOS)
        for fmt in ("webp", "jpeg"):
            widths[fmt].append(store(resized, f"w{target}", fmt))
        del resized
    crops = {}
    for kind, size in CROPS.items():
        cropped = _focal_crop(image, photo.focal_x, photo.focal_y, size[0] / size[1])
        if cropped.width >= size[0] and cropped.size != size:
            cropped = cropped.resize(size, Image.Resampling.LANCZOS)
        crops[kind] = store(cropped, kind, "jpeg")
    image.close()

    old = photo.renditions
    photo.renditions = {"fingerprint": fingerprint, "widths": widths, "crops": crops}
    photo.format = source_format
    photo.renditions_withdrawn_at = None
    type(photo).objects.filter(pk=photo.pk).update(
        renditions=photo.renditions, format=photo.format, renditions_withdrawn_at=None
    )

    def after_commit():
        # update() sends no signal: cached pages still name the old files, so drop them
        # first, and only then the files (a rolled-back save keeps the old ones). A photo
        # no reader sees (a fresh upload, a draft's) is on no cached page.
        if type(photo).objects.shown_to_readers().filter(pk=photo.pk).exists():
            bump_version()
        delete_renditions(old)

    transaction.on_commit(after_commit)
    return True


def delete_renditions(renditions):
    for name in rendition_names(renditions):
        default_storage.delete(name)
