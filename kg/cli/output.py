"""Printing query results as aligned tables (CJK-aware), JSON lines or CSV.

Tables are for a terminal: a cell never carries control characters or escape sequences to it
(an article title could otherwise move the cursor, recolour or retitle the terminal), and a long
cell wraps inside its column instead of being cut, so nothing is hidden. JSON escapes control
characters itself; CSV keeps the data as stored, for other programs.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

FORMATS = ("table", "json", "csv")
CELL_WIDTH = 60  # terminal columns of a table column before its cells wrap

# ANSI/ECMA-48 escape sequences: CSI (ESC [ ... final), OSC and the other string commands
# (ESC ] / P / X / ^ / _ ... BEL or ESC \), and two-byte ESC sequences; then any C0/C1 control
# character left (the 8-bit CSI U+009B included).
_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]"
                     r"|[\x1b][\]PX^_].*?(?:\x07|\x1b\\|$)|[\x90\x9d\x98\x9e\x9f].*?(?:\x07|\x9c|$)"
                     r"|\x1b[@-Z\\-_]?", re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """``text`` without escape sequences and control characters; line breaks and tabs become spaces."""
    return _CONTROL.sub(lambda m: " " if m.group(0) in "\t\n\r\v\f" else "", _ESCAPE.sub("", text))


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


def wrap(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` columns, broken at a space when the line has one
    (Latin text), else between characters (CJK has no spaces); never loses a character."""
    lines: list[str] = []
    line, used, last_space = "", 0, -1
    for c in text:
        w = display_width(c)
        if used + w > width and line:
            if last_space > 0 and c != " ":
                lines.append(line[:last_space].rstrip())
                line = line[last_space + 1:]
            else:
                lines.append(line.rstrip())
                line = ""
            used, last_space = display_width(line), -1
            if c == " " and not line:
                continue
        if c == " ":
            last_space = len(line)
        line += c
        used += w
    return [*lines, line] if line or not lines else lines


def render(keys: Sequence[str], rows: Sequence[dict[str, Any]], fmt: str = "table",
           max_width: int = CELL_WIDTH) -> str:
    """The rows in one of FORMATS; table cells wider than ``max_width`` columns wrap onto more lines."""
    if fmt == "json":
        return "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in rows)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(keys)
        writer.writerows([_cell(r.get(k)) for k in keys] for r in rows)
        return buf.getvalue()
    heads = [terminal_safe(k) for k in keys]
    cells = [[wrap(terminal_safe(_cell(r.get(k))), max_width) for k in keys] for r in rows]
    widths = [max([display_width(h)] + [display_width(part) for row in cells for part in row[i]])
              for i, h in enumerate(heads)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(heads, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    wrapped = any(len(parts) > 1 for row in cells for parts in row)
    for i, row in enumerate(cells):
        if wrapped and i:
            lines.append("")  # a blank line between rows once some row spans several lines
        for n in range(max(len(parts) for parts in row) if row else 1):
            lines.append("  ".join(_pad(parts[n] if n < len(parts) else "", w)
                                   for parts, w in zip(row, widths)).rstrip())
    return "\n".join(lines) + "\n"


def row_count(n: int) -> str:
    """The line printed under a table."""
    return f"({n} row{'' if n == 1 else 's'})"


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
