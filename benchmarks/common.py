"""What every benchmark shares: a result row, the clock, memory and load readings, the database guard."""

from __future__ import annotations

import os
import resource
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Self

import neo4j

from kg.errors import KgError

SYNTHETIC_MARK = "/syn-"  # every synthetic file name has it (benchmarks/synth.py)


@dataclass(frozen=True, slots=True)
class Result:
    """One line of the README table. ``ratio`` is value / baseline (same unit, same run)."""

    name: str
    value: float
    unit: str
    baseline: str = ""
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    load: str = ""  # the machine's load average when measured: this machine is shared
    note: str = ""


def load_average() -> str:
    """1-minute load average of the machine (other processes share its 2 cores)."""
    return f"{os.getloadavg()[0]:.1f}"


def peak_rss_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest finished child, in MB (Linux: KB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, child


class TreeMemory:
    """The peak of this process's memory plus its descendants', sampled as PSS (each shared page
    counted once, split between the processes sharing it) from ``/proc/<pid>/smaps_rollup``:
    summing the peak RSS of a parent and the children it forked counts their shared pages twice.
    Java processes (Neo4j's importer) are left out, as the server is. Sampled every second: a
    reading walks the page tables, a few ms per process. A context manager: the sampling thread
    runs inside the ``with`` block; ``peak_mb`` is read after it."""

    def __init__(self, every: float = 1.0) -> None:
        self.every, self.peak_mb = every, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(self.every):
            self.peak_mb = max(self.peak_mb, sum(map(_pss_mb, _tree(os.getpid()))))


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants but Java processes (Linux ``/proc``; gone ones are skipped)."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            if Path(f"/proc/{current}/comm").read_text().strip() == "java":
                continue
            out.append(current)
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += map(int, (task / "children").read_text().split())
        except OSError:
            continue
    return out


def _pss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def timed(fn: Callable[[], object]) -> float:
    """Wall-clock seconds of one call."""
    began = time.perf_counter()
    fn()
    return time.perf_counter() - began


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 of samples (inclusive method: meaningful from ~20 samples up)."""
    cuts = statistics.quantiles(samples, n=20, method="inclusive")
    return statistics.median(samples), cuts[18]


def wipe(driver: neo4j.Driver) -> None:
    """Empty the benchmark database, refusing when it holds any article that is not synthetic:
    the benchmarks must never run against an analyst's graph."""
    records, _, _ = driver.execute_query(
        "MATCH (a:Article) WHERE NOT a.path CONTAINS $mark RETURN a.path AS path LIMIT 1", mark=SYNTHETIC_MARK)
    if records:
        raise KgError(f"the database at hand holds real articles ({records[0]['path']}); run the benchmarks "
                      f"against their own server: KG_HOME=/tmp/kg-bench KG_NEO4J_PORT=17698 kg neo4j start")
    with driver.session() as session:
        # small transactions: a dense node (China) drags all its edges into the one that deletes it
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS").consume()
