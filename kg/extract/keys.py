"""Every occurrence of a set of dictionary keys in a text, in one pass (gazetteer names, trigger words).

An Aho-Corasick automaton of ahocorasick-rs. Why not pyahocorasick (used before): its nodes find a
child by a linear search, and the gazetteer's root has the ~500 characters that begin a key, which
it searches at every character of a sentence. The automaton cannot be pickled; a ``KeyMatcher``
pickles its keys and values and builds it anew, so worker processes receive it with the tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from ahocorasick_rs import AhoCorasick

V = TypeVar("V")


class KeyMatcher(Generic[V]):
    """The keys of a mapping (none of them empty), found anywhere in a text, overlapping ones included."""

    def __init__(self, values: Mapping[str, V]) -> None:
        self._keys = list(values)
        self._values = list(values.values())
        self._automaton = AhoCorasick(self._keys)

    def find(self, text: str) -> list[tuple[int, int, V]]:
        """(begin, end, value) of every occurrence of a key in ``text`` (offsets in characters)."""
        values = self._values
        return [(begin, end, values[index])
                for index, begin, end in self._automaton.find_matches_as_indexes(text, overlapping=True)]

    def __getstate__(self) -> dict[str, Any]:
        return {"values": dict(zip(self._keys, self._values))}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["values"])  # type: ignore[misc]
