"""Printing query results as aligned tables (CJK-aware), JSON lines or CSV."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

FORMATS = ("table", "json", "csv")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def display_width(text: str) -> int:
    """Terminal columns of a string: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def render(keys: Sequence[str], rows: Sequence[dict[str, Any]], fmt: str = "table", max_width: int = 60) -> str:
    """The rows in one of FORMATS; table cells longer than ``max_width`` columns are cut with '…'."""
    if fmt == "json":
        return "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in rows)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(keys)
        writer.writerows([_cell(r.get(k)) for k in keys] for r in rows)
        return buf.getvalue()
    cells = [[_cell(r.get(k)) for k in keys] for r in rows]
    cells = [[c if display_width(c) <= max_width else _cut(c, max_width) for c in row] for row in cells]
    widths = [max([display_width(k)] + [display_width(row[i]) for row in cells]) for i, k in enumerate(keys)]
    lines = ["  ".join(_pad(k, w) for k, w in zip(keys, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines) + "\n"


def _cut(text: str, width: int) -> str:
    out, used = [], 0
    for c in text:
        w = display_width(c)
        if used + w > width - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"


def stream(keys: Sequence[str], rows: Iterable[dict[str, Any]], fmt: str) -> Iterator[str]:
    """The rows as CSV or JSON lines, a row at a time as they come, so that a result larger than
    memory can be written out (`kg query --format csv`)."""
    if fmt == "json":
        for row in rows:
            yield json.dumps(row, ensure_ascii=False, default=str) + "\n"
        return
    if fmt != "csv":
        raise ValueError(f"only csv and json are streamed, not {fmt!r}")
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(keys)
    for row in rows:
        writer.writerow([_cell(row.get(k)) for k in keys])
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    yield buf.getvalue()
