"""The services' RabbitMQ users: one per service, named after it, allowed only what it needs.

A service's user may declare the two exchanges and its own queues (`<ns>.<service>.<handler>` and
their `.dead` queues), read from those, and write to the exchanges, its own queues and the default
exchange (through which an operator's replay puts a dead letter back on its queue). Writing to
`<ns>.events` is narrowed to the routing keys the service owns by a topic permission where the
namespace is fixed (`kx bus-users`); and whatever the road (the default exchange reaches any queue
by name), what keeps a service from sending another's events is the AMQP `user_id`: RabbitMQ
refuses one that is not the connection's user, and consumers refuse an event whose publisher does
not own its type (shared/events/publishers.py).

The users and their permissions are one RabbitMQ definitions document, imported with
`rabbitmqctl import_definitions` (the tests and CI, as root beside the broker) or through the
management API (`kx bus-users`, which docker-compose runs before anything connects). Importing is
idempotent and leaves every other user as it is.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import urllib.request
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from .config import SERVICES
from .events.publishers import routing_keys_of


def permissions(service: str, namespace: str) -> dict[str, str]:
    """The configure, write and read patterns of a service's user; `namespace` is a regular
    expression for the bus namespace(s) it may use."""
    exchanges = rf"{namespace}\.(events|dead)"
    own = rf"{namespace}\.{re.escape(service)}\.[^.]+(\.dead)?"
    return {"configure": f"^({exchanges}|{own})$",
            "write": rf"^({exchanges}|{own}|amq\.default)$",
            "read": f"^({exchanges}|{own})$"}


def definitions(passwords: dict[str, str], namespace: str, vhost: str = "/", events_exchange: str | None = None) -> dict:
    """The definitions document of every service's user and its permissions on `vhost`.

    With `events_exchange` (a deployment's one `<ns>.events`), each user may also publish there
    only the routing keys its service owns: RabbitMQ then refuses a forged event at the door
    (topic permissions are per exchange name, so the tests, each with a namespace of its own,
    rely on the consumers' check alone). Reading stays open: consumers bind to others' events."""
    missing = [service for service in SERVICES if not passwords.get(service)]
    if missing:
        raise ValueError(f"no password for the bus user of {', '.join(missing)}")
    document = {
        "users": [{"name": service, "password": passwords[service], "tags": ""} for service in SERVICES],
        "permissions": [{"user": service, "vhost": vhost, **permissions(service, namespace)} for service in SERVICES],
    }
    if events_exchange:
        document["topic_permissions"] = [
            {"user": service, "vhost": vhost, "exchange": events_exchange, "write": routing_keys_of(service),
             "read": ".*"} for service in SERVICES]
    return document


def import_with_rabbitmqctl(document: dict) -> None:
    """Import on the broker of this machine (needs rabbitmqctl, and root or the Erlang cookie).

    On standard input: a file would be read by the broker's own user, and passwords do not belong
    in a file anyone else may read."""
    rabbitmqctl = shutil.which("rabbitmqctl")
    if rabbitmqctl is None:
        raise FileNotFoundError("rabbitmqctl")
    subprocess.run([rabbitmqctl, "-q", "import_definitions"], input=json.dumps(document), text=True, check=True,  # noqa: S603 - fixed arguments
                   capture_output=True, timeout=120)


def import_over_http(document: dict, api_url: str) -> None:
    """Import through the management API at `api_url` (`http://admin:password@host:15672`)."""
    parts = urlsplit(api_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("the management API's URL must start with http:// or https:// and name a host")
    credentials = f"{unquote(parts.username or '')}:{unquote(parts.password or '')}"
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
        urlunsplit((parts.scheme, netloc, parts.path.rstrip("/") + "/api/definitions", "", "")),
        data=json.dumps(document).encode(), method="POST",
        headers={"Content-Type": "application/json",
                 "Authorization": "Basic " + base64.b64encode(credentials.encode()).decode()})
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - an operator's own URL
        answer.read()


def vhost_of(broker_url: str) -> str:
    """The virtual host an AMQP URL names, as kombu reads it (`amqp://host//` is `/`)."""
    return unquote(urlsplit(broker_url).path[1:]) or "/"


def as_user(broker_url: str, user: str, password: str) -> str:
    """The same broker URL, connecting as `user`."""
    parts = urlsplit(broker_url)
    netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{parts.hostname}" + (
        f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def document_from_settings(settings) -> dict:
    """The definitions `kx bus-users` imports: the passwords from `KX_BUS_PASSWORD_<SERVICE>`, the
    namespace and the virtual host of this deployment."""
    from .config import ConfigError

    passwords = {}
    for service in SERVICES:
        name = f"KX_BUS_PASSWORD_{service.upper()}"
        passwords[service] = settings.extra.get(name, "")
        if len(passwords[service]) < 16:
            raise ConfigError(name, "is required, at least 16 characters: the password of the service's RabbitMQ user")
    return definitions(passwords, re.escape(settings.bus_namespace), vhost_of(settings.broker_url),
                       events_exchange=f"{settings.bus_namespace}.events")
