"""Learning on PostgreSQL: summaries approved through the API, the pack queued with an upsert and
built by the worker's job (claimed with FOR UPDATE SKIP LOCKED), then served from the cache."""

from __future__ import annotations

import pytest

from services.learning import create_app
from services.learning.packs.build import build_packs
from services.learning.service import SERVICE
from services.learning.tests.conftest import FULL, Bus
from shared.migrations import upgrade
from shared.service import Runtime
from shared.testing import staff_token


@pytest.mark.integration
def test_a_pack_is_queued_built_and_cached_on_postgresql(distributed_settings):
    runtime = Runtime(SERVICE, distributed_settings)
    try:
        upgrade(runtime)
        client = create_app({"KX_RUNTIME": runtime, "TESTING": True}).test_client()
        host = {"Authorization": "Bearer " + staff_token(distributed_settings, {"host": [1]}, staff_id=1)}
        lead = {"Authorization": "Bearer " + staff_token(distributed_settings, {"theme_lead": ["T1"]}, staff_id=2)}
        Bus(runtime).exchange(1, theme="T1")
        client.put("/learning/api/exchanges/1/summary", json=FULL, headers=host)
        client.post("/learning/api/exchanges/1/summary/submit", headers=host)
        client.post("/learning/api/exchanges/1/summary/approve", json={}, headers=lead)
        client.post("/learning/api/exchanges/1/summary/approve", json={}, headers=lead)  # 409, queues nothing
        assert client.get("/learning/api/themes/T1/pack.pdf", headers=lead).status_code == 202
        built = 0
        while build_packs(runtime):
            built += 1
        assert built == 2, "the theme's pack and the programme's"
        first = client.get("/learning/api/themes/T1/pack.pdf", headers=lead)
        assert first.status_code == 200 and first.headers["X-Kx-Pack"] == "current"
        assert client.get("/learning/api/themes/T1/pack.pdf", headers=lead).data == first.data
        assert build_packs(runtime) == 0
    finally:
        runtime.dispose()
