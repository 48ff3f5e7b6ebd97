"""Is an upload a receipt? Decided by its content, in time that grows in step with its size.

"By content" means: the first bytes say PDF, JPEG or PNG whatever the file is called; the rest
agrees (a PDF ends with its end-of-file marker, an image decodes as that format); and nothing in
the part of the file other programs sniff says it is also something else (a PDF or HTML header
inside an image: a polyglot another reader could open differently). A PDF that embeds JPEG images
is still a PDF: its header says so and its images live inside its streams.

"In step with its size" (issue 14) because the check runs inside a web request: a check that
grows faster than the file is a way to stall a worker with one upload. Every pass over the bytes
is a C-level search that never goes back over what it has passed; where Pillow walks an image a
chunk, a segment or a stray byte at a time in Python, the image is first walked here with a
count, and one with more steps than any camera or scanner writes is refused before Pillow sees it.
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
#: or embedded files, forms that run (XFA), Flash. A name packed in a compressed object stream is
#: not seen: the file is still only ever served as an attachment or with a no-script policy.
ACTIVE_PDF_NAMES = ("JavaScript", "JS", "Launch", "EmbeddedFiles", "EmbeddedFile", "RichMedia", "XFA", "SubmitForm",
                    "ImportData")


def _spelt(char: str) -> str:
    """A character of a PDF name as the file may write it: itself or its `#xx` escape (`/Java#53cript`)."""
    escape = "#" + "".join(f"[{d}{d.lower()}]" if d.isalpha() else d for d in f"{ord(char):02X}")
    return f"(?:{re.escape(char)}|{escape})"


#: the names, each letter plain or escaped, not followed by another letter (plain or escaped). Matched
#: where they are written, rather than after decoding the escapes, which was a Python call per escape
_ACTIVE_PDF = re.compile("{slash}(?:{names})(?![A-Za-z]|#(?:[46][1-9A-Fa-f]|[57][0-9Aa]))".format(
    slash=_spelt("/"), names="|".join("".join(_spelt(c) for c in name) for name in ACTIVE_PDF_NAMES)).encode())
_STREAM_OPENER = re.compile(rb"stream\r?\n")
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
    """Whether the PDF names a script, an action or an attached file outside its stream data."""
    return _ACTIVE_PDF.search(outside_streams(content)) is not None


def outside_streams(content: bytes) -> bytes:
    """The PDF without its stream data (images, compressed pages), in which random bytes can spell
    `/JS`: from each `stream` line to the first `endstream` after it, as `stream\\r?\\n.*?endstream`
    would cut, but in one pass. That regex tried every opener against the rest of the file, so a
    file of openers without closers took time in the square of its size. Here each search starts
    where the last stream ended, and an opener with no closer after it ends the cutting (no later
    opener has one either)."""
    kept, position = [], 0
    while (opener := _STREAM_OPENER.search(content, position)) is not None:
        closer = content.find(_STREAM_CLOSER, opener.end())
        if closer < 0:
            break
        kept.append(content[position:opener.start()])
        position = closer + len(_STREAM_CLOSER)
    kept.append(content[position:])
    return b"".join(kept)


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
