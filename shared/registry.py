"""The services by name, for the command line and the embedded launcher."""

from __future__ import annotations

from importlib import import_module

from .config import SERVICES
from .service import Service


def _package(name: str):
    if name not in SERVICES:
        raise ValueError(f"unknown service {name!r}: choose one of {', '.join(SERVICES)}")
    return import_module(f"services.{name}")


def load_service(name: str) -> Service:
    return _package(name).SERVICE


def create_app(name: str, config: dict | None = None):
    return _package(name).create_app(config)
