"""Extraction speed on one core and on every core, against ``jieba.cut`` over the same texts.

Why jieba.cut is the baseline: any extractor that tags every sentence with a segmenter or a model
is at least that slow; kg's dictionary scan + rules should beat segmentation alone (issue 3).
English articles are measured apart (their name and clause rules differ), on the real English
articles of the corpus, each read ``ENGLISH_ROUNDS`` times so the clock sees enough text.
"""

from __future__ import annotations

import time
from pathlib import Path

import jieba

from benchmarks.common import Result, load_average
from kg.extract.pipeline import Tables, extract_many
from kg.readers import read_articles
from kg.records import Article

ENGLISH_ROUNDS = 10


def jieba_rate(articles: list[Article]) -> float:
    """Articles per second of plain ``jieba.cut`` (dictionary loaded beforehand, not timed)."""
    jieba.initialize()
    began = time.perf_counter()
    for a in articles:
        for _ in jieba.cut(f"{a.title}\n{a.text}"):
            pass
    return len(articles) / (time.perf_counter() - began)


def extraction_rate(articles: list[Article], workers: int, tables: Tables) -> float:
    """Articles per second of ``extract_many`` (worker start-up included: it is part of a run)."""
    began = time.perf_counter()
    count = sum(1 for _ in extract_many(articles, workers=workers, tables=tables))
    return count / (time.perf_counter() - began)


def english_articles(corpus: Path) -> list[Article]:
    """The English articles under ``corpus/en``, ``ENGLISH_ROUNDS`` times over."""
    found = [a for a in read_articles([corpus / "en"]) if isinstance(a, Article) and a.language == "en"]
    return found * ENGLISH_ROUNDS


def run(articles: list[Article], workers: int, label: str = "") -> list[Result]:
    tables = Tables.load()
    extraction_rate(articles[:20], 1, tables)  # warm caches (OpenCC, automaton) outside the clock
    baseline = jieba_rate(articles)
    out = []
    for n in sorted({1, workers}):
        rate = extraction_rate(articles, n, tables)
        out.append(Result(f"extraction{label}, {n} core{'s' if n > 1 else ''} ({len(articles)} articles)", rate,
                          "articles/s", f"jieba.cut 1 core: {baseline:.0f}/s", rate / baseline,
                          "> 1x jieba.cut", rate > baseline, load_average()))
    return out
