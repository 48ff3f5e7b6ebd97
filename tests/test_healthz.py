"""`GET /<service>/healthz` checks the database and the bus for real, and names what is down."""

from __future__ import annotations

import pytest

from shared.config import SERVICES, load
from shared.registry import create_app
from shared.testing import TEST_SECRET, distributed_env, free_port


@pytest.mark.parametrize("service", SERVICES)
def test_healthz_is_ok_on_the_embedded_setup(service, embedded_settings):
    response = create_app(service, {"KX_SETTINGS": embedded_settings}).test_client().get(f"/{service}/healthz")
    assert response.status_code == 200
    assert response.json == {"service": service, "status": "ok", "checks": {"db": "ok", "bus": "ok"}}


def test_healthz_names_the_database_when_it_is_down(tmp_path):
    (tmp_path / "not-a-folder").write_text("a file where the database's folder should be")
    settings = load({"KX_VAR_DIR": str(tmp_path), "KX_SECRET_KEY": TEST_SECRET,
                     "KX_DATABASE_URL_LEARNING": f"sqlite:///{tmp_path}/not-a-folder/learning.db"})
    response = create_app("learning", {"KX_SETTINGS": settings}).test_client().get("/learning/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    assert response.json["checks"]["db"].startswith("unreachable")
    assert response.json["checks"]["bus"] == "ok"


def test_healthz_names_the_bus_when_the_broker_is_down(tmp_path):
    env = {"KX_VAR_DIR": str(tmp_path), "KX_SECRET_KEY": TEST_SECRET,
           "KX_BROKER_URL": f"amqp://guest:guest@127.0.0.1:{free_port()}//"}
    env.update({f"KX_DATABASE_URL_{s.upper()}": f"sqlite:///{tmp_path / s}.db" for s in SERVICES})
    response = create_app("expenses", {"KX_SETTINGS": load(env)}).test_client().get("/expenses/healthz")
    assert response.status_code == 503
    assert response.json["checks"] == {"db": "ok", "bus": response.json["checks"]["bus"]}
    assert response.json["checks"]["bus"].startswith("unreachable")


@pytest.mark.integration
@pytest.mark.parametrize("service", SERVICES)
def test_healthz_is_ok_on_rabbitmq_and_postgresql(service, rabbitmq, pg_schemas, tmp_path):
    settings = load(distributed_env(rabbitmq, pg_schemas, tmp_path))
    response = create_app(service, {"KX_SETTINGS": settings}).test_client().get(f"/{service}/healthz")
    assert response.status_code == 200, response.json
    assert response.json["checks"] == {"db": "ok", "bus": "ok"}
