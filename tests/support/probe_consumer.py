"""A consumer process for crash tests: it dies (os._exit) the first time it handles an event.

    python -m tests.support.probe_consumer MODE MARKER_FILE DATABASE_URL

MODE `in_handler` dies after the handler's work, before the commit; `after_commit` dies after the
commit, before the ack. Settings come from the environment, as for `kx worker`.
"""

import os
import sys
import threading

from sqlalchemy import event

from shared.config import load
from shared.consumer import Consumer
from shared.service import Runtime
from shared.testing import effect_service

CRASH_EXIT_CODE = 3


def main(mode: str, marker: str, database_url: str) -> None:
    def crash_once(session, envelope, data):
        if os.path.exists(marker):
            return
        open(marker, "w").close()  # noqa: SIM115 - the file's existence is the marker
        if mode == "in_handler":
            os._exit(CRASH_EXIT_CODE)
        event.listen(session, "after_commit", lambda _s: os._exit(CRASH_EXIT_CODE))

    service, _effect = effect_service(crash_once)
    runtime = Runtime(service, load(), database_url=database_url)
    Consumer(runtime, service.handlers).run(threading.Event())


if __name__ == "__main__":
    main(*sys.argv[1:4])
