"""Receipts: PDF, JPEG or PNG by content, at most 10 MB, served only to their claimant and finance."""

from __future__ import annotations

import io

from .conftest import PDF, TOKEN, jpeg_bytes, png_bytes, upload


def test_pdf_jpeg_and_png_are_accepted_by_content_not_name(client, bus):
    for content, name, kind in ((PDF, "scan", "application/pdf"), (jpeg_bytes(), "photo.png", "image/jpeg"),
                                (png_bytes(), "x.pdf", "image/png")):
        response = upload(client, content, name)
        assert response.status_code == 201 and response.json["content_type"] == kind


def test_a_pdf_with_an_embedded_jpeg_is_still_a_pdf(client, bus):
    embedded = PDF.replace(b"trailer", b"3 0 obj<</Subtype/Image/Filter/DCTDecode>>stream\n" + jpeg_bytes()
                           + b"\nendstream endobj\ntrailer")
    assert upload(client, embedded, "scan.pdf").json["content_type"] == "application/pdf"


def test_a_file_over_10_mb_is_413_and_other_requests_keep_a_small_limit(client, bus):
    big = PDF + b"0" * (10 * 1024 * 1024)
    assert upload(client, big, "big.pdf").status_code == 413
    padded = {"manage_token": TOKEN, "exchange_id": 1, "items": [], "bank": {}, "pad": "x" * 70_000}
    assert client.post("/expenses/api/claims", json=padded).status_code == 413


def test_an_upload_needs_the_claimants_token(client, bus):
    response = client.post("/expenses/api/receipts", data={"file": (io.BytesIO(PDF), "a.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 404


def test_the_claimant_downloads_their_receipt_as_an_attachment(client, bus):
    receipt = upload(client, png_bytes()).json["receipt_id"]
    response = client.get(f"/expenses/api/receipts/{receipt}?manage_token={TOKEN}")
    assert response.status_code == 200 and response.data == png_bytes()
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def test_finance_sees_images_and_pdfs_inline(client, bus, fin, auth):
    receipt = upload(client, PDF, "scan.pdf").json["receipt_id"]
    response = client.get(f"/expenses/api/receipts/{receipt}", headers=fin)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert "script-src" not in response.headers["Content-Security-Policy"]
    assert client.get(f"/expenses/api/receipts/{receipt}").status_code == 401
    assert client.get(f"/expenses/api/receipts/{receipt}", headers=auth(host=[1])).status_code == 403


def test_files_are_kept_under_random_names_outside_any_served_folder(client, bus, embedded_settings):
    upload(client, png_bytes(), "../../etc/passwd.png")
    folder = embedded_settings.var_dir / "receipts"
    names = [p.name for p in folder.iterdir()]
    assert len(names) == 1 and len(names[0]) == 32 and "passwd" not in names[0]
    assert (folder / names[0]).stat().st_mode & 0o077 == 0
