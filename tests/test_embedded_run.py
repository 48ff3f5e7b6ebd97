"""`kx run`: the whole system in one process, as `make run` starts it."""

from __future__ import annotations

import json
import signal

from sqlalchemy import func, select

from shared.bootstrap import migrate
from shared.config import load
from shared.outbox import emit
from shared.registry import load_service
from shared.service import Runtime
from shared.testing import embedded_env, free_port, staff_token, wait_until
from tests.support.processes import Processes, http, wait_for_http


def _unsent(settings, service: str) -> int:
    runtime = Runtime(load_service(service), settings)
    outbox = runtime.service.outbox
    with runtime.session() as session:
        count = session.scalar(select(func.count()).select_from(outbox).where(outbox.sent_at.is_(None)))
    runtime.dispose()
    return count


def test_kx_run_serves_all_four_services_carries_events_and_stops_cleanly(tmp_path):
    port = free_port()
    env = embedded_env(tmp_path / "var", KX_PORT=str(port))
    settings = load(env)
    base = f"http://127.0.0.1:{port}"

    # An event committed before a previous stop, never published: the restart must publish it.
    migrate(settings)
    runtime = Runtime(load_service("learning"), settings)
    with runtime.session() as session, session.begin():
        emit(session, "system.ping", {"service": "learning", "nonce": "left over"})
    runtime.dispose()
    assert _unsent(settings, "learning") == 1

    processes = Processes(env, tmp_path)
    server = processes.start("run")
    try:
        for service in ("registration", "notifications", "learning", "expenses"):
            wait_for_http(f"{base}/{service}/healthz")
        status, _ = http("GET", f"{base}/registration/healthz")
        assert status == 200
        wait_until(lambda: _unsent(settings, "learning") == 0, message="the left-over event to be published")

        admin = staff_token(settings, {"admin": []})
        status, body = http("POST", f"{base}/registration/api/diagnostics/ping", token=admin, body=b"{}")
        assert status == 202
        event_id = json.loads(body)["event_id"]
        for service in ("notifications", "learning", "expenses"):
            wait_until(lambda s=service: http("GET", f"{base}/{s}/api/diagnostics/pings/{event_id}", token=admin)[0] == 200,
                       message=f"{service} to receive the ping")
    finally:
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=30) == 0, "Ctrl-C stops kx run cleanly"
    log = (tmp_path / "run.log").read_text()
    assert "kx: stopped." in log
    assert "Traceback" not in log


def test_the_root_redirects_to_the_catalogue(tmp_path):
    from werkzeug.test import Client

    from shared.embedded import PrefixDispatcher

    client = Client(PrefixDispatcher({"/registration": lambda e, s: []}))
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/registration/"


def test_the_demo_programme_loaded_before_start_reaches_every_service(tmp_path):
    """`kx run` loads the demo programme before its workers start. Registration's relay must not
    publish those events before every other service has bound its queues: the in-process
    transport, like a broker, drops a message no queue is bound for (learning's list of exchanges
    once stayed empty this way, and hosts saw no summary to write)."""
    from services.learning.models import Exchange as LearningExchange
    from services.registration.models import Exchange
    from shared.embedded import Embedded, prepare

    settings = load(embedded_env(tmp_path / "var", KX_DEMO="1"))
    prepare(settings)
    embedded = Embedded(settings)
    embedded.start_workers()

    def count(service: str, model) -> int:
        with embedded.runtimes[service].session() as session:
            return session.scalar(select(func.count()).select_from(model))

    try:
        published = count("registration", Exchange)
        assert published > 0
        wait_until(lambda: count("learning", LearningExchange) == published, timeout=10,
                   message="learning to hold every exchange of the demo programme")
    finally:
        embedded.shutdown()
