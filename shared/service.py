"""What a service is, to the shared machinery: its tables, its handlers, its demo data.

Each service package declares one `SERVICE`; the web app factory, the worker, migrations and the
embedded launcher all start from it. `Runtime` is a service bound to a configuration: its engine,
its sessions and the bus.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from .bus import Bus
from .config import Settings
from .db import make_engine, make_sessionmaker
from .events import known_type
from .private_files import create_private_file


@dataclass(frozen=True)
class Handler:
    """A bus consumer: `func(session, envelope, data)` runs in one transaction per event.

    `prepare(session, [data, ...])`, if given, runs once in each transaction before the first of
    its events there, with all of their data: to lock the rows they will need in one fixed order,
    so two workers' batches never deadlock.

    Each of `events` must be a type `shared.events` declares (or a topic pattern matching one):
    a misspelt type would bind a queue that never receives anything, so it stops start-up instead."""

    name: str
    events: tuple[str, ...]
    func: Callable[[Session, dict, dict], None]
    prepare: Callable[[Session, list[dict]], None] | None = None

    def __post_init__(self):
        unknown = [event_type for event_type in self.events if not known_type(event_type)]
        if unknown:
            raise ValueError(f"handler {self.name!r}: unknown event type {', '.join(map(repr, unknown))}: "
                             "every type it handles must be declared in shared/events")


@dataclass(frozen=True)
class Periodic:
    """Background work of a service's worker: `func(runtime)` runs every `interval` seconds.

    It returns how much it did; when that is non-zero it runs again at once (a backlog drains
    without waiting). Several workers may run it at once, so it must claim its rows safely
    (`FOR UPDATE SKIP LOCKED`), like the relay.
    """

    name: str
    func: Callable[[Runtime], int]
    interval: float = 1.0


@dataclass(frozen=True)
class Service:
    name: str
    base: type
    outbox: type
    inbox: type
    package_dir: Path
    handlers: tuple[Handler, ...] = ()
    #: background jobs its worker runs (sending mail, building packs, retention...)
    periodic: tuple[Periodic, ...] = ()
    #: loads the demo programme into an empty database (KX_DEMO=1)
    load_demo: Callable[[Session, Settings], None] | None = None
    #: `(session, staff_id) -> shared.staff_projection.Standing | None`: what revokes a staff token
    #: here; None reads the service's `staff_versions` projection (registration reads its accounts)
    staff_standing: Callable[[Session, int], object] | None = None
    #: `(settings) -> anything`: reads the service's own settings, raising ConfigError on a missing
    #: or malformed one, so a process refuses to start instead of failing at its first use
    check_settings: Callable[[Settings], object] | None = None

    @property
    def prefix(self) -> str:
        return f"/{self.name}"

    @property
    def migrations_dir(self) -> Path:
        return self.package_dir / "migrations"


@dataclass
class Runtime:
    """A service bound to its settings: one engine and one sessionmaker per process."""

    service: Service
    settings: Settings
    #: overrides the settings' URL for this service (tests and benchmarks use their own)
    database_url: str | None = None
    bus: Bus = field(init=False)

    def __post_init__(self):
        if self.service.check_settings is not None:
            self.service.check_settings(self.settings)
        self.bus = Bus.from_settings(self.settings, self.service.name)

    @cached_property
    def engine(self):
        url = self.database_url or self.settings.database_url(self.service.name)
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            # SQLite would create it with the umask's mode (0644); it holds personal data
            create_private_file(Path(url.removeprefix("sqlite:///")))
        return make_engine(url)

    @cached_property
    def sessionmaker(self) -> sessionmaker[Session]:
        maker = make_sessionmaker(self.engine)
        # Handlers and operations find their service (and its settings) on the session.
        maker.configure(info={"kx_service": self.service, "kx_settings": self.settings})
        return maker

    def session(self) -> Session:
        return self.sessionmaker()

    def dispose(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()
