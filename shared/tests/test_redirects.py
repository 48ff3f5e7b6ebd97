"""`shared.redirects.local_path`: where a `next=` may send someone after sign-in: only a path of
this origin. Each nasty value below is one a browser (or werkzeug) would read as another origin,
or that would break the Location header."""

from __future__ import annotations

import pytest

from shared.redirects import local_path

NASTY = [
    "//evil.example/",                # scheme-relative
    "/\t/evil.example/",              # browsers drop tabs: //evil.example/
    "/\n/evil.example/",              # and newlines
    "/\r/x",                          # a CR in Location: header injection (werkzeug refuses: 500)
    "/\r\nSet-Cookie: a=b",
    "\t//evil.example/",
    " //evil.example/",
    "/\\evil.example/",               # browsers read \ as /
    "\\\\evil.example/",
    "/\\/evil.example/",
    "/x\\..\\..\\",
    "https://evil.example/",
    "http:/evil.example/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,hi",
    "evil.example",                    # relative: not a path of ours
    "registration/staff",
    "/%09/evil.example/",              # the encoded ones, should anything decode them once more
    "/%0d/x",
    "/%2F/evil.example/",
    "/%5Cevil.example/",
    "/%5c%5cevil.example/",
    "%2F%2Fevil.example/",
    "/\x00/evil.example/",
    "/\x7f/x",
    "/\u2028/x",                       # a line separator
    "/\u3000/evil.example",            # ideographic space
    "/%E3%80%80/%0a",
    "",
    None,
    "/" + "a" * 3000,                  # too long to be one of our pages
]

SAFE = [
    "/registration/staff/",
    "/registration/staff/exchanges/3/edit",
    "/expenses/finance/",
    "/learning/?lang=cy",
    "/registration/staff/?page=2&sort=title",
    "/",
]


@pytest.mark.parametrize("value", NASTY)
def test_a_value_that_could_leave_this_origin_or_break_the_header_is_refused(value):
    assert local_path(value) is None


@pytest.mark.parametrize("value", SAFE)
def test_a_path_of_this_origin_is_kept_as_it_is(value):
    assert local_path(value) == value


def test_anything_but_a_string_is_refused():
    assert local_path(["/registration/"]) is None and local_path(b"/registration/") is None


def test_a_search_of_ours_with_an_encoded_space_is_kept():
    assert local_path("/registration/staff/?q=Jane%20Jones") == "/registration/staff/?q=Jane%20Jones"
