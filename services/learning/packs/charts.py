"""Charts for the packs, drawn here as SVG (no JavaScript, nothing fetched).

Every label is escaped: titles come from hosts.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

BAR_COLOUR = "#005eb8"
TRACK_COLOUR = "#e8edee"
TEXT_COLOUR = "#212b32"


def percentage_bars(rows: list[tuple[str, int, str]], title: str) -> str:
    """Horizontal bars: (label, percentage 0-100, note beside the bar)."""
    row_height, label_width, bar_width, width = 34, 250, 260, 700
    height = row_height * len(rows) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" aria-label="{escape(title, {chr(34): "&quot;"})}">',
             f"<title>{escape(title)}</title>"]
    for n, (label, pct, note) in enumerate(rows):
        y = 5 + n * row_height
        filled = round(bar_width * max(0, min(pct, 100)) / 100)
        parts += [
            f'<text x="0" y="{y + 20}" font-size="11" fill="{TEXT_COLOUR}">{escape(_clip(label, 40))}</text>',
            f'<rect x="{label_width}" y="{y + 6}" width="{bar_width}" height="18" fill="{TRACK_COLOUR}"/>',
            f'<rect x="{label_width}" y="{y + 6}" width="{filled}" height="18" fill="{BAR_COLOUR}"/>',
            f'<text x="{label_width + bar_width + 8}" y="{y + 20}" font-size="11" fill="{TEXT_COLOUR}">'
            f"{pct}% · {escape(note)}</text>",
        ]
    parts.append("</svg>")
    return "".join(parts)


def rating_columns(ratings: list[int], title: str, axis_label: str) -> str:
    """Five columns: how many gave each rating from 1 to 5."""
    width, height, top, base = 360, 200, 20, 160
    most = max(ratings) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" aria-label="{escape(title, {chr(34): "&quot;"})}">',
             f"<title>{escape(title)}</title>",
             f'<line x1="20" y1="{base}" x2="{width - 10}" y2="{base}" stroke="{TEXT_COLOUR}"/>']
    for n, count in enumerate(ratings):
        x = 40 + n * 62
        bar = round((base - top) * count / most)
        parts += [
            f'<rect x="{x}" y="{base - bar}" width="40" height="{bar}" fill="{BAR_COLOUR}"/>',
            f'<text x="{x + 20}" y="{base - bar - 5}" font-size="11" text-anchor="middle" fill="{TEXT_COLOUR}">{count}</text>',
            f'<text x="{x + 20}" y="{base + 16}" font-size="11" text-anchor="middle" fill="{TEXT_COLOUR}">{n + 1}</text>',
        ]
    parts.append(f'<text x="{width / 2}" y="{base + 34}" font-size="11" text-anchor="middle" '
                 f'fill="{TEXT_COLOUR}">{escape(axis_label)}</text></svg>')
    return "".join(parts)


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
