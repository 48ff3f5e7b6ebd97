"""Receipt files: who may upload them and how many, checked by their content (receipt_check.py),
kept outside any served folder under random names, and deleted when no claim took them up.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import event, exists, func, select
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.errors import ApiError
from shared.private_files import private_folder

from ..config import expenses_settings
from ..models import Claimant, ClaimItem, Receipt
from . import claims
from .receipt_check import IMAGE_TYPES, NotAReceipt, sniff

MAX_BYTES = 10 * 1024 * 1024
#: receipts one claimant may keep: a claim's costs, several times over, and no more (issue 14)
MAX_RECEIPTS = 50
#: how long a receipt waits for a claim line before it is deleted
UNATTACHED_FOR = timedelta(hours=24)

__all__ = ["IMAGE_TYPES", "MAX_BYTES", "MAX_RECEIPTS", "NotAReceipt", "upload", "store", "forget_unattached"]


def upload(session: Session, settings, claimant: Claimant, filename: str | None, content: bytes) -> Receipt:
    """A claimant's upload: 403 unless they may claim now, 409 past MAX_RECEIPTS, then `store`."""
    claims.refuse_unless_may_claim(session, claimant, settings)
    # one upload of a claimant at a time, so two at once cannot both be the 50th
    session.execute(select(Claimant.application_id).where(Claimant.application_id == claimant.application_id)
                    .with_for_update())
    held = session.scalar(select(func.count()).select_from(Receipt)
                          .where(Receipt.application_id == claimant.application_id))
    if held >= MAX_RECEIPTS:
        message = _("You have uploaded %(limit)s receipts, the most anyone can. Use one you have already "
                    "uploaded, or ask finance.", limit=MAX_RECEIPTS)
        raise ApiError(409, message, code="too_many_receipts", fields={"file": [message]})
    return store(session, settings, claimant.application_id, filename, content)


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


def forget_unattached(session: Session, settings, now: datetime | None = None) -> int:
    """Delete the receipts on no claim line UNATTACHED_FOR after their upload, and their files once
    that commits; also files left with no row by an upload whose transaction failed. How many went.

    The rows are locked (SKIP LOCKED) before they go, and a claim taking a receipt up locks it too
    (items.py), so a receipt attached at the last moment is either skipped here or not found there."""
    cutoff = (now or utcnow()) - UNATTACHED_FOR
    attached = exists().where(ClaimItem.receipt_id == Receipt.id)
    stale = list(session.scalars(select(Receipt).where(Receipt.created_at < cutoff, ~attached)
                                 .order_by(Receipt.id).limit(500).with_for_update(skip_locked=True)))
    for receipt in stale:
        session.delete(receipt)
    session.flush()
    unlink_after_commit(session, [path_of(settings, r) for r in stale] + _files_without_rows(session, settings, cutoff))
    return len(stale)


def _files_without_rows(session: Session, settings, cutoff: datetime) -> list[Path]:
    known = set(session.scalars(select(Receipt.stored_name)))
    folder = receipts_dir(settings)
    return [path for path in folder.iterdir() if path.name not in known
            and datetime.fromtimestamp(path.stat().st_mtime, cutoff.tzinfo) < cutoff]


def unlink_after_commit(session: Session, paths: list[Path]) -> None:
    """Receipt files go once the rows that name them are gone for good (not if the transaction fails)."""
    if not paths:
        return

    def unlink(_session):
        for path in paths:
            path.unlink(missing_ok=True)

    event.listen(session, "after_commit", unlink, once=True)
