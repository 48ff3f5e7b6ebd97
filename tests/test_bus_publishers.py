"""Forged events: a consumer accepts an event only from the service that owns its type.

The attack (issue 14): every service connected to RabbitMQ as `guest`, so any of them could publish
`registration.programme.updated` with an end date in the past, and every other service's retention
job would then erase everyone. Now each service publishes as its own RabbitMQ user with the AMQP
`user_id` set (which the broker checks against the connection's user), and the embedded bus stamps
the publishing service's name the same way; a consumer dead-letters an event whose publisher does
not own its type (shared/events/publishers.py).

Each test runs on the embedded setup and, marked `integration`, on RabbitMQ and PostgreSQL with
each service connected as its own user.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import amqp
import pytest
from cryptography.fernet import Fernet
from kombu import Connection, Exchange

from shared.bus import Bus, dumps
from shared.bus_users import as_user, definitions, import_with_rabbitmqctl, vhost_of
from shared.config import load
from shared.db import utcnow
from shared.dead_letters import list_dead
from shared.events import PROGRAMME_UPDATED, make_envelope
from shared.outbox import emit
from shared.privacy import retention_cutoff
from shared.testing import (
    TEST_BUS_PASSWORDS,
    TEST_NAMESPACES,
    delete_bus_namespace,
    distributed_env,
    embedded_env,
    migrate_all,
    wait_until,
)
from shared.times import iso
from tests.support.journey import EMAIL, NAME, run_journey, start_with_env

CONSUMERS = ("notifications", "learning", "expenses")  # every service that keeps the programme's end
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


@pytest.fixture(params=["embedded", pytest.param("rabbitmq", marks=pytest.mark.integration)])
def system(request, tmp_path):
    if request.param == "embedded":
        env = embedded_env(tmp_path / "var", KX_RETENTION_DAYS="0")
    else:
        env = distributed_env(request.getfixturevalue("rabbitmq"), request.getfixturevalue("pg_schemas"),
                              tmp_path / "var", KX_RETENTION_DAYS="0", KX_EXPENSES_KEYS=Fernet.generate_key().decode())
    system = start_with_env(env)
    yield system
    system.embedded.shutdown()
    delete_bus_namespace(system.settings)


def _emit_from(system, service: str, event_type: str, data: dict) -> str:
    """`service` puts the event in its own outbox, and its relay publishes it as that service."""
    with system.embedded.runtimes[service].session() as session, session.begin():
        return emit(session, event_type, data)


def _cutoffs(system) -> dict:
    cutoffs = {}
    for service in CONSUMERS:
        with system.embedded.runtimes[service].session() as session:
            cutoffs[service] = retention_cutoff(session)
    return cutoffs


def _retain(system, service: str) -> int:
    runtime = system.embedded.runtimes[service]
    job = next(job for job in runtime.service.periodic if job.name == "retention")
    return job.func(runtime, utcnow())


def _dead_letters(system, event_id: str) -> dict[str, str]:
    """Queue → reason of each dead letter of that event (read as the admin, who may read every queue)."""
    return {dead.queue: letter.reason for dead in list_dead(Bus.from_settings(system.settings))
            for letter in dead.letters if letter.event_id == event_id}


def test_a_programme_end_forged_by_another_service_is_dead_lettered_everywhere_and_erases_no_one(system):
    run_journey(system)
    system.quiet()
    forged = _emit_from(system, "learning", PROGRAMME_UPDATED, {"ends_at": iso(LONG_AGO)})

    # each consumer has two handlers of the type: its retention's end and its projection of programmes
    wait_until(lambda: {q.rsplit(".", 1)[-1] for q in _dead_letters(system, forged)} == {"programme-end", "programmes"}
               and len(_dead_letters(system, forged)) == 2 * len(CONSUMERS),
               message="every consumer to dead-letter the forged event")
    reasons = _dead_letters(system, forged)
    assert all("learning" in reason and PROGRAMME_UPDATED in reason for reason in reasons.values()), reasons
    assert _cutoffs(system) == dict.fromkeys(CONSUMERS), "no service learnt the forged end"
    for service in CONSUMERS:
        _retain(system, service)
    assert NAME in system.rows("expenses") and EMAIL in system.rows("notifications")


def test_the_programme_end_from_registration_itself_still_reaches_every_service(system):
    system.quiet()  # registration's own announcement at start-up (no end yet) is older than this one
    genuine = _emit_from(system, "registration", PROGRAMME_UPDATED, {"ends_at": iso(LONG_AGO)})
    wait_until(lambda: None not in _cutoffs(system).values(), message="every service to learn the end")
    assert set(_cutoffs(system).values()) == {LONG_AGO}
    assert _dead_letters(system, genuine) == {}


@pytest.mark.integration
def test_the_broker_refuses_a_message_whose_user_id_is_not_its_connections_user(rabbitmq, pg_schemas, tmp_path):
    settings = load(distributed_env(rabbitmq, pg_schemas, tmp_path / "var"))
    envelope = make_envelope("registration", PROGRAMME_UPDATED, {"ends_at": iso(LONG_AGO)})
    with Connection(settings.broker_url_of("learning"), transport_options={"confirm_publish": True}) as connection:
        producer = connection.Producer()
        with pytest.raises(amqp.exceptions.PreconditionFailed, match="user_id"):
            producer.publish(dumps(envelope), exchange="", routing_key="nowhere", user_id="registration",
                             retry=False)


def test_an_event_sent_at_the_queue_itself_by_another_service_is_dead_lettered(system):
    """The default exchange reaches a queue by its name, past the topic bindings: the check is the
    consumer's, whatever road the message took."""
    queue = system.embedded.runtimes["expenses"].bus.queue_name("expenses", "programme-end")
    envelope = make_envelope("registration", PROGRAMME_UPDATED, {"ends_at": iso(LONG_AGO - timedelta(days=1))})
    learning_bus = system.embedded.runtimes["learning"].bus
    with learning_bus.connection() as connection:
        connection.Producer().publish(dumps(envelope), exchange="", routing_key=queue, user_id=learning_bus.user,
                                      content_type="application/json", content_encoding="utf-8", retry=False)
    wait_until(lambda: _dead_letters(system, envelope["id"]), message="the forged event to be dead-lettered")
    assert _cutoffs(system)["expenses"] is None


@pytest.mark.integration
def test_each_services_user_declares_its_own_queues_and_may_not_take_or_declare_anothers(rabbitmq, pg_schemas,
                                                                                          tmp_path):
    settings = load(distributed_env(rabbitmq, pg_schemas, tmp_path / "var"))
    try:
        migrate_all(settings)  # each service declares and binds its queues as its own user
        expenses_queue = f"{settings.bus_namespace}.expenses.programme-end"
        with Connection(settings.broker_url_of("learning")) as connection:
            with pytest.raises(amqp.exceptions.AccessRefused):
                connection.channel().basic_get(queue=expenses_queue)
            with pytest.raises(amqp.exceptions.AccessRefused):
                connection.channel().queue_declare(queue=f"{settings.bus_namespace}.expenses.mine", durable=True)
            with pytest.raises(amqp.exceptions.AccessRefused):
                connection.channel().queue_purge(queue=expenses_queue)
    finally:
        delete_bus_namespace(settings)


@pytest.mark.integration
def test_where_the_namespace_is_fixed_rabbitmq_refuses_another_services_routing_key_at_the_door(rabbitmq):
    """`kx bus-users` adds a topic permission on the deployment's events exchange: learning's user
    may publish learning's events there and nothing of registration's. (Topic permissions name one
    exchange, so this test uses a namespace of its own, fixed; the others rely on the consumers.)"""
    exchange = Exchange("tkxdoor.events", type="topic", durable=True)
    import_with_rabbitmqctl(definitions(TEST_BUS_PASSWORDS, TEST_NAMESPACES, vhost_of(rabbitmq),
                                        events_exchange=exchange.name))
    learning = as_user(rabbitmq, "learning", TEST_BUS_PASSWORDS["learning"])
    try:
        with Connection(learning, transport_options={"confirm_publish": True}) as connection:
            producer = connection.Producer()
            exchange(producer.channel).declare()
            producer.publish("{}", exchange=exchange, routing_key="learning.summary.submitted", user_id="learning",
                             retry=False)
            with pytest.raises(amqp.exceptions.AccessRefused, match="registration.programme.updated"):
                producer.publish("{}", exchange=exchange, routing_key=PROGRAMME_UPDATED, user_id="learning",
                                 retry=False)
    finally:
        with Connection(rabbitmq) as connection:
            connection.default_channel.exchange_delete(exchange.name)
