"""Fixtures for every test in the repository live in shared/testing.py."""

pytest_plugins = ["shared.testing"]
