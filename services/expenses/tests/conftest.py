"""Expenses test fixtures: registration's events delivered through the real consumer path, and a
claimant who attended an exchange that ended recently. `runtime`, `app`, `client` and `auth` come
from shared/testing.py."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from PIL import Image

from services.expenses.handlers import HANDLERS
from services.expenses.service import SERVICE
from services.notifications.service import SERVICE as NOTIFICATIONS
from shared import factories
from shared.service import Runtime
from shared.testing import Deliveries, migrate

#: the exchange of most tests ended ten days ago, so claims are open
ENDED = datetime.now(UTC).replace(hour=16, minute=0, second=0, microsecond=0) - timedelta(days=10)
DAY = ENDED.date()
TOKEN = "claimant-token-1-abcdefghijklmnopqrstuvwxyz"
BANK = {"account_name": "A Example", "sort_code": "30-94-57", "account_number": "00733445"}


@pytest.fixture
def service():
    return SERVICE


class Bus(Deliveries):
    """Delivers registration's events to expenses's handlers as the consumer would."""

    def __init__(self, runtime):
        super().__init__(runtime, HANDLERS)

    def exchange(self, exchange_id: int, ends: datetime = ENDED, theme: str = "T1", title: str | None = None):
        self.deliver("registration.exchange.published", factories.exchange_published(
            exchange_id, ends - timedelta(hours=6), ends, theme=theme, title=title or f"Exchange {exchange_id}",
            status="closed"))

    def booking(self, application_id: int, exchange_id: int, token: str | None = None,
                participant_type: str = "experience", email: str | None = None):
        applicant = {"participant_type": participant_type, **({"email": email} if email else {})}
        self.deliver("registration.booking.confirmed",
                     factories.booking(application_id, exchange_id, token=token, applicant=applicant))

    def attended(self, application_id: int, exchange_id: int, attended: bool = True):
        self.deliver("registration.attendance.recorded",
                     factories.attendance(application_id, exchange_id, attended=attended))

    def claimant(self, application_id: int, exchange_id: int, token: str, **kwargs):
        """An expert by experience who attended the exchange."""
        self.booking(application_id, exchange_id, token, **kwargs)
        self.attended(application_id, exchange_id)


@pytest.fixture
def bus(runtime):
    bus = Bus(runtime)
    bus.exchange(1)
    bus.claimant(1, 1, TOKEN)
    return bus


@pytest.fixture
def notifications(embedded_settings):
    """Notifications beside expenses, on the same settings: where the claim events' emails are made."""
    runtime = Runtime(NOTIFICATIONS, embedded_settings)
    migrate(runtime)
    yield runtime
    runtime.dispose()


@pytest.fixture
def fin(auth):
    return auth(finance=[], staff_id=11)


@pytest.fixture
def fin2(auth):
    return auth(finance=[], staff_id=12)


def journey(miles=10, day: date = DAY, vehicle="car", passengers=0, **extra) -> dict:
    return {"type": "mileage", "date": day.isoformat(), "from": "Aberystwyth", "to": "Carmarthen",
            "miles": miles, "vehicle": vehicle, "passengers": passengers, **extra}


def cost(amount_pence=1250, kind="public_transport", day: date = DAY, receipt_id=None, **extra) -> dict:
    body = {"type": kind, "date": day.isoformat(), "description": "Train ticket", "amount_pence": amount_pence,
            **extra}
    if receipt_id is not None:
        body["receipt_id"] = receipt_id
    elif "lost_receipt_declaration" not in extra:
        body["lost_receipt_declaration"] = "The ticket machine gave none."
    return body


def png_bytes(colour=(200, 10, 10)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes(colour=(10, 200, 10)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, "JPEG")
    return out.getvalue()


PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


def upload(client, content: bytes, name="receipt.png", token=TOKEN):
    return client.post("/expenses/api/receipts", data={"manage_token": token, "file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def submit(client, items, token=TOKEN, exchange_id=1, bank=None):
    return client.post("/expenses/api/claims", json={"manage_token": token, "exchange_id": exchange_id,
                                                     "items": items, "bank": bank or BANK})
