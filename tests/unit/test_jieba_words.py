"""jieba's dictionary read through kg's index answers as jieba does: the same tags, the same
segmentation, from a fresh cache folder, after a pickle, without a writable cache."""

from __future__ import annotations

import logging
import os
import pickle
from pathlib import Path

import jieba
import jieba.posseg
import pytest

from kg.extract.jieba_words import WordTags, index_path

ROOT = Path(__file__).resolve().parents[2]
TEXTS = ["这家中国企业", "折中方案", "沿海地区的合法国家", "外长任期内访问亚洲", "李强调研", "美国总统拜登和法国总统马克龙通电话",
         "G20峰会 2023年在新德里举行", "", "中"]


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder of the module's own, where the first WordTags builds the index."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture()
def words(cache: Path, monkeypatch: pytest.MonkeyPatch) -> WordTags:
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    return WordTags()


def _windows() -> list[str]:
    """Texts of ten characters from the sample articles, as the state-name rule cuts them."""
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "sample" / "articles").iterdir())[:3])
    return [text[i:i + 10] for i in range(0, min(len(text), 3000), 7)]


def test_tags_and_words_are_jiebas(words: WordTags, cache: Path) -> None:
    jieba.setLogLevel(logging.WARNING)
    table = jieba.posseg.dt.word_tag_tab
    sample = [w for i, w in enumerate(table) if i % 997 == 0] + ["任期", "亚洲", "振华", "中方", "不是词语", "x"]
    assert [words.get(w) for w in sample] == [table.get(w, "") for w in sample]
    assert [words.get(w, "nr") for w in sample] == [table.get(w, "nr") for w in sample]
    assert [w in words for w in sample] == [w in table for w in sample]
    assert list((cache / "kg").glob("jieba-words-*.sqlite3")), "the index is kept in the cache folder"


def test_segmentation_is_jiebas(words: WordTags) -> None:
    for text in TEXTS + _windows():
        assert words.cut(text) == jieba.lcut(text, HMM=False), text


def test_a_pickled_copy_opens_its_own_index(words: WordTags) -> None:
    assert words.get("任期")
    copy = pickle.loads(pickle.dumps(words))
    assert len(pickle.dumps(words)) < 200  # the connection and the words read stay behind
    assert copy.get("任期") == words.get("任期") and copy.cut("折中方案") == words.cut("折中方案")


def test_a_changed_dictionary_gets_an_index_of_its_own(tmp_path: Path) -> None:
    dictionary = tmp_path / "dict.txt"
    dictionary.write_text("中国 100 ns\n", encoding="utf-8")
    first = index_path(dictionary)
    dictionary.write_text("中国 100 ns\n美国 90 ns\n", encoding="utf-8")
    assert index_path(dictionary) != first


def test_without_a_writable_cache_the_index_is_built_in_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))  # the cache folder would be under a file
    words = WordTags()
    assert words.get("亚洲") == jieba.posseg.dt.word_tag_tab["亚洲"]
    assert words.cut("这家中国企业") == jieba.lcut("这家中国企业", HMM=False)
    assert os.listdir(tmp_path) == ["file"]
