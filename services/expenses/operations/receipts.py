"""Receipt files: checked by their content, kept outside any served folder under random names.

"Checked by content" means: the first bytes say PDF, JPEG or PNG whatever the file is called; the
rest agrees (a PDF ends with its end-of-file marker, an image decodes as that format); and nothing
in the part of the file other programs sniff says it is also something else (a PDF or HTML header
inside an image: a polyglot another reader could open differently). A PDF that embeds JPEG images
is still a PDF: its header says so and its images live inside its streams.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import warnings
from pathlib import Path

from flask_babel import gettext as _
from PIL import Image
from sqlalchemy.orm import Session

from shared.errors import ApiError
from shared.private_files import private_folder

from ..config import expenses_settings
from ..models import Receipt

MAX_BYTES = 10 * 1024 * 1024
#: other readers look this far into a file for their own header
SNIFF_WINDOW = 1024
IMAGE_TYPES = ("image/jpeg", "image/png")
_FOREIGN = (b"%pdf-", b"<html", b"<!doctype", b"<script", b"<svg", b"<?xml", b"pk\x03\x04")


#: What a scanned receipt never needs and a hostile PDF uses: scripts, launch actions, attached
#: or embedded files, forms that run (XFA), Flash. Names may hide behind `#xx` escapes
#: (`/Java#53cript`), so those are decoded first. A name packed in a compressed object stream is
#: not seen: the file is still only ever served as an attachment or with a no-script policy.
_ACTIVE_PDF = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA|SubmitForm|ImportData)(?![A-Za-z])")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
#: stream data (images, compressed pages) is left out of that search: random bytes can spell `/JS`
_PDF_STREAM = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)


def _unescape(match: re.Match) -> bytes:
    return bytes([int(match.group(1), 16)])


class NotAReceipt(Exception):
    """The file is not a PDF, JPEG or PNG, by its content."""


def sniff(content: bytes) -> str:
    """The file's type from its content, or NotAReceipt."""
    head = content[:SNIFF_WINDOW].lower()
    if content.startswith(b"%PDF-"):
        if b"%%EOF" not in content[-SNIFF_WINDOW:]:
            raise NotAReceipt("pdf without its end-of-file marker")
        if any(marker in head for marker in _FOREIGN[1:]):
            raise NotAReceipt("pdf that is also something else")
        if _ACTIVE_PDF.search(_PDF_NAME_ESCAPE.sub(_unescape, _PDF_STREAM.sub(b"", content))):
            raise NotAReceipt("pdf with scripts, actions or attached files")
        return "application/pdf"
    if content.startswith(b"\xff\xd8\xff"):
        kind, expected = "image/jpeg", "JPEG"
    elif content.startswith(b"\x89PNG\r\n\x1a\n"):
        kind, expected = "image/png", "PNG"
    else:
        raise NotAReceipt("not a pdf, jpeg or png")
    if any(marker in head for marker in _FOREIGN):
        raise NotAReceipt("image that is also something else")
    _decode(content, expected)
    return kind


def _decode(content: bytes, expected: str) -> None:
    try:
        with warnings.catch_warnings():
            # Pillow warns past MAX_IMAGE_PIXELS and refuses past twice that: both are a bomb here
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
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


def clean_filename(name: str | None) -> str:
    base = os.path.basename((name or "").replace("\\", "/"))
    base = re.sub(r"[^A-Za-z0-9._ -]", "_", base).strip(" .")
    return base[:100] or "receipt"


def store(session: Session, settings, application_id: int, filename: str | None, content: bytes) -> Receipt:
    """Check and keep an uploaded file for this claimant; 413 too large, 422 not a receipt."""
    if len(content) > MAX_BYTES:
        raise ApiError(413, _("The file is larger than 10 MB. Take a smaller photo or scan."), code="too_large")
    if not content:
        raise ApiError(422, _("The file is empty."), code="invalid", fields={"file": [_("The selected file is empty.")]})
    try:
        content_type = sniff(content)
    except NotAReceipt:
        raise ApiError(422, _("The file must be a PDF, JPG or PNG."), code="not_a_receipt",
                       fields={"file": [_("The file must be a PDF, JPG or PNG (a photo or a scan of the receipt).")]}) from None
    folder = receipts_dir(settings)
    stored_name = secrets.token_hex(16)
    path = folder / stored_name
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
        handle.write(content)
    receipt = Receipt(application_id=application_id, stored_name=stored_name, content_type=content_type,
                      size=len(content), sha256=hashlib.sha256(content).hexdigest(), filename=clean_filename(filename))
    session.add(receipt)
    session.flush()
    return receipt


def receipts_dir(settings) -> Path:
    folder = expenses_settings(settings).receipts_dir
    return private_folder(folder)


def path_of(settings, receipt: Receipt) -> Path:
    return receipts_dir(settings) / receipt.stored_name


def read_upload(stream, limit: int = MAX_BYTES) -> bytes:
    """Read at most limit + 1 bytes, so an oversized file is known without reading all of it."""
    return stream.read(limit + 1)
