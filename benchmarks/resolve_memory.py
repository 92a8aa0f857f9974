"""Memory of cross-article resolution per process: all reports at once (``resolve_events``) against
a time window at a time on two Dask workers (``kg.resolve_windows``), at 1k, 10k and 100k synthetic
articles; and whether the two give the same events (issue 20).

    python benchmarks/resolve_memory.py --sizes 1000,10000,100000

Synthetic articles at the level resolution sees - reports: article ``i`` takes the reports of a
real article of the corpus (extracted once, cached under benchmarks/out/), moved to a publication
day drawn over 2015-2024 (its events' days move with it) and with its countries swapped for others
of the corpus, one swap per article (as ``benchmarks/synth.py`` does with whole texts). Each size
runs in a process of its own. Memory is the peak RSS above the RSS before resolution, in this
process for ``resolve_events`` and in each worker for the windows (the client holds the reports, as
a bulk load holds them anyway; its figure is given apart). The peak is the kernel's ``VmHWM``,
reset before each measure (``/proc/self/clear_refs``), not ``ru_maxrss``: a Dask worker is forked
from the client before it executes, and ``ru_maxrss`` keeps the client's RSS at that fork, so it
gave a worker the client's memory (benchmarks/README.md). The windows' tasks are counted too: how
many, the largest (in reports, margins included) and the rounds of merging where neighbours
disagreed.
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import load_average
from benchmarks.synth import DEFAULT_CORPUS
from kg.config import DEFAULT_WINDOW_REPORTS
from kg.extract.pipeline import extract_files
from kg.records import ArticleExtraction, EventReport
from kg.resolve_windows import WindowTask
from kg.graph.tables import WriterTables

TABLES = WriterTables.load()

R = TypeVar("R")
HERE = Path(__file__).resolve().parent
REAL = HERE / "out" / "real-corpus.jsonl"
FIRST_DAY, DAYS = date(2015, 1, 1), 3653  # 2015-2024


def real_articles() -> list[ArticleExtraction]:
    """The real corpus extracted (cached: `kg extract` once)."""
    if not REAL.exists():
        REAL.parent.mkdir(parents=True, exist_ok=True)
        records = [ex for ex in extract_files([DEFAULT_CORPUS], workers=2) if isinstance(ex, ArticleExtraction)]
        REAL.write_text("".join(json.dumps(ex.to_dict(), ensure_ascii=False) + "\n" for ex in records),
                        encoding="utf-8")
    with REAL.open(encoding="utf-8") as fh:
        return [ArticleExtraction.from_dict(json.loads(line)) for line in fh]


def _moved(day: date | None, shift: timedelta) -> date | None:
    return day + shift if day else None


def synthetic_reports(size: int, seed: int = 7) -> list[EventReport]:
    real = [ex for ex in real_articles() if ex.article.published]
    countries = sorted({p for ex in real for ev in ex.events for p in ev.participants if p.startswith("country:")})
    out = []
    for i in range(size):
        rng = random.Random(seed * 1_000_003 + i)
        ex = rng.choice(real)
        published = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        assert ex.article.published is not None
        shift = published - ex.article.published.date()
        swap = dict(zip(countries, rng.sample(countries, len(countries))))
        for ev in ex.events:
            moved = replace(ev, participants=tuple(swap.get(p, p) for p in ev.participants),
                            start=_moved(ev.start, shift), end=_moved(ev.end, shift),
                            place=swap.get(ev.place, ev.place) if ev.place else None)
            out.append(EventReport(f"syn-{i}", ex.article.published + shift, moved))
    return out


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status (``VmRSS``, ``VmHWM``), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(field)


def _reset_peak() -> float:
    """Reset this process's peak RSS (``VmHWM``) to its RSS, which it returns."""
    Path("/proc/self/clear_refs").write_text("5")
    return _status_mb("VmRSS")


def _peak_mb() -> float:
    return _status_mb("VmHWM")


class _Counting:
    """A mapper that runs the windows' tasks on the cluster and counts them: tasks, the largest
    (reports), and the calls (one per type, plus one per round of merging)."""

    def __init__(self, client: object) -> None:
        self.client, self.calls, self.tasks, self.largest = client, 0, 0, 0

    def __call__(self, task: Callable[[WindowTask], R], items: Iterable[WindowTask]) -> Iterator[R]:
        from kg.engine import windows_on

        items = list(items)
        self.calls += 1
        self.tasks += len(items)
        self.largest = max([self.largest, *(len(t.reports) for t in items)])
        return windows_on(self.client, task, items)  # type: ignore[arg-type]


def one_size(size: int, workers: int, window_reports: int, *, windows_only: bool = False,
             cache: Path | None = None) -> dict[str, object]:
    """Both resolutions of one archive size (run in a fresh process: see ``main``); with
    ``windows_only``, the windows alone (no single-process resolution to compare with); with a
    ``cache`` folder, the single-process result is kept there and taken from there in later runs
    (the two resolutions of 100k articles need not run at once)."""
    from kg.config import EngineSettings
    from kg.engine import dask_client
    from kg.resolve import _resolvable, resolve_events
    from kg.resolve_windows import resolve_in_windows

    before = _status_mb("VmRSS")
    reports = synthetic_reports(size)
    held = _status_mb("VmRSS") - before
    rules = TABLES.rules
    stored = cache / f"whole-{size}.pkl" if cache else None
    if stored and stored.exists():  # resolved in one process before, by this script: its result and figures
        with stored.open("rb") as fh:
            whole, single_mb, whole_s = pickle.load(fh)
    else:
        start = _reset_peak()  # the single process first: the windows' serialising would raise this process's peak
        began = time.perf_counter()
        whole = {} if windows_only else resolve_events(reports, rules)
        whole_s = time.perf_counter() - began
        single_mb = _peak_mb() - start
        if stored and not windows_only:
            with stored.open("wb") as fh:
                pickle.dump((whole, single_mb, whole_s), fh)
    kinds = len({rules.kind(m.type) for m in reports if _resolvable(m, rules)})  # one call of the mapper each, and one per round of joining
    with dask_client(EngineSettings(name="dask", workers=workers)) as client:  # the workers a bulk load starts
        client.run(lambda: __import__("kg.resolve_windows"))
        base = client.run(_reset_peak)
        mapper = _Counting(client)
        began = time.perf_counter()
        windowed = resolve_in_windows(reports, rules, window_reports=window_reports, mapper=mapper)
        windows_s = time.perf_counter() - began
        after = client.run(_peak_mb)
    return {"articles": size, "reports": len(reports), "events": len(set(whole.values())),
            "client_reports_mb": round(held), "single_process_mb": round(single_mb),
            "single_process_s": round(whole_s, 1), "worker_peak_mb": round(max(after[w] - base[w] for w in after)),
            "window_reports": window_reports, "tasks": mapper.tasks, "largest_task_reports": mapper.largest,
            "join_rounds": mapper.calls - kinds, "windows_s": round(windows_s, 1),
            "equal": windowed == whole if whole else None,
            "load": load_average()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--window-reports", type=int, default=DEFAULT_WINDOW_REPORTS,
                        help="reports of a type per window (engine.window_reports)")
    parser.add_argument("--windows-only", action="store_true",
                        help="the windows alone: their memory and tasks, no single-process resolution to compare")
    parser.add_argument("--cache", type=Path,
                        help="a folder keeping each size's single-process result, reused by later runs")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a size, in this process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_size(args.one, args.workers, args.window_reports, windows_only=args.windows_only,
                                  cache=args.cache)), flush=True)
        return
    real_articles()
    for size in map(int, args.sizes.split(",")):
        subprocess.run([sys.executable, __file__, "--one", str(size), "--workers", str(args.workers),
                        "--window-reports", str(args.window_reports),
                        *(["--windows-only"] if args.windows_only else []),
                        *(["--cache", str(args.cache)] if args.cache else [])], check=True)


if __name__ == "__main__":
    main()
