"""The declarative base of notifications's tables and its bus tables (shared/models.py), made once here so
that each table's module can take `Base` without importing the package that imports it."""

from shared.models import service_base

Base, Outbox, Inbox = service_base()
