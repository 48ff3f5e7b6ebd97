"""The `kx` command: run everything embedded, or one service's web or worker process."""

from __future__ import annotations

import sys
import threading

import click

from . import logs
from .config import SERVICES, ConfigError, load

service_argument = click.argument("service", type=click.Choice(SERVICES))


def _settings():
    try:
        return load()
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


@main.command()
def demo():
    """Load the demo programme and demo staff accounts into empty databases."""
    from dataclasses import replace

    from .bootstrap import load_demo
    from .bootstrap import migrate as do_migrate

    settings = replace(_settings(), demo=True)
    do_migrate(settings)
    load_demo(settings)
    click.echo("kx demo: the illustrative demo programme is loaded", err=True)


if __name__ == "__main__":
    main()
