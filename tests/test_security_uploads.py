"""Upload attacks on the receipts endpoint (`POST /expenses/api/receipts`; the web upload calls the
same `receipts.store`): polyglots, oversized bodies, names that lie, bombs, active PDFs.

Each refused file is answered 413 or 422 in the one error format and leaves nothing behind:
no receipt row, no file in the receipts folder.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from PIL import Image
from sqlalchemy import func, select

from services.expenses.models import Receipt
from services.expenses.operations.receipts import MAX_BYTES
from services.expenses.tests.conftest import (  # noqa: F401 - fixtures
    PDF,
    TOKEN,
    bus,
    jpeg_bytes,
    png_bytes,
    service,
    upload,
)


def refused_and_nothing_kept(response, runtime, embedded_settings, status=422):
    assert response.status_code == status, response.data
    assert response.is_json and response.json["error"]["code"] in ("not_a_receipt", "too_large", "invalid")
    with runtime.session() as session:
        assert session.scalar(select(func.count()).select_from(Receipt)) == 0
    folder = embedded_settings.var_dir / "receipts"
    assert not folder.exists() or not any(folder.iterdir())


def test_a_jpeg_that_also_holds_a_script_or_a_pdf_header_is_refused(client, bus, runtime, embedded_settings):
    jpeg = jpeg_bytes()
    for foreign in (b"<script>alert(1)</script>", b"%PDF-1.4 1 0 obj", b"<html><body>", b"<svg onload=x>"):
        # a JPEG comment segment (FF FE) right after the start-of-image marker: still a decodable JPEG
        comment = b"\xff\xfe" + (len(foreign) + 2).to_bytes(2, "big") + foreign
        polyglot = jpeg[:2] + comment + jpeg[2:]
        refused_and_nothing_kept(upload(client, polyglot, "photo.jpg"), runtime, embedded_settings)


def test_a_png_with_an_html_text_chunk_and_a_pdf_that_is_also_html_are_refused(client, bus, runtime,
                                                                                 embedded_settings):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "<html><script>alert(1)</script></html>")
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "PNG", pnginfo=info)
    refused_and_nothing_kept(upload(client, out.getvalue(), "receipt.png"), runtime, embedded_settings)
    html_pdf = PDF.replace(b"\n1 0 obj", b"\n<html><script>alert(1)</script></html>\n1 0 obj")
    refused_and_nothing_kept(upload(client, html_pdf, "receipt.pdf"), runtime, embedded_settings)


def test_a_body_over_the_limit_is_413_before_it_is_read(client, bus, runtime, embedded_settings):
    class Untouchable(io.RawIOBase):
        read_bytes = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            Untouchable.read_bytes += len(buffer)
            buffer[:1] = b"x"
            return 1

    response = client.post("/expenses/api/receipts", environ_overrides={
        "wsgi.input": Untouchable(), "CONTENT_LENGTH": str(MAX_BYTES * 4),
        "CONTENT_TYPE": "multipart/form-data; boundary=kx"})
    refused_and_nothing_kept(response, runtime, embedded_settings, status=413)
    assert Untouchable.read_bytes == 0


def test_a_file_just_over_10_mb_is_413_and_nothing_is_kept(client, bus, runtime, embedded_settings):
    big = PDF + b"0" * (MAX_BYTES - len(PDF) + 1)
    refused_and_nothing_kept(upload(client, big, "scan.pdf"), runtime, embedded_settings, status=413)


def test_a_name_that_lies_decides_nothing(client, bus, runtime, embedded_settings):
    # a PNG called receipt.pdf is kept and served as the PNG it is
    response = upload(client, png_bytes(), "receipt.pdf")
    assert response.status_code == 201 and response.json["content_type"] == "image/png"
    served = client.get(f"/expenses/api/receipts/{response.json['receipt_id']}?manage_token={TOKEN}")
    assert served.mimetype == "image/png" and served.headers["Content-Disposition"].endswith('.png"')


def test_a_program_or_a_script_named_as_a_receipt_is_refused(client, bus, runtime, embedded_settings):
    for content, name in ((b"MZ\x90\x00\x03" + b"\x00" * 200, "receipt.pdf"),
                          (b"#!/bin/sh\nrm -rf /\n", "receipt.jpg"),
                          (b"<html><script>alert(1)</script></html>", "receipt.png")):
        refused_and_nothing_kept(upload(client, content, name), runtime, embedded_settings)


def test_a_zip_bomb_named_as_a_pdf_is_refused_without_being_unpacked(client, bus, runtime, embedded_settings):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("receipt.pdf", b"\0" * (50 * 1024 * 1024))  # 50 MB of zeros, ~50 KB packed
    assert len(out.getvalue()) < MAX_BYTES
    refused_and_nothing_kept(upload(client, out.getvalue(), "receipt.pdf"), runtime, embedded_settings)


def test_an_image_decompression_bomb_is_refused_by_its_header(client, bus, runtime, embedded_settings):
    for size in ((10_000, 10_000), (20_000, 20_000)):  # 100 and 400 megapixels; a phone photo is ~12
        out = io.BytesIO()
        Image.new("1", size).save(out, "PNG")
        assert len(out.getvalue()) < MAX_BYTES
        refused_and_nothing_kept(upload(client, out.getvalue(), "receipt.png"), runtime, embedded_settings)


def test_a_pdf_with_javascript_an_action_or_an_attached_file_is_refused(client, bus, runtime, embedded_settings):
    catalogue = b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj"
    for active in (b"1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj",
                   b"1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction<</S/Launch/F(calc.exe)>>>>endobj",
                   b"1 0 obj<</Type/Catalog/Pages 2 0 R/Names<</EmbeddedFiles 3 0 R>>>>endobj",
                   b"1 0 obj<</Type/Catalog/Pages 2 0 R/AA<</O<</S/Java#53cript/JS(x)>>>>>>endobj"):
        refused_and_nothing_kept(upload(client, PDF.replace(catalogue, active), "receipt.pdf"), runtime,
                                 embedded_settings)


def test_random_stream_bytes_that_spell_a_pdf_action_do_not_refuse_a_scan(client, bus):
    scan = PDF.replace(b"trailer", b"3 0 obj<</Length 20>>stream\n\x00/JS /Launch\xff\nendstream endobj\ntrailer")
    assert upload(client, scan, "scan.pdf").status_code == 201


# --- files crafted to make the check itself the attack --------------------------------------------
# The old check removed stream data with `stream\r?\n.*?endstream` (DOTALL): every opener without a
# closer scanned to the end of the file, so openers alone made it quadratic (280 KB: minutes of
# CPU holding the GIL). Images had a cousin: Pillow walks a PNG's chunks and a JPEG's segments (and
# the junk between them) a byte or a chunk at a time in Python. These files are answered (kept or
# refused) like any other; benchmarks/receipt_check.py measures how fast.


def pdf_of(unit: bytes, size: int) -> bytes:
    head, tail = b"%PDF-1.4\n", b"\n%%EOF\n"
    return head + unit * ((size - len(head) - len(tail)) // len(unit)) + tail


def test_a_pdf_of_stream_openers_without_closers_is_answered_at_280_kb_and_at_10_mb(client, bus):
    for size in (280 * 1024, MAX_BYTES):
        crafted = pdf_of(b"stream\n", size)
        assert len(crafted) <= MAX_BYTES
        assert upload(client, crafted, "scan.pdf").status_code in (201, 422)


def test_pdfs_of_streams_slashes_or_name_escapes_are_answered_and_a_mass_of_escapes_refused(
        client, bus, runtime, embedded_settings):
    refused_and_nothing_kept(upload(client, pdf_of(b"#4A", MAX_BYTES), "scan.pdf"), runtime, embedded_settings)
    for unit in (b"stream\r\nendstream", b"/", b"/JavaScrip"):
        assert upload(client, pdf_of(unit, MAX_BYTES), "scan.pdf").status_code == 201


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")


def test_a_png_of_tens_of_thousands_of_chunks_is_refused(client, bus, runtime, embedded_settings):
    png = png_bytes()
    header_end = 8 + 25  # the signature and IHDR
    crafted = png[:header_end] + png_chunk(b"zzZz", b"") * 50_000 + png[header_end:]
    refused_and_nothing_kept(upload(client, crafted, "receipt.png"), runtime, embedded_settings)


def test_a_jpeg_of_thousands_of_segments_or_of_junk_between_them_is_refused(client, bus, runtime,
                                                                            embedded_settings):
    jpeg = jpeg_bytes()
    after_first = 4 + int.from_bytes(jpeg[4:6], "big")  # the start marker and the first segment (APP0)
    for filler in (b"\xff\xfe\x00\x02" * 50_000, b"\xff\xe1\x00\x02" * 50_000, b"\x00" * 1_000_000,
                   b"\xff" * 1_000_000):
        crafted = jpeg[:after_first] + filler + jpeg[after_first:]
        refused_and_nothing_kept(upload(client, crafted, "receipt.jpg"), runtime, embedded_settings)
