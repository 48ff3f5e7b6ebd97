"""A payment run's bank file after an erasure or a key removal: never a 500, never a claim silently
left out. A run still to be paid is refused (409) naming the claims that cannot be paid; a confirmed
run (the record of what was paid) is given with those claims' bank fields marked, amount and
reference kept."""

from __future__ import annotations

import csv
import io

from cryptography.fernet import Fernet
from openpyxl import load_workbook

from services.expenses import privacy
from services.expenses.models import Claim
from shared.privacy import Subject

from .conftest import cost, submit

SECOND = "second-claimant-token-abcdefghijklmnopqrstuvwxyz"
BANK_2 = {"account_name": "B Example", "sort_code": "01-23-45", "account_number": "00123456"}


def run_of_two(client, bus, fin, auth):
    """A run (made by `fin`, approved by another) of two approved claims, of claimants 1 and 2."""
    bus.claimant(2, 1, SECOND)
    first = submit(client, [cost(500)]).json
    second = submit(client, [cost(700)], token=SECOND, bank=BANK_2).json
    for claim in (first, second):
        client.post(f"/expenses/api/claims/{claim['id']}/approve", headers=auth(finance=[], staff_id=30))
    run = client.post("/expenses/api/payment-runs", headers=fin).json
    assert client.post(f"/expenses/api/payment-runs/{run['id']}/approve", headers=auth(finance=[], staff_id=31)
                       ).status_code == 200  # the second pair of eyes: the bank file can be taken from now
    return first, second, run


def erase(runtime, application_id):
    with runtime.session() as session, session.begin():
        privacy.erase(session, Subject(key="not-an-email-key", application_ids=(application_id,)))


def lose_key(runtime, claim_id):
    """The claim's bank details as if sealed under a key since removed from KX_EXPENSES_KEYS."""
    with runtime.session() as session, session.begin():
        session.get(Claim, claim_id).bank_ciphertext = Fernet(Fernet.generate_key()).encrypt(b"{}").decode()


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.data.decode())))


def test_a_run_awaiting_payment_still_pays_a_claimant_erased_since(client, bus, runtime, fin, auth):
    first, second, run = run_of_two(client, bus, fin, auth)
    erase(runtime, 2)  # the money is owed: their bank details stay until paid
    exported = client.get(f"/expenses/api/payment-runs/{run['id']}/export.csv", headers=fin)
    assert exported.status_code == 200
    assert csv_rows(exported)[2] == ["B Example", "01-23-45", "00123456", "7.00", f"KX EXP {second['id']}"]
    assert client.get(f"/expenses/api/payment-runs/{run['id']}", headers=fin).json["claim_ids"] == [
        first["id"], second["id"]]
    assert "B Example" not in client.get(f"/expenses/finance/runs/{run['id']}", headers=fin).get_data(as_text=True)


def test_a_confirmed_run_exports_an_erased_claimant_with_bank_fields_marked_erased(client, bus, runtime, fin, fin2, auth):
    first, second, run = run_of_two(client, bus, fin, auth)
    assert client.post(f"/expenses/api/payment-runs/{run['id']}/confirm", headers=fin2).status_code == 200
    erase(runtime, 2)  # paid now: the bank details go
    exported = client.get(f"/expenses/api/payment-runs/{run['id']}/export.csv", headers=fin)
    assert exported.status_code == 200
    rows = csv_rows(exported)
    assert rows[1][:3] == ["A Example", "30-94-57", "00733445"]
    assert rows[2] == ["[erased]", "[erased]", "[erased]", "7.00", f"KX EXP {second['id']}"]
    book = load_workbook(io.BytesIO(client.get(f"/expenses/api/payment-runs/{run['id']}/export.xlsx", headers=fin).data))
    values = list(book.active.values)
    assert values[2] == ("[erased]", "[erased]", "[erased]", 7.0, f"KX EXP {second['id']}")
    assert values[-1][0] == "Total" and values[-1][3] == run["total_pence"] / 100


def test_a_run_awaiting_payment_with_bank_details_no_key_opens_is_refused_naming_the_claim(client, bus, runtime, fin, auth):
    first, second, run = run_of_two(client, bus, fin, auth)
    lose_key(runtime, second["id"])
    for kind in ("csv", "xlsx"):
        refused = client.get(f"/expenses/api/payment-runs/{run['id']}/export.{kind}", headers=fin)
        assert refused.status_code == 409, refused.data
        assert refused.json["error"]["code"] == "bank_details_unavailable"
        assert str(second["id"]) in refused.json["error"]["message"]
        assert f"claim {first['id']}," not in refused.json["error"]["message"]
    page = client.get(f"/expenses/finance/runs/{run['id']}", headers=fin).get_data(as_text=True)
    assert "This run cannot be paid as it is" in page  # finance is warned before trying the file


def test_a_confirmed_run_exports_bank_details_no_key_opens_marked_unavailable(client, bus, runtime, fin, fin2, auth):
    first, second, run = run_of_two(client, bus, fin, auth)
    assert client.post(f"/expenses/api/payment-runs/{run['id']}/confirm", headers=fin2).status_code == 200
    lose_key(runtime, first["id"])
    exported = client.get(f"/expenses/api/payment-runs/{run['id']}/export.csv", headers=fin)
    assert exported.status_code == 200
    assert csv_rows(exported)[1] == ["[unavailable]", "[unavailable]", "[unavailable]", "5.00", f"KX EXP {first['id']}"]
