"""Where an incremental update's time goes (issue 20, point 4): ``run_update`` of a folder of new
articles into the graph already loaded, timed by stage, against the extraction of the same
articles alone (same workers, same minutes).

    python benchmarks/update_profile.py NEW_FOLDER --workers 2 [--cprofile out.prof] [--index DIR | --no-index]

The stages are timed by wrapping the functions the update calls (this script's own process only;
the graph is written as ``kg update`` writes it). Run it against a graph of its own: it writes the
articles. ``--extract-only`` measures the extraction alone and writes nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import gc
import json
import os
import resource
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import load_average
from kg import pipeline, queries
from kg.errors import ReaderError
from kg.extract.pipeline import extract_files
from kg.graph import aggregates, load, report_index, stored
from kg.graph.connect import open_driver
from kg.graph.load import new_run_id
from kg.update import Sources

SPENT: dict[str, float] = defaultdict(float)


def _timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            SPENT[name] += time.perf_counter() - began
    return wrapper


def _timed_iter(name: str, fn: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    """A generator function whose time is the time spent waiting for its items."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Iterator[Any]:
        it = iter(fn(*args, **kwargs))
        while True:
            began = time.perf_counter()
            try:
                item = next(it)
            except StopIteration:
                SPENT[name] += time.perf_counter() - began
                return
            SPENT[name] += time.perf_counter() - began
            yield item
    return wrapper


def _query_name(query: str) -> str:
    for name in ("_CANDIDATES", "_STORED"):
        if query == getattr(stored, name, None):
            return name.strip("_").lower()
    return "other read"


def _rows(tx: Any, query: str, **params: Any) -> Any:
    """A collected read, timed, its rows counted (``ROWS``)."""
    name = f"collected read: {_query_name(query)}"
    began = time.perf_counter()
    try:
        rows = _ROWS(tx, query, **params)
    finally:
        SPENT[name] += time.perf_counter() - began
    ROWS[name].append(len(rows))
    return rows


ROWS: dict[str, list[int]] = defaultdict(list)  # collected read -> the rows of each


_ROWS = queries.collected_rows


def _statement(query: str) -> str:
    """A statement's name in the table: its first three lines, cut to 90 characters."""
    lines = [line.strip() for line in query.strip().splitlines()]
    return " ".join(lines[:3])[:90]


def _timed_run(run: Callable[..., Any]) -> Callable[..., Any]:
    """Each statement of a transaction waited for (its records buffered, by the driver's private
    ``Result._buffer_all``) as it is sent, and timed: the server's time per statement, which the
    driver otherwise spreads over the next statement or the commit."""
    @functools.wraps(run)
    def wrapper(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        result = run(self, query, *args, **kwargs)
        result._buffer_all()
        STATEMENTS[_statement(query)] += time.perf_counter() - began
        return result
    return wrapper


STATEMENTS: dict[str, float] = defaultdict(float)


def instrument(statements: bool = False) -> None:
    """Wrap the update's stages with timers (module attributes, looked up at call time; a stage the
    code no longer has is left out); with ``statements``, every statement sent in a transaction too."""
    if statements:
        import neo4j
        neo4j.ManagedTransaction.run = _timed_run(neo4j.ManagedTransaction.run)
    for name in ("gather", "known_hashes", "load_roles", "keep_aside", "clear_recovered", "start_run",
                 "finish_update_run", "write_extractions"):
        if hasattr(pipeline, name):
            setattr(pipeline, name, _timed(name, getattr(pipeline, name)))
    pipeline.extract_many = _timed_iter("extraction (workers)", pipeline.extract_many)
    for table in (pipeline.Tables, pipeline.WriterTables):
        table.load = _timed(f"{table.__name__}.load", table.load)
    for name in ("prepare_batch", "plan_batch", "resolve_events", "event_rows", "graph_rows", "write_batch",
                 "update_counters", "flush_counters", "pending_months"):
        if hasattr(load, name):
            setattr(load, name, _timed(name, getattr(load, name)))
    load.mark_pending = _timed("mark_pending (in write_batch)", load.mark_pending)
    stored.GraphReports.near = _timed("near (all reads)", stored.GraphReports.near)
    stored.joinable = _timed("near: joinable", stored.joinable)
    queries.collected_rows = _rows
    report_index.read_index = _timed("index: made from the graph (read_index)", report_index.read_index)
    report_index.ReportIndex.load = classmethod(_timed("index: read from its file", report_index.ReportIndex.load.__func__))
    report_index.ReportIndex.candidates = _timed("near: index candidates", report_index.ReportIndex.candidates)
    if hasattr(report_index.ReportIndex, "joinable"):  # the candidates' pool kept between batches (session 14)
        report_index.ReportIndex.joinable = _timed("near: index joinable (kept pool: days filed, chains followed)",
                                                   report_index.ReportIndex.joinable)
    if hasattr(report_index.ReportIndex, "_read_shard"):  # the index in monthly shards (session 10)
        report_index.ReportIndex._read_shard = _timed("index: shards read (in candidates, commit)",
                                                      report_index.ReportIndex._read_shard)
    report_index.IndexedReports.commit = _timed("index: brought up to the batch (commit)",
                                                report_index.IndexedReports.commit)
    for name, stage in (("ahead", "index: the next batch's candidates, joinable (ahead, while a batch is written)"),
                        ("commit_written", "index: brought up to the batch from its rows (commit_written)")):
        if hasattr(report_index.IndexedReports, name):  # the pipelined update (session 12)
            setattr(report_index.IndexedReports, name, _timed(stage, getattr(report_index.IndexedReports, name)))
    report_index.IndexedReports.save = _timed("index: written to its file", report_index.IndexedReports.save)
    for name in ("_write_deltas", "refresh_aggregates"):
        setattr(aggregates, name, _timed(f"counters: {name}", getattr(aggregates, name)))
    gc.callbacks.append(_gc_timed)


_GC_BEGAN: list[float] = []


def _gc_timed(phase: str, info: dict[str, int]) -> None:
    """The client's time in the garbage collector's collections (of any stage or thread): the
    index's rows and reports are millions of tracked objects, which each full collection walks."""
    if phase == "start":
        _GC_BEGAN.append(time.perf_counter())
    elif _GC_BEGAN:
        SPENT[f"gc: collections of generation {info['generation']}"] += time.perf_counter() - _GC_BEGAN.pop()


def extraction_alone(folder: Path, workers: int) -> tuple[int, float]:
    """Read and extract every article of ``folder`` (as ``kg extract`` does), nothing written."""
    began = time.perf_counter()
    n = sum(1 for ex in extract_files([folder], workers=workers) if not isinstance(ex, ReaderError))
    return n, time.perf_counter() - began


def _extraction_cpu(folder: Path, workers: int) -> dict[str, Any]:
    cpu = _cpu()
    n, seconds = extraction_alone(folder, workers)
    return {"articles": n, "seconds": round(seconds, 2), "cpu_seconds": _spent(cpu, _cpu())}


def _server_cpu() -> float | None:
    """CPU seconds the local Neo4j server (``$KG_HOME/neo4j/server.pid``) has used, or None."""
    try:
        pid = json.loads((Path(os.environ.get("KG_HOME", "~/.kg")).expanduser() / "neo4j" / "server.pid").read_text())["pid"]
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except (OSError, IndexError, ValueError, KeyError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu() -> dict[str, float | None]:
    """CPU seconds so far of this process, of its children that have exited (the extraction's
    workers) and of the server: on a machine shared by other jobs, the work done, whatever the
    share of the cores each part got."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"client": own.ru_utime + own.ru_stime, "workers": children.ru_utime + children.ru_stime,
            "server": _server_cpu()}


def _spent(before: dict[str, float | None], after: dict[str, float | None]) -> dict[str, float | None]:
    return {k: round(after[k] - v, 1) if v is not None and after[k] is not None else None  # type: ignore[operator]
            for k, v in before.items()}


def update(folder: Path, workers: int, profile: Path | None, statements: bool, index: Path | bool,
           batch_size: int = 200) -> dict[str, Any]:
    instrument(statements)
    cpu = _cpu()
    profiler = cProfile.Profile() if profile else None
    with open_driver() as driver, tempfile.TemporaryDirectory(prefix="kg-bench-quarantine-") as quarantine:
        load.apply_schema(driver)  # what `kg update` runs first (update_once): not part of the timed update
        began = time.perf_counter()
        if profiler:
            profiler.enable()
        report = pipeline.run_update(driver, Sources(folders=(str(folder),)), run_id=new_run_id(), workers=workers,
                                     quarantine_dir=Path(quarantine), command="benchmark", index=index,
                                     articles_per_batch=batch_size)
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - began
    if profiler and profile:
        profiler.dump_stats(str(profile))
    return {"new": report.new, "changed": report.changed, "failed": len(report.failures), "seconds": seconds,
            "cpu_seconds": _spent(cpu, _cpu()),
            "stages": {k: round(v, 2) for k, v in sorted(SPENT.items(), key=lambda kv: -kv[1])},
            "rows": {name: {"reads": len(rows), "rows": sum(rows), "each": rows} for name, rows in sorted(ROWS.items())},
            "statements": {k: round(v, 2) for k, v in sorted(STATEMENTS.items(), key=lambda kv: -kv[1]) if v >= 0.1}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cprofile", type=Path, help="also write a cProfile of the update here")
    parser.add_argument("--extract-only", action="store_true")
    parser.add_argument("--statements", action="store_true", help="time each statement of the write transactions")
    parser.add_argument("--index", type=Path, help="keep the report index here (default: KG_HOME/cache)")
    parser.add_argument("--no-index", action="store_true", help="read every candidate from the graph")
    parser.add_argument("--batch-size", type=int, default=int(os.environ.get("KG_BENCH_BATCH", "200")),
                        help="articles per write transaction (as `kg update --batch-size`)")
    args = parser.parse_args()
    load_before = load_average()
    if args.extract_only:
        out: dict[str, Any] = {"extraction_alone": _extraction_cpu(args.folder, args.workers)}
    else:
        out = update(args.folder, args.workers, args.cprofile, args.statements,
                     False if args.no_index else args.index or True, args.batch_size)
    out["load"] = f"{load_before} -> {load_average()}"
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
