"""Is an upload a receipt? Decided by its content, in time that grows in step with its size.

"By content" means: the first bytes say PDF, JPEG or PNG whatever the file is called; the rest
agrees (a PDF ends with its end-of-file marker, an image decodes as that format); and nothing in
the part of the file other programs sniff says it is also something else (a PDF or HTML header
inside an image: a polyglot another reader could open differently). A PDF that embeds JPEG images
is still a PDF: its header says so and its images live inside its streams.

"In step with its size" (issue 14) because the check runs inside a web request: a check that
grows faster than the file is a way to stall a worker with one upload. Every pass over the bytes
is a C-level search that does a bounded amount of work per byte; what would take a Python step per
chunk, segment, stray byte or escape (Pillow walking an image, decoding a PDF's `#xx` escapes) is
counted first, and a file with more of them than any camera, scanner or PDF writer makes is refused.
"""

from __future__ import annotations

import io
import re
import warnings

from PIL import Image
from PIL.JpegImagePlugin import MARKER as JPEG_MARKERS

#: other readers look this far into a file for their own header
SNIFF_WINDOW = 1024
IMAGE_TYPES = ("image/jpeg", "image/png")
_FOREIGN = (b"%pdf-", b"<html", b"<!doctype", b"<script", b"<svg", b"<?xml", b"pk\x03\x04")
#: a PNG's chunks: a big photo written in 8 KB image chunks has ~1,300; a crafted one, millions
MAX_PNG_CHUNKS = 10_000
#: a JPEG's segments before its image data: a camera writes ~20 (tables, EXIF, a split ICC profile)
MAX_JPEG_SEGMENTS = 1_000
#: stray bytes between a JPEG's segments (padding, junk some writers leave): Pillow steps over each
MAX_JPEG_JUNK = 64 * 1024

#: What a scanned receipt never needs and a hostile PDF uses: scripts, launch actions, attached
#: or embedded files, forms that run (XFA), Flash. Names may hide behind `#xx` escapes
#: (`/Java#53cript`), so those are decoded first. A name packed in a compressed object stream is
#: not seen: the file is still only ever served as an attachment or with a no-script policy.
_ACTIVE_PDF = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA|SubmitForm|ImportData)(?![A-Za-z])")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
#: decoding is a Python call per escape; a PDF writes a few (`/Times#20New#20Roman`), not thousands
MAX_PDF_ESCAPES = 10_000
#: stream data, as the check before issue 14 cut it (only ever run up to the last closer: see below)
_PDF_STREAM = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
_STREAM_CLOSER = b"endstream"
_NOT_FF = re.compile(rb"[^\xff]*")
_FF_RUN = re.compile(rb"\xff+")


class NotAReceipt(Exception):
    """The file is not a PDF, JPEG or PNG, by its content."""


def sniff(content: bytes) -> str:
    """The file's type from its content, or NotAReceipt."""
    head = content[:SNIFF_WINDOW].lower()
    if content.startswith(b"%PDF-"):
        _check_pdf(content, head)
        return "application/pdf"
    if content.startswith(b"\xff\xd8\xff"):
        kind, expected = "image/jpeg", "JPEG"
    elif content.startswith(b"\x89PNG\r\n\x1a\n"):
        kind, expected = "image/png", "PNG"
    else:
        raise NotAReceipt("not a pdf, jpeg or png")
    if any(marker in head for marker in _FOREIGN):
        raise NotAReceipt("image that is also something else")
    if expected == "PNG":
        _count_png_chunks(content)
    else:
        _count_jpeg_steps(content)
    _decode(content, expected)
    return kind


def _check_pdf(content: bytes, head: bytes) -> None:
    if b"%%EOF" not in content[-SNIFF_WINDOW:]:
        raise NotAReceipt("pdf without its end-of-file marker")
    if any(marker in head for marker in _FOREIGN[1:]):
        raise NotAReceipt("pdf that is also something else")
    if is_active_pdf(content):
        raise NotAReceipt("pdf with scripts, actions or attached files")


def is_active_pdf(content: bytes) -> bool:
    """Whether the PDF names a script, an action or an attached file outside its stream data;
    NotAReceipt for one of more `#` than MAX_PDF_ESCAPES there."""
    names = outside_streams(content)
    if names.count(b"#") > MAX_PDF_ESCAPES:
        raise NotAReceipt("pdf of too many name escapes")
    return _ACTIVE_PDF.search(_PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), names)) is not None


def outside_streams(content: bytes) -> bytes:
    """The PDF without its stream data (images, compressed pages), in which random bytes can spell
    `/JS`: from each `stream` line to the first `endstream` after it.

    The regex alone takes time in the square of the file's size: an opener with no closer after it
    is tried against the whole rest of the file, and a file can be nothing but such openers. So it
    runs only up to the end of the last closer, where every opener has a closer after it and each
    try either fails at once or cuts what it read; past that, nothing is stream data it would cut."""
    last = content.rfind(_STREAM_CLOSER)
    if last < 0:
        return content
    end = last + len(_STREAM_CLOSER)
    return _PDF_STREAM.sub(b"", content[:end]) + content[end:]


def _count_png_chunks(content: bytes) -> None:
    """Refuse a PNG of more chunks than MAX_PNG_CHUNKS: Pillow reads each with a Python call."""
    position, chunks = 8, 0
    while position + 8 <= len(content):
        length = int.from_bytes(content[position:position + 4], "big")
        chunks += 1
        if chunks > MAX_PNG_CHUNKS:
            raise NotAReceipt("png of too many chunks")
        if content[position + 4:position + 8] == b"IEND":
            return
        position += 12 + length


def _count_jpeg_steps(content: bytes) -> None:
    """Refuse a JPEG whose header Pillow would walk in too many steps: it takes one per segment
    and one per stray byte until the image data (the start of scan). The walk follows Pillow's own
    marker table, so what is counted here is what Pillow will step through."""
    position, segments, junk = 2, 0, 0
    while True:
        stray = _NOT_FF.match(content, position).end()
        fill = _FF_RUN.match(content, stray)
        if fill is None or fill.end() >= len(content):
            return  # the end of the file: Pillow decides whether it is an image
        junk += stray - position + fill.end() - fill.start() - 1
        marker, position = 0xFF00 | content[fill.end()], fill.end() + 1
        if marker == 0xFF00:
            junk += 2  # an escaped 0xFF where a marker should be: Pillow steps over it
        else:
            segments += 1
            if marker not in JPEG_MARKERS:
                raise NotAReceipt("jpeg with an unknown marker")
            if marker == 0xFFDA:
                return  # the start of scan: Pillow stops reading the header here
            if JPEG_MARKERS[marker][2] is not None:  # a segment with a length (its own two bytes included)
                length = int.from_bytes(content[position:position + 2], "big")
                if length < 2:
                    raise NotAReceipt("jpeg segment with an impossible length")
                position += length
        if segments > MAX_JPEG_SEGMENTS or junk > MAX_JPEG_JUNK:
            raise NotAReceipt("jpeg of too many segments or stray bytes")


def _decode(content: bytes, expected: str) -> None:
    try:
        with warnings.catch_warnings():
            # Pillow warns past MAX_IMAGE_PIXELS and refuses past twice that: both are a bomb here
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content), formats=[expected])
        with image:
            if image.format != expected:
                raise NotAReceipt("image format differs from its header")
            if image.width * image.height > 80_000_000:
                raise NotAReceipt("image too large to open")
            image.verify()
    except NotAReceipt:
        raise
    except Exception:  # noqa: BLE001 - any decoding failure means "not an image"
        raise NotAReceipt("image does not decode") from None
