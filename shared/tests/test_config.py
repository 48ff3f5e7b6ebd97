import pytest

from shared.config import SERVICES, ConfigError, load
from shared.testing import TEST_SECRET


def _distributed(**overrides):
    env = {"KX_BROKER_URL": "amqp://guest:guest@127.0.0.1:5672//", "KX_SECRET_KEY": TEST_SECRET}
    env.update({f"KX_DATABASE_URL_{s.upper()}": f"postgresql+psycopg://db/{s}" for s in SERVICES})
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def test_the_embedded_default_needs_no_configuration(tmp_path):
    settings = load({"KX_VAR_DIR": str(tmp_path)})
    assert settings.embedded_bus
    assert settings.database_url("learning") == f"sqlite:///{tmp_path / 'learning.db'}"
    assert settings.port == 8000


def test_the_embedded_secret_is_generated_once_and_kept(tmp_path):
    first = load({"KX_VAR_DIR": str(tmp_path)}).secret_key
    assert len(first) >= 32
    assert load({"KX_VAR_DIR": str(tmp_path)}).secret_key == first


def test_a_real_broker_makes_the_setup_distributed_and_every_value_explicit():
    settings = load(_distributed())
    assert not settings.embedded_bus
    assert settings.database_url("expenses") == "postgresql+psycopg://db/expenses"


@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        ("KX_SECRET_KEY", None, "is required"),
        ("KX_SECRET_KEY", "short", "at least 32 characters"),
        ("KX_DATABASE_URL_LEARNING", None, "is required"),
        ("KX_DATABASE_URL_EXPENSES", "mysql://db/x", "must be a URL starting with"),
        ("KX_BROKER_URL", "redis://localhost", "must be a URL starting with"),
        ("KX_SMTP_URL", "http://mail", "must be a URL starting with"),
        ("KX_PORT", "eighty", "whole number"),
        ("KX_PORT", "70000", "between 1 and 65535"),
        ("KX_DEMO", "maybe", "must be 1 or 0"),
        ("KX_BUS_RETRIES", "-1", "between 0 and 20"),
        ("KX_BUS_NAMESPACE", "kx events", "may hold only"),
    ],
)
def test_a_missing_or_wrong_value_is_named_with_its_problem(variable, value, problem):
    with pytest.raises(ConfigError) as raised:
        load(_distributed(**{variable: value}))
    assert raised.value.variable == variable
    assert str(raised.value).startswith(f"{variable}: ")
    assert problem in str(raised.value)


def test_smtp_with_starttls_and_credentials_is_accepted():
    settings = load(_distributed(KX_SMTP_URL="smtp+starttls://user:secret@mail.example.org:587"))
    assert settings.smtp_url.startswith("smtp+starttls://")


def test_a_distributed_demo_needs_its_own_password_and_the_embedded_one_does_not(tmp_path):
    with pytest.raises(ConfigError) as raised:
        load(_distributed(KX_DEMO="1"))
    assert raised.value.variable == "KX_DEMO_PASSWORD"
    assert "published default password" in str(raised.value)
    assert load(_distributed(KX_DEMO="1", KX_DEMO_PASSWORD="a password of our own")).demo
    assert load(_distributed(KX_DEMO="0")).demo is False
    assert load({"KX_VAR_DIR": str(tmp_path), "KX_DEMO": "1"}).demo_password == "demo-password"


def test_kx_refuses_to_start_a_distributed_demo_with_the_default_password_in_one_line(monkeypatch):
    from click.testing import CliRunner

    from shared.cli import main

    for name, value in _distributed(KX_DEMO="1").items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("KX_DEMO_PASSWORD", raising=False)
    result = CliRunner().invoke(main, ["migrate"])
    assert result.exit_code == 2
    assert result.output.strip().startswith("kx: configuration error: KX_DEMO_PASSWORD: is required")
    assert len(result.output.strip().splitlines()) == 1
