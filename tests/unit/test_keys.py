"""The key matcher under the gazetteer's scan and the trigger words: every occurrence, in characters."""

from __future__ import annotations

import pickle

from kg.extract.keys import KeyMatcher


def test_every_occurrence_overlapping_ones_included() -> None:
    matcher = KeyMatcher({"中国": "CN", "国": "state", "中国人": "people"})
    assert sorted(matcher.find("中国人在中国")) == [
        (0, 2, "CN"), (0, 3, "people"), (1, 2, "state"), (4, 6, "CN"), (5, 6, "state")]


def test_offsets_count_characters_not_bytes() -> None:
    text = "x𠀀美中国ab"  # a character outside the BMP and two-byte and three-byte ones before the keys
    matcher = KeyMatcher({"𠀀美": 1, "中国": 2, "ab": 3})
    assert [(text[b:e], v) for b, e, v in matcher.find(text)] == [("𠀀美", 1), ("中国", 2), ("ab", 3)]


def test_no_keys_finds_nothing() -> None:
    assert KeyMatcher({}).find("中国") == []


def test_pickled_matcher_finds_the_same() -> None:
    matcher = KeyMatcher({"会谈": ("TALKS", "会谈"), "外长会": ("MULTILATERAL", "外长会")})
    text = "中俄外长会谈"
    assert pickle.loads(pickle.dumps(matcher)).find(text) == matcher.find(text)
