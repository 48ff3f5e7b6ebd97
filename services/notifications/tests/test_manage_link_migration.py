"""notifications_0004 keeps the manage links already remembered, as the tokens they were built from;
notifications_0008 seals them and masks them in every stored message and calendar file."""

import pytest
from alembic import command
from sqlalchemy import text

from services.notifications.operations.calendar import _lines
from services.notifications.service import SERVICE
from shared.config import load
from shared.link_seal import unseal
from shared.migrations import alembic_config, upgrade
from shared.service import Runtime
from shared.testing import distributed_env

TOKEN = "AbCdefghijklmnopqrstuvwxyz0123456789_-ABCDE"


def test_stored_manage_links_become_their_tokens_and_junk_is_dropped(embedded_settings):
    runtime = Runtime(SERVICE, embedded_settings)
    try:
        upgrade(runtime, "notifications_0003")
        with runtime.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO manage_link (application_id, url) VALUES (1, '/registration/manage/abc-DEF_1'),"
                " (2, 'https://kx.example.org/registration/manage/xyz/'), (3, 'not a link'),"
                " (4, '/registration/manage/a%20b')"))
        upgrade(runtime, "notifications_0007")
        with runtime.engine.connect() as connection:
            rows = connection.execute(text("SELECT application_id, token FROM manage_link ORDER BY 1")).all()
        assert [tuple(row) for row in rows] == [(1, "abc-DEF_1"), (2, "xyz")]
    finally:
        runtime.dispose()


def test_stored_tokens_are_sealed_and_masked_in_every_stored_message_and_calendar_on_sqlite(embedded_settings):
    _check_sealing(Runtime(SERVICE, embedded_settings))


@pytest.mark.integration
def test_stored_tokens_are_sealed_and_masked_in_every_stored_message_and_calendar_on_postgresql(
        rabbitmq, pg_schemas, tmp_path):
    _check_sealing(Runtime(SERVICE, load(distributed_env(rabbitmq, pg_schemas, tmp_path))))


def _check_sealing(runtime: Runtime) -> None:
    settings = runtime.settings
    link = f"https://kx.example.org/registration/manage/{TOKEN}"
    calendar = _lines(["BEGIN:VEVENT", f"DESCRIPTION:See it at {link}", "END:VEVENT"])
    assert TOKEN.encode() not in calendar, "the file folds the link across two lines"
    try:
        upgrade(runtime, "notifications_0007")
        with runtime.engine.begin() as connection:
            connection.execute(text("INSERT INTO manage_link (application_id, token) VALUES (5, :t)"), {"t": TOKEN})
            for message_id, body in ((1, f"Your link: {link} and /learning/manage/{TOKEN}"), (2, "No link here")):
                connection.execute(text(
                    "INSERT INTO message (id, event_id, recipient, template, language, subject, text_body, html_body,"
                    " message_id_header, status, attempts, next_attempt_at, created_at) VALUES (:id, :e, 'a@example.org',"
                    " 'confirmation', 'en', 'S', :body, :html, :mid, 'sent', 1, '2026-01-01', '2026-01-01')"),
                    {"id": message_id, "e": f"e{message_id}", "body": body, "html": f'<a href="{link}">x</a>' if message_id == 1 else "<p>No link</p>",
                     "mid": f"<{message_id}@kx>"})
            connection.execute(text("INSERT INTO attachment (message_id, filename, content_type, content)"
                                    " VALUES (1, 'k.ics', 'text/calendar', :c)"), {"c": calendar})
        upgrade(runtime)
        with runtime.engine.connect() as connection:
            sealed, hint = connection.execute(text("SELECT sealed, hint FROM manage_link")).one()
            stored = connection.execute(text("SELECT id, text_body, html_body, link_of FROM message ORDER BY id")).all()
            content = connection.execute(text("SELECT content FROM attachment")).scalar_one()
        assert unseal(settings, sealed) == TOKEN and hint == "AbC" and TOKEN not in sealed
        (_, body, html, link_of), (_, plain, _, no_link) = stored
        masked = "https://kx.example.org/registration/manage/AbC\u2026"
        assert TOKEN not in body + html and masked in body and "/learning/manage/AbC\u2026" in body
        assert masked in html and link_of == 5
        assert plain == "No link here" and no_link is None
        assert TOKEN.encode() not in bytes(content).replace(b"\r\n ", b"")
        assert masked.encode() in bytes(content).replace(b"\r\n ", b"")

        config = alembic_config(runtime)
        with runtime.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "notifications_0007")
            assert connection.execute(text("SELECT token FROM manage_link")).scalar_one() == TOKEN
    finally:
        runtime.dispose()
