"""The staff roles (contract: "Staff accounts"), in a module of their own so that the event
schemas can name them without importing the role check (shared/auth.py)."""

#: no role implies another: an admin who is also finance holds both
ROLES = ("admin", "host", "theme_lead", "finance")
