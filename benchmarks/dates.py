"""Speed of the date resolver (``kg.extract.dates.find_dates``) on the corpus's own sentences.

    python benchmarks/dates.py                      # ../shared/corpus, best of 5 rounds
    python benchmarks/dates.py --corpus /work/shared/corpus --rounds 3   # from a worktree

The input is every sentence of the corpus, as the pipeline hands it to the resolver (split,
folded to simplified characters), with its article's publication date. The figure reported is
candidate expressions per second: the candidates are the matches of a deliberately trivial
regular expression (a number before 年/月/日/号, 昨天, 周五, 上月, "March 22", "last week" ...),
so the count does not depend on the resolver's version and figures of two versions compare.
The baseline, measured in the same run over the same sentences (rounds interleaved), is that
trivial scan itself: the machine is shared and its speed moves between runs, so the ratio to the
scan is the figure that compares across runs, the rate alone only within one.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import Result, load_average
from benchmarks.synth import DEFAULT_CORPUS
from kg.errors import ReaderError
from kg.extract.dates import find_dates, load_vocabulary, published_date
from kg.readers import read_articles
from kg.readers.text import sentence_abbreviations, split_sentences, to_simplified


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
TRIVIAL = re.compile(
    r"(?:\d{1,4}|[〇零一二三四五六七八九十]{1,4})[年月日号]"
    r"|[今昨明前后][天日晚]|(?:周|星期)[一二三四五六日天]|[上下本这]个?(?:周|月|星期)|[去今明]年"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    rf"|(?:{_MONTHS})\s+\d{{1,2}}|\d{{1,2}}\s+(?:{_MONTHS})"
    rf"|\b(?:yesterday|today|tomorrow)\b|\b(?:last|next|this|on)\s+(?:week|month|year|{_WEEKDAYS})\b",
)


def corpus_sentences(corpus: Path) -> list[tuple[str, date | None]]:
    """Every sentence of the corpus with its article's publication date, as the pipeline sees it."""
    out = []
    abbreviations = sentence_abbreviations()
    for article in read_articles([corpus]):
        if isinstance(article, ReaderError):  # a file the pipeline would skip too
            continue
        published = published_date(article.published)
        for begin, end in split_sentences(article.text, abbreviations):
            out.append((to_simplified(article.text[begin:end]), published))
    return out


def _best_seconds(runs: list[Callable[[], None]], rounds: int) -> list[float]:
    """The fastest of ``rounds`` timed calls of each of ``runs``, interleaved so that both see the
    same load: the machine is shared, and the minimum is the least noisy reading. CPU time of this
    process, not wall time: with ~8 jobs on 2 cores, wall time mostly measures the waiting."""
    best = [float("inf")] * len(runs)
    for _ in range(rounds):
        for i, call in enumerate(runs):
            began = time.process_time()
            call()
            best[i] = min(best[i], time.process_time() - began)
    return best


def run(corpus: Path = DEFAULT_CORPUS, rounds: int = 5) -> list[Result]:
    sentences = corpus_sentences(corpus)
    if not sentences:
        raise SystemExit(f"{corpus}: no readable article (pass --corpus)")
    candidates = sum(len(TRIVIAL.findall(s)) for s, _ in sentences)
    vocab = load_vocabulary()
    found = sum(len(find_dates(s, p, vocab)) for s, p in sentences)

    def resolve() -> None:
        for sentence, published in sentences:
            find_dates(sentence, published, vocab)

    def scan() -> None:
        for sentence, _ in sentences:
            TRIVIAL.findall(sentence)

    resolver, trivial = _best_seconds([resolve, scan], rounds)
    rate, base = candidates / resolver, candidates / trivial
    return [
        Result(
            f"date resolver ({len(sentences)} corpus sentences, {candidates} candidate expressions)",
            rate,
            "expressions/s",
            f"trivial regex scan: {base:,.0f}/s",
            rate / base,
            load=load_average(),
            note=f"{len(sentences) / resolver:,.0f} sentences/s; {found} mentions resolved; best of {rounds}",
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    for r in run(args.corpus, args.rounds):
        print(f"{r.name}: {r.value:,.0f} {r.unit}; baseline {r.baseline}; ratio {r.ratio:.3f}x; "
              f"{r.note}; load {r.load}")


if __name__ == "__main__":
    main()
