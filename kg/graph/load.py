"""The ``merge`` write strategy: batched, parameterised ``UNWIND ... MERGE`` in write transactions.

Used by every update and by any load into a graph that holds data (``kg.graph.writer`` chooses
nothing: the caller names the strategy).

Each batch of articles is one write transaction (``execute_write`` retries transient errors), so a
crash leaves whole articles loaded or not at all. Loading an article again replaces its facts:
its reports and mentions are removed, the new ones written, and every event they touch is
recomputed from the reports that remain. Loading the same input twice therefore changes nothing.
"""

from __future__ import annotations

import gc
import json
import pickle
import secrets
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any, TypeVar

import neo4j

from kg.errors import LoadError
from kg import queries
from kg.graph import cypher
from kg.graph.aggregates import (
    CounterChanges,
    CounterKey,
    add_deltas,
    flush_counters,
    mark_pending,
    pending_months,
    update_counters,
)
from kg.graph.event_summary import EventRows, RelRows, event_rows
from kg.graph.model import GraphModel, graph_model
from kg.graph.periods import months_of
from kg.graph.rows import (
    REPLACED_RELATIONSHIPS,
    batched,
    graph_rows,
    publication_order,
    role_rows,
    runs,
)
from kg.graph.stats import LoadStats
from kg.graph.report_index import IndexedReports, Mark, index_folder
from kg.graph.stored import GraphReports, Neighbourhood, ReportStore, graph_has_reports, report_store
from kg.graph.tables import WriterTables
from kg.limits import DEFAULT_LIMITS, Limits, size
from kg.records import ArticleExtraction, EventReport
from kg.resolve import (
    MentionRef,
    ResolutionRules,
    reports_of,
    resolve_events,
)
from kg.validate import problems

T = TypeVar("T")
ROWS_PER_STATEMENT = 1000
BATCH_GROWTH = 5  # an update's batches grow from articles_per_batch to this many times it (growing_batches)
GC_YOUNG_THRESHOLD = 100_000  # allocations between young collections during a load (_frozen_between_batches)
SORT_WINDOW = 10_000  # extractions sorted in memory; a longer input is sorted through a spool file
SWITCH_INTERVAL = 0.0005  # s, the interpreter's thread switch interval while a batch is written beside resolution


def new_run_id() -> str:
    """A sortable, unique id for one run: UTC time plus a random suffix."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(3)


def read_jsonl(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[ArticleExtraction | LoadError]:
    """Extractions from a ``kg extract --format jsonl`` file; a bad line yields a LoadError
    ``file:line: problem`` (``kg.validate``) and the reading goes on. A line longer than
    ``limits.line_bytes`` is refused without being read whole."""
    with open(path, "rb") as fh:
        lineno = 0
        while raw := fh.readline(limits.line_bytes + 1):
            lineno += 1
            if len(raw) > limits.line_bytes and not raw.endswith(b"\n"):
                while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass  # skip the rest of the line, a megabyte at a time
                yield RejectedLine(f"{path}:{lineno}", f"line longer than the limit of {size(limits.line_bytes)} "
                                   "(limits.line_bytes in kg.yaml); not read", None)
                continue
            if raw.strip():
                yield _extraction(raw, f"{path}:{lineno}", limits)


class RejectedLine(LoadError):
    """A JSONL line that breaks the contract: ``file:line: problem``, with the line as read
    (None when it was too long to read) so that it can be kept aside."""

    def __init__(self, where: str, problem: str, raw: bytes | None) -> None:
        super().__init__(f"{where}: {problem}")
        self.where, self.problem, self.raw = where, problem, raw


def _extraction(raw: bytes, where: str, limits: Limits) -> ArticleExtraction | LoadError:
    try:
        line = json.loads(raw)
    except UnicodeDecodeError as exc:
        return RejectedLine(where, f"not UTF-8 (invalid byte at offset {exc.start})", raw)
    except json.JSONDecodeError as exc:
        return RejectedLine(where, f"not valid JSON ({exc.msg} at column {exc.colno})", raw)
    except RecursionError:
        return RejectedLine(where, "JSON nested too deeply to be an extraction", raw)
    found = problems(line, limits)
    if found:
        more = f"; and {len(found) - 10} more" if len(found) > 10 else ""
        return RejectedLine(where, "; ".join(found[:10]) + more, raw)
    return ArticleExtraction.from_dict(line)


class WrittenRows:
    """The entity, source and entity-edge rows this load has written, so a later batch does not send
    them again: a row that changes nothing the graph holds is skipped (the same countries and
    officials come back in almost every batch).

    A batch's rows are staged and kept only once its transaction committed (``commit``): a retried
    or failed transaction must send them again. Everything is forgotten when entities are pruned
    (``forgotten`` counts how often).
    """

    def __init__(self) -> None:
        self.forgotten = 0
        self._nodes: dict[tuple[str, str], dict[str, Any]] = {}
        self._rels: set[tuple[Any, ...]] = set()
        self._staged_nodes: dict[tuple[str, str], dict[str, Any]] = {}
        self._staged_rels: set[tuple[Any, ...]] = set()

    def begin(self) -> None:
        """Start a batch (again): drop what an unfinished attempt staged."""
        self._staged_nodes, self._staged_rels = {}, set()

    def commit(self) -> None:
        self._nodes.update(self._staged_nodes)
        self._rels |= self._staged_rels
        self.begin()

    def forget(self) -> None:
        self.forgotten += 1
        self._nodes.clear()
        self._rels.clear()
        self.begin()

    def new_nodes(self, label: str, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """The rows that add something (a property value or an alias) to what was written."""
        out = []
        for row in rows:
            key = (label, row["id"])
            old = self._staged_nodes.get(key) or self._nodes.get(key)
            if old is not None and all(_holds(old, name, value) for name, value in row.items()):
                continue
            out.append(row)
            self._staged_nodes[key] = _merged(old or {}, row)
        return out

    def new_rels(self, key: tuple[str, str, str], rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """The edge rows not written before in this load."""
        out = []
        for row in rows:
            ident = (*key, *sorted(row.items()))
            if ident not in self._rels and ident not in self._staged_rels:
                self._staged_rels.add(ident)
                out.append(row)
        return out


def _holds(written: dict[str, Any], name: str, value: Any) -> bool:
    """Would writing ``value`` leave the property as written? (null never erases; aliases unite)"""
    if value is None:
        return True
    if name == "aliases":
        return set(value) <= set(written.get(name) or ())
    return bool(written.get(name) == value)


def _merged(written: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """What a node holds after ``row`` is upserted onto ``written`` (the loader's merge policies)."""
    out = dict(written)
    for name, value in row.items():
        if name == "aliases":
            out[name] = list(dict.fromkeys([*(out.get(name) or []), *(value or [])]))
        elif value is not None:
            out[name] = value
    return out


@dataclass
class LoadContext:
    """What the batches of one load share: the model, the rules, the stored reports and the rows sent."""

    model: GraphModel
    rules: ResolutionRules
    titles: Mapping[str, str]  # the gazetteer persons' roles (``graph_rows``)
    run_id: str
    reports: ReportStore
    written: WrittenRows = field(default_factory=WrittenRows)
    prepared: list[PreparedBatch] = field(default_factory=list)  # prepared, not yet counted as committed


@dataclass
class BatchPlan:
    """A batch resolved: which events it changes, which go, and the reports that move."""

    batch: list[EventReport]
    assigned: dict[MentionRef, str]
    hood: Neighbourhood
    changed: dict[str, list[EventReport]]  # event id -> all its reports after the batch
    previous: dict[str, list[EventReport]]  # changed events the graph holds -> the reports their edges come from
    gone: set[str]  # events left without any report
    existing: set[str]  # events the graph held before the batch (of those it looked at)
    moves: list[dict[str, Any]]


def plan_batch(batch: Sequence[EventReport], hood: Neighbourhood, rules: ResolutionRules) -> BatchPlan:
    """Resolve the batch with the stored reports near it and compare the events before and after
    (pure): only events whose reports changed are written again."""
    assigned = resolve_events([*(r for _, r in hood.stored), *batch], rules, hood.pinned, hood.unpinned)
    before: dict[str, list[EventReport]] = defaultdict(list)
    after: dict[str, list[EventReport]] = defaultdict(list)
    for event, report in hood.stored:
        before[event].append(report)
        after[assigned[report.ref]].append(report)
    for report in batch:
        after[assigned[report.ref]].append(report)
    existing = set(before) | hood.replaced_events
    changed = {e: reports for e, reports in after.items()
               if e in hood.replaced_events or {r.ref for r in reports} != {r.ref for r in before.get(e, ())}}
    previous = {e: before[e] for e in changed if e in before and e not in hood.replaced_events}  # all known
    moves = [{"article": r.article, "mention_id": r.event.id, "from": event, "to": assigned[r.ref]}
             for event, r in hood.stored if assigned[r.ref] != event]
    return BatchPlan(list(batch), assigned, hood, changed, previous, existing - set(after), existing, moves)


def _write_rels(tx: neo4j.ManagedTransaction, rels: dict[tuple[str, str, str], list[dict[str, Any]]],
                model: GraphModel, run_id: str) -> None:
    """Relationship rows MERGEd, one generated statement per (type, from label, to label)."""
    for (rel_type, from_label, to_label), rel_rows in rels.items():
        query = cypher.upsert_relationships(model.relationship(rel_type), from_label, to_label)
        for chunk in batched(rel_rows, ROWS_PER_STATEMENT):
            tx.run(query, rows=chunk, run_id=run_id)


def _create_rels(tx: neo4j.ManagedTransaction, rels: dict[tuple[str, str, str], list[dict[str, Any]]],
                 model: GraphModel, run_id: str) -> None:
    """Relationship rows CREATEd (``cypher.create_relationships``), for edges deleted earlier in
    the transaction or known new: each chunk as runs of edges sharing an endpoint (``runs``), so
    an endpoint is sought once per run."""
    for (rel_type, from_label, to_label), rel_rows in rels.items():
        for chunk in batched(rel_rows, ROWS_PER_STATEMENT):
            side, grouped = runs(chunk)
            tx.run(cypher.create_relationships(model.relationship(rel_type), from_label, to_label, side),
                   rows=grouped, run_id=run_id)


def _run_ids(tx: neo4j.ManagedTransaction, query: str, ids: Iterable[str], run_id: str) -> None:
    for chunk in batched(sorted(ids), ROWS_PER_STATEMENT):
        tx.run(query, event_ids=chunk, run_id=run_id)


@dataclass
class PreparedBatch:
    """A batch resolved and turned into the rows of its transaction."""

    extractions: list[ArticleExtraction]
    plan: BatchPlan
    nodes: dict[str, list[dict[str, Any]]]  # label -> rows to upsert
    merged: RelRows  # edges MERGEd (entity edges, article -> source)
    created: RelRows  # the articles' MENTIONS and REPORTED_IN, CREATEd after the old ones are detached
    events: EventRows  # every event the batch changed: nodes whole, edges as a difference
    row_count: int  # rows the batch's extractions make (``GraphRows.row_count``), sent or not
    months: set[str]  # the months whose counters (kg.graph.aggregates) the batch changes
    counts: Counter[CounterKey] | None  # what it adds to them; None when old edges it replaces are unknown

    @property
    def article_ids(self) -> list[str]:
        return [ex.article.id for ex in self.extractions]


def prepare_batch(extractions: list[ArticleExtraction], ctx: LoadContext,
                  batch: list[EventReport] | None = None, hood: Neighbourhood | None = None) -> PreparedBatch:
    """Resolve a batch against the stored reports near it and compute its rows: only entity rows
    that add something, and every event the batch changes (``kg.graph.event_summary``). ``batch``:
    the extractions' reports, if made already; ``hood``: the stored reports near them, if known
    already (``IndexedReports.near_written``), else asked of ``ctx.reports``."""
    ctx.written.begin()
    batch = reports_of(extractions) if batch is None else batch
    hood = ctx.reports.near(batch, [ex.article.id for ex in extractions]) if hood is None else hood
    plan = plan_batch(batch, hood, ctx.rules)
    rows = graph_rows(extractions, plan.assigned, ctx.titles)
    row_count = rows.row_count()
    rows.nodes.pop("Event", None)  # written whole, from all of each event's reports
    nodes = {label: list(by_id.values()) if label == "Article" else ctx.written.new_nodes(label, by_id.values())
             for label, by_id in rows.nodes.items()}
    created = {k: v for k, v in rows.rels.items() if k in REPLACED_RELATIONSHIPS}
    merged = {k: ctx.written.new_rels(k, v) for k, v in rows.rels.items() if k not in created}
    events = event_rows(plan.changed, ctx.rules, previous=plan.previous)
    prepared = PreparedBatch(extractions, plan, nodes, merged, created, events, row_count, _months(plan, events),
                             _counts(plan, events, ctx.rules))
    ctx.prepared.append(prepared)
    return prepared


def _counts(plan: BatchPlan, events: EventRows, rules: ResolutionRules) -> Counter[CounterKey] | None:
    """What the batch does to the counters: the changed events' difference, less what the events
    it deletes counted. Unknown (None) when it replaces reports of its own articles loaded
    before, whose events' edges it did not read."""
    if plan.hood.replaced_events:
        return None
    gone: dict[str, list[EventReport]] = defaultdict(list)
    for event, report in plan.hood.stored:
        if event in plan.gone:
            gone[event].append(report)
    counts = Counter(events.counts)
    counts.subtract(event_rows(gone, rules).counts)
    return counts


def _months(plan: BatchPlan, events: EventRows) -> set[str]:
    """The months an event the batch writes or deletes is counted in, now or before: the new
    first days, and the days of the old reports of those events (an old first day is one of them)."""
    stale = set(plan.changed) | plan.gone
    return months_of([*(node["start"] for node in events.nodes),
                      *(r.event.start for event, r in plan.hood.stored if event in stale),
                      *plan.hood.replaced_days])


def write_batch(tx: neo4j.ManagedTransaction, prepared: PreparedBatch, ctx: LoadContext) -> Mark:
    """One batch in one transaction: replace the articles' reports and mentions, upsert nodes and
    edges, write the events the batch changed, move reports between events, delete the events left
    without reports, prune orphaned entities; and move the graph's mark on (``cypher.BUMP_MARK``),
    whose new value it returns."""
    model, run_id, plan = ctx.model, ctx.run_id, prepared.plan
    mark = tx.run(cypher.BUMP_MARK, run_id=run_id).single(strict=True)
    detached: list[str] = []
    if plan.hood.reloaded:
        tx.run(cypher.DETACH_ARTICLE_REPORTS, article_ids=prepared.article_ids).consume()
        record = tx.run(cypher.DETACH_ARTICLE_MENTIONS, article_ids=prepared.article_ids).single()
        detached = record["entity_ids"] if record else []
    for label, rows in prepared.nodes.items():
        query = cypher.upsert_nodes(model.node(label))
        for chunk in batched(rows, ROWS_PER_STATEMENT):
            tx.run(query, rows=chunk, run_id=run_id)
    _write_rels(tx, prepared.merged, model, run_id)
    for query in cypher.CLEAR_EVENT_EDGES:  # events whose old edges are not known (or that go)
        _run_ids(tx, query, (set(plan.changed) - set(plan.previous) | plan.gone) & plan.existing, run_id)
    for rel_type, stale in prepared.events.stale.items():  # the others lose only the edges that changed
        for chunk in batched(stale, ROWS_PER_STATEMENT):
            tx.run(cypher.DROP_EVENT_EDGES[rel_type], rows=chunk)
    for chunk in batched(prepared.events.nodes, ROWS_PER_STATEMENT):
        tx.run(cypher.replace_nodes(model.node("Event")), rows=chunk, run_id=run_id)
    _create_rels(tx, prepared.created, model, run_id)
    for moved in batched(plan.moves, ROWS_PER_STATEMENT):
        tx.run(cypher.MOVE_REPORTS, rows=moved, run_id=run_id)
    _run_ids(tx, cypher.DELETE_EVENTS, plan.gone, run_id)
    _create_rels(tx, prepared.events.rels, model, run_id)
    if detached and _prune_entities(tx, detached):
        ctx.written.forget()
    mark_pending(tx, prepared.months, run_id)
    return (mark["token"], mark["version"])


def _prune_entities(tx: neo4j.ManagedTransaction, candidates: list[str]) -> int:
    """Delete the entities a replaced article version alone named (and countries left unlinked);
    returns how many went."""
    countries = {c for c in candidates if c.startswith("country:")}
    deleted = 0
    for ids in batched(candidates, ROWS_PER_STATEMENT):
        for record in tx.run(cypher.PRUNE_ENTITIES, entity_ids=ids):
            countries.update(record["countries"])
            deleted += 1
    for ids in batched(sorted(countries), ROWS_PER_STATEMENT):
        deleted += tx.run(cypher.PRUNE_COUNTRIES, entity_ids=ids).single(strict=True)["deleted"]
    return deleted


def load_extractions(
    driver: neo4j.Driver,
    extractions: Iterable[ArticleExtraction],
    *,
    run_id: str,
    tables: WriterTables,
    articles_per_batch: int = 200,
    database: str | None = None,
    on_batch: Callable[[int], None] | None = None,
    sort_window: int = SORT_WINDOW,
    index_dir: Path | None = None,
    ordered: bool = False,
) -> LoadStats:
    """Write extractions in batches of articles, one write transaction per batch.

    Each batch resolves its event mentions against the stored reports near them in time first
    (``kg.resolve``), so mentions of one real-world event from different articles, batches or runs
    become one Event. The extractions are written in publication order (``in_time_order``): a
    batch of articles from the same days has few stored events near it, while a batch scattered
    over years of an archive would reach most of the graph. A load that begins on a graph without
    reports keeps the reports it writes in memory instead of reading them back (``kg.graph.stored``)
    and prepares each batch while the one before is written; into a graph with reports, given
    ``index_dir``, the candidates come from the report index kept there between runs
    (``kg.graph.report_index``; the shards the first batch needs read as its articles come,
    ``_first_seen``), and the next batch is resolved while a batch is written
    (``_load_overlapped``). What the batches changed is added to the dashboard's counters
    (``kg.graph.aggregates``) beside the last batch's write (``_Counting``), while the index's
    changed shards are written; once it committed, the index's head is stamped and the counters'
    pending months cleared.

    ``ordered``: the extractions come in publication order already (``kg update`` extracts its
    articles in that order), so the first batch is written while the rest is still being extracted
    instead of after the whole input was sorted.
    """
    stats = LoadStats()
    counting = _Counting(driver, run_id, database, stats)
    rules = tables.rules
    ctx = LoadContext(graph_model(), rules, tables.titles, run_id, _report_store(driver, rules, database, index_dir))
    if ordered and isinstance(ctx.reports, IndexedReports):  # the first batch's shards read as it is extracted
        extractions = _first_seen(extractions, articles_per_batch, ctx.reports.preload)
    batches = (growing_batches(extractions, articles_per_batch, BATCH_GROWTH * articles_per_batch) if ordered
               else batched(in_time_order(extractions, sort_window), articles_per_batch))
    with driver.session(database=database) as session, _frozen_between_batches(), \
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-counters") as sender:

        def record(prepared: PreparedBatch, mark: Mark | None = None, reports_kept: bool = False) -> None:
            """Keep what the batch wrote (the rows sent, the reports and their events, unless the
            store took them already: ``reports_kept``)."""
            ctx.written.commit()
            if mark is not None and isinstance(ctx.reports, IndexedReports):
                ctx.reports.written(mark)
            if not reports_kept:
                ctx.reports.commit(prepared.plan.assigned, prepared.plan.hood, prepared.plan.batch,
                                   prepared.article_ids)
            gc.freeze()  # what outlives a batch (the index's rows, the reports made) outlives the load

        def count(prepared: PreparedBatch) -> None:
            ctx.prepared[:] = [p for p in ctx.prepared if p is not prepared]
            counting.count(prepared)
            stats.articles += len(prepared.extractions)
            stats.rows += prepared.row_count
            stats.batches += 1
            if on_batch:
                on_batch(len(prepared.extractions))

        def last_sent() -> None:
            """Every batch prepared: while the last one is written (when its write is under way, all
            before it counted), the counters are sent beside it and the index's changed shards
            written, which left the end of the load waiting for them after the write."""
            if len(ctx.prepared) == 1:
                counting.send_last(ctx.prepared[0], sender)
            if isinstance(ctx.reports, IndexedReports):
                ctx.reports.write_shards()

        batches = _then(batches, last_sent)
        if isinstance(ctx.reports, IndexedReports):
            _load_overlapped(session, batches, ctx, ctx.reports, record, count)
        elif isinstance(ctx.reports, GraphReports):
            _load_read_ahead(session, batches, ctx, ctx.reports, record, count)
        else:
            _load_pipelined(session, batches, ctx, record, count)
    if isinstance(ctx.reports, IndexedReports):
        ctx.reports.save()
    counting.finish()
    return stats


class _Counting:
    """What a load's batches do to the counters (``kg.graph.aggregates``), and when it is written.

    Each batch's changes are kept once it committed (``count``), and written during the load only
    when they outgrow ``MAX_DELTAS`` (``flush_counters``). Once the last batch's write is under way,
    the load's deltas and the last batch's go in a transaction of their own beside it
    (``send_last``): counter nodes only, which a batch's write does not touch (both mark months
    pending, which the graph merges), and marking the last batch's months pending itself, so that
    if that write fails they are counted again by the next load. The months counted again and the
    clearing of the pending months come after both committed (``finish``)."""

    def __init__(self, driver: neo4j.Driver, run_id: str, database: str | None, stats: LoadStats) -> None:
        self.driver, self.run_id, self.database, self.stats = driver, run_id, database, stats
        self.changes = CounterChanges(recount=pending_months(driver, database))  # left stale by an earlier load
        self._sent: tuple[PreparedBatch, Future[int]] | None = None

    def count(self, prepared: PreparedBatch) -> None:
        """A batch committed: its changes kept (unless sent already)."""
        if self._sent is None or prepared is not self._sent[0]:
            self.changes.add(prepared.months, prepared.counts)
        if self.changes.full:  # written now, in transactions of their own, to bound the load's memory
            began = time.perf_counter()
            flush_counters(self.driver, self.changes, run_id=self.run_id, database=self.database)
            self.stats.counters_seconds += time.perf_counter() - began

    def send_last(self, prepared: PreparedBatch, sender: ThreadPoolExecutor) -> None:
        """The last batch's write is under way and every batch before it counted: the deltas kept
        and the last batch's sent by ``sender``'s thread."""
        self.changes.add(prepared.months, prepared.counts)
        self._sent = (prepared, sender.submit(add_deltas, self.driver, self.changes.take(), run_id=self.run_id,
                                              database=self.database, stale=prepared.months))

    def finish(self) -> None:
        """After the last write committed: the deltas sent waited for, the rest written."""
        began = time.perf_counter()
        if self._sent is not None:
            self._sent[1].result()
        update_counters(self.driver, self.changes, run_id=self.run_id, database=self.database)
        self.stats.counters_seconds += time.perf_counter() - began


def _first_seen(extractions: Iterable[ArticleExtraction], first: int,
                see: Callable[[list[EventReport]], None]) -> Iterator[ArticleExtraction]:
    """The extractions, each of the ``first`` shown to ``see`` (its reports) as it comes: an
    update's first batch waits for its articles to be extracted, and the load meanwhile reads what
    the batch will need (``IndexedReports.preload``)."""
    it = iter(extractions)
    for ex in islice(it, first):
        see(reports_of([ex]))
        yield ex
    yield from it


def _then(items: Iterable[T], done: Callable[[], None]) -> Iterator[T]:
    """``items``, and ``done()`` once they are exhausted, before the taker is told so."""
    yield from items
    done()


@contextmanager
def _frozen_between_batches() -> Iterator[None]:
    """The objects alive after each batch are frozen out of the garbage collector's walks until
    the load ends: the report index's rows and the reports made of them are millions of objects
    that live to the end, and each full collection walked them all (benchmarks/README.md, session
    11). Unfrozen at the end, also when the load fails, so a cycle that died meanwhile is collected
    then.

    Meanwhile the youngest generation is collected after ``GC_YOUNG_THRESHOLD`` allocations
    instead of Python's 700: a batch allocates millions of objects that live until it ends (rows,
    reports, candidate lists), almost none in cycles, and each young collection walked the
    survivors of the last ones again. Reference counting frees what the batch drops either way."""
    threshold = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _report_store(driver: neo4j.Driver, rules: ResolutionRules, database: str | None,
                  index_dir: Path | None) -> ReportStore:
    """``kg.graph.stored.report_store``, but from the report index in ``index_dir`` when the graph has reports."""
    if index_dir is not None and graph_has_reports(driver, database):
        return IndexedReports(rules, driver, index_folder(index_dir, database), database)
    return report_store(driver, rules, database)


def _written(chunk: list[ArticleExtraction], write: Callable[..., T], *args: Any) -> T:
    """``write(*args)`` (the batch's reads or writes), with a Neo4j error turned into a LoadError
    naming the batch's articles."""
    try:
        return write(*args)
    except neo4j.exceptions.Neo4jError as exc:
        raise LoadError(f"loading articles {chunk[0].article.id}..{chunk[-1].article.id} failed: "
                        f"{exc.code}: {exc.message}") from exc


def _load_pipelined(session: neo4j.Session, batches: Iterable[list[ArticleExtraction]], ctx: LoadContext,
                    record: Callable[[PreparedBatch], None], count: Callable[[PreparedBatch], None]) -> None:
    """Prepare batch n+1 (resolution and rows, in Python) while a writer thread sends batch n: the
    two then share the machine's cores instead of taking turns. Possible only when resolution needs
    no reads (``LoadedReports``); each batch is recorded as written as soon as it is prepared,
    which holds, since a failed write ends the load. A batch that reloads articles may prune
    entities, so the next one is prepared only after it committed."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-writer") as writer:
        pending: tuple[Future[None], PreparedBatch] | None = None
        for chunk in batches:
            if pending and pending[1].plan.hood.reloaded:
                _finish(*pending, count)
                pending = None
            prepared = prepare_batch(chunk, ctx)
            record(prepared)
            if pending:
                _finish(*pending, count)
            pending = (writer.submit(session.execute_write, write_batch, prepared, ctx), prepared)
        if pending:
            _finish(*pending, count)


def _load_read_ahead(session: neo4j.Session, batches: Iterable[list[ArticleExtraction]], ctx: LoadContext,
                     reports: GraphReports, record: Callable[[PreparedBatch, Mark], None],
                     count: Callable[[PreparedBatch], None]) -> None:
    """Each batch resolved with what the one before it wrote, read back from the graph; the next
    batch's candidates are read (``GraphReports.prefetch``) while this one is resolved - the server
    reads while the client computes - and the read is done before this batch writes."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-reader") as reader:
        for chunk, upcoming in _with_next(batches):
            if upcoming:
                reports.prefetch(reports_of(upcoming), [ex.article.id for ex in upcoming], reader)
            prepared = _written(chunk, prepare_batch, chunk, ctx)
            _written(chunk, reports.settle)
            mark = _written(chunk, session.execute_write, write_batch, prepared, ctx)
            _written(chunk, record, prepared, mark)  # reads this batch's reports back for the next one
            count(prepared)


def _load_overlapped(session: neo4j.Session, batches: Iterable[list[ArticleExtraction]], ctx: LoadContext,
                     reports: IndexedReports, record: Callable[..., None],
                     count: Callable[[PreparedBatch], None]) -> None:
    """With the report index: while a writer thread sends batch n, the index takes batch n's
    reports from the rows it writes (``IndexedReports.commit_written``), works out batch n+1's
    candidates and the events they can join (``IndexedReports.ahead``), and batch n+1 is resolved
    and turned into rows with the rest of its neighbourhood read as batch n-1 left the graph and
    brought up to what batch n writes (``IndexedReports.near_written``): each batch sees the graph
    the batch before left, as one after the other would, and the server writes while the client
    prepares. Each batch's rows are recorded as written as soon as it is prepared (the rule of
    ``_load_pipelined``). The marks are checked in commit order (``written``).

    Batch n+1 is prepared once batch n committed instead when ``near_written`` cannot tell its
    neighbourhood (its articles loaded again ...), and again when batch n's write pruned entities
    (rows batch n+1 held as written are gone) or the index was dropped (another writer moved the
    mark: the candidates are read from the graph). A failed write ends the load with its error, the
    batch prepared meanwhile unused, and the index, brought up to the failed batch, is not saved. A
    batch whose rows cannot tell the index what it holds (``from_memory``) is committed first and
    read back."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-writer") as writer, _switching(SWITCH_INTERVAL):
        pending: tuple[Future[Mark], PreparedBatch] | None = None
        forgotten = ctx.written.forgotten  # when the batch being written was sent
        for chunk in batches:
            batch, prepared = reports_of(chunk), None
            if pending:
                ids = [ex.article.id for ex in chunk]
                _written(chunk, reports.ahead, batch, ids)
                if hood := _written(chunk, reports.near_written, ids):
                    prepared = _written(chunk, prepare_batch, chunk, ctx, batch, hood)
                _committed(*pending, record, count)
                if prepared and (reports.index is None or ctx.written.forgotten != forgotten):
                    ctx.written.forget()  # what it held as written may be gone; its candidates were the index's
                    ctx.prepared.remove(prepared)
                    prepared = None
            if prepared is None:
                prepared = _written(chunk, prepare_batch, chunk, ctx, batch)
            ctx.written.commit()
            forgotten = ctx.written.forgotten
            pending = (writer.submit(session.execute_write, write_batch, prepared, ctx), prepared)
            plan = prepared.plan
            reported = prepared.created.get(("REPORTED_IN", "Event", "Article"), [])
            published = {row["id"]: row["published"] for row in prepared.nodes.get("Article", ())}
            if reports.from_memory(reported, published):
                _written(chunk, reports.commit_written, plan.assigned, plan.hood, prepared.article_ids, reported,
                         published)
            else:
                _committed(*pending, record, count, reports_kept=False)
                pending = None
        if pending:
            _committed(*pending, record, count)


@contextmanager
def _switching(interval: float) -> Iterator[None]:
    """The interpreter's thread switch interval set to ``interval`` meanwhile. The writer thread
    waits for the server, and on each reply for the GIL, which the thread resolving the next batch
    (pure Python) gives up only every switch interval (5 ms by default): each reply could wait that
    long, and the writes took several times as long as alone (benchmarks/README.md, session 12)."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(interval)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def _committed(write: Future[Mark], prepared: PreparedBatch, record: Callable[..., None],
               count: Callable[[PreparedBatch], None], reports_kept: bool = True) -> None:
    """Wait for a batch's write, then keep what it wrote (the index is up to it already, unless
    not ``reports_kept``)."""
    _written(prepared.extractions, record, prepared, _written(prepared.extractions, write.result), reports_kept)
    count(prepared)


def growing_batches(items: Iterable[T], first: int, most: int) -> Iterator[list[T]]:
    """Consecutive lists of ``first`` items, then each twice the one before, up to ``most``.

    An update extracts its articles while it loads them (``ordered``): the first batch starts as
    soon as ``first`` articles are extracted, and by the time it is written the extraction is ahead,
    so the later batches can be larger. A daily update's batches all lie on the same days, and each
    batch resolves the stored reports of those days again: fewer batches, less of that."""
    it = iter(items)
    size = first
    while chunk := list(islice(it, size)):
        yield chunk
        size = min(2 * size, max(most, first))


def _with_next(items: Iterable[T]) -> Iterator[tuple[T, T | None]]:
    """Each item with the one after it (None after the last)."""
    it = iter(items)
    current = next(it, None)
    while current is not None:
        upcoming = next(it, None)
        yield current, upcoming
        current = upcoming


def _finish(write: Future[None], prepared: PreparedBatch, count: Callable[[PreparedBatch], None]) -> None:
    _written(prepared.extractions, write.result)
    count(prepared)


def in_time_order(extractions: Iterable[ArticleExtraction], window: int) -> Iterator[ArticleExtraction]:
    """The extractions in publication order, with bounded memory: up to ``window`` are sorted in
    memory; a longer input is spilled to a temporary file (pickled one after another) and read back
    in order, so a batch of an archive spread over years still meets the events of a few days only."""
    it = iter(extractions)
    head = list(islice(it, window))
    if len(head) < window:
        yield from sorted(head, key=publication_order)
        return
    with tempfile.TemporaryFile(prefix="kg-load-") as spool:
        index = []
        for ex in chain(head, it):
            index.append((publication_order(ex), spool.tell()))
            pickle.dump(ex, spool, protocol=pickle.HIGHEST_PROTOCOL)
        del head
        index.sort()
        for _, offset in index:
            spool.seek(offset)
            yield pickle.load(spool)


def load_roles(driver: neo4j.Driver, roles: Iterable[tuple[str, str, str, str | None, str | None]], *,
               run_id: str, database: str | None = None) -> int:
    """Write HOLDS_ROLE edges from (person id, country or organisation id, title, start, end) tuples
    (``kg.resolve.gazetteer_roles``); only persons and holders already in the graph get edges.
    Returns the number of rows sent."""
    rels = role_rows(roles)
    with driver.session(database=database) as session:
        session.execute_write(_write_rels, rels, graph_model(), run_id)
    return sum(len(r) for r in rels.values())


def apply_schema(driver: neo4j.Driver, database: str | None = None) -> list[str]:
    """Create the model's constraints and indexes and drop its retired indexes (idempotent);
    returns the statements run."""
    statements = cypher.schema_statements(graph_model())
    with driver.session(database=database) as session:
        for statement in statements:
            session.run(statement).consume()
    return statements


def start_run(driver: neo4j.Driver, run_id: str, command: str, database: str | None = None) -> None:
    """Record the start of a run as a Run node."""
    driver.execute_query(cypher.START_RUN, run_id=run_id, command=command,
                         started=datetime.now(UTC).isoformat(), database_=database)


def finish_run(driver: neo4j.Driver, run_id: str, stats: LoadStats, database: str | None = None,
               **counts: int) -> None:
    """Record the end of a run with its counts and errors (``counts``: more of the Run's
    properties, e.g. new/changed/unchanged of an update)."""
    row = {"id": run_id, "finished": datetime.now(UTC).isoformat(), "articles": stats.articles,
           "failed": len(stats.errors), "errors": stats.errors[:1000], "status": "completed", **counts}
    driver.execute_query(cypher.upsert_nodes(graph_model().node("Run")), rows=[row], run_id=run_id,
                         database_=database)


def graph_counts(driver: neo4j.Driver, database: str | None = None) -> dict[str, Any]:
    """Node counts by label and relationship counts by type (for idempotence checks and reports)."""
    nodes, _, _ = driver.execute_query(queries.NODE_COUNTS, database_=database, routing_=neo4j.RoutingControl.READ)
    rels, _, _ = driver.execute_query(queries.RELATIONSHIP_COUNTS, database_=database, routing_=neo4j.RoutingControl.READ)
    return {"nodes": {r["label"]: r["n"] for r in nodes}, "relationships": {r["type"]: r["n"] for r in rels}}
