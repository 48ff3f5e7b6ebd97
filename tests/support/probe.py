"""A throwaway service wired to the embedded setup or to RabbitMQ + PostgreSQL, for bus tests."""

from __future__ import annotations

import threading
import uuid

from kombu import Connection
from sqlalchemy import func, select

from shared.config import load
from shared.consumer import Consumer
from shared.events import PING
from shared.outbox import emit
from shared.service import Runtime
from shared.testing import delete_bus_namespace, distributed_env, effect_service, embedded_env
from shared.worker import Worker


class Probe:
    """A throwaway service wired to one of the two setups, with helpers to drive and observe it."""

    def __init__(self, settings, database_url, on_event=None, events=(PING,)):
        self.service, self.Effect = effect_service(on_event, events)
        self.settings = settings
        self.runtime = Runtime(self.service, settings, database_url=database_url)
        self.service.base.metadata.create_all(self.runtime.engine)
        self.stop = threading.Event()
        self.worker: Worker | None = None

    @property
    def queue_name(self) -> str:
        return self.runtime.bus.queue_name("probe", "effect")

    def emit(self, nonce: str = "n", commit: bool = True) -> str:
        session = self.runtime.session()
        with session:
            session.begin()
            event_id = emit(session, PING, {"service": "probe", "nonce": nonce})
            if commit:
                session.commit()
            else:
                session.rollback()
        return event_id

    def start(self) -> None:
        self.worker = Worker(self.runtime)
        self.worker.consumer = Consumer(self.runtime, self.service.handlers)  # the probe's handler only
        self.worker.start(self.stop)
        assert self.worker.wait_ready()

    def effects(self) -> int:
        with self.runtime.session() as session:
            return session.scalar(select(func.count()).select_from(self.Effect))

    def unsent(self) -> int:
        outbox = self.service.outbox
        with self.runtime.session() as session:
            return session.scalar(select(func.count()).select_from(outbox).where(outbox.sent_at.is_(None)))

    def queue_depth(self, name: str) -> int:
        with self.runtime.bus.connection() as connection:
            return connection.default_channel.queue_declare(queue=name, passive=True).message_count

    def publish_raw(self, body: str, routing_key: str) -> None:
        with self.runtime.bus.connection() as connection:
            producer = connection.Producer()
            self.runtime.bus.publish(producer, body, routing_key, str(uuid.uuid4()))

    def close(self) -> None:
        self.stop.set()
        if self.worker:
            self.worker.join(5)
        self.service.base.metadata.drop_all(self.runtime.engine)
        self.runtime.dispose()


def probe_factory(request, tmp_path, kind: str):
    """Yields `make(**kwargs) -> Probe` for `kind` "embedded" or "rabbitmq"; cleans up after."""
    probes = []
    if kind == "embedded":
        settings = load(embedded_env(tmp_path / "var"))
        database_url = f"sqlite:///{tmp_path / 'probe.db'}"
    else:
        rabbitmq = request.getfixturevalue("rabbitmq")
        pg_schemas = request.getfixturevalue("pg_schemas")
        settings = load(distributed_env(rabbitmq, pg_schemas, tmp_path / "var"))
        database_url = pg_schemas("probe")

    def make(**kwargs) -> Probe:
        probe = Probe(settings, database_url, **kwargs)
        probes.append(probe)
        return probe

    yield make
    for probe in probes:
        probe.close()
    _delete_probe_queues(settings)


def _delete_probe_queues(settings) -> None:
    if settings.embedded_bus:
        return
    delete_bus_namespace(settings)
    with Connection(settings.broker_url) as connection:
        for name in (f"{settings.bus_namespace}.probe.effect", f"{settings.bus_namespace}.probe.effect.dead"):
            connection.default_channel.queue_delete(name)
