"""kg's stages composed: read -> extract -> resolve -> write, for ``kg load`` and ``kg update``.

A newcomer reads this module first. Each stage is a module of its own and this one only calls
them in order:

- read: article files and feeds (``kg.readers``), or a ``kg extract`` JSONL file (``read_jsonl``);
- extract: entities, events and dates of each article (``kg.extract.pipeline``, on worker
  processes);
- resolve and write: the event mentions of different articles resolved into events
  (``kg.resolve``) and written by the strategy the caller names (``kg.graph.writer``: ``merge``
  for updates and any graph with data, ``import`` into an empty graph);
- record: the run as a ``:Run`` node, the gazetteer's dated roles, the update log.

``kg load`` reads extractions that ``kg extract`` wrote and writes them; ``kg update`` reads its
sources, keeps only new and changed articles (``kg.update``), extracts and writes them by
``merge``. The server's lifecycle stays here at the edge: an offline import (``kg load --bulk``)
stops kg's server, runs ``neo4j-admin`` and starts it again (``import_archive``); nothing below
this module starts or stops a server. The caller (the CLI) holds the lock that lets one load or
update write at a time.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import neo4j

from kg import neo4j_server
from kg.config import Neo4jSettings
from kg.errors import KgError, LoadError, Neo4jServerError
from kg.extract.pipeline import Tables, extract_many
from kg.graph.bulk import IMPORT_ARRAY_DELIMITER, Resolver, held_runs, restore_after_import, write_import_files
from kg.graph.connect import open_driver
from kg.graph import report_index
from kg.graph.load import (
    RejectedLine,
    apply_schema,
    finish_run,
    graph_counts,
    load_roles,
    read_jsonl,
    start_run,
)
from kg.graph.rows import article_order
from kg.graph.stats import LoadStats
from kg.graph.tables import WriterTables
from kg.graph.writer import Strategy, write_extractions
from kg.limits import DEFAULT_LIMITS, Limits
from kg.readers.feeds import DEFAULT_TIMEOUT
from kg.records import ArticleExtraction
from kg.update import (
    Sources,
    UpdateReport,
    append_log,
    check_reachable,
    clear_recovered,
    default_quarantine_dir,
    extraction_failures,
    finish_update_run,
    first_line,
    gather,
    keep_aside,
    known_hashes,
    log_abort,
    plan_update,
    read_ahead,
)

# --- kg load ------------------------------------------------------------------------------------


def index_dir(index: Path | bool) -> Path | None:
    """Where the ``merge`` writer keeps its report index between runs (``kg.graph.report_index``):
    ``KG_HOME/cache`` (True), the folder given, or nowhere (False: every candidate read from the graph)."""
    if isinstance(index, Path):
        return index
    return report_index.default_dir() if index else None


def read_extractions(paths: Iterable[str], rejected: list[str], rejects: Path, limits: Limits = DEFAULT_LIMITS,
                     on_rejected: Callable[[RejectedLine], None] | None = None) -> Iterator[ArticleExtraction]:
    """Every extraction of the JSONL files, read as the write takes them (an archive's file can
    hold gigabytes); bad lines are listed in ``rejected``, reported to ``on_rejected`` and kept
    aside in ``rejects``: where they were, what is wrong, and the line itself, to be fixed and
    loaded again."""
    for path in paths:
        for item in read_jsonl(path, limits):
            if not isinstance(item, RejectedLine):
                yield item
                continue
            rejected.append(str(item))
            if on_rejected:
                on_rejected(item)
            rejects.parent.mkdir(parents=True, exist_ok=True)
            kept = {"where": item.where, "error": item.problem,
                    "line": item.raw.decode("utf-8", "replace") if item.raw is not None else None}
            with rejects.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(kept, ensure_ascii=False) + "\n")


@dataclass
class LoadResult:
    """What ``load`` did: the write's stats (its errors: the write's own), the lines rejected on
    the way, and the graph's node counts by label and edge counts by type after it."""

    stats: LoadStats
    rejected: list[str]
    counts: dict[str, Any]


def load(settings: Neo4jSettings, extractions: Iterable[ArticleExtraction], *, strategy: Strategy, run_id: str,
         command: str, offline: bool = False, articles_per_batch: int = 200, event_writers: int = 1,
         rejected: list[str] | None = None, on_batch: Callable[[int], None] | None = None,
         resolve: Resolver | None = None, index: Path | bool = True) -> LoadResult:
    """``kg load``: write extractions by ``strategy``, then the gazetteer's dated roles and the Run
    (its errors: ``rejected``, the lines ``read_extractions`` turned down, and the write's own).

    ``offline`` (``import`` only): through ``neo4j-admin database import`` (``import_archive``),
    kg's own server stopped meanwhile; else online, on any server. ``resolve`` (offline only)
    resolves the reports elsewhere (``kg.engine.window_resolver``). ``index``: the report index of
    ``merge`` (``index_dir``). The tables the writer needs (the gazetteer's, the resolution rules)
    are read here, once."""
    rejected = [] if rejected is None else rejected
    tables = WriterTables.load()
    if offline and strategy is not Strategy.IMPORT:
        raise LoadError("only the import strategy is written offline (kg load --bulk)")
    if offline:
        stats = import_archive(settings, extractions, run_id=run_id, tables=tables, event_writers=event_writers,
                               on_batch=on_batch, resolve=resolve)
    else:
        with open_driver(settings) as driver:
            apply_schema(driver, settings.database)
            start_run(driver, run_id, command, settings.database)
            stats = write_extractions(driver, extractions, strategy=strategy, run_id=run_id, tables=tables,
                                      database=settings.database, articles_per_batch=articles_per_batch,
                                      on_batch=on_batch, index_dir=index_dir(index))
    with open_driver(settings) as driver:  # a new one after an import (see import_archive)
        if offline:
            start_run(driver, run_id, command, settings.database)
        load_roles(driver, tables.roles, run_id=run_id, database=settings.database)
        finish_run(driver, run_id, LoadStats(stats.articles, stats.rows, stats.batches, [*rejected, *stats.errors]),
                   settings.database)
        return LoadResult(stats, rejected, graph_counts(driver, settings.database))


def import_refusal(settings: Neo4jSettings) -> str | None:
    """Why an offline import cannot load into this server, or None when it can: the importer writes
    the store files of kg's own server on this machine, so a server elsewhere, a cluster
    (``neo4j://``) or Aura (``neo4j+s://``) can only be written by transactions."""
    if not settings.local or urlsplit(settings.uri).port != neo4j_server.configured_port():
        return f"an offline import needs kg's own server (`kg neo4j start`), not {settings.uri}"
    return None


def import_archive(settings: Neo4jSettings, extractions: Iterable[ArticleExtraction], *, run_id: str,
                   tables: WriterTables, event_writers: int = 1, on_batch: Callable[[int], None] | None = None,
                   resolve: Resolver | None = None) -> LoadStats:
    """The ``import`` strategy written offline: the archive's CSV files (``kg.graph.bulk``), kg's
    server stopped, ``neo4j-admin database import``, the server started again, then the
    constraints and indexes and what the importer cannot write. A driver opened before must not be
    used after: its bookmarks name transactions of the database the import replaced.

    Raises LoadError when the graph is not kg's own server or is not empty, Neo4jServerError when
    the importer fails (the graph is then as it was)."""
    if why := import_refusal(settings):
        raise LoadError(f"{why}: load with `kg load` instead")
    with open_driver(settings) as driver:
        runs = held_runs(driver, settings.database)
    with tempfile.TemporaryDirectory(prefix="kg-import-") as folder:
        written = write_import_files(Path(folder), extractions, run_id=run_id, tables=tables, event_writers=event_writers,
                                     on_batch=on_batch, resolve=resolve)
        if not written.stats.articles:  # nothing to import: the graph stays as it is
            return written.stats
        began = time.perf_counter()
        neo4j_server.imported(written.nodes, written.rels, array_delimiter=IMPORT_ARRAY_DELIMITER,
                              database=settings.database or "neo4j")
        written.stats.phases["import"] = time.perf_counter() - began  # the server stopped, the importer, started
    began = time.perf_counter()
    with open_driver(settings) as driver:
        apply_schema(driver, settings.database)
        restore_after_import(driver, written.empty_lists, runs, settings.database, run_id)
    written.stats.phases["indexes"] = time.perf_counter() - began
    return written.stats


# --- kg update ----------------------------------------------------------------------------------


def run_update(
    driver: neo4j.Driver,
    sources: Sources,
    *,
    run_id: str,
    workers: int = 1,
    quarantine_dir: Path | None = None,
    articles_per_batch: int = 200,
    feed_timeout: float = DEFAULT_TIMEOUT,
    database: str | None = None,
    command: str = "update",
    limits: Limits = DEFAULT_LIMITS,
    index: Path | bool = True,
) -> UpdateReport:
    """``kg update``: bring the graph up to date with ``sources`` (``kg.update`` says why it is safe
    to run from cron and to interrupt). ``index``: where the report index is kept between runs
    (``index_dir``).

    Raises Neo4jServerError when Neo4j cannot be reached at the start (nothing is written) or goes
    away during the run, LoadError when a write is refused; the run is then logged as aborted and
    the next run completes it.
    """
    started = datetime.now(UTC)
    try:
        check_reachable(driver)
        start_run(driver, run_id, command, database)
        report = _update(driver, sources, run_id=run_id, started=started, workers=workers,
                         folder=quarantine_dir or default_quarantine_dir(), articles_per_batch=articles_per_batch,
                         feed_timeout=feed_timeout, database=database, limits=limits, index=index)
        finish_update_run(driver, report, database)
    except neo4j.exceptions.DriverError as exc:  # connection lost, session expired
        error: KgError = Neo4jServerError(
            f"run {run_id}: Neo4j went away during the update ({first_line(exc)}); the articles loaded "
            "so far are complete - run `kg update` again to finish")
        log_abort(run_id, started, error)
        raise error from exc
    except neo4j.exceptions.Neo4jError as exc:  # a statement refused outside the writer's batches
        error = LoadError(f"run {run_id}: Neo4j refused the update's bookkeeping ({exc.code}: {exc.message})")
        log_abort(run_id, started, error)
        raise error from exc
    except KgError as exc:
        log_abort(run_id, started, exc)
        raise
    append_log(report.to_dict())
    return report


def _update(driver: neo4j.Driver, sources: Sources, *, run_id: str, started: datetime, workers: int, folder: Path,
            articles_per_batch: int, feed_timeout: float, database: str | None, limits: Limits,
            index: Path | bool = True) -> UpdateReport:
    """read -> diff -> extract -> resolve and write (merge) -> keep failures aside."""
    gathered = gather(sources, feed_timeout, limits, workers)
    plan = plan_update(gathered.articles, known_hashes(driver, [a.id for a in gathered.articles], database))
    # extracted in publication order, the order of the load, which then writes as they come
    todo = {a.id: a for a in sorted((*plan.new, *plan.changed), key=article_order)}
    failures = list(gathered.failures)
    tables = Tables.load()  # the extractors' tables and the writer's, from one reading of the gazetteer
    extracted = extract_many(todo.values(), workers, tables=tables)
    writer_tables = WriterTables.load(tables.gazetteer)
    with closing(read_ahead(extracted) if workers > 1 else extracted) as ahead:  # a failed load stops the workers
        good = extraction_failures(ahead, todo, gathered.origins, failures)
        # merge even into an empty graph: a run stopped midway keeps the batches it committed
        write_extractions(driver, good, strategy=Strategy.MERGE, run_id=run_id, tables=writer_tables,
                          database=database, articles_per_batch=articles_per_batch, index_dir=index_dir(index),
                          ordered=True)
    if todo:
        load_roles(driver, writer_tables.roles, run_id=run_id, database=database)
    failed_paths = {f.path for f in failures}
    loaded = [a for a in todo.values() if a.path not in failed_paths]
    failed_before = keep_aside(driver, failures, run_id, folder, database, limits)
    clear_recovered(driver, [a.path for a in (*loaded, *plan.unchanged)], failed_before, folder, database)
    new_ids = {a.id for a in plan.new}
    return UpdateReport(run_id=run_id, started=started, finished=datetime.now(UTC),
                        new=sum(a.id in new_ids for a in loaded), changed=sum(a.id not in new_ids for a in loaded),
                        unchanged=len(plan.unchanged), failures=failures, source_errors=gathered.source_errors,
                        duplicates=gathered.duplicates, quarantine_dir=folder)
