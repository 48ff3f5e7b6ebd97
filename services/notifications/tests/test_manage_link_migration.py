"""notifications_0004 keeps the manage links already remembered, as the tokens they were built from."""

from sqlalchemy import text

from services.notifications.service import SERVICE
from shared.migrations import upgrade
from shared.service import Runtime


def test_stored_manage_links_become_their_tokens_and_junk_is_dropped(embedded_settings):
    runtime = Runtime(SERVICE, embedded_settings)
    try:
        upgrade(runtime, "notifications_0003")
        with runtime.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO manage_link (application_id, url) VALUES (1, '/registration/manage/abc-DEF_1'),"
                " (2, 'https://kx.example.org/registration/manage/xyz/'), (3, 'not a link'),"
                " (4, '/registration/manage/a%20b')"))
        upgrade(runtime)
        with runtime.engine.connect() as connection:
            rows = connection.execute(text("SELECT application_id, token FROM manage_link ORDER BY 1")).all()
        assert [tuple(row) for row in rows] == [(1, "abc-DEF_1"), (2, "xyz")]
    finally:
        runtime.dispose()
