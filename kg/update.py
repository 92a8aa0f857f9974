"""The parts of ``kg update`` (``kg.pipeline.run_update`` composes them): get -> diff -> keep
failures aside -> record.

An update lists the articles of folders and feeds, asks the graph (one read) which of them it
already holds and with which ``content_hash``, extracts only the new and changed ones, writes them
by the ``merge`` strategy, and records the run as a ``:Run`` node and a line of
``kg_home()/logs/updates.jsonl``.

Why it is safe to run from cron and to interrupt:

* **Idempotent.** An article is skipped when the graph holds its id with the same content hash,
  so a second run in a row extracts and writes nothing.
* **Crash-safe.** The loader writes an article's facts and its ``content_hash`` in the same
  transaction, so after a crash (SIGKILL, Neo4j gone) every article is either fully loaded or
  still looks new/changed; the next run picks up exactly the rest and converges on the graph an
  uninterrupted run gives. A run that did not complete leaves its ``:Run`` node without
  ``finished``.
* **Nothing lost.** An article that cannot be read or extracted is kept aside - a ``:Failed`` node
  with the reason and a copy under the quarantine folder - and, never having been loaded, is
  retried by every later run; once it loads, its Failed node and copy go. A feed that cannot be
  fetched is reported and the other sources still update.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import shutil
import stat
import threading
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import neo4j

from kg.config import kg_home
from kg.errors import ConfigError, KgError, Neo4jServerError, ReaderError
from kg import queries
from kg.graph import cypher
from kg.graph.load import finish_run
from kg.graph.stats import LoadStats
from kg.graph.model import graph_model
from kg.limits import DEFAULT_LIMITS, Limits
from kg.readers.feeds import DEFAULT_TIMEOUT, FeedItemError, is_feed_url, read_feed
from kg.readers.files import inside, read_articles
from kg.records import Article, ArticleExtraction

@dataclass(frozen=True, slots=True)
class Sources:
    """Where articles come from: folders of article files and RSS/Atom feed URLs."""

    folders: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()

    @classmethod
    def parse(cls, items: Iterable[str]) -> Sources:
        """Split command-line sources: ``http(s)://`` URLs are feeds, anything else a folder or file."""
        items = list(items)
        return cls(folders=tuple(i for i in items if not is_feed_url(i)),
                   feeds=tuple(i for i in items if is_feed_url(i)))

    @classmethod
    def from_config(cls, config: dict[str, Any], where: str = "kg.yaml") -> Sources:
        """The ``sources:`` section of kg.yaml: ``folders:`` and ``feeds:`` lists.

        Relative folders are taken relative to the config file, not to wherever cron happens to
        start the process.
        """
        section = config.get("sources") or {}
        if not isinstance(section, dict):
            raise ConfigError(f"{where}: 'sources' must be a mapping with 'folders' and 'feeds' lists")
        out = []
        for key in ("folders", "feeds"):
            value = section.get(key) or []
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}: sources.{key} must be a list of strings")
            out.append(tuple(str(Path(where).parent / Path(v).expanduser()) if key == "folders" else v
                             for v in value))
        bad = [f for f in out[1] if not is_feed_url(f)]
        if bad:
            raise ConfigError(f"{where}: sources.feeds must be http(s) URLs, not {', '.join(bad)}")
        return cls(folders=out[0], feeds=out[1])

    def __bool__(self) -> bool:
        return bool(self.folders or self.feeds)

    def describe(self) -> str:
        return " ".join((*self.folders, *self.feeds))


@dataclass(frozen=True, slots=True)
class Failure:
    """An article that could not be read or extracted, with why."""

    path: str  # file path, or the feed item's URL
    reason: str
    article: Article | None = None  # None when it could not even be read
    origin: str | None = None  # the source folder (or file) it was read from; None for a feed item
    fetched: bytes | None = None  # a feed item that is no article: the item as the feed gave it


@dataclass(slots=True)
class Gathered:
    """What the sources hold: readable articles (one per id) and everything that went wrong."""

    articles: list[Article] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)  # path of an article read from a folder -> the folder
    source_errors: list[str] = field(default_factory=list)  # a whole feed that could not be read
    duplicates: list[str] = field(default_factory=list)  # same id as an earlier article: skipped


@dataclass(frozen=True, slots=True)
class Plan:
    """The gathered articles split by what the graph holds of them."""

    new: tuple[Article, ...]
    changed: tuple[Article, ...]
    unchanged: tuple[Article, ...]


@dataclass(slots=True)
class UpdateReport:
    """What one run did; ``summary()`` is the line ``kg update`` prints, ``to_dict()`` the log line."""

    run_id: str
    started: datetime
    finished: datetime
    new: int
    changed: int
    unchanged: int
    failures: list[Failure]
    source_errors: list[str]
    duplicates: list[str]
    quarantine_dir: Path

    @property
    def errors(self) -> list[str]:
        """One line per problem, as stored on the Run node and in the log."""
        return ([f"{f.path}: {f.reason}" for f in self.failures] + self.source_errors + self.duplicates)

    def summary(self) -> str:
        text = (f"run {self.run_id}: {self.new} new, {self.changed} changed, {self.unchanged} unchanged, "
                f"{len(self.failures)} failed")
        if self.failures:
            text += f" (kept aside in {self.quarantine_dir})"
        if self.source_errors:
            text += f"; {len(self.source_errors)} feed(s) could not be read"
        if self.duplicates:
            text += f"; {len(self.duplicates)} duplicate(s) skipped"
        return text + f" in {(self.finished - self.started).total_seconds():.1f} s"

    def to_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "status": "completed", "started": self.started.isoformat(),
                "finished": self.finished.isoformat(), "new": self.new, "changed": self.changed,
                "unchanged": self.unchanged, "failed": len(self.failures), "errors": self.errors}


@dataclass(frozen=True, slots=True)
class UpdateSettings:
    """The ``update:`` and ``schedule:`` sections of kg.yaml (see kg.yaml.example)."""

    workers: int = 1
    batch_size: int = 200
    feed_timeout: float = DEFAULT_TIMEOUT
    quarantine_dir: Path | None = None  # None: kg_home()/quarantine
    limits: Limits = DEFAULT_LIMITS  # the `limits:` section
    cron: str | None = None
    misfire_grace_seconds: int = 600
    timezone: str | None = None  # None: the machine's local time zone

    @classmethod
    def from_config(cls, config: dict[str, Any], where: str = "kg.yaml") -> UpdateSettings:
        update = _section(config, "update", where)
        schedule = _section(config, "schedule", where)
        try:
            return cls(workers=int(update.get("workers") or 1),
                       batch_size=int(update.get("batch_size") or 200),
                       feed_timeout=float(update.get("feed_timeout") or DEFAULT_TIMEOUT),
                       quarantine_dir=Path(update["quarantine_dir"]).expanduser()
                       if update.get("quarantine_dir") else None,
                       cron=schedule.get("cron"),
                       misfire_grace_seconds=int(schedule.get("misfire_grace_seconds") or 600),
                       timezone=schedule.get("timezone"), limits=Limits.from_config(config, where))
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{where}: a number in 'update' or 'schedule' is not a number ({exc})") from exc


def _section(config: dict[str, Any], name: str, where: str) -> dict[str, Any]:
    section = config.get(name) or {}
    if not isinstance(section, dict):
        raise ConfigError(f"{where}: '{name}' must be a mapping (see kg.yaml.example)")
    return section


# --- get ----------------------------------------------------------------------------------------

def gather(sources: Sources, feed_timeout: float = DEFAULT_TIMEOUT, limits: Limits = DEFAULT_LIMITS,
           workers: int = 1) -> Gathered:
    """Read every source (folders in ``workers`` processes); unreadable articles and feeds are
    collected, never raised.

    Folders come first, then feeds, each in the order given; when two articles share an id (a
    feed item that is also archived in a folder) the first one wins, otherwise the two would
    replace each other on every run and no run would ever be a no-op.
    """
    out = Gathered()
    seen: dict[str, str] = {}
    for origin, item in _read_all(sources, feed_timeout, limits, out.source_errors, workers):
        if isinstance(item, ReaderError):
            out.failures.append(Failure(item.where, item.problem, origin=origin,
                                        fetched=item.fetched if isinstance(item, FeedItemError) else None))
        elif item.id in seen:
            out.duplicates.append(f"{item.path}: same id {item.id} as {seen[item.id]}; skipped")
        else:
            seen[item.id] = item.path
            out.articles.append(item)
            if origin is not None:
                out.origins[item.path] = origin
    return out


def _read_all(sources: Sources, feed_timeout: float, limits: Limits, source_errors: list[str],
              workers: int) -> Iterator[tuple[str | None, Article | ReaderError]]:
    """Articles of the folders, then of the feeds, each with the folder it came from (None for a
    feed's); a missing folder or broken feed is a source error."""
    for folder in sources.folders:
        if not Path(folder).exists():
            source_errors.append(f"{folder}: folder not found; check sources.folders in kg.yaml")
            continue
        for item in read_articles([folder], limits.article_bytes, workers):
            yield folder, item
    for url in sources.feeds:
        try:
            items = read_feed(url, feed_timeout, limits.feed_bytes)
        except ReaderError as exc:
            source_errors.append(str(exc))
            continue
        for item in items:
            yield None, item


# --- diff ---------------------------------------------------------------------------------------

def plan_update(articles: Iterable[Article], known: dict[str, str | None]) -> Plan:
    """Split articles by the graph's ``{id: content_hash}``: absent = new, other hash = changed."""
    new, changed, unchanged = [], [], []
    for article in articles:
        if article.id not in known:
            new.append(article)
        elif known[article.id] != article.content_hash:
            changed.append(article)
        else:
            unchanged.append(article)
    return Plan(tuple(new), tuple(changed), tuple(unchanged))


def known_hashes(driver: neo4j.Driver, ids: list[str], database: str | None = None) -> dict[str, str | None]:
    """The content hash the graph holds for each of ``ids`` that it has (one read query)."""
    records, _, _ = driver.execute_query(queries.KNOWN_HASHES, ids=ids, database_=database,
                                         routing_=neo4j.RoutingControl.READ)
    return {r["id"]: r["content_hash"] for r in records}


# --- extract -----------------------------------------------------------------------------------

T = TypeVar("T")
_END = object()


def read_ahead(items: Iterator[T]) -> Generator[T, None, None]:
    """``items`` taken on a thread of their own as fast as they come, and given in order.

    An update's extraction runs in worker processes that keep only a few chunks ahead of whoever
    takes their results (``kg.extract.pipeline``); its load takes 200 and then resolves and writes
    them, and the workers would wait meanwhile. Taken here, they extract on while the first batches
    are written (the update holds its articles in memory anyway; their extractions are no bigger).
    An error of ``items`` is raised where it would have been; when the taker stops early, the
    thread stops after the item it is waiting for and closes ``items``."""
    taken: queue.SimpleQueue[Any] = queue.SimpleQueue()
    stop = threading.Event()

    def take() -> None:
        try:
            for item in items:
                taken.put((item, None))
                if stop.is_set():
                    break
        except Exception as exc:  # given to the taker, which raises it
            taken.put((None, exc))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()
            taken.put(_END)

    thread = threading.Thread(target=take, name="kg-extract", daemon=True)
    thread.start()
    try:
        while (got := taken.get()) is not _END:
            item, error = got
            if error is not None:
                raise error
            yield item
    finally:
        stop.set()
        thread.join()


# --- failures -----------------------------------------------------------------------------------

def failed_id(path: str) -> str:
    """The key of a Failed node: it must not depend on reading the file, which is what failed."""
    return hashlib.sha1(path.encode("utf-8")).hexdigest()[:16]


def extraction_failures(extractions: Iterable[ArticleExtraction], articles: dict[str, Article],
                         origins: dict[str, str], failures: list[Failure]) -> Iterator[ArticleExtraction]:
    """Pass on the extractions that worked; keep the others aside in ``failures``."""
    for ex in extractions:
        if ex.errors:
            article = articles[ex.article.id]
            failures.append(Failure(article.path, "; ".join(ex.errors), article, origin=origins.get(article.path)))
        else:
            yield ex


def quarantine(failure: Failure, folder: Path, record: dict[str, Any],
               max_bytes: int = DEFAULT_LIMITS.article_bytes) -> Path:
    """Keep a copy of what failed in ``folder/<failed id>/`` beside ``failure.json`` with the reason:
    the file, when kg read it from a source folder; a feed item as the feed gave it (or as the
    article read from it). A path is never opened for any other reason: a feed item's link, or a
    symbolic link in a folder, can name any file of the machine."""
    target = folder / failed_id(failure.path)
    target.mkdir(parents=True, exist_ok=True)
    kept = _file_in(Path(failure.path), Path(failure.origin), max_bytes) if failure.origin else None
    if kept is not None:
        (target / Path(failure.path).name).write_bytes(kept)
    elif failure.fetched is not None:
        (target / "item.json").write_bytes(failure.fetched)
    elif failure.article is not None:
        item = {**failure.article.to_dict(), "text": failure.article.text}
        (target / "item.json").write_text(json.dumps(item, ensure_ascii=False, indent=1), encoding="utf-8")
    (target / "failure.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    return target


def _file_in(path: Path, origin: Path, max_bytes: int) -> bytes | None:
    """The bytes of ``path`` when it is a regular file inside the source folder ``origin`` (links
    followed) of at most ``max_bytes``; else None: nothing is copied."""
    if not inside(path, origin):
        return None
    try:
        fd = os.open(path.resolve(), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            return None
        raw = fh.read(max_bytes + 1)
    return raw if len(raw) <= max_bytes else None


def keep_aside(driver: neo4j.Driver, failures: list[Failure], run_id: str, folder: Path,
                database: str | None, limits: Limits) -> set[str]:
    """Write a Failed node and a quarantine copy per failure; returns the Failed ids in the graph before."""
    records, _, _ = driver.execute_query(queries.FAILED_NODES, database_=database, routing_=neo4j.RoutingControl.READ)
    attempts = {r["f"]["id"]: r["f"].get("attempts") or 0 for r in records}
    now = datetime.now(UTC).isoformat()
    rows = []
    for failure in failures:
        fid = failed_id(failure.path)
        row = {"id": fid, "path": failure.path, "reason": failure.reason, "attempts": attempts.get(fid, 0) + 1,
               "first_failed": now, "last_failed": now, "run_id": run_id}
        row["quarantined"] = str(quarantine(failure, folder, row, limits.article_bytes))
        rows.append(row)
    if rows:
        driver.execute_query(cypher.upsert_nodes(graph_model().node("Failed")), rows=rows, run_id=run_id,
                             database_=database)
    return set(attempts)


def clear_recovered(driver: neo4j.Driver, paths: Iterable[str], failed_before: set[str], folder: Path,
                     database: str | None) -> int:
    """Delete the Failed nodes (and quarantine copies) of articles that are now in the graph."""
    recovered = sorted({failed_id(p) for p in paths} & failed_before)
    if recovered:
        driver.execute_query(cypher.CLEAR_FAILED, ids=recovered, database_=database)
        for fid in recovered:
            shutil.rmtree(folder / fid, ignore_errors=True)
    return len(recovered)


# --- record -------------------------------------------------------------------------------------

def log_path() -> Path:
    """The update log: one JSON object per run, appended (``kg_home()/logs/updates.jsonl``)."""
    return kg_home() / "logs" / "updates.jsonl"


def append_log(entry: dict[str, Any]) -> None:
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False) + "\n")


def finish_update_run(driver: neo4j.Driver, report: UpdateReport, database: str | None) -> None:
    stats = LoadStats(articles=report.new + report.changed, errors=list(report.errors))
    finish_run(driver, report.run_id, stats, database, new=report.new, changed=report.changed,
               unchanged=report.unchanged)


# --- checks and the log of aborted runs --------------------------------------------------------

def default_quarantine_dir() -> Path:
    return kg_home() / "quarantine"


def check_reachable(driver: neo4j.Driver) -> None:
    """Fail before anything is written (or marked as done) when Neo4j does not answer."""
    try:
        driver.verify_connectivity()
    except (neo4j.exceptions.DriverError, neo4j.exceptions.Neo4jError) as exc:
        raise Neo4jServerError(f"cannot reach Neo4j ({first_line(exc)}); nothing was updated. "
                               "Start it with `kg neo4j start` or check NEO4J_URI") from exc


def first_line(exc: Exception) -> str:
    """The driver's explanation cut to one line (some span a paragraph), or the error's type."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def log_abort(run_id: str, started: datetime, exc: KgError) -> None:
    append_log({"run_id": run_id, "status": "aborted", "started": started.isoformat(),
                "finished": datetime.now(UTC).isoformat(), "errors": [str(exc)]})
