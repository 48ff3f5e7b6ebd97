"""Benchmark: the receipt check on files crafted against it, before and after issue 14.

    .venv/bin/python benchmarks/receipt_check.py [--rounds 3] [--old-pdf-kb 0]

For each crafted shape, at 280 KB and at 10 MB (the upload limit), the seconds of
- the old check (the quadratic `stream\\r?\\n.*?endstream` regex, Pillow walking images alone), kept
  here as the baseline; on the PDF of stream openers it is measured at 5, 10 and 20 KB and
  extrapolated as c·n² (80 KB took 37 s; `--old-pdf-kb 280` measures that size for real: minutes);
- the check now (`receipt_check.sniff`);
- the whole upload now: `POST /expenses/api/receipts` through the embedded expenses app (multipart
  parsing, the check, sha256, the file written, the row committed), answered 201 or 4xx.
Target (contract, "Security rules"): any upload of at most 10 MB answered within 2 s.
"""

from __future__ import annotations

import argparse
import functools
import io
import random
import re
import statistics
import sys
import tempfile
import time
import warnings
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image  # noqa: E402
from sqlalchemy import delete  # noqa: E402

from services.expenses import create_app  # noqa: E402
from services.expenses.models import Receipt  # noqa: E402
from services.expenses.operations.receipt_check import MAX_PNG_CHUNKS, NotAReceipt, sniff  # noqa: E402
from services.expenses.operations.receipts import MAX_BYTES  # noqa: E402
from services.expenses.service import SERVICE  # noqa: E402
from services.expenses.tests.conftest import TOKEN, Bus  # noqa: E402
from shared.config import load  # noqa: E402
from shared.migrations import upgrade  # noqa: E402
from shared.service import Runtime  # noqa: E402
from shared.testing import embedded_env  # noqa: E402

# --- the check before issue 14, verbatim but for names ----------------------------------------------
OLD_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA|SubmitForm|ImportData)(?![A-Za-z])")
OLD_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
OLD_STREAM = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)


def old_sniff(content: bytes) -> str:
    if content.startswith(b"%PDF-"):
        text = OLD_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), OLD_STREAM.sub(b"", content))
        if OLD_ACTIVE.search(text):
            raise NotAReceipt("active")
        return "application/pdf"
    expected = "JPEG" if content.startswith(b"\xff\xd8\xff") else "PNG"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
        with image:
            image.verify()
    except Exception:  # noqa: BLE001
        raise NotAReceipt("image does not decode") from None
    return expected


# --- crafted files ------------------------------------------------------------------------------------
def pdf_of(unit: bytes, size: int) -> bytes:
    head, tail = b"%PDF-1.4\n", b"\n%%EOF\n"
    return head + unit * ((size - len(head) - len(tail)) // len(unit)) + tail


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")


def small_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "PNG")
    return out.getvalue()


def small_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "JPEG")
    return out.getvalue()


def png_of_chunks(size: int, chunks: int | None = None) -> bytes:
    """Tiny private chunks after the header; with `chunks`, that many and one big one to fill."""
    png, tiny = small_png(), png_chunk(b"zzZz", b"")
    if chunks is None:
        middle = tiny * ((size - len(png)) // len(tiny))
    else:
        middle = tiny * chunks
        middle += png_chunk(b"zzZz", b"\0" * max(0, size - len(png) - len(middle) - 12))
    return png[:33] + middle + png[33:]


def jpeg_with(filler: bytes, size: int) -> bytes:
    """`filler` repeated after the first segment (a JPEG must start with a marker)."""
    jpeg = small_jpeg()
    at = 4 + int.from_bytes(jpeg[4:6], "big")
    return jpeg[:at] + filler * ((size - len(jpeg)) // len(filler)) + jpeg[at:]


def photo(kind: str, size: int) -> bytes:
    """Noise, which compresses worst: the largest real image that fits in `size`."""
    side, last = 64, b""
    while True:
        out = io.BytesIO()
        Image.frombytes("RGB", (side, side), random.Random(side).randbytes(side * side * 3)).save(out, kind, quality=95)
        if len(out.getvalue()) > size:
            return last
        last, side = out.getvalue(), int(side * 1.2)


SHAPES = {
    "pdf: stream openers, no closer (the finding)": lambda n: pdf_of(b"stream\n", n),
    "pdf: stream/endstream pairs": lambda n: pdf_of(b"stream\r\nendstream", n),
    "pdf: #xx name escapes": lambda n: pdf_of(b"/#4A#53 ", n),
    "pdf: slashes": lambda n: pdf_of(b"/", n),
    "pdf: /JavaScrip, all but a name": lambda n: pdf_of(b"/JavaScrip", n),
    "png: tiny chunks": lambda n: png_of_chunks(n),
    f"png: {MAX_PNG_CHUNKS:,} chunks and one big": lambda n: png_of_chunks(n, MAX_PNG_CHUNKS - 10),
    "jpeg: comment segments": lambda n: jpeg_with(b"\xff\xfe\x00\x02", n),
    "jpeg: APP1 segments": lambda n: jpeg_with(b"\xff\xe1\x00\x02", n),
    "jpeg: stray bytes": lambda n: jpeg_with(b"\x00", n),
    "jpeg: 0xFF fill bytes": lambda n: jpeg_with(b"\xff", n),
    "png: a photo of noise": lambda n: photo("PNG", n),
    "jpeg: a photo of noise": lambda n: photo("JPEG", n),
}


def seconds(check, content: bytes) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        verdict = check(content)
    except NotAReceipt:
        verdict = "refused"
    return time.perf_counter() - started, verdict


def old_seconds(name: str, content: bytes, args) -> str:
    if "the finding" not in name:
        return f"{seconds(old_sniff, content)[0]:.2f}"
    size = len(content)
    if args.old_pdf_kb and size <= args.old_pdf_kb * 1024:
        return f"{seconds(old_sniff, content)[0]:.1f}"
    small = small_sizes()
    estimate = small[-1][1] / small[-1][0] ** 2 * size ** 2
    return f"~{estimate:,.0f}"


@functools.cache
def small_sizes() -> list[tuple[int, float]]:
    """The old check on the finding's PDF at 5, 10 and 20 KB: the base of the c·n² estimate."""
    small = [(n, seconds(old_sniff, pdf_of(b"stream\n", n))[0]) for n in (5 * 1024, 10 * 1024, 20 * 1024)]
    print("old check on the finding's PDF: " + ", ".join(f"{n // 1024} KB {t:.2f} s" for n, t in small), flush=True)
    return small


def upload_seconds(client, runtime, content: bytes) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.post("/expenses/api/receipts", content_type="multipart/form-data",
                           data={"manage_token": TOKEN, "file": (io.BytesIO(content), "receipt")})
    took = time.perf_counter() - started
    with runtime.session() as session, session.begin():
        session.execute(delete(Receipt))  # under the 50-receipt limit for the next one
    return took, response.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--old-pdf-kb", type=int, default=0,
                        help="measure the old check on the finding's PDF up to this size instead of extrapolating")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var:
        runtime = Runtime(SERVICE, load(embedded_env(Path(var))))
        upgrade(runtime)
        bus = Bus(runtime)
        bus.exchange(1)
        bus.claimant(1, 1, TOKEN)
        client = create_app({"KX_RUNTIME": runtime, "TESTING": True}).test_client()
        print(f"{'shape':44} {'size':>7} {'old check s':>12} {'check now s':>12} {'upload now s':>13}  answer")
        worst = 0.0
        for name, make in SHAPES.items():
            for size in (280 * 1024, MAX_BYTES):
                content = make(size)
                assert len(content) <= MAX_BYTES, name
                old = old_seconds(name, content, args)
                now = statistics.median(seconds(sniff, content)[0] for _ in range(args.rounds))
                uploads = [upload_seconds(client, runtime, content) for _ in range(args.rounds)]
                took = statistics.median(t for t, _ in uploads)
                worst = max(worst, max(t for t, _ in uploads))
                label = f"{len(content) / 1024:.0f} KB" if size < MAX_BYTES else f"{len(content) / 2**20:.1f} MB"
                print(f"{name:44} {label:>7} {old:>12} {now:12.3f} {took:13.3f}  {uploads[0][1]}", flush=True)
        print(f"slowest upload of any round: {worst:.2f} s  (target < 2 s)")
        runtime.dispose()


if __name__ == "__main__":
    main()
