"""The receipt checker under hypothesis: whatever the bytes, it answers a type or NotAReceipt (never
another exception), and on PDFs it leaves out exactly the stream data the old quadratic regex left
out, so every refusal that regex made is still made (tests/test_security_uploads.py pins them).

How fast it answers is measured in benchmarks/receipt_check.py, not here: these tests count no time.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.expenses.operations.receipt_check import (
    NotAReceipt,
    is_active_pdf,
    outside_streams,
    sniff,
)

from .conftest import PDF, jpeg_bytes, png_bytes

#: the check before issue 14, kept as the oracle (quadratic: small inputs only)
OLD_STREAM = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
OLD_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA|SubmitForm|ImportData)(?![A-Za-z])")
OLD_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")

PDF_TOKENS = [b"stream\n", b"stream\r\n", b"stream\r", b"endstream", b"stream", b"endst", b"ream\n", b"\n",
              b"\r", b" ", b"obj", b"endobj", b"1 0 obj", b"<<", b">>", b"/JS", b"/JavaScript", b"/Java#53cript",
              b"/Launch", b"/EmbeddedFile", b"/XFA", b"/JSX", b"#4A", b"/", b"(", b")", b"%", b"%%EOF", b"trailer",
              b"<html", b"\x00", b"\xff", b"#", b"#2F", b"#2f", b"#4a", b"#53", b"#58", b"#6", b"Java", b"Embedded",
              b"File", b"s", b"S", b"X", b"A"]
pdf_soup = st.lists(st.one_of(st.sampled_from(PDF_TOKENS), st.binary(max_size=8)), max_size=60).map(b"".join)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def answer(content: bytes) -> str:
    try:
        return sniff(content)
    except NotAReceipt:
        return "refused"


@FUZZ
@given(st.binary(max_size=4096))
def test_any_bytes_get_a_type_or_a_refusal(content):
    assert answer(content) in ("application/pdf", "image/jpeg", "image/png", "refused")


@FUZZ
@given(pdf_soup)
def test_a_soup_of_pdf_tokens_leaves_out_exactly_what_the_old_regex_left_out(soup):
    assert outside_streams(soup) == OLD_STREAM.sub(b"", soup)


@FUZZ
@given(pdf_soup)
def test_a_soup_of_pdf_tokens_is_active_exactly_when_the_old_check_found_it_active(soup):
    decoded = OLD_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), OLD_STREAM.sub(b"", soup))
    assert is_active_pdf(soup) == (OLD_ACTIVE.search(decoded) is not None)


@FUZZ
@given(pdf_soup, pdf_soup)
def test_a_pdf_made_of_token_soup_gets_a_type_or_a_refusal(before, after):
    content = PDF.replace(b"trailer", before + b"trailer" + after)
    assert answer(b"%PDF-1.4\n" + before + b"\n%%EOF") in ("application/pdf", "refused")
    assert answer(content) in ("application/pdf", "refused")


@FUZZ
@given(st.binary(max_size=512), st.integers(min_value=0, max_value=200))
def test_a_png_or_a_jpeg_with_bytes_spliced_in_gets_a_type_or_a_refusal(spliced, at):
    for image in (png_bytes(), jpeg_bytes()):
        at = min(at, len(image))
        assert answer(image[:at] + spliced + image[at:]) in ("image/png", "image/jpeg", "refused")


@FUZZ
@given(st.lists(st.tuples(st.binary(min_size=4, max_size=4), st.binary(max_size=40)), max_size=30),
       st.booleans())
def test_a_png_of_any_chunks_gets_a_type_or_a_refusal(chunks, good_crc):
    import zlib

    png = png_bytes()
    made = b"".join(len(data).to_bytes(4, "big") + kind + data
                    + (zlib.crc32(kind + data) if good_crc else 0).to_bytes(4, "big") for kind, data in chunks)
    assert answer(png[:33] + made + png[33:]) in ("image/png", "refused")


@FUZZ
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=255), st.binary(max_size=40), st.booleans()),
                max_size=30))
def test_a_jpeg_of_any_segments_gets_a_type_or_a_refusal(segments):
    jpeg = jpeg_bytes()
    made = b"".join(bytes([0xFF, marker]) + ((len(data) + 2).to_bytes(2, "big") if with_length else b"") + data
                    for marker, data, with_length in segments)
    assert answer(jpeg[:2] + made + jpeg[2:]) in ("image/jpeg", "refused")
