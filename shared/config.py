"""Configuration from the environment, checked once at start-up.

Every setting has one home here. A missing or malformed value raises `ConfigError` naming the
variable, and the command line turns it into one clear line and a non-zero exit.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .private_files import write_private

SERVICES = ("registration", "notifications", "learning", "expenses")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(Exception):
    """A configuration value is missing or malformed; the message names the variable."""

    def __init__(self, variable: str, problem: str):
        super().__init__(f"{variable}: {problem}")
        self.variable = variable


@dataclass(frozen=True)
class Settings:
    var_dir: Path
    database_urls: dict[str, str]
    broker_url: str
    smtp_url: str | None
    secret_key: str
    demo: bool
    demo_password: str
    port: int
    #: prefix of every exchange and queue name, so test runs and programmes can share a broker
    bus_namespace: str = "kx"
    #: how many times a failing handler is retried before its message is dead-lettered
    bus_retries: int = 3
    #: first back-off between retries in seconds; doubles each time
    bus_retry_delay: float = 0.2
    #: how often an idle relay looks for unsent outbox rows, in seconds
    relay_interval: float = 0.05
    #: days personal data is kept after the programme's end (its last reflection session), then
    #: erased or anonymised by each service's retention job (docs/privacy.md)
    retention_days: int = 365
    #: how many proxies in front of the web process to believe about the client (X-Forwarded-*):
    #: 0 embedded, 1 behind the docker-compose gateway
    trusted_proxies: int = 0
    extra: dict[str, str] = field(default_factory=dict)
    #: a service's own broker URL (`KX_BROKER_URL_<SERVICE>`), where it is not `broker_url`: each
    #: service connects as its own RabbitMQ user, which is who its events say sent them
    broker_urls: dict[str, str] = field(default_factory=dict)

    def database_url(self, service: str) -> str:
        return self.database_urls[service]

    def broker_url_of(self, service: str) -> str:
        return self.broker_urls.get(service, self.broker_url)

    @property
    def embedded_bus(self) -> bool:
        return self.broker_url.startswith("memory://")


def load(environ: dict[str, str] | None = None) -> Settings:
    """Read settings from `environ` (default: the process environment).

    Without `KX_BROKER_URL`, or with `memory://`, this is the embedded setup and everything has
    a default under `var/`. Once it names a real broker the setup is distributed, and the
    database URLs and `KX_SECRET_KEY` must be given too: a distributed service never guesses.
    """
    env = os.environ if environ is None else environ
    embedded = (env.get("KX_BROKER_URL") or "memory://").startswith("memory://")
    var_dir = Path(env.get("KX_VAR_DIR") or "var").resolve()

    database_urls = {}
    for service in SERVICES:
        name = f"KX_DATABASE_URL_{service.upper()}"
        default = f"sqlite:///{var_dir / (service + '.db')}" if embedded else None
        database_urls[service] = _url(env, name, default, ("sqlite", "postgresql"))

    broker_url = _url(env, "KX_BROKER_URL", "memory://" if embedded else None,
                      ("memory", "amqp", "amqps", "pyamqp"))
    broker_urls = {} if embedded else {
        service: _url(env, f"KX_BROKER_URL_{service.upper()}", None, ("amqp", "amqps", "pyamqp"))
        for service in SERVICES if env.get(f"KX_BROKER_URL_{service.upper()}")}
    smtp_url = env.get("KX_SMTP_URL") or None
    if smtp_url is not None:
        _url(env, "KX_SMTP_URL", None, ("smtp", "smtp+starttls", "smtps"))

    demo = _bool(env, "KX_DEMO", default=False)
    if demo and not embedded and not env.get("KX_DEMO_PASSWORD"):
        raise ConfigError("KX_DEMO_PASSWORD", "is required with KX_DEMO=1 on a real broker: the demo staff accounts "
                                              "must not have the published default password")
    return Settings(
        var_dir=var_dir,
        database_urls=database_urls,
        broker_url=broker_url,
        smtp_url=smtp_url,
        secret_key=_secret_key(env, var_dir, embedded),
        demo=demo,
        demo_password=env.get("KX_DEMO_PASSWORD") or "demo-password",
        port=_int(env, "KX_PORT", 8000, low=1, high=65535),
        bus_namespace=_namespace(env),
        bus_retries=_int(env, "KX_BUS_RETRIES", 3, low=0, high=20),
        bus_retry_delay=_float(env, "KX_BUS_RETRY_DELAY", 0.2, low=0.0, high=60.0),
        relay_interval=_float(env, "KX_RELAY_INTERVAL", 0.05, low=0.001, high=10.0),
        retention_days=_int(env, "KX_RETENTION_DAYS", 365, low=0, high=3650),
        trusted_proxies=_int(env, "KX_TRUSTED_PROXIES", 0, low=0, high=10),
        extra={k: v for k, v in env.items() if k.startswith("KX_")},
        broker_urls=broker_urls,
    )


def _url(env, name, default, schemes):
    value = env.get(name) or default
    if not value:
        raise ConfigError(name, "is required (no default outside the embedded setup)")
    scheme = urlsplit(value).scheme
    if scheme not in schemes and scheme.split("+")[0] not in schemes:
        raise ConfigError(name, f"must be a URL starting with one of {', '.join(s + '://' for s in schemes)}")
    return value


def _bool(env, name, default):
    value = env.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ConfigError(name, "must be 1 or 0")


def _int(env, name, default, low, high):
    value = env.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(name, "must be a whole number") from None
    if not low <= number <= high:
        raise ConfigError(name, f"must be between {low} and {high}")
    return number


def _float(env, name, default, low, high):
    value = env.get(name)
    if value is None or value == "":
        return default
    try:
        number = float(value)
    except ValueError:
        raise ConfigError(name, "must be a number") from None
    if not low <= number <= high:
        raise ConfigError(name, f"must be between {low} and {high}")
    return number


def _namespace(env):
    value = env.get("KX_BUS_NAMESPACE") or "kx"
    if not value.replace("_", "").replace("-", "").replace(".", "").isalnum():
        raise ConfigError("KX_BUS_NAMESPACE", "may hold only letters, digits, '.', '-' and '_'")
    return value


def _secret_key(env, var_dir: Path, embedded: bool) -> str:
    value = env.get("KX_SECRET_KEY")
    if value:
        if len(value) < 32:
            raise ConfigError("KX_SECRET_KEY", "must be at least 32 characters long")
        return value
    if not embedded:
        raise ConfigError("KX_SECRET_KEY", "is required: the services share it to verify each other's tokens")
    # The embedded default keeps one generated key so that sessions survive a restart.
    key_file = var_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(48)
    write_private(key_file, key.encode())
    return key
