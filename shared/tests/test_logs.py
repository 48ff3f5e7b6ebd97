import logging

from shared.logs import RedactingFilter, redact


def test_emails_sort_codes_and_account_numbers_are_masked():
    line = redact("claim for sam.jones+kx@example.org paid to 12-34-56 / 12345678 (claim 42)")
    assert "example.org" not in line
    assert "12-34-56" not in line and "12345678" not in line
    assert "claim 42" in line


def test_a_careless_log_line_is_redacted_before_any_handler_writes_it(caplog):
    logger = logging.getLogger("kx.test")
    handler = caplog.handler
    handler.addFilter(RedactingFilter())
    try:
        logger.warning("applicant %s failed", "alex@example.org")
    finally:
        handler.removeFilter(handler.filters[-1])
    assert "alex@example.org" not in caplog.text
    assert "[email]" in caplog.text


def test_the_token_in_a_manage_or_set_password_link_is_masked_in_a_logged_path():
    token = "Zq3ab-cdEFghijklmnopqrstuvwxyz0123456789_AB"
    line = redact(f"Exception on /registration/manage/{token} [GET]; /learning/manage/{token}; "
                  f"/registration/account/password/{token}")
    assert token[:4] not in line
    assert "/registration/manage/Zq3…" in line and "/learning/manage/Zq3…" in line
    assert "/registration/account/password/Zq3…" in line
