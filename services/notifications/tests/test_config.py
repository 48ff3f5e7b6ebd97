"""Notifications' settings: defaults, and a clear error naming the variable when one is wrong."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.notifications.config import DEMO_REPLY_TO, mail_settings
from services.notifications.service import SERVICE
from shared.config import SERVICES, ConfigError, load
from shared.service import Runtime
from shared.testing import embedded_env


def _mail(tmp_path, **env):
    return mail_settings(load(embedded_env(tmp_path, **env)))


def test_defaults_remind_a_week_and_a_day_before_and_ask_for_feedback_a_day_after(tmp_path):
    mail = _mail(tmp_path)
    assert mail.reminder_offsets == (timedelta(days=7), timedelta(days=1))
    assert mail.feedback_after == timedelta(days=1)
    assert mail.link("/registration/manage/x") == "http://127.0.0.1:8000/registration/manage/x"


@pytest.mark.parametrize(("variable", "value"), [
    ("KX_REMINDER_OFFSETS", "a week"), ("KX_REMINDER_OFFSETS", ","), ("KX_FEEDBACK_AFTER", "1y"),
    ("KX_MAIL_FROM", "not an address"), ("KX_MAIL_RETRY_DELAY", "-1"), ("KX_MAIL_MAX_ATTEMPTS", "many"),
])
def test_a_malformed_setting_is_refused_naming_the_variable(tmp_path, variable, value):
    with pytest.raises(ConfigError) as error:
        _mail(tmp_path, **{variable: value})
    assert error.value.variable == variable


def test_replies_go_to_the_programme_team_when_given(tmp_path):
    mail = _mail(tmp_path, KX_MAIL_FROM="KX <kx@example.org>", KX_MAIL_REPLY_TO="Team <team@example.org>")
    assert mail.contact == "team@example.org" and mail.sender_domain == "example.org"


def test_replies_go_to_a_demo_programme_team_address_on_the_embedded_setup(tmp_path):
    mail = _mail(tmp_path)
    assert mail.reply_to == DEMO_REPLY_TO and mail.contact == "knowledge-exchange@example.org"


def test_a_real_broker_without_the_programme_teams_address_refuses_to_start(tmp_path):
    env = embedded_env(tmp_path, KX_BROKER_URL="amqp://guest:guest@127.0.0.1:5672//")
    env.update({f"KX_DATABASE_URL_{s.upper()}": f"postgresql+psycopg://db/{s}" for s in SERVICES})
    with pytest.raises(ConfigError) as error:
        Runtime(SERVICE, load(env))
    assert error.value.variable == "KX_MAIL_REPLY_TO"
    assert mail_settings(load({**env, "KX_MAIL_REPLY_TO": "Team <team@example.org>"})).contact == "team@example.org"
