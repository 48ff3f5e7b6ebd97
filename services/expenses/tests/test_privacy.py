"""Bank details: encrypted at rest, masked everywhere, never logged, never on the bus."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import select

from services.expenses.models import Outbox

from .conftest import TOKEN, cost, journey, submit

ACCOUNT = "48120937"
SORT = "61-22-93"
BANK = {"account_name": "Carys Example", "sort_code": SORT, "account_number": ACCOUNT}


def test_the_account_number_is_nowhere_but_the_export(client, bus, runtime, fin, fin2, auth, caplog):
    caplog.set_level(logging.DEBUG)
    claim = submit(client, [journey(10), cost(500)], bank=BANK).json
    client.post(f"/expenses/api/claims/{claim['id']}/query", json={"question": "Which day?"}, headers=fin)
    client.put(f"/expenses/api/claims/{claim['id']}", json={"manage_token": TOKEN, "items": [journey(10)],
                                                          "bank": BANK, "answer": "Monday"})
    client.post(f"/expenses/api/claims/{claim['id']}/approve", headers=auth(finance=[], staff_id=30))
    run = client.post("/expenses/api/payment-runs", headers=fin).json
    client.post(f"/expenses/api/payment-runs/{run['id']}/approve", headers=fin2)
    export = client.get(f"/expenses/api/payment-runs/{run['id']}/export.csv", headers=fin).data.decode()
    client.post(f"/expenses/api/payment-runs/{run['id']}/confirm", headers=fin2)
    assert ACCOUNT in export  # in clear only here

    seen = client.get(f"/expenses/api/claims/{claim['id']}?manage_token={TOKEN}").get_data(as_text=True)
    seen += client.get(f"/expenses/api/claims/{claim['id']}", headers=fin).get_data(as_text=True)
    assert ACCOUNT not in seen and "3" + ACCOUNT[-4:] not in seen and ACCOUNT[-4:] in seen

    with runtime.session() as session:
        envelopes = list(session.scalars(select(Outbox.envelope)))
    assert len(envelopes) >= 4
    assert not any(ACCOUNT in e or SORT in e or "Carys" in e for e in envelopes)

    logged = "\n".join(r.getMessage() for r in caplog.records) + caplog.text
    assert ACCOUNT not in logged and SORT not in logged

    database = Path(runtime.engine.url.database)
    runtime.engine.dispose()  # closing the last connection checkpoints the write-ahead log
    assert b"Alex Example" in database.read_bytes()  # the file does hold the claim's data: the check means something
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        if path.exists():
            content = path.read_bytes()
            assert ACCOUNT.encode() not in content and SORT.encode() not in content and b"612293" not in content


def test_bank_details_of_the_wrong_shape_are_refused(client, bus, fin):
    for bank, field in (({**BANK, "sort_code": "12-34-5"}, "bank.sort_code"),
                        ({**BANK, "sort_code": "ab-cd-ef"}, "bank.sort_code"),
                        ({**BANK, "account_number": "1234567"}, "bank.account_number"),
                        ({**BANK, "account_number": "123456789"}, "bank.account_number"),
                        ({**BANK, "account_name": "=HYPERLINK(1)"}, "bank.account_name")):
        response = submit(client, [cost(500)], bank=bank)
        assert response.status_code == 422 and field in response.json["error"]["fields"], bank
    assert client.get("/expenses/api/claims?status=all", headers=fin).json == []


def test_keys_rotate_and_old_rows_are_re_encrypted(runtime, client, bus, embedded_settings, tmp_path):
    import dataclasses

    from cryptography.fernet import Fernet

    from services.expenses.config import expenses_settings
    from services.expenses.models import Claim
    from services.expenses.operations import bank
    from shared.service import Runtime

    claim = submit(client, [cost(500)], bank=BANK).json
    old = expenses_settings(embedded_settings).keys[0]
    new = Fernet.generate_key().decode()
    rotated = dataclasses.replace(embedded_settings, extra={**embedded_settings.extra, "KX_EXPENSES_KEYS": f"{new},{old}"})
    later = Runtime(runtime.service, rotated, database_url=str(runtime.engine.url))
    try:
        assert bank.rotate_keys(later) == 1
        assert bank.rotate_keys(later) == 0
        with later.session() as session:
            row = session.get(Claim, claim["id"])
            assert row.bank_key_id == bank.key_id(new)
            only_new = dataclasses.replace(rotated, extra={**rotated.extra, "KX_EXPENSES_KEYS": new})
            assert bank.unseal(row, only_new).account_number == ACCOUNT
    finally:
        later.dispose()
