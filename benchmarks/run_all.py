"""Run every benchmark and rewrite the results table in benchmarks/README.md.

    python benchmarks/run_all.py              # 100k articles: ~1 hour on 2 cores
    python benchmarks/run_all.py --quick      # 1k articles, a few minutes: checks that all runs

Needs a Neo4j of its own, which it empties: ``KG_HOME=/tmp/kg-bench KG_NEO4J_PORT=17698 kg neo4j start``
(``wipe`` refuses to touch a database that holds real articles). The synthetic corpus is written
once per (size, seed) under benchmarks/out/ (git-ignored) and reused.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import dashboard, extraction, ingest, loading
from benchmarks.common import Result, load_average
from benchmarks.synth import DEFAULT_CORPUS, profile_corpus, write_corpus
from kg.errors import ReaderError
from kg.extract.pipeline import default_workers, extract_many
from kg.graph.connect import open_driver
from kg.readers import read_articles
from kg.records import Article

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
SAMPLE = 2000  # articles for the extraction and load ratios (the ratios do not need 100k)
NEW_ARTICLES = 1000


def corpus(size: int, seed: int, start: int = 0) -> Path:
    """The synthetic corpus folder, written unless a complete one is there already."""
    folder = HERE / "out" / f"corpus-s{seed}-{start}-{size}"
    done = folder / ".complete"
    if not done.exists():
        print(f"writing {size} synthetic articles to {folder} ...", flush=True)
        profile = profile_corpus([DEFAULT_CORPUS])
        for _ in write_corpus(profile, folder, size, seed, start):
            pass
        done.write_text(f"quiet share of the real corpus: {profile.quiet_share:.4f}\n")
    return folder


def articles(folder: Path, limit: int) -> list[Article]:
    return [a for a in islice(read_articles([folder]), limit) if not isinstance(a, ReaderError)]


def table(results: list[Result], header: str) -> str:
    lines = [header, "", "| benchmark | value | baseline / detail | ratio | target | met | load |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else ""
        met = {True: "yes", False: "**no**", None: ""}[r.met]
        detail = "; ".join(x for x in (r.baseline, r.note) if x)
        lines.append(f"| {r.name} | {r.value:,.1f} {r.unit} | {detail} | {ratio} | {r.target} | {met} | {r.load} |")
    return "\n".join(lines)


def write_readme(text: str) -> None:
    readme = README.read_text(encoding="utf-8")
    head, _, rest = readme.partition(START)
    _, _, tail = rest.partition(END)
    README.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="articles in the full ingest")
    parser.add_argument("--quick", action="store_true", help="1k articles and fewer query runs")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--no-readme", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    size = 1000 if args.quick else args.size
    runs = 10 if args.quick else 30
    began = time.perf_counter()

    folder = corpus(size, args.seed)
    sample = articles(folder, min(size, SAMPLE))
    results = [*extraction.run(sample, args.workers),
               *extraction.run(extraction.english_articles(DEFAULT_CORPUS), args.workers, ", English")]
    quiet = sum(not x.events for x in extract_many(sample, workers=args.workers)) / len(sample)
    real_quiet = (folder / ".complete").read_text().split(":")[1].strip()
    results.append(Result(f"synthetic corpus: share of articles without events ({len(sample)})", quiet * 100, "%",
                          f"real corpus: {float(real_quiet) * 100:.1f} %", None, "", None, load_average()))
    print(table(results, ""), flush=True)
    with open_driver() as driver:
        results += loading.run(driver, list(extract_many(sample, workers=args.workers)), naive_rows=500)
        print(table(results[-3:], ""), flush=True)
    results += ingest.full_ingest_alone(folder, args.workers)
    with open_driver() as driver:  # a new driver: the import replaced the database the old one knew
        results.append(ingest.incremental(driver, corpus(NEW_ARTICLES, args.seed, start=size), size, args.workers))
        results += dashboard.run(driver, runs)
    header = (f"Measured {datetime.now(UTC):%Y-%m-%d} with `python benchmarks/run_all.py"
              f"{' --quick' if args.quick else f' --size {size}'}` on {platform.machine()} "
              f"({args.workers} workers, Python {platform.python_version()}), {time.perf_counter() - began:.0f} s in all. "
              f"\"load\" is the 1-minute load average when the figure was taken: the machine is shared.")
    text = table(results, header)
    print(text)
    if not args.no_readme:
        write_readme(text)


if __name__ == "__main__":
    main()
