"""Text helpers shared by the readers and the extractors: sentence spans, t2s conversion and
what counts as a Chinese character.

Both keep character offsets valid: sentences are returned as ``(start, end)`` spans into the text
given, and :func:`to_simplified` returns a string of the same length, so an offset found in the
simplified text points at the same characters in the original (traditional) text.
"""

from __future__ import annotations

import re
from functools import cache

import opencc

from kg.schema import load_yaml

# A sentence ends after a run of terminators, or after a period followed by white space (so
# decimals and "U.S.-China" do not split), plus any closing quotes/brackets that follow: 」』” stay
# with the sentence they close. A newline always ends a sentence (one paragraph per line).
_TERMINATOR = re.compile(
    r"(?:[。！？!?；…]+|\.(?=[\"'”’」』）)\]]*\s))[\"'”’」』）)\]】》]*|\n"
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_LOOKBACK = 24  # characters scanned for the word before a period

# A Chinese (Han) character: the unified ideographs, their extensions and the compatibility block.
CJK_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")


def is_latin(text: str) -> bool:
    """True for text with no Chinese character (names matched case-sensitively, on word boundaries)."""
    return CJK_CHAR.search(text) is None


def sentence_abbreviations() -> frozenset[str]:
    """Words that take a period without ending a sentence (``Mr``, ``Gen``...), case as listed
    in ``schema/readers.yaml``. Case matters: "No. 5" is an abbreviation, "said no. Then" ends a
    sentence."""
    data = load_yaml("readers.yaml").get("sentences") or {}
    return frozenset(str(word).rstrip(".") for word in data.get("abbreviations") or ())


def _period_ends_sentence(text: str, dot: int, abbreviations: frozenset[str]) -> bool:
    """False after an abbreviation ("Mr."), an initial ("J."), a dotted acronym ("U.S.")."""
    word = _WORD_BEFORE.search(text[max(0, dot - _LOOKBACK):dot])
    if word is None:
        return True
    token = word.group(1)
    return not (len(token) == 1 or "." in token or token in abbreviations)


def split_sentences(text: str, abbreviations: frozenset[str]) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of Chinese and English text, white space trimmed.

    ``text[start:end]`` is one sentence; empty stretches are skipped. Splits at 。！？!?；… and
    newlines, and at ". " unless the period closes one of ``abbreviations``
    (:func:`sentence_abbreviations`), an initial or an acronym.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _TERMINATOR.finditer(text):
        if match.group().startswith(".") and not _period_ends_sentence(text, match.start(), abbreviations):
            continue
        _add_trimmed(text, start, match.end(), spans)
        start = match.end()
    _add_trimmed(text, start, len(text), spans)
    return spans


def _add_trimmed(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))


# The OpenCC traditional -> simplified converter: a fixed table of the library, built when this
# module is imported (a few milliseconds), so no call of to_simplified loads anything.
_T2S = opencc.OpenCC("t2s")


@cache
def _simplify_char(char: str) -> str:
    converted = _T2S.convert(char)
    return converted if len(converted) == 1 else char


def to_simplified(text: str) -> str:
    """Simplified-character text of the same length as ``text`` (OpenCC ``t2s``).

    OpenCC converts phrases first and characters after; on the whole corpus that keeps the length.
    When a phrase rule would change it, the text is converted character by character instead
    (cached per character) so that offsets stay valid.
    """
    converted = _T2S.convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(_simplify_char(char) for char in text)
