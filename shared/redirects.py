"""Where a `next=` may send someone after sign-in: only a path of this origin.

Browsers are lenient where an attacker needs them to be: they drop tabs and newlines anywhere in a
URL (`/\\t/evil.example/` becomes `//evil.example/`), read `\\` as `/`, and take `//host` as another
origin; and a CR or LF in a Location header breaks the header (werkzeug refuses it with a 500).
So a value is kept only if it is a plain absolute path: it starts with one `/`, has no scheme and
no host, no backslash, and no control, space or separator character; and it stays so after one
round of percent-decoding (in case anything on the way decodes it again), where only a space is
allowed (`?q=Jane%20Jones` is a search of ours). Anything else is None, and the caller goes to its
own default page.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

#: longer than any page of ours; a longer value is refused rather than echoed into a header
MAX_LENGTH = 2000


def local_path(value: object) -> str | None:
    """`value` if it is a path of this origin, else None."""
    if not isinstance(value, str) or not value or len(value) > MAX_LENGTH:
        return None
    if not (_plain_path(value, unsafe="CZ") and _plain_path(unquote(value), unsafe="C")):
        return None
    return value


def _plain_path(value: str, unsafe: str) -> bool:
    """An absolute path with no character of the Unicode categories `unsafe` (C: controls, Z:
    spaces and separators of any script)."""
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return False
    if any(unicodedata.category(character)[0] in unsafe for character in value):
        return False
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc
