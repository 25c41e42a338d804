"""Image files built in the tests: agency JPEGs with credits, GPS and orientation; bad files."""

import io
import struct
import zlib

from PIL import ExifTags, Image

XMP_CREDITS = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
    xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/"
    xmlns:plus="http://ns.useplus.org/ldf/xmp/1.0/"
    xmlns:exif="http://ns.adobe.com/exif/1.0/"
    photoshop:Credit="PAP/Anna Nowak"
    photoshop:Source="PAP"
    xmpRights:WebStatement="https://example.pl/licencja-zdjec"
    plus:DataMining="http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED"
    exif:GPSLatitude="52,13.5N">
   <dc:creator><rdf:Seq><rdf:li>Anna Nowak</rdf:li></rdf:Seq></dc:creator>
   <dc:rights><rdf:Alt><rdf:li xml:lang="x-default">© PAP</rdf:li></rdf:Alt></dc:rights>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">Firefighters at the Vistula embankment.</rdf:li></rdf:Alt></dc:description>
   <xmpRights:UsageTerms><rdf:Alt><rdf:li xml:lang="x-default">Editorial use only</rdf:li></rdf:Alt></xmpRights:UsageTerms>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def iim_app13(fields):
    """An APP13 "Photoshop 3.0" segment holding an IPTC IIM block, built by hand
    (Pillow reads IIM but cannot write it). `fields` maps (record, dataset) -> str."""
    iim = b"\x1c\x01\x5a\x00\x03\x1b%G"  # 1:90 coded character set = UTF-8
    for (record, dataset), value in fields.items():
        data = value.encode()
        iim += struct.pack(">BBBH", 0x1C, record, dataset, len(data)) + data
    if len(iim) % 2:
        iim += b"\x00"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iim)) + iim
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def agency_jpeg(
    width=640, height=480, *, xmp=None, iim=None, orientation=None, gps=True, color=(30, 90, 160)
):
    """A JPEG as agencies send them: credits in XMP and/or IIM, camera EXIF with GPS."""
    image = Image.new("RGB", (width, height), color)
    # A red block in the top-left corner, to see where orientation puts it.
    image.paste((220, 20, 20), (0, 0, width // 4, height // 4))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Camera Maker"
    exif[ExifTags.Base.Model] = "Pro Body 9"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        gps_ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps_ifd[ExifTags.GPS.GPSLatitudeRef] = "N"
        gps_ifd[ExifTags.GPS.GPSLatitude] = (52.0, 13.0, 30.0)
        gps_ifd[ExifTags.GPS.GPSLongitudeRef] = "E"
        gps_ifd[ExifTags.GPS.GPSLongitude] = (21.0, 0.0, 42.0)
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = "SN-0042"
    buffer = io.BytesIO()
    options = {"exif": exif.tobytes(), "quality": 85}
    if xmp:
        options["xmp"] = xmp.encode()
    image.save(buffer, "JPEG", **options)
    data = buffer.getvalue()
    if iim:
        data = data[:2] + iim_app13(iim) + data[2:]
    return data


def png_bomb_header(width=30000, height=30000):
    """A tiny PNG whose header claims an enormous canvas (a decompression bomb)."""

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def image_bytes(fmt, width=300, height=200, color=(40, 120, 60), **options):
    buffer = io.BytesIO()
    mode = "RGBA" if fmt == "PNG" else "RGB"
    Image.new(mode, (width, height), color).save(buffer, fmt, **options)
    return buffer.getvalue()


SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script>alert(1)</script>
<rect width="100" height="100" fill="red"/></svg>"""
