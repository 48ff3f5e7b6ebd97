"""The request is the one commit point (shared/web.py): an answer below 400 commits what the view
wrote, a refusal or an error leaves nothing behind, a view marked `commit_even_when_refused` keeps
its writes on a 4xx, and a commit that fails because the database went away is answered with the
one error body (503), not a 500."""

from __future__ import annotations

import pytest
from flask import abort, jsonify, redirect
from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from shared.config import load
from shared.errors import ApiError
from shared.service import Runtime
from shared.testing import effect_service, embedded_env
from shared.web import commit_even_when_refused, create_service_app, csrf, db


@pytest.fixture
def probe(tmp_path):
    """A bare service app whose routes each write one `effect` row, then answer as their name says."""
    service, effect = effect_service()
    runtime = Runtime(service, load(embedded_env(tmp_path / "var")), database_url=f"sqlite:///{tmp_path / 'p.db'}")
    service.base.metadata.create_all(runtime.engine)
    app = create_service_app(service, __name__, {"KX_RUNTIME": runtime, "TESTING": True})

    def write(name: str) -> None:
        db().add(effect(event_id=name, event_type="probe"))

    def route(path: str, answer, refusal_kept: bool = False) -> None:
        def view():
            write(path)
            return answer()

        view = commit_even_when_refused(view) if refusal_kept else view
        app.add_url_rule(f"/probe/{path}", path, csrf.exempt(view), methods=["POST"])

    route("ok", lambda: (jsonify({}), 201))
    route("redirect", lambda: redirect("/probe/elsewhere", 303))
    route("returns-422", lambda: (jsonify({}), 422))
    route("raises-409", lambda: _raise(ApiError(409, "taken")))
    route("raises-invalid", lambda: _raise(ValidationError({"name": ["Missing data for required field."]})))
    route("aborts-404", lambda: abort(404))
    route("raises-unexpected", lambda: _raise(RuntimeError("a bug")))
    route("kept-returns-401", lambda: (jsonify({}), 401), refusal_kept=True)
    route("kept-raises-401", lambda: _raise(ApiError(401, "wrong password")), refusal_kept=True)
    route("kept-raises-unexpected", lambda: _raise(RuntimeError("a bug")), refusal_kept=True)

    def stored() -> set[str]:
        with runtime.session() as session:
            return set(session.scalars(select(effect.event_id)))

    yield app.test_client(), stored, runtime
    runtime.dispose()


def _raise(error: Exception):
    raise error


@pytest.mark.parametrize(("path", "status"), [("ok", 201), ("redirect", 303)])
def test_an_answer_below_400_commits_what_the_view_wrote(probe, path, status):
    client, stored, _runtime = probe
    assert client.post(f"/probe/{path}").status_code == status
    assert stored() == {path}


@pytest.mark.parametrize(("path", "status"), [
    ("returns-422", 422), ("raises-409", 409), ("raises-invalid", 422), ("aborts-404", 404),
    ("raises-unexpected", 500),
])
def test_a_refusal_or_an_error_leaves_nothing_behind(probe, path, status):
    client, stored, _runtime = probe
    assert client.post(f"/probe/{path}").status_code == status
    assert stored() == set()


@pytest.mark.parametrize("path", ["kept-returns-401", "kept-raises-401"])
def test_a_view_marked_commit_even_when_refused_keeps_its_write_on_a_refusal(probe, path):
    client, stored, _runtime = probe
    assert client.post(f"/probe/{path}").status_code == 401
    assert stored() == {path}


def test_a_view_marked_commit_even_when_refused_still_keeps_nothing_on_an_error(probe):
    client, stored, _runtime = probe
    assert client.post("/probe/kept-raises-unexpected").status_code == 500
    assert stored() == set()


def test_a_commit_that_loses_the_database_is_answered_503_with_the_one_error_body(probe, monkeypatch):
    client, stored, runtime = probe

    def cut(_session):
        raise OperationalError("COMMIT", {}, ConnectionError("server closed the connection"))

    monkeypatch.setattr(runtime.sessionmaker.class_, "commit", cut)
    response = client.post("/probe/ok", headers={"Accept": "application/json"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.get_json()["error"]["code"] == "unavailable"
    monkeypatch.undo()
    assert stored() == set()


def test_a_request_that_never_opened_a_session_commits_nothing(probe):
    client, _stored, _runtime = probe
    assert client.get("/probe/healthz").status_code == 200
    assert client.post("/probe/nowhere").status_code == 404


def test_views_never_commit_by_hand():
    """The request is the commit point: no view, API or page module commits itself."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [f"{path.relative_to(root)}:{number}"
                 for folder in ("services", "shared") for path in (root / folder).rglob("*.py")
                 if "tests" not in path.parts
                 for number, line in enumerate(path.read_text().splitlines(), 1) if "db().commit()" in line]
    assert offenders == []
