"""Start-up time of the ``kg`` command: ``kg --help`` and ``kg extract`` of one article.

Each figure is the median wall time of fresh processes (a new interpreter each run, as a user
types the command), so it includes every module the command imports before doing any work; the
CPU time (user + system) of the same runs is given beside it, since the wall time on a shared
machine grows with its load.

    python benchmarks/startup.py [--runs 7] [--article PATH]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import time
from pathlib import Path

from benchmarks.common import Result, load_average

REPO = Path(__file__).resolve().parents[1]
ARTICLE = REPO / "sample" / "articles"
TARGETS_S = {"help": 0.5, "extract": 1.5}


def _wall(command: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of ``command`` run ``runs`` times (output discarded; a failure stops the run)."""
    times, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - began)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return times, cpu


def one_article() -> Path:
    """The first article of the bundled sample (a short Chinese news article)."""
    return sorted(p for p in ARTICLE.iterdir() if p.is_file())[0]


def run(runs: int, article: Path) -> list[Result]:
    kg = [shutil.which("kg") or "kg"]  # the console script a user runs (PYTHONPATH picks the checkout)
    cases = {"help": [*kg, "--help"],
             "extract": [*kg, "extract", str(article), "--format", "jsonl", "--workers", "1"]}
    out = []
    for name, command in cases.items():
        times, cpu = _wall(command, runs)
        median = statistics.median(times)
        target = TARGETS_S[name]
        out.append(Result(name="start-up: kg --help" if name == "help" else "start-up: kg extract of one article",
                          value=round(median, 2), unit="s",
                          baseline=f"median of {runs} fresh processes; min {min(times):.2f} s, max {max(times):.2f} s; "
                                   f"CPU {statistics.median(cpu):.2f} s",
                          target=f"< {target} s", met=median < target, load=load_average()))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--article", type=Path, default=None)
    args = parser.parse_args()
    for result in run(args.runs, args.article or one_article()):
        print(f"{result.name}: {result.value} {result.unit} ({result.baseline}; target {result.target}, "
              f"met: {result.met}; load {result.load})")


if __name__ == "__main__":
    main()
