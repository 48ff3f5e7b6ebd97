"""Logging that never carries personal data.

Code logs ids and types, never names, emails, access needs or bank details. As a safety net, a
filter on every handler masks anything in a log line that looks like an email address, a sort
code or an account number, and the token in a manage or set-password link (a path logged with an
error carries it), so one careless line cannot leak them.
"""

from __future__ import annotations

import logging
import re
import sys

from .manage_tokens import mask_links

_PATTERNS = [
    (re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+"), "[email]"),
    (re.compile(r"\b\d{2}-\d{2}-\d{2}\b"), "[sort-code]"),
    (re.compile(r"(?<![\d.])\d{6,10}(?![\d.])"), "[number]"),
]


def redact(text: str) -> str:
    text = mask_links(text)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg = redact(message)
        record.args = None
        if record.exc_info:
            # Tracebacks carry the exception's message; keep the frames, drop the text.
            exc_type = record.exc_info[0]
            record.exc_info = None
            record.exc_text = None
            record.msg += f" [{exc_type.__name__ if exc_type else 'error'}]"
        return True


class NoRowsFilter(logging.Filter):
    """SQLAlchemy's engine logs every row it reads once its logger is at DEBUG; rows are people's
    data, so those records are dropped wherever they would go (statements stay, their parameters
    are hidden by the engines: shared/db.py)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith(("Row ", "Col ")))


def configure(level: str = "INFO") -> None:
    """Install one stderr handler with the redacting filter (idempotent)."""
    engine_log = logging.getLogger("sqlalchemy.engine.Engine")
    if not any(isinstance(f, NoRowsFilter) for f in engine_log.filters):
        engine_log.addFilter(NoRowsFilter())
    root = logging.getLogger()
    if any(isinstance(f, RedactingFilter) for h in root.handlers for f in h.filters):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("amqp", "kombu", "waitress", "weasyprint", "fontTools", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
