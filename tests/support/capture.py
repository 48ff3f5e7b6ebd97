"""Every log record (before any filter rewrites it) and every envelope as it is handed to the broker,
for the tests that search them for personal data or tokens."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from shared.bus import Bus


class Everything(logging.Handler):
    """Keeps every record as it was logged, with its traceback, before any filter rewrites it."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record):
        self.lines.append(self.format(record))


@contextmanager
def logs_and_envelopes(monkeypatch) -> Iterator[tuple[list[str], list[str]]]:
    """(log lines, published envelopes as JSON text), every logger at DEBUG meanwhile."""
    handler = Everything()
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in [*logging.root.manager.loggerDict, ""]}
    root.handlers.insert(0, handler)
    for name in levels:
        logging.getLogger(name).setLevel(logging.DEBUG)
    published: list[str] = []
    publish = Bus.publish

    def recording(self, producer, envelope_json, event_type, event_id):
        published.append(envelope_json)
        return publish(self, producer, envelope_json, event_type, event_id)

    monkeypatch.setattr(Bus, "publish", recording)
    try:
        yield handler.lines, published
    finally:
        root.removeHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
