"""Sentence spans and length-preserving traditional -> simplified conversion."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.readers import read_articles
from kg.readers.text import sentence_abbreviations, split_sentences, to_simplified

ABBREVIATIONS = sentence_abbreviations()

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text, ABBREVIATIONS)]


def test_chinese_terminators_and_closing_quotes() -> None:
    text = "他说：“我们反对。”随后离开！真的吗？是的；好……「完了。」下一句"
    assert sentences(text) == ["他说：“我们反对。”", "随后离开！", "真的吗？", "是的；", "好……",
                               "「完了。」", "下一句"]


def test_newlines_end_sentences() -> None:
    assert sentences("第一段没有句号\n\n  第二段。\n") == ["第一段没有句号", "第二段。"]


def test_english_abbreviations_initials_and_acronyms() -> None:
    text = ("Mr. Blinken met Gen. Milley in the U.S. capital. J. Biden spoke! "
            "It cost $3.5bn. He said no. Then he left (briefly.) Done")
    assert sentences(text) == ["Mr. Blinken met Gen. Milley in the U.S. capital.", "J. Biden spoke!",
                               "It cost $3.5bn.", "He said no.", "Then he left (briefly.)", "Done"]


@given(st.text(alphabet="ab 。！？.\n”」M r", max_size=60))
def test_spans_are_ordered_trimmed_and_inside_the_text(text: str) -> None:
    previous_end = 0
    for start, end in split_sentences(text, ABBREVIATIONS):
        assert previous_end <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        previous_end = end


def test_to_simplified_converts() -> None:
    assert to_simplified("北約前路不明　歐洲心神不定，臺灣") == "北约前路不明　欧洲心神不定，台湾"
    assert to_simplified("") == ""


@pytest.mark.parametrize("folder", ["zh/hkcnews", "zh/news-beyond-wall"])
def test_to_simplified_keeps_length_on_traditional_corpus(folder: str) -> None:
    for article in read_articles([CORPUS / folder]):
        text = f"{article.title}\n{article.text}"  # type: ignore[union-attr]
        assert len(to_simplified(text)) == len(text)
