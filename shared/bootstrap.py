"""Bring databases (and the bus's queues) to the latest schema and, when asked, load the demo programme."""

from __future__ import annotations

import logging

from .config import Settings
from .consumer import Consumer
from .migrations import upgrade
from .registry import load_service
from .service import Runtime

log = logging.getLogger(__name__)


def migrate(settings: Settings, services=None) -> None:
    """Each database to its latest schema, and on RabbitMQ each service's queues declared and
    bound: an event is routed only to queues that exist when it is published, so a first
    deployment whose relays publish before a consumer has ever started would otherwise lose it."""
    for name in services or settings.database_urls:
        runtime = Runtime(load_service(name), settings)
        try:
            upgrade(runtime)
            if not runtime.bus.in_process:
                Consumer(runtime).declare()
        finally:
            runtime.dispose()


def load_demo(settings: Settings, services=None) -> None:
    """Each service loads its own demo data; loaders leave a database that has data untouched."""
    for name in services or settings.database_urls:
        service = load_service(name)
        if service.load_demo is None:
            continue
        runtime = Runtime(service, settings)
        try:
            with runtime.session() as session, session.begin():
                service.load_demo(session, settings)
        finally:
            runtime.dispose()


def prepare(settings: Settings) -> None:
    migrate(settings)
    if settings.demo:
        load_demo(settings)
