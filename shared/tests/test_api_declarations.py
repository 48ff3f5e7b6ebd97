"""shared/api.py: a view declares what it reads and answers once; the request is loaded, the answer
dumped, and the OpenAPI document written from the same declarations, then checked against real
answers (shared/contract_check.py)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from flask import Blueprint, Flask, Response
from marshmallow import Schema, fields

from shared import api, contract_check
from shared.api import STAFF, TOKEN, Output
from shared.errors import register_error_handlers
from shared.openapi import document, publish


class NoteInput(Schema):
    text = fields.String(required=True)


class PageQuery(Schema):
    page = fields.Integer(load_default=1)


class NoteOutput(Output):
    id = fields.Integer(required=True)
    text = fields.String(required=True)
    at = api.DateTime(allow_none=True)


class Building(Output):
    status = fields.String(required=True)


@pytest.fixture
def app(monkeypatch):
    monkeypatch.setenv("KX_CHECK_API_RESPONSES", "1")
    bp = Blueprint("notes_api", __name__, url_prefix="/notes/api")

    @bp.post("/notes/<int:note_id>")
    @api.access(STAFF, errors=(409,))
    @api.arguments(NoteInput)
    @api.arguments(PageQuery, location="query")
    @api.response(NoteOutput, 201)
    def save(data, query, note_id):
        """Save a note.

        Longer words about it."""
        at = datetime(2025, 7, 1, 9, 30, tzinfo=timezone(timedelta(hours=1)))
        return {"id": note_id * query["page"], "text": data["text"], "at": at, "secret": "never shown"}

    @bp.get("/notes/<int:note_id>/file")
    @api.access(TOKEN)
    @api.response(content_type="application/pdf")
    @api.alt_response(202, Building)
    def file(note_id):
        """The note as a file, or 202 while it is made."""
        if note_id == 1:
            return {"status": "building"}, 202
        if note_id == 2:
            return Response("gone", status=410)  # not documented: the check must see it
        return Response(b"%PDF-1.7", mimetype="application/pdf")

    publish(bp, "notes")
    flask_app = Flask(__name__)
    register_error_handlers(flask_app)
    flask_app.register_blueprint(bp)
    contract_check.VIOLATIONS.clear()
    yield flask_app
    contract_check.VIOLATIONS.clear()


def test_a_declared_body_and_query_are_loaded_and_the_answer_is_dumped_with_only_its_declared_fields(app):
    answer = app.test_client().post("/notes/api/notes/3?page=2", json={"text": "hello"})
    assert answer.status_code == 201
    assert answer.get_json() == {"id": 6, "text": "hello", "at": "2025-07-01T08:30:00+00:00"}
    assert contract_check.VIOLATIONS == []


def test_a_body_that_is_not_a_json_object_is_400_and_an_invalid_one_422_naming_the_field(app):
    client = app.test_client()
    assert client.post("/notes/api/notes/3", data="[1]", content_type="application/json").status_code == 400
    invalid = client.post("/notes/api/notes/3", json={"text": 5})
    assert invalid.status_code == 422
    assert list(invalid.get_json()["error"]["fields"]) == ["text"]


def test_another_declared_status_is_dumped_with_its_own_schema_and_a_file_passes_through(app):
    client = app.test_client()
    assert client.get("/notes/api/notes/1/file").get_json() == {"status": "building"}
    assert client.get("/notes/api/notes/3/file").data == b"%PDF-1.7"
    assert contract_check.VIOLATIONS == []


def test_the_openapi_document_is_written_from_the_declarations(app):
    with app.app_context():
        doc = document(app, "/notes/api")
    save = doc["paths"]["/notes/api/notes/{note_id}"]["post"]
    assert save["summary"] == "Save a note."
    assert save["description"] == "Longer words about it."
    assert save["security"] == [{"bearer": []}]
    assert save["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/NoteInput"}
    assert {"in": "query", "name": "page", "required": False, "schema": {"type": "integer", "default": 1}} \
        in save["parameters"]
    assert save["responses"]["201"]["content"]["application/json"]["schema"] == \
        {"$ref": "#/components/schemas/NoteOutput"}
    assert {"401", "403", "409", "422"} <= set(save["responses"])
    file = doc["paths"]["/notes/api/notes/{note_id}/file"]["get"]
    assert set(file["responses"]["200"]["content"]) == {"application/pdf"}
    assert "202" in file["responses"] and "304" in file["responses"]


def test_an_answer_the_document_does_not_describe_is_recorded(app):
    app.test_client().get("/notes/api/notes/2/file")
    assert contract_check.VIOLATIONS == [
        "GET /notes/api/notes/{note_id}/file -> 410: status not documented (documented: 200, 202, 304, 404)"]
    contract_check.VIOLATIONS.clear()


def test_a_body_that_does_not_match_its_schema_is_recorded(app):
    app.view_functions["notes_api.save"].kx_endpoint.responses[201] = Building()  # a drifted declaration
    app.test_client().post("/notes/api/notes/3", json={"text": "hello"})
    assert len(contract_check.VIOLATIONS) == 1
    assert "status" in contract_check.VIOLATIONS[0]
    contract_check.VIOLATIONS.clear()


def test_a_body_declared_optional_may_be_left_out_but_not_be_other_than_an_object(monkeypatch):
    monkeypatch.setenv("KX_CHECK_API_RESPONSES", "1")
    bp = Blueprint("optional_api", __name__, url_prefix="/optional/api")

    @bp.post("/notes")
    @api.arguments(PageQuery, required=False)
    @api.response(NoteOutput)
    def post(data):
        """Take an optional body."""
        return {"id": data["page"], "text": "x"}

    publish(bp, "optional")
    flask_app = Flask(__name__)
    register_error_handlers(flask_app)
    flask_app.register_blueprint(bp)
    client = flask_app.test_client()
    assert client.post("/optional/api/notes").get_json()["id"] == 1
    assert client.post("/optional/api/notes", json={"page": 3}).get_json()["id"] == 3
    assert client.post("/optional/api/notes", data="[1]", content_type="application/json").status_code == 400
    with flask_app.app_context():
        body = document(flask_app, "/optional/api")["paths"]["/optional/api/notes"]["post"]["requestBody"]
    assert body["required"] is False
    contract_check.VIOLATIONS.clear()
