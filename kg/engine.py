"""Where extraction runs: in this process and its pool (``local``) or on a Dask cluster (``dask``).

Extraction is a pure function of one article and the tables of ``schema/``, so an archive is cut
into partitions of ``partition_size`` article files (in the order ``iter_article_paths`` gives
them) and each partition is read and extracted as one task: a map, with nothing shared between
tasks. The local engine and the Dask engine give the same records in the same partitions, so
``kg.partitions`` writes the same ``part-NNNNN.jsonl`` files whichever ran them. A bulk load on the
Dask engine resolves its reports a time window per task (``kg.resolve_windows``, ``window_resolver``).

On Dask the workers read the article files themselves (they must see them at the same paths: a
shared or copied folder) and send the records back; at most ``IN_FLIGHT_PER_WORKER`` partitions
per worker are submitted and not yet collected, so neither the client nor the scheduler ever
holds the archive. Dask (``distributed``) is an optional extra, imported only here and only when
the engine is asked for. Running it on a cluster: docs/scale.md.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from kg.config import EngineSettings
from kg.errors import ConfigError, KgError, ReaderError
from kg.graph.rows import batched
from kg.records import ArticleExtraction

if TYPE_CHECKING:
    from distributed import Client

    from kg.extract.pipeline import Tables
    from kg.graph.bulk import Resolver

T = TypeVar("T")
R = TypeVar("R")
Outcome = ArticleExtraction | ReaderError  # one per article file, in the order of the files
Partition = list[Outcome]

# Partitions submitted and not yet collected, per worker: enough to keep each busy while the client
# writes what came back.
IN_FLIGHT_PER_WORKER = 2
# Resolution windows in flight per worker: one. A window's task runs for seconds and its reports
# arrive in milliseconds, so a second one waiting on the worker would only double what it holds.
WINDOWS_PER_WORKER = 1
# The configuration of the workers kg starts itself (a LocalCluster): no statistical profiler. Dask's
# profiler samples a worker's stack every 10 ms and keeps the tree of its frames of each second for
# the last ``admin.low-level-log-length`` (1,000) seconds, so a worker's memory grows with how long
# it has been running tasks - not with the task it runs - until that history is full; kg reads no
# profile. Workers started by hand take the same setting from their own config (docs/scale.md).
WORKER_CONFIG = {"distributed.worker.profile.enabled": False}


def extract_partitions(paths: Iterable[str | Path], engine: EngineSettings) -> Iterator[Partition]:
    """The article files under ``paths`` read and extracted, a partition at a time, in order:
    one ``Outcome`` per file, the extraction or the ReaderError of an unreadable file."""
    from kg.extract.pipeline import extract_files
    from kg.readers.files import iter_article_paths

    if engine.name == "local":
        yield from batched(extract_files(paths, workers=engine.workers), engine.partition_size)
        return
    files = batched((str(p) for p in iter_article_paths(paths)), engine.partition_size)
    with dask_client(engine) as client:
        yield from in_order(client, extract_partition, files)


def extract_partition(files: list[str]) -> Partition:
    """One partition, read and extracted on a worker (the task the Dask engine maps)."""
    from kg.extract.pipeline import read_and_extract

    return list(read_and_extract(map(Path, files), _worker_tables()))


@cache
def _worker_tables() -> Tables:
    """The extraction tables, loaded once per worker process (once, not per task)."""
    from kg.extract.pipeline import Tables

    return Tables.load()


def in_order(client: Client, task: Callable[[T], R], items: Iterable[T], *,
             per_worker: int = IN_FLIGHT_PER_WORKER) -> Iterator[R]:
    """``task`` over ``items`` on the cluster, results in input order, with at most
    ``per_worker`` tasks per worker submitted and not yet yielded."""
    window = per_worker * max(1, len(client.scheduler_info(n_workers=-1).get("workers", {})))
    source = iter(items)
    pending: deque[Any] = deque()
    while True:
        while len(pending) < window and (item := next(source, _END)) is not _END:
            pending.append(client.submit(task, item, pure=False))
        if not pending:
            return
        future = pending.popleft()
        yield future.result()
        future.release()


_END = object()


@contextmanager
def window_resolver(engine: EngineSettings) -> Iterator[Resolver | None]:
    """How a bulk load resolves its reports: None (``resolve_events`` in this process) on the
    local engine; on Dask, by time windows (``kg.resolve_windows``) on the cluster's workers."""
    if engine.name == "local":
        yield None
        return
    from kg.resolve_windows import resolve_in_windows

    with dask_client(engine) as client:
        yield partial(resolve_in_windows, window_reports=engine.window_reports, mapper=partial(windows_on, client))


def windows_on(client: Client, task: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
    """Resolution windows' tasks on the cluster, in order, one per worker at a time."""
    return in_order(client, task, items, per_worker=WINDOWS_PER_WORKER)


@contextmanager
def dask_client(engine: EngineSettings) -> Iterator[Client]:
    """A client of the scheduler at ``engine.scheduler``, or of a ``LocalCluster`` of
    ``engine.workers`` processes (one thread each: extraction holds the GIL) started for the run
    and closed after it."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ConfigError("the dask engine needs Dask: pip install 'kg[dask]' (or pip install "
                          "'dask[distributed]') on this machine and on every worker") from exc
    if engine.scheduler:
        try:
            client = Client(engine.scheduler, timeout="30s")
        except (OSError, TimeoutError) as exc:
            raise KgError(f"cannot reach the Dask scheduler at {engine.scheduler} ({exc}); start one with "
                          "`dask scheduler` (docs/scale.md) or leave --scheduler out for a local cluster") from exc
        with client:
            yield client
        return
    with dask.config.set(WORKER_CONFIG), LocalCluster(n_workers=engine.workers, threads_per_worker=1,
                                                      processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        yield client
