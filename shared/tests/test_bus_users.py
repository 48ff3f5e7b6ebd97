"""The services' RabbitMQ users (shared/bus_users.py): what each may touch, and `kx bus-users`.

On the real broker, `tests/test_bus_publishers.py` shows the users at work (each declares its own
queues and may not take another's). The management API is not enabled on the test machine's
broker, so `kx bus-users` is checked here against a local HTTP server that records the request it
would send RabbitMQ: `POST /api/definitions`, as the administrator, with the definitions document.
"""

import base64
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from shared.bus_users import as_user, definitions, permissions, vhost_of
from shared.cli import main
from shared.config import SERVICES
from shared.events.publishers import routing_keys_of

PASSWORDS = {service: f"{service}-password-0123456789" for service in SERVICES}


@pytest.mark.parametrize(("kind", "name", "allowed"), [
    ("configure", "kx.events", True), ("configure", "kx.dead", True),
    ("configure", "kx.learning.catalogue", True), ("configure", "kx.learning.catalogue.dead", True),
    ("configure", "kx.expenses.programme-end", False), ("configure", "kx.learningx.catalogue", False),
    ("configure", "other.learning.catalogue", False), ("configure", "kx.learning.catalogue.dead.more", False),
    ("write", "amq.default", True), ("write", "kx.events", True), ("write", "kx.registration.bookings", False),
    ("read", "kx.learning.bookings", True), ("read", "kx.notifications.bookings", False),
    ("read", "amq.default", False),
])
def test_a_services_user_touches_the_exchanges_and_its_own_queues_only(kind, name, allowed):
    assert bool(re.match(permissions("learning", re.escape("kx"))[kind], name)) is allowed


def test_the_document_makes_every_service_a_user_with_its_own_password_and_no_tags():
    document = definitions(PASSWORDS, "kx", "/")
    assert [(u["name"], u["password"], u["tags"]) for u in document["users"]] == [
        (s, PASSWORDS[s], "") for s in SERVICES]
    assert {p["user"] for p in document["permissions"]} == set(SERVICES)
    with pytest.raises(ValueError, match="expenses"):
        definitions({**PASSWORDS, "expenses": ""}, "kx")


@pytest.mark.parametrize(("service", "key", "allowed"), [
    ("learning", "learning.summary.approved", True), ("learning", "registration.programme.updated", False),
    ("learning", "learning", False), ("learning", "privacy.erasure.completed", True),
    ("learning", "privacy.erasure.requested", False), ("registration", "privacy.erasure.requested", True),
    ("expenses", "system.ping", True), ("expenses", "system.ping.more", False),
    ("expenses", "expensesx.claim.paid", False),
])
def test_each_user_may_publish_on_the_events_exchange_only_the_routing_keys_its_service_owns(service, key, allowed):
    assert bool(re.match(routing_keys_of(service), key)) is allowed


def test_broker_urls_as_another_user_keep_the_host_and_virtual_host():
    assert as_user("amqp://guest:guest@127.0.0.1:5672//", "learning", "p/w@") == "amqp://learning:p%2Fw%40@127.0.0.1:5672//"
    assert vhost_of("amqp://guest:guest@rabbitmq:5672//") == "/"
    assert vhost_of("amqp://u:p@rabbitmq:5672/kx") == "kx"


class _Recorder(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 - the standard library's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.path, self.headers["Authorization"], json.loads(body)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def management_api():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://kx-admin:admin%2Fsecret@127.0.0.1:{server.server_address[1]}", _Recorder.received
    server.shutdown()


def _env(tmp_path, **extra):
    env = {"KX_BROKER_URL": "amqp://kx-admin:x@rabbitmq:5672//", "KX_SECRET_KEY": "k" * 40,
           "KX_VAR_DIR": str(tmp_path), "KX_BUS_NAMESPACE": "kx",
           **{f"KX_DATABASE_URL_{s.upper()}": f"postgresql+psycopg://kx:kx@postgres/{s}" for s in SERVICES},
           **{f"KX_BUS_PASSWORD_{s.upper()}": PASSWORDS[s] for s in SERVICES}}
    return {**env, **extra}


def test_kx_bus_users_posts_the_definitions_to_the_management_api_as_the_administrator(tmp_path, management_api):
    url, received = management_api
    result = CliRunner().invoke(main, ["bus-users"], env=_env(tmp_path, KX_RABBITMQ_API_URL=url))
    assert result.exit_code == 0, result.output
    [(path, authorization, document)] = received
    assert path == "/api/definitions"
    assert base64.b64decode(authorization.removeprefix("Basic ")).decode() == "kx-admin:admin/secret"
    assert document == definitions(PASSWORDS, re.escape("kx"), "/", events_exchange="kx.events")
    assert {p["user"]: p["write"] for p in document["topic_permissions"]}["learning"] == routing_keys_of("learning")
    assert not any(password in result.output for password in PASSWORDS.values())


def test_kx_bus_users_refuses_a_missing_or_short_password_naming_the_variable(tmp_path, management_api):
    url, received = management_api
    result = CliRunner().invoke(main, ["bus-users"], env=_env(tmp_path, KX_RABBITMQ_API_URL=url,
                                                               KX_BUS_PASSWORD_LEARNING="short"))
    assert result.exit_code == 2
    assert "KX_BUS_PASSWORD_LEARNING" in result.output and received == []
    result = CliRunner().invoke(main, ["bus-users"], env=_env(tmp_path))
    assert result.exit_code == 2 and "KX_RABBITMQ_API_URL" in result.output
