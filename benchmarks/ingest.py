"""The whole pipeline at scale: read -> extract (every core) -> load, its wall time and peak memory;
then an incremental update of new articles into the big graph."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path

import neo4j

from benchmarks.common import Result, TreeMemory, load_average, peak_rss_mb, wipe
from kg.config import LoadSettings, neo4j_settings
from kg.errors import ReaderError
from kg.extract.pipeline import extract_files
from kg.graph.connect import open_driver
from kg.graph.load import new_run_id
from kg.records import ArticleExtraction
from kg.pipeline import import_archive, run_update
from kg.update import Sources
from kg.graph.tables import WriterTables

TABLES = WriterTables.load()

ARTICLES_PER_BATCH = 200


def _extracted(folder: Path, workers: int, done: Callable[[], None]) -> Iterator[ArticleExtraction]:
    """Every article of ``folder`` read and extracted by the workers (the corpus has no bad file);
    ``done`` is called once the workers have exited."""
    yield from (ex for ex in extract_files([folder], workers=workers) if not isinstance(ex, ReaderError))
    done()


def full_ingest(folder: Path, workers: int, progress: bool = False) -> list[Result]:
    """Empty graph, then every article of ``folder`` streamed through the pipeline: read and
    extracted on every core, then written by ``neo4j-admin database import`` (``kg.graph.bulk``,
    the first load of an archive), constraints and indexes online at the end."""
    settings = neo4j_settings()
    with open_driver(settings) as driver:
        wipe(driver)
    began = time.perf_counter()
    done = [0]
    extracted: dict[str, float] = {}

    def tick(n: int) -> None:
        done[0] += n
        if progress and done[0] % 10000 < n:
            print(f"  ingest: {done[0]} articles, {time.perf_counter() - began:.0f} s, load {load_average()}",
                  file=sys.stderr, flush=True)

    def workers_done() -> None:
        extracted["seconds"] = time.perf_counter() - began
        extracted["own"], extracted["worker"] = peak_rss_mb()

    with TreeMemory() as memory:
        stats = import_archive(settings, _extracted(folder, workers, workers_done), tables=TABLES, run_id=new_run_id(),
                               event_writers=LoadSettings().event_writers, on_batch=tick)
    seconds = time.perf_counter() - began
    own, child = peak_rss_mb()  # the largest child is now the importer's JVM, if not a worker
    total = own + workers * extracted["worker"]  # the workers run side by side; each peaked at most at that
    return [
        Result(f"full ingest, {stats.articles} articles ({workers} workers, neo4j-admin import)", seconds / 60,
               "minutes", f"{stats.articles / seconds:.1f} articles/s; extraction done after "
               f"{extracted['seconds'] / 60:.1f} min; then " + ", ".join(
                   f"{phase} {secs:.0f} s" for phase, secs in stats.phases.items() if phase != "articles"),
               None, "< 10 min", seconds < 600, load_average()),
        Result("full ingest, peak memory of the process tree (PSS)", memory.peak_mb, "MB",
               "the parent, the workers and the events' second writer sampled together every second, "
               "shared pages counted once", None, "< 2048 MB", memory.peak_mb < 2048, load_average(),
               f"Neo4j's JVMs are not counted (the server's heap + page cache; the importer's peaked at {child:.0f} MB)"),
        Result("full ingest, peak RSS of the parent + the workers' peak RSS", total, "MB",
               f"parent {own:.0f} MB, each worker <= {extracted['worker']:.0f} MB", None, "", None, load_average(),
               "the measure of earlier sessions: it leaves out the events' writer forked at the end and "
               "counts pages shared with the parent twice"),
    ]


def incremental(driver: neo4j.Driver, folder: Path, graph_size: int, workers: int) -> Result:
    """``run_update`` of the articles in ``folder`` (new ones) into the graph already loaded."""
    with tempfile.TemporaryDirectory(prefix="kg-bench-quarantine-") as quarantine:
        began = time.perf_counter()
        report = run_update(driver, Sources(folders=(str(folder),)), run_id=new_run_id(), workers=workers,
                            quarantine_dir=Path(quarantine), articles_per_batch=ARTICLES_PER_BATCH,
                            command="benchmark")
        seconds = time.perf_counter() - began
    return Result(f"incremental update, {report.new} new into {graph_size}", seconds, "s",
                  f"{report.new / seconds:.1f} articles/s", None, "", None, load_average(),
                  f"{len(report.failures)} failed")


def full_ingest_alone(folder: Path, workers: int) -> list[Result]:
    """:func:`full_ingest` in a fresh interpreter, so its peak RSS is the pipeline's alone (not
    the benchmark runner's, which holds samples and jieba's dictionary)."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.ingest", str(folder), str(workers)],
                          check=True, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1])
    return [Result(**r) for r in json.loads(done.stdout.strip().splitlines()[-1])]


def main() -> None:
    folder, workers = Path(sys.argv[1]), int(sys.argv[2])
    results = full_ingest(folder, workers, progress=True)
    print(json.dumps([asdict(r) for r in results]))


if __name__ == "__main__":
    main()
