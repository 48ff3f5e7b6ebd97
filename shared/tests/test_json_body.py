"""shared/json_body.py: any body a client can send is a value or a 400, never an exception that
would be a 500, and in time linear in its size."""

from __future__ import annotations

import contextlib
import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.errors import ApiError
from shared.json_body import MAX_DEPTH, read_json


def _refused(raw: bytes) -> str:
    with pytest.raises(ApiError) as refused:
        read_json(raw)
    assert refused.value.status == 400 and refused.value.code == "bad_request"
    return refused.value.message


@pytest.mark.parametrize("raw", [b"[" * 100_000 + b"]" * 100_000, b"[" * 30_000, b'{"a":' * 5000 + b"1" + b"}" * 5000,
                                 b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1)])
def test_nesting_past_the_limit_is_refused(raw):
    assert "nested too deeply" in _refused(raw)


def test_nesting_up_to_the_limit_is_read():
    assert read_json(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH) is not None


@pytest.mark.parametrize("raw", [b'{"a": NaN}', b'{"a": Infinity}', b'{"a": -1e999}'])
def test_nan_and_infinities_are_left_for_the_schema_to_refuse_by_field(raw):
    value = read_json(raw)["a"]
    assert value != value or value in (float("inf"), float("-inf"))


@pytest.mark.parametrize("raw", [b"9" * 5000, b'{"capacity": ' + b"1" * 10_000 + b"}", b"[-" + b"7" * 4301 + b"]"])
def test_an_integer_of_too_many_digits_is_refused(raw):
    assert "too many digits" in _refused(raw)


@pytest.mark.parametrize("raw", [b"", b"{", b"\xff\xfe", b'{"a": 1,}', b"nul", b'"\\ud800'])
def test_what_is_not_json_is_refused(raw):
    _refused(raw)


def test_a_deep_body_of_64_kb_is_refused_quickly():
    started = time.perf_counter()
    for raw in (b"[" * 65_000, b'{"a":' * 13_000, b'"' + b'\\"' * 32_000):
        with contextlib.suppress(ApiError):
            read_json(raw)
    assert time.perf_counter() - started < 0.5


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
                    | st.text(), lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                    max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_any_json_value_within_the_limit_reads_back_as_itself(value):
    assert read_json(json.dumps(value).encode()) == value


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=300) | st.text(alphabet='[]{}":,0123456789eE.-+NaIfinty \\u', max_size=300).map(str.encode))
def test_any_bytes_are_a_value_or_a_400(raw):
    try:
        read_json(raw)
    except ApiError as refused:
        assert refused.status == 400
