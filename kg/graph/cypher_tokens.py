"""Cypher split into tokens the way Neo4j 5 reads it, for the console's check (``kg.graph.read``).

A check that looks for words like ``LOAD`` must agree with the server about what is code and what
is a string, a quoted name or a comment; where they disagree an attacker hides a clause from the
check (a ``//`` comment the check ends at ``\\n`` but the server ends at ``\\r`` too). So this
follows the server's lexer on exactly those points, measured against Neo4j 5.26:

- ``//`` comments end at ``\\n`` or ``\\r`` (no other character ends them); ``/* */`` do not nest;
- strings in ``'`` or ``"``, where a backslash takes the next character with it;
- names in backticks, where a doubled backtick stands for one;
- whitespace is the set of separators the server accepts between tokens (``WHITESPACE`` below).

Anything unterminated is refused, never guessed at. The scan moves forward only, each step a
regular expression anchored where the last one stopped, so its time is linear in the query's length.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from kg.errors import QueryError

# Every character Neo4j 5.26 accepts between two tokens (probed one by one over the BMP).
WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"

# Token kinds. WORD is a keyword or an unquoted name or number (not told apart here); NAME a
# backtick-quoted name, never a keyword; SYMBOL one of ``. : $ /`` alone, or a run of other
# punctuation (the check only looks at those four, and runs keep the token count down).
WORD, NAME, STRING, PARAMETER, SYMBOL = "word", "name", "string", "parameter", "symbol"


class Token(NamedTuple):
    kind: str
    text: str      # WORD: as written; NAME: without the backticks, doubled backticks undone
    offset: int    # where it starts in the query (for messages)


_TOKEN = re.compile(rf"""
    (?P<space>[{WHITESPACE}]+)
  | (?P<word>\w+)
  | (?P<line_comment>//[^\r\n]*)
  | (?P<block_comment>/\*)
  | (?P<string>'[^'\\]*(?:\\.[^'\\]*)*'|"[^"\\]*(?:\\.[^"\\]*)*")
  | (?P<name>`[^`]*(?:``[^`]*)*`)
  | (?P<parameter>\$(?:\w+|`[^`]*(?:``[^`]*)*`))
  | (?P<symbol>[^\w'"`$/.:{WHITESPACE}]+|.)
""", re.VERBOSE | re.DOTALL)
_UNTERMINATED = {"'": "string", '"': "string", "`": "quoted name"}
_KEPT = (WORD, STRING, PARAMETER, SYMBOL)


def tokens(query: str) -> list[Token]:
    """The query's tokens without whitespace and comments; QueryError when a string, quoted name or
    ``/*`` comment is not closed (the server would refuse it too, and the check cannot read past it)."""
    found: list[Token] = []
    pos, end = 0, len(query)
    while pos < end:
        match = _TOKEN.match(query, pos)
        assert match is not None  # the last alternative matches any character
        kind, text = match.lastgroup, match.group()
        if kind == "block_comment":
            close = query.find("*/", pos + 2)
            if close < 0:
                raise QueryError(f"refused: the /* comment at character {pos} is never closed with */")
            pos = close + 2
            continue
        if kind == SYMBOL and text in _UNTERMINATED:
            raise QueryError(f"refused: the {_UNTERMINATED[text]} opened with {text} at character {pos} "
                             f"is never closed")
        if kind == NAME:
            found.append(Token(NAME, text[1:-1].replace("``", "`"), pos))
        elif kind in _KEPT:
            found.append(Token(kind, text, pos))
        pos = match.end()
    return found
