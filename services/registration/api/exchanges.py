"""`/exchanges` and `/numbers`: the catalogue, and the programme team's changes to it."""

from __future__ import annotations

from shared import api
from shared.api import STAFF
from shared.auth import authorise, current_staff
from shared.web import db

from .. import operations
from ..operations.catalogue import (
    ExchangeFilter,
    as_stored,
    drafts_for,
    exchange_details,
    exchange_or_404,
)
from ..outputs import ExchangeNumbersOutput, ExchangeOutput
from ..schemas import ExchangeInput, ExchangeQuery
from .blueprint import blueprint
from .checks import admin


def _details(exchange, with_accounts: bool = True) -> dict:
    return exchange_details(db(), exchange, with_accounts=with_accounts, times=as_stored)


@blueprint.get("/exchanges")
@api.response(ExchangeOutput(many=True))
@api.arguments(ExchangeQuery, location="query")
def list_exchanges(query):
    """The catalogue, filtered. Drafts are listed (`draft: true`) only to the programme team and,
    their own, to hosts, by bearer token; to everyone else they do not exist."""
    filters = ExchangeFilter(theme=query["theme"], date=query["date"], status=query["status"], town=query["town"],
                             drafts=drafts_for(current_staff()))
    return operations.list_exchanges(db(), filters, times=as_stored)


@blueprint.get("/exchanges/<int:exchange_id>")
@api.response(ExchangeOutput)
def get_exchange(exchange_id):
    """One exchange (a draft: 404, as an unknown one, except to the programme team and its hosts)."""
    return _details(exchange_or_404(db(), exchange_id, drafts_for(current_staff())), with_accounts=False)


@blueprint.post("/exchanges")
@api.access(STAFF, errors=(409,))
@api.response(ExchangeOutput, 201)
@api.authorised_first(admin)
@api.arguments(ExchangeInput)
def create_exchange(data):
    """Publish an exchange, or with `"draft": true` save it unpublished (admin)."""
    return _details(operations.create_exchange(db(), data, staff=authorise("admin")))


@blueprint.patch("/exchanges/<int:exchange_id>")
@api.access(STAFF, errors=(409,))
@api.response(ExchangeOutput)
@api.authorised_first(admin)
@api.arguments(ExchangeInput(partial=True))
def update_exchange(data, exchange_id):
    """Change the fields sent (admin)."""
    changes = _only_sent(data, api.json_body())
    return _details(operations.update_exchange(db(), exchange_id, changes, staff=authorise("admin")))


def _only_sent(loaded: dict, raw: dict) -> dict:
    """Partial loading still fills defaults; a PATCH changes only what the client sent."""
    return {name: _only_sent(value, raw[name]) if isinstance(value, dict) and isinstance(raw.get(name), dict)
            else value for name, value in loaded.items() if name in raw}


@blueprint.post("/exchanges/<int:exchange_id>/publish")
@api.access(STAFF)
@api.response(ExchangeOutput)
@api.authorised_first(admin)
def publish_exchange(exchange_id):
    """Publish a draft: into the catalogue, open for booking, announced (admin). Already published: unchanged."""
    return _details(operations.publish_draft(db(), exchange_id, staff=authorise("admin")))


@blueprint.post("/exchanges/<int:exchange_id>/close")
@api.access(STAFF)
@api.response(ExchangeOutput)
@api.authorised_first(admin)
def close_exchange(exchange_id):
    """Close booking early (admin)."""
    return _details(operations.set_closed(db(), exchange_id, True, staff=authorise("admin")))


@blueprint.post("/exchanges/<int:exchange_id>/reopen")
@api.access(STAFF)
@api.response(ExchangeOutput)
@api.authorised_first(admin)
def reopen_exchange(exchange_id):
    """Reopen booking (admin)."""
    return _details(operations.set_closed(db(), exchange_id, False, staff=authorise("admin")))


@blueprint.get("/numbers")
@api.access(STAFF)
@api.response(ExchangeNumbersOutput(many=True))
@api.authorised_first(admin)
def numbers():
    """The programme team's numbers per exchange (admin)."""
    return operations.exchange_numbers(db(), times=as_stored)
