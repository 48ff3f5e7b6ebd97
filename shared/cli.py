"""The `kx` command: run everything embedded, or one service's web or worker process."""

from __future__ import annotations

import sys
import threading

import click

from . import logs
from .config import SERVICES, ConfigError, load

service_argument = click.argument("service", type=click.Choice(SERVICES))


def _settings():
    from services.registration.config import oidc_settings

    try:
        settings = load()
        oidc_settings(settings)  # registration's single sign-on: all three KX_OIDC_* or none, checked here too
        return settings
    except ConfigError as error:
        click.echo(f"kx: configuration error: {error}", err=True)
        sys.exit(2)


@click.group()
def main():
    """kx: run a knowledge exchange programme."""
    logs.configure()


@main.command()
@click.option("--port", type=int, default=None, help="Port to serve on (default KX_PORT or 8000).")
@click.option("--host", default="127.0.0.1", show_default=True)
def run(port, host):
    """Everything in one process: the four services, their workers, SQLite and the in-process bus."""
    from dataclasses import replace

    from .embedded import serve

    settings = _settings()
    if not settings.embedded_bus:
        click.echo("kx run: KX_BROKER_URL names a real broker; use `kx web` and `kx worker` instead.", err=True)
        sys.exit(2)
    serve(replace(settings, port=port or settings.port), host=host)


@main.command()
@service_argument
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--host", default="0.0.0.0", show_default=True)  # noqa: S104 - inside a container
@click.option("--workers", type=int, default=2, show_default=True, help="gunicorn worker processes")
@click.option("--threads", type=int, default=4, show_default=True, help="threads per worker process")
def web(service, port, host, workers, threads):
    """One service's web app under gunicorn; its routes keep their prefix."""
    from gunicorn.app.base import BaseApplication

    from .registry import create_app

    _settings()  # fail fast, with one clear line, before gunicorn forks

    class _Gunicorn(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("accesslog", None)  # access logs carry manage tokens in paths: keep them off
            self.cfg.set("graceful_timeout", 20)

        def load(self):
            return create_app(service)

    _Gunicorn().run()


@main.command()
@service_argument
def worker(service):
    """One service's bus worker: its outbox relay and its consumers."""
    import signal

    from .registry import load_service
    from .service import Runtime
    from .worker import Worker

    runtime = Runtime(load_service(service), _settings())
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    bus_worker = Worker(runtime)
    bus_worker.start(stop)
    click.echo(f"kx worker {service}: running", err=True)
    stop.wait()
    bus_worker.join(timeout=10)
    runtime.dispose()


@main.command()
@click.argument("services", nargs=-1, type=click.Choice(SERVICES))
def migrate(services):
    """Bring the databases (all, or the named services') to the latest schema."""
    from .bootstrap import migrate as do_migrate

    do_migrate(_settings(), services or None)
    click.echo("kx migrate: databases are up to date", err=True)


@main.command("bus-users")
def bus_users():
    """Create or update each service's RabbitMQ user and its permissions (shared/bus_users.py),
    through the management API at KX_RABBITMQ_API_URL, with passwords from KX_BUS_PASSWORD_<SERVICE>."""
    from urllib.error import URLError

    from .bus_users import document_from_settings, import_over_http

    settings = _settings()
    api_url = settings.extra.get("KX_RABBITMQ_API_URL")
    try:
        if not api_url:
            raise ConfigError("KX_RABBITMQ_API_URL", "is required: the management API, http://admin:password@host:15672")
        document = document_from_settings(settings)
    except ConfigError as error:
        click.echo(f"kx: configuration error: {error}", err=True)
        sys.exit(2)
    try:
        import_over_http(document, api_url)
    except (URLError, OSError, ValueError) as error:
        click.echo(f"kx bus-users: the management API refused or cannot be reached ({type(error).__name__})", err=True)
        sys.exit(1)
    click.echo(f"kx bus-users: {', '.join(SERVICES)} may connect to RabbitMQ, each as itself", err=True)


@main.command()
def demo():
    """Load the demo programme and demo staff accounts into empty databases."""
    from dataclasses import replace

    from .bootstrap import load_demo
    from .bootstrap import migrate as do_migrate

    settings = replace(_settings(), demo=True)
    if not settings.embedded_bus and not settings.extra.get("KX_DEMO_PASSWORD"):
        click.echo("kx: configuration error: KX_DEMO_PASSWORD: is required to load the demo on a real broker: the "
                   "demo staff accounts must not have the published default password", err=True)
        sys.exit(2)
    do_migrate(settings)
    load_demo(settings)
    click.echo("kx demo: the illustrative demo programme is loaded", err=True)


@main.group()
def staff():
    """Staff accounts: the first one on an empty system, and any after it."""


def _accounts_runtime():
    """Registration's database, brought to its latest schema (so this works before the first start)."""
    from .bootstrap import migrate as do_migrate
    from .registry import load_service
    from .service import Runtime

    settings = _settings()
    do_migrate(settings, ["registration"])
    return Runtime(load_service("registration"), settings)


def _refused(command: str, error) -> None:
    fields = "; ".join(message for messages in (error.fields or {}).values() for message in messages)
    click.echo(f"kx staff {command}: {fields or error.message}", err=True)
    sys.exit(1)


@staff.command("add")
@click.argument("email")
@click.option("--name", required=True, help="Their full name.")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(("admin", "host", "theme_lead", "finance")),
              help="A role; repeat for more.")
@click.option("--exchange", "exchanges", multiple=True, type=int, help="An exchange a host hosts; repeat for more.")
@click.option("--theme", "themes", multiple=True, help="A theme code a theme lead leads; repeat for more.")
@click.option("--language", type=click.Choice(("en", "cy")), default="en", show_default=True,
              help="The language of the emails they get.")
def staff_add(email, name, roles, exchanges, themes, language):
    """Add a staff account and print its one-time set-password link (valid 7 days)."""
    from marshmallow import ValidationError

    from services.registration.operations import accounts
    from services.registration.schemas import StaffInput

    from .errors import ApiError
    from .manage_tokens import password_link

    runtime = _accounts_runtime()
    try:
        with runtime.session() as session, session.begin():
            data = StaffInput().load({"email": email, "name": name, "roles": list(roles), "exchanges": list(exchanges),
                                      "themes": list(themes), "language": language})
            account, token = accounts.invite(session, data, email_it=False)
            status, address = account.status, account.email
    except ValidationError as invalid:
        _refused("add", ApiError(422, "", fields=invalid.normalized_messages()))
    except ApiError as refused:
        _refused("add", refused)
    finally:
        runtime.dispose()
    extra = runtime.settings.extra
    base = extra.get("KX_PUBLIC_URL") or f"http://127.0.0.1:{runtime.settings.port}"
    click.echo(f"kx staff add: {address} added ({status}). Give them this link to set their password; "
               "it works once, within 7 days:", err=True)
    click.echo(password_link(token, base))


@main.group()
def exchanges():
    """Registration's exchanges, as the other services hold them."""


@exchanges.command("republish")
def exchanges_republish():
    """Publish every exchange again, so that each service's copy holds every field: run once after
    an upgrade that added one to a copy (notifications_0009: the theme, which messages to a theme's
    participants need)."""
    from services.registration.operations.catalogue import republish_all

    _republish("kx exchanges republish", "exchange(s) published again", republish_all)


def _republish(command: str, done: str, republish_all) -> None:
    """Run one of registration's `republish_all` in a transaction of its own and say how many."""
    runtime = _accounts_runtime()
    try:
        with runtime.session() as session, session.begin():
            count = republish_all(session)
    finally:
        runtime.dispose()
    click.echo(f"{command}: {count} {done}; the services' workers take them from the bus (embedded: at the "
               "next `kx run`)", err=True)


@staff.command("republish")
def staff_republish():
    """Announce every account again, so that each service's copy holds every field: run once after
    an upgrade that added one to a copy (notifications_0010 and learning_0009: the email language and
    whether the account has finance, which staff emails need)."""
    from services.registration.operations.accounts import republish_all

    _republish("kx staff republish", "account(s) announced again", republish_all)


@staff.command("list")
def staff_list():
    """Every staff account: email, name, status, roles with their scopes, last sign-in."""
    from services.registration.operations import accounts

    from .times import iso

    runtime = _accounts_runtime()
    try:
        with runtime.session() as session:
            rows = accounts.list_accounts(session)
    finally:
        runtime.dispose()
    for row in rows:
        roles = ", ".join(_with_scopes(role, row) for role in row["roles"]) or "-"
        last = iso(row["last_signed_in_at"]) if row["last_signed_in_at"] else "never signed in"
        click.echo(f"{row['email']}\t{row['name']}\t{row['status']}\t{roles}\t{last}")
    if not rows:
        click.echo("kx staff list: no staff accounts yet (add one with `kx staff add`)", err=True)


def _with_scopes(role: str, row: dict) -> str:
    scopes = {"host": row["exchanges"], "theme_lead": row["themes"]}.get(role)
    return f"{role} ({' '.join(map(str, scopes))})" if scopes else role


@staff.command("disable")
@click.argument("email")
def staff_disable(email):
    """Deactivate a staff account: it can no longer sign in, and its earlier tokens are revoked."""
    from services.registration.operations import accounts

    from .errors import ApiError

    runtime = _accounts_runtime()
    try:
        with runtime.session() as session, session.begin():
            account = accounts.account_by_email(session, email)
            if account is None:
                click.echo(f"kx staff disable: there is no staff account with the email {email}", err=True)
                sys.exit(1)
            accounts.disable(session, account)
    except ApiError as refused:
        _refused("disable", refused)
    finally:
        runtime.dispose()
    click.echo(f"kx staff disable: {email.strip().casefold()} is deactivated", err=True)


@main.group("dead-letters")
def dead_letters():
    """Inspect and replay the messages handlers gave up on (needs a real broker)."""


def _broker_settings(command: str):
    settings = _settings()
    if settings.embedded_bus:
        click.echo(f"kx dead-letters {command}: needs a real broker (KX_BROKER_URL=amqp://...): the embedded "
                   "in-process bus lives inside `kx run` and cannot be reached from another process.", err=True)
        sys.exit(2)
    return settings


@dead_letters.command("list")
@click.argument("service", required=False, type=click.Choice(SERVICES))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of lines.")
@click.option("--limit", type=click.IntRange(min=0), default=100, show_default=True,
              help="Messages described per queue.")
def dead_letters_list(service, as_json, limit):
    """Each dead-letter queue (of SERVICE, or of all): its count, and each message's event id, type,
    time and why it died (never its data)."""
    import json

    from . import dead_letters as dl
    from .bus import Bus

    bus = Bus.from_settings(_broker_settings("list"), service or "")
    queues = _on_broker(lambda: dl.list_dead(bus, [service] if service else SERVICES, limit=limit))
    if as_json:
        click.echo(json.dumps([q.as_json() for q in queues], indent=2))
    else:
        for line in dl.render(queues):
            click.echo(line)


@dead_letters.command("replay")
@service_argument
@click.option("--queue", "queue", default=None, help="One handler queue (its handler's name, e.g. bookings).")
@click.option("--id", "event_id", default=None, help="Replay only the message of this event id.")
@click.option("--all", "replay_all", is_flag=True, help="Replay every dead letter of the queue(s).")
def dead_letters_replay(service, queue, event_id, replay_all):
    """Put dead letters of SERVICE back on their handler queues, once their cause is fixed."""
    from . import dead_letters as dl
    from .bus import Bus

    if bool(event_id) == replay_all:
        raise click.UsageError("give either --id EVENT_ID or --all")
    # As the service's own user: a replayed event is judged by who had published it only when the
    # service itself puts it back (shared.bus.Bus.publisher).
    bus = Bus.from_settings(_broker_settings("replay"), service)
    try:
        dl.pick_queues(bus, service, queue)
    except dl.UnknownQueue as error:
        raise click.BadParameter(str(error), param_hint="--queue") from None
    replayed = _on_broker(lambda: dl.replay(bus, service, queue, event_id))
    for queue_name, replayed_id in replayed:
        click.echo(f"replayed {replayed_id} to {queue_name}")
    if event_id and not replayed:
        click.echo(f"kx dead-letters replay: no dead letter of {service} has event id {event_id}", err=True)
        sys.exit(1)
    click.echo(f"kx dead-letters replay: {len(replayed)} message(s) replayed", err=True)


def _on_broker(action):
    """Run `action`; an unreachable broker stops the command with one line."""
    from kombu.exceptions import OperationalError

    try:
        return action()
    except (OperationalError, OSError) as error:
        click.echo(f"kx dead-letters: the broker cannot be reached ({type(error).__name__})", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
