"""Links in a Welsh message open Welsh pages: each link to kx gets `lang=cy`.

The pages choose their language from `?lang=`, then the language cookie, then the browser's
Accept-Language (shared/web.py); a person reading Welsh on an English-speaking phone would
otherwise land on English pages. The query also sets the cookie, so the pages after stay Welsh.
"""

from __future__ import annotations

import re

#: characters that end a sentence around a link in text, not part of it
_TRAILING = ".,;:!?)"


def with_language(body: str, public_url: str, language: str, *, html: bool) -> str:
    """`body` with every link under `public_url` asking for `language` (English is the default: kept)."""
    if language == "en":
        return body
    pattern = re.compile(re.escape(public_url.rstrip("/")) + r"/[^\s\"'<>]*")
    separator = "&amp;" if html else "&"

    def one(found: re.Match) -> str:
        link = found.group(0)
        link, tail = link.rstrip(_TRAILING), link[len(link.rstrip(_TRAILING)):]
        if re.search(r"[?&](amp;)?lang=", link):
            return found.group(0)
        return f"{link}{separator if '?' in link else '?'}lang={language}{tail}"

    return pattern.sub(one, body)
