"""Test helpers and fixtures shared by every service's tests (loaded by the root conftest).

Two levels, after nameko's testing module: unit tests run on the embedded setup (SQLite files,
in-process bus) and call handlers and operations directly; integration tests (marked
`integration`) run on the real RabbitMQ and PostgreSQL at 127.0.0.1 and wait for real effects.
When `CI` is set, an unreachable broker or database fails the test instead of skipping it.

Databases, after Warehouse's tests: the migrations run once per test run, into one SQLite template
per service (`migrate`), and each test gets a copy of it, which costs far less than migrating. A
copy rather than a transaction rolled back: the embedded bus's relays and workers, and the
consumer under test, open their own connections and commit. Each service's conftest names its
`service`; the `runtime`, `app`, `client` and `auth` fixtures here then serve all four.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import String, create_engine, text
from sqlalchemy.orm import Mapped, mapped_column

from . import registry
from .auth import Staff, issue_token
from .bus import dumps
from .bus_users import as_user
from .config import SERVICES, Settings, load
from .consumer import Consumer
from .events import PING, make_envelope, parse
from .migrations import upgrade
from .service import Runtime, Service

RABBITMQ_URL = os.environ.get("KX_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
POSTGRES_URL = os.environ.get("KX_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TEST_SECRET = "test-secret-key-that-is-long-enough-to-sign-tokens"  # noqa: S105 - tests only
#: the passwords of the services' RabbitMQ users on the test broker (shared/bus_users.py)
TEST_BUS_PASSWORDS = {service: f"test-bus-{service}" for service in SERVICES}
#: any namespace a test or benchmark picks (`t` and hex digits, `bench`...)
TEST_NAMESPACES = r"[A-Za-z0-9_-]+"


def wait_until(predicate: Callable[[], object], timeout: float = 15.0, interval: float = 0.02, message: str = ""):
    """Poll until `predicate()` is truthy and return its value; fail the test on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {message or predicate}")
        time.sleep(interval)


def _unavailable(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is unreachable, and CI requires the integration tests to run")
    pytest.skip(f"{what} is unreachable")


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def embedded_env(var_dir: Path, **overrides) -> dict[str, str]:
    env = {"KX_VAR_DIR": str(var_dir), "KX_SECRET_KEY": TEST_SECRET, "KX_BUS_NAMESPACE": f"t{uuid.uuid4().hex[:10]}",
           "KX_BUS_RETRY_DELAY": "0.01"}
    env.update(overrides)
    return env


def schema_url(url: str, schema: str) -> str:
    return f"{url}?options=-csearch_path%3D{schema}"


def staff_token(settings: Settings, roles: dict, staff_id: int = 1, name: str = "Test Staff",
                email: str = "", token_version: int = 1) -> str:
    """A signed token, as sign-in would give it; version 1 is a new account's (an older one is refused
    where the account is known, shared/staff_projection.py)."""
    return issue_token(settings.secret_key, Staff(id=staff_id, name=name, roles=roles, email=email,
                                                  token_version=token_version))[0]


@pytest.fixture
def embedded_settings(tmp_path) -> Settings:
    """Settings of the embedded setup, in a fresh folder and bus namespace."""
    return load(embedded_env(tmp_path / "var"))


class _Templates:
    """Each service's database at the latest schema, built by its real migrations at first use in
    the run (so a migration added since is in it) and kept in a folder removed at the run's end."""

    def __init__(self):
        self.folder: Path | None = None
        self.files: dict[Path, Path] = {}

    def file(self, service: Service) -> Path:
        key = service.migrations_dir
        if key not in self.files:
            if self.folder is None:
                self.folder = Path(tempfile.mkdtemp(prefix="kx-migrated-"))
            path = self.folder / f"{service.name}-{len(self.files)}.db"
            runtime = Runtime(service, load(embedded_env(self.folder)), database_url=f"sqlite:///{path}")
            try:
                upgrade(runtime)
            finally:
                runtime.dispose()  # the last connection closed writes the WAL back: one file to copy
            if path.with_name(f"{path.name}-wal").exists():
                raise RuntimeError(f"{path} kept a write-ahead log: a copy of it alone would be incomplete")
            self.files[key] = path
        return self.files[key]

    def remove(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
        self.folder, self.files = None, {}


_templates = _Templates()


def pytest_unconfigure(config):
    _templates.remove()


def migrate(runtime: Runtime) -> None:
    """`shared.migrations.upgrade` for tests: a database that is an SQLite file not created yet
    becomes a copy of the run's template; any other (PostgreSQL, or a file a test filled) is
    migrated."""
    url = runtime.engine.url
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        shutil.copyfile(_templates.file(runtime.service), url.database)
    else:
        upgrade(runtime)


def migrate_all(settings: Settings, services=None) -> None:
    """`shared.bootstrap.migrate` for tests: each service's database through `migrate`; on a real
    broker, each service's queues declared as well."""
    for name in services or settings.database_urls:
        runtime = Runtime(registry.load_service(name), settings)
        try:
            migrate(runtime)
            if not runtime.bus.in_process:
                Consumer(runtime).declare()
        finally:
            runtime.dispose()


@pytest.fixture
def runtime(service, embedded_settings):
    """The service under test (its conftest's `service` fixture) on a fresh migrated database."""
    runtime = Runtime(service, embedded_settings)
    migrate(runtime)
    yield runtime
    runtime.dispose()


def make_app(runtime: Runtime, **config):
    """The service's web app on `runtime`, as tests drive it: no CSRF token to fetch first."""
    return registry.create_app(runtime.service.name,
                               {"KX_RUNTIME": runtime, "TESTING": True, "WTF_CSRF_ENABLED": False, **config})


@pytest.fixture
def app(runtime):
    return make_app(runtime)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def auth(embedded_settings):
    """`auth(admin=[])`, `auth(host=[1], staff_id=2)`, `auth(finance=[], email="f@example.org")` →
    headers with a bearer token of those roles (and that email; `token_version=2`: signed later)."""

    def make(staff_id: int = 1, email: str = "", token_version: int = 1, **roles):
        token = staff_token(embedded_settings, {role: list(scopes) for role, scopes in roles.items()}, staff_id,
                            email=email, token_version=token_version)
        return {"Authorization": f"Bearer {token}"}

    return make


class Deliveries:
    """Delivers events to a service's handlers as its consumer would: a JSON round trip, the
    event's schema, the inbox and one transaction per event. Each service's tests subclass it
    with the events they send most."""

    def __init__(self, runtime: Runtime, handlers):
        self.runtime = runtime
        self.handlers = handlers
        self.consumer = Consumer(runtime, handlers)

    def deliver(self, event_type: str, data: dict, envelope: dict | None = None) -> dict:
        envelope = envelope or make_envelope(event_type.split(".")[0], event_type, data)
        envelope, loaded = parse(dumps(envelope))
        for handler in self.handlers:
            if event_type in handler.events:
                self.handle(handler, envelope, loaded)
        return envelope

    def handle(self, handler, envelope: dict, loaded: dict) -> None:
        self.consumer.handle(handler, f"{self.runtime.service.name}.{handler.name}", envelope, loaded)


@pytest.fixture(scope="session")
def rabbitmq() -> str:
    """The test broker's admin URL, once every service has its own user there (as compose makes
    them): `distributed_env` connects each service as its user."""
    if not _port_open("127.0.0.1", 5672):
        _unavailable("RabbitMQ at 127.0.0.1:5672")
    create_bus_users(RABBITMQ_URL)
    return RABBITMQ_URL


def create_bus_users(broker_url: str) -> None:
    """The services' users with their permissions, on the broker of this machine; idempotent, and
    every other user (the admin `guest`, other runs' users) is left as it is."""
    from .bus_users import definitions, import_with_rabbitmqctl, vhost_of

    try:
        import_with_rabbitmqctl(definitions(TEST_BUS_PASSWORDS, TEST_NAMESPACES, vhost_of(broker_url)))
    except (OSError, subprocess.SubprocessError) as error:
        _unavailable(f"rabbitmqctl, to create the services' RabbitMQ users ({type(error).__name__})")


@pytest.fixture(scope="session")
def postgres() -> str:
    try:
        engine = create_engine(POSTGRES_URL)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception:  # noqa: BLE001
        _unavailable("PostgreSQL at 127.0.0.1:5432")
    return POSTGRES_URL


@pytest.fixture
def pg_schemas(postgres):
    """`make(name)` creates a fresh PostgreSQL schema and returns a URL that uses it; all dropped after."""
    created: list[str] = []
    engine = create_engine(postgres, isolation_level="AUTOCOMMIT")

    def make(name: str) -> str:
        schema = f"t_{name}_{uuid.uuid4().hex[:8]}"
        with engine.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        created.append(schema)
        return schema_url(postgres, schema)

    yield make
    with engine.connect() as connection:
        for schema in created:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def distributed_env(rabbitmq_url: str, make_schema, var_dir: Path, **overrides) -> dict[str, str]:
    """The environment of a distributed setup: RabbitMQ, with each service as its own user (and
    `KX_BROKER_URL`, for what is no service's, as the admin), one PostgreSQL schema per service."""
    env = {
        "KX_VAR_DIR": str(var_dir),
        "KX_BROKER_URL": rabbitmq_url,
        "KX_SECRET_KEY": TEST_SECRET,
        "KX_BUS_NAMESPACE": f"t{uuid.uuid4().hex[:10]}",
        "KX_BUS_RETRY_DELAY": "0.01",
        "KX_MAIL_REPLY_TO": "Programme team <kx-team@example.org>",
    }
    for service in SERVICES:
        env[f"KX_DATABASE_URL_{service.upper()}"] = make_schema(service)
        env[f"KX_BROKER_URL_{service.upper()}"] = as_user(rabbitmq_url, service, TEST_BUS_PASSWORDS[service])
    env.update(overrides)
    return env


@pytest.fixture
def distributed_settings(rabbitmq, pg_schemas, tmp_path) -> Settings:
    settings = load(distributed_env(rabbitmq, pg_schemas, tmp_path / "var"))
    yield settings
    delete_bus_namespace(settings)


def delete_bus_namespace(settings: Settings) -> None:
    """Remove the exchanges and queues a test declared on the real broker."""
    from kombu import Connection

    if settings.embedded_bus:
        return
    from .registry import load_service

    with Connection(settings.broker_url) as connection:
        channel = connection.default_channel
        names = [f"{settings.bus_namespace}.{load_service(s).name}.{h}" for s in SERVICES
                 for h in [*(h.name for h in load_service(s).handlers), "ping"]]
        for name in names:
            for queue in (name, f"{name}.dead"):
                try:
                    channel.queue_delete(queue)
                except Exception:  # noqa: BLE001 - already gone
                    channel = connection.channel()
        for exchange in (f"{settings.bus_namespace}.events", f"{settings.bus_namespace}.dead"):
            try:
                channel.exchange_delete(exchange)
            except Exception:  # noqa: BLE001
                channel = connection.channel()


def effect_service(on_event=None, events=(PING,)):
    """A throwaway service with one handler that records each event it handles in `effect`.

    `on_event(session, envelope, data)` runs first, so a test can make the handler fail or wait.
    Returns the service and its `Effect` model.
    """
    from .models import service_base
    from .service import Handler, Service

    base, outbox, inbox = service_base()

    class Effect(base):
        __tablename__ = "effect"
        event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
        event_type: Mapped[str] = mapped_column(String(120))

    def handle(session, envelope, data):
        if on_event is not None:
            on_event(session, envelope, data)
        session.add(Effect(event_id=envelope["id"], event_type=envelope["type"]))

    service = Service(name="probe", base=base, outbox=outbox, inbox=inbox, package_dir=Path(__file__).parent,
                      handlers=(Handler("effect", tuple(events), handle),))
    return service, Effect
