"""The ``import`` write strategy: a whole archive into an empty graph, computed at once.

The ``merge`` strategy (``kg.graph.load``) writes batch after batch, each resolved against what the
graph holds: right for updates and for any graph that has data. Into an empty graph the same graph
can be computed in Python once - every report resolved at once (resolution does not depend on
order, ``kg.resolve``), every event summarised once (``kg.graph.event_summary``), every counter summed
once (``kg.graph.aggregates``) - and written with no MERGE, no transaction per batch, no read-back.
The graph is the merge strategy's, property for property (``tests/integration/test_bulk_import.py``
loads real articles both ways and compares).

get (extractions, in any order) -> transform (``ArchiveRows``: rows per label and type) -> write,
one of two ways the caller chooses:

- ``write_import_files``: the offline importer's CSV files (``ImportCsv``), for ``kg load --bulk``;
  ``kg.pipeline`` stops kg's server, runs ``neo4j-admin database import``, starts it again, then
  creates the constraints and indexes and calls ``restore_after_import`` (the lists the importer
  cannot write empty, the Run nodes of earlier runs). The events can be written by several
  processes: mentions of different kinds (``ResolutionRules.kind``) resolve independently and every
  counter is of one type, so a forked process takes about half of the kinds and writes their
  events to files of its own.
- ``create_extractions``: the same rows CREATEd in one transaction on any running server
  (``GraphCreates``), for an archive small enough for one transaction (``MAX_CREATED_ROWS``).

HOLDS_ROLE is the caller's ``load_roles``, as after any load.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

import neo4j

from kg.errors import LoadError
from kg import queries
from kg.graph import cypher
from kg.graph.aggregates import CounterKey, counter_row
from kg.graph.event_summary import event_rows, event_start
from kg.graph.model import GraphModel, graph_model
from kg.graph.periods import ALL, MONTH, YEAR, month_of
from kg.graph.rows import batched, graph_rows, publication_order, window_props
from kg.graph.stats import LoadStats
from kg.records import ArticleExtraction, EventReport, iso
from kg.graph.tables import WriterTables
from kg.resolve import MentionRef, ResolutionRules, reports_of, resolve_events

# An article's edges that ``graph_rows`` gives once per article, to nodes it gives too.
_WRITTEN_AT_ONCE = {"MENTIONS", "PUBLISHED_BY"}
# List items in the import files are separated by the unit separator, which no name or evidence
# sentence contains (the importer's default ";" could); the importer is told (``--array-delimiter``).
IMPORT_ARRAY_DELIMITER = "\x1f"
# Types of graph.yaml as the importer's header spells them.
_HEADER_TYPES = {"string": "string", "int": "long", "float": "double", "date": "date", "datetime": "datetime",
                 "list<string>": "string[]"}


def _field(value: Any) -> str:
    """One CSV field: null is an empty field (no property), text is quoted (so "" stays an empty
    string), a list joins its items with the importer's array delimiter."""
    if type(value) is not str:  # (text first: most fields are)
        if value is None:
            return ""
        if not isinstance(value, list | tuple):
            return repr(value) if isinstance(value, float) else str(value)
        value = IMPORT_ARRAY_DELIMITER.join(value)
    return '"' + value.replace('"', '""') + '"'


class RowSink(Protocol):
    """Where ``ArchiveRows`` puts its rows: the importer's files (``ImportCsv``) or one transaction
    of CREATEs (``GraphCreates``)."""

    model: GraphModel

    def add_nodes(self, label: str, rows: Iterable[dict[str, Any]]) -> None: ...

    def add_rels(self, rel_type: str, rows: Iterable[dict[str, Any]], checked: bool = True) -> None: ...


# Node files with their labels, relationship files with their type, the (owner, property) lists written empty.
ImportFileLists = tuple[list[tuple[tuple[str, ...], Path]], list[tuple[str, Path]], set[tuple[str, str]]]


class ImportCsv:
    """Writes node and relationship rows as the importer's CSV files: one file per label and per
    relationship type, its header from the graph model, every row stamped with the run's id.

    The importer cannot write an empty list (an empty field is no property), so the lists that
    were empty are remembered (``empty_lists``) and set after the import. A relationship whose end
    is not a node of the import is left out, as the loader's ``MATCH`` leaves it out.
    """

    def __init__(self, folder: Path, model: GraphModel, run_id: str, prefix: str = "") -> None:
        self.folder, self.model, self.run_id, self.prefix = folder, model, run_id, prefix
        self.node_files: dict[str, tuple[tuple[str, ...], Path]] = {}
        self.rel_files: dict[str, Path] = {}
        self.empty_lists: set[tuple[str, str]] = set()  # (label or relationship type, property)
        self._handles: dict[str, IO[str]] = {}
        self._stamp = "," + _field(run_id) + "," + _field(run_id)  # run_id and first_run_id, on every row
        self._ids: set[str] = set()  # of the nodes that edges can end at (not the counters)
        self._ends = {label for rel in model.relationships.values() for label in (*rel.from_labels, rel.to_label)}

    def add_nodes(self, label: str, rows: Iterable[dict[str, Any]]) -> None:
        node = self.model.node(label)
        names = [p.name for p in node.properties]
        unions = [p.name for p in node.properties if p.merge == "union"]  # the loader's MERGE sets [] at least
        lists = [p.name for p in node.properties if p.type.startswith("list")]
        ends = bool(self._ends & {label, *node.extra_labels})
        if label not in self.node_files:
            header = ["id:ID", *(f"{p.name}:{_HEADER_TYPES[p.type]}" for p in node.properties),
                      "run_id", "first_run_id", *(["search_text"] if node.extra_labels else [])]
            self.node_files[label] = ((label, *node.extra_labels), self._open(f"nodes-{label}", header))
        out = self._handles[f"nodes-{label}"]
        for row in rows:
            if ends:
                self._ids.add(row["id"])
            if unions:
                row = {**row, **{n: row.get(n) or [] for n in unions}}
            line = ",".join(map(_field, [row["id"], *(row.get(n) for n in names)])) + self._stamp
            if node.extra_labels:  # as cypher.upsert_nodes computes it
                line += "," + _field(" ".join([row.get("name") or "", *(row.get("aliases") or ())]))
            if lists:
                self._note_empty(label, lists, row)
            out.write(line + "\n")

    def add_rels(self, rel_type: str, rows: Iterable[dict[str, Any]], checked: bool = True) -> None:
        """Relationship rows ``{from, to, ...}``; ``checked=False`` when both ends are known to be
        nodes of the import (an article's mentions are written before the entities they name)."""
        rel = self.model.relationship(rel_type)
        names = [p.name for p in rel.properties]
        lists = [p.name for p in rel.properties if p.type.startswith("list")]
        if rel_type not in self.rel_files:
            header = [":START_ID", ":END_ID", *(f"{p.name}:{_HEADER_TYPES[p.type]}" for p in rel.properties),
                      "first_run_id", "run_id"]
            self.rel_files[rel_type] = self._open(f"rels-{rel_type}", header)
        out = self._handles[f"rels-{rel_type}"]
        for row in rows:
            if checked and (row["from"] not in self._ids or row["to"] not in self._ids):
                continue
            if lists:
                self._note_empty(rel_type, lists, row)
            out.write(",".join(map(_field, [row["from"], row["to"], *(row.get(n) for n in names)])) + self._stamp + "\n")

    def part(self, prefix: str) -> ImportCsv:
        """Files of their own beside these (a forked writer's), knowing the nodes written so far."""
        part = ImportCsv(self.folder, self.model, self.run_id, prefix)
        part._ids = self._ids
        return part

    def files(self, parts: Iterable[ImportFiles] = ()) -> ImportFileLists:
        """The node files with their labels, the relationship files with their types, and the
        lists written empty - these files' and, once they have finished, the forked writers'
        (``ArchiveRows.parts``)."""
        nodes, rels, empty = list(self.node_files.values()), list(self.rel_files.items()), set(self.empty_lists)
        for part in parts:
            part_nodes, part_rels, part_empty = part.wait()
            nodes, rels, empty = nodes + part_nodes, rels + part_rels, empty | part_empty
        return nodes, rels, empty

    def flush(self) -> None:
        for handle in self._handles.values():
            handle.flush()

    def close(self) -> None:
        for handle in self._handles.values():
            handle.close()
        self._ids = set()  # the edges' ends are checked: no need to hold them while the importer runs

    def _open(self, name: str, header: list[str]) -> Path:
        path = self.folder / f"{self.prefix}{name}.csv"
        handle = path.open("w", encoding="utf-8", newline="")
        handle.write(",".join(header) + "\n")
        self._handles[name] = handle
        return path

    def _note_empty(self, owner: str, names: list[str], row: dict[str, Any]) -> None:
        for name in names:
            value = row.get(name)
            if isinstance(value, list | tuple) and not value:
                self.empty_lists.add((owner, name))


# Rows per CREATE statement of the import strategy's transaction: ten times the merge strategy's,
# since a CREATE looks nothing up, so larger statements cost no more memory per row.
CREATED_PER_STATEMENT = 10_000


class GraphCreates:
    """Keeps node and relationship rows, then CREATEs them in one write transaction, nodes first:
    the import strategy on a running server (``create_extractions``), for an archive for which
    the offline importer would cost more in restarting the server than it saves. The same interface
    as ``ImportCsv``; an edge whose end is not a node is left out by its ``MATCH``."""

    def __init__(self, model: GraphModel, run_id: str) -> None:
        self.model, self.run_id = model, run_id
        self.nodes: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.rels: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def add_nodes(self, label: str, rows: Iterable[dict[str, Any]]) -> None:
        self.nodes[label].extend(rows)

    def add_rels(self, rel_type: str, rows: Iterable[dict[str, Any]], checked: bool = True) -> None:
        self.rels[rel_type].extend(rows)

    @property
    def rows(self) -> int:
        return sum(map(len, self.nodes.values())) + sum(map(len, self.rels.values()))

    def write(self, tx: neo4j.ManagedTransaction) -> None:
        tx.run(cypher.BUMP_MARK, run_id=self.run_id).consume()
        for label, rows in self.nodes.items():
            for chunk in batched(rows, CREATED_PER_STATEMENT):
                tx.run(cypher.create_nodes(self.model.node(label)), rows=chunk, run_id=self.run_id).consume()
        for rel_type, rows in self.rels.items():
            rel = self.model.relationship(rel_type)
            from_label = rel.from_labels[0] if len(rel.from_labels) == 1 else "Entity"  # one index for them all
            query = cypher.create_relationships(rel, from_label, rel.to_label)
            for chunk in batched(rows, CREATED_PER_STATEMENT):
                tx.run(query, rows=chunk, run_id=self.run_id).consume()


@dataclass
class CounterSums:
    """The dashboard's counters summed from every event's month counts (``EventRows.counts``): a
    month is complete once its events are counted, a year once its months are, all time at the end;
    fed month after month, it holds one year's counters and the all-time ones."""

    out: RowSink
    year: Counter[CounterKey] = field(default_factory=Counter)  # keyed by the year, not its months
    all_time: Counter[CounterKey] = field(default_factory=Counter)

    def add_month(self, month: str, counts: Counter[CounterKey]) -> None:
        """The counts of one month's events (months in order)."""
        if self.year and next(iter(self.year))[1] != month[:4]:
            self._close_year()
        self._write(counts, MONTH)
        for (label, _, dims), n in counts.items():
            self.year[(label, month[:4], dims)] += n

    def close(self) -> None:
        self._close_year()
        self._write(self.all_time, ALL)

    def _close_year(self) -> None:
        self._write(self.year, YEAR)
        for (label, _, dims), n in self.year.items():
            self.all_time[(label, ALL, dims)] += n
        self.year.clear()

    def _write(self, counts: Counter[CounterKey], grain: str) -> None:
        by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for (label, period, dims), n in counts.items():
            if n:
                by_label[label].append(counter_row(label, grain, period, dims, "events", n))
        for label, rows in by_label.items():
            self.out.add_nodes(label, rows)


Order = tuple[str, str]  # an article's place in a load (``publication_order``)
Resolver = Callable[[Iterable[EventReport], ResolutionRules], dict[MentionRef, str]]

# Events summarised and written at a time: a month's events, or the undated ones - most events of
# an archive, whose rows all at once would set the import's peak memory.
EVENTS_PER_CHUNK = 5_000


@dataclass(slots=True)
class HeldNode:
    """A node's properties as rows from articles in any order set them: each value with the place
    of the article that gave it, so the value of the latest article stands (the loader writes in
    publication order, the last non-null value wins) and aliases keep the order they were first
    seen in (the loader unites them in that order)."""

    values: dict[str, tuple[Order, Any]] = field(default_factory=dict)
    aliases: dict[str, tuple[Order, int]] = field(default_factory=dict)

    def add(self, row: dict[str, Any], order: Order) -> None:
        for name, value in row.items():
            if name == "aliases":
                for i, alias in enumerate(value or ()):
                    self.aliases[alias] = min(self.aliases.get(alias, (order, i)), (order, i))
            elif value is not None and (name not in self.values or self.values[name][0] < order):
                self.values[name] = (order, value)

    def row(self) -> dict[str, Any]:
        out = {name: value for name, (_, value) in self.values.items()}
        if self.aliases:
            out["aliases"] = sorted(self.aliases, key=self.aliases.__getitem__)
        return out


@dataclass
class ArchiveRows:
    """The rows of a whole archive, computed as the loader would write them into an empty graph.

    ``add`` takes extractions in any order: what depends on the loader's publication order (the
    entities' properties, ``HeldNode``) is kept with each article's place in it. Articles, sources
    and mentions are written at once; entities and their edges when the archive is complete;
    events after every report is resolved (``finish``).
    """

    out: RowSink
    rules: ResolutionRules
    titles: Mapping[str, str]  # the gazetteer persons' roles (``graph_rows``)
    entities: dict[str, dict[str, HeldNode]] = field(default_factory=lambda: defaultdict(dict))
    merged: dict[str, dict[tuple[Any, ...], tuple[Order, dict[str, Any]]]] = field(
        default_factory=lambda: defaultdict(dict))
    reports: list[EventReport] = field(default_factory=list)  # (article ids are unique, so are their refs)
    articles: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)
    rows: int = 0
    parts: list[ImportFiles] = field(default_factory=list)  # events written by a forked process (``finish``)
    resolve: Resolver = resolve_events  # or kg.resolve_windows on an engine's workers (kg load --bulk --engine dask)

    def add(self, ex: ArticleExtraction) -> None:
        """One article's rows: written, or kept until the archive is complete."""
        if ex.article.id in self.articles:  # the loader would have replaced one with the other
            self.errors.append(f"article {ex.article.id} ({ex.article.path}) is given twice: "
                               "a first load imports one version; load the other with `kg load`")
            return
        self.articles.add(ex.article.id)
        order = publication_order(ex)
        rows = graph_rows([ex], titles=self.titles)
        self.rows += rows.row_count()
        for label, by_id in rows.nodes.items():
            if label == "Article":
                self.out.add_nodes(label, by_id.values())
            elif label != "Event":  # events are written once resolved
                held = self.entities[label]
                for node_id, row in by_id.items():
                    held.setdefault(node_id, HeldNode()).add(row, order)
        for (rel_type, _, _), rel_rows in rows.rels.items():
            if rel_type == "REPORTED_IN":  # written once resolved, from the reports
                continue
            if rel_type in _WRITTEN_AT_ONCE:
                self.out.add_rels(rel_type, rel_rows, checked=False)
            else:  # MERGEd in the loader: one edge per pair (and key), the latest article's properties
                key = self.out.model.relationship(rel_type).key
                held_rels = self.merged[rel_type]
                for row in rel_rows:
                    ident = (row["from"], row["to"], *(row[k] for k in key))
                    if ident not in held_rels or held_rels[ident][0] < order:
                        held_rels[ident] = (order, row)
        self.reports += reports_of([ex])

    def finish(self, processes: int = 1) -> None:
        """Write the entities and their edges, then resolve every report and write the events,
        their edges, the reports (REPORTED_IN) and the counters, month after month.

        ``processes=2`` (an ``ImportCsv`` sink on a system with ``fork``) writes the events of
        some kinds in a forked process, to files of its own (``parts``): mentions of different
        kinds resolve independently and every counter is of one type, so the two halves share nothing."""
        for label, by_id in self.entities.items():
            self.out.add_nodes(label, ({"id": node_id, **held.row()} for node_id, held in by_id.items()))
        self.entities.clear()
        reports = self.reports
        kind = self.rules.kind
        forked = _forked_types(Counter(kind(r.type) for r in reports)) if processes > 1 else set()
        if forked and isinstance(self.out, ImportCsv) and hasattr(os, "fork"):  # (one kind: nothing to share)
            self.parts.append(_in_child(lambda out: self._write_events(
                [r for r in reports if kind(r.type) in forked], out), self.out))
            reports = [r for r in reports if kind(r.type) not in forked]
        try:
            self._write_events(reports, self.out)
        except BaseException:
            for part in self.parts:
                part.kill()
            raise
        for rel_type, held_rels in self.merged.items():
            self.out.add_rels(rel_type, (row for _, row in held_rels.values()))
        # Written: let them go before the importer's JVM starts beside this process.
        self.reports, self.merged = [], defaultdict(dict)

    def _write_events(self, reports: list[EventReport], out: RowSink) -> None:
        """Resolve ``reports`` and write their events, edges, REPORTED_IN
        rows and counters to ``out``."""
        assigned = self.resolve(reports, self.rules)
        by_event: dict[str, list[EventReport]] = defaultdict(list)
        for report in reports:
            by_event[assigned[report.ref]].append(report)
        by_month: dict[str, list[str]] = defaultdict(list)
        for event_id, event_reports in by_event.items():
            start = event_start(event_reports)
            by_month[month_of(start) if start else ""].append(event_id)
        counters = CounterSums(out)
        for month in sorted(by_month):
            counts: Counter[CounterKey] = Counter()
            for chunk in batched(by_month[month], EVENTS_PER_CHUNK):
                events = event_rows({e: by_event[e] for e in chunk}, self.rules)
                out.add_nodes("Event", events.nodes)
                for (rel_type, _, _), rel_rows in events.rels.items():
                    out.add_rels(rel_type, rel_rows)
                counts.update(events.counts)
            if month:
                counters.add_month(month, counts)
        counters.close()
        out.add_rels("REPORTED_IN", (_reported_in(assigned[r.ref], r) for r in reports))


def _forked_types(counts: Counter[str]) -> set[str]:
    """The types a second process takes: about half of the reports, the largest types first."""
    forked: set[str] = set()
    taken = kept = 0
    for type_, n in counts.most_common():
        if taken < kept:
            forked.add(type_)
            taken += n
        else:
            kept += n
    return forked


def _in_child(write: Callable[[ImportCsv], None], out: ImportCsv) -> ImportFiles:
    """Run ``write`` in a forked process into a part of ``out`` (files of its own) while this
    process goes on; the files it wrote are handed back when ``ImportFiles.wait`` is called."""
    out.flush()  # else the child inherits the unwritten buffers and writes them a second time
    read_end, write_end = os.pipe()
    gc.freeze()  # a collection in the child would touch, and so copy, every object it inherits
    pid = os.fork()
    if pid == 0:  # the child: write, report the files, exit without running the parent's cleanup
        status = 1
        try:
            os.close(read_end)
            part = out.part(f"p{os.getpid()}")
            write(part)
            part.close()
            with os.fdopen(write_end, "wb") as pipe:
                pickle.dump(part.files(), pipe)
            status = 0
        except BaseException:  # noqa: BLE001 - the child reports any failure and exits, never returning into the parent's code
            traceback.print_exc()
        finally:
            os._exit(status)
    gc.unfreeze()
    os.close(write_end)
    return ImportFiles(pid, read_end)


@dataclass
class ImportFiles:
    """The files a forked writer wrote (``_in_child``), once it has finished."""

    pid: int
    read_end: int

    def wait(self) -> ImportFileLists:
        with os.fdopen(self.read_end, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        if status or not payload:
            raise LoadError(f"the process writing the import's events failed (status {status}); see its traceback above")
        return pickle.loads(payload)

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.read_end)


def _reported_in(event_id: str, report: EventReport) -> dict[str, Any]:
    """The REPORTED_IN row of a resolved report (as ``graph_rows`` gives it)."""
    ev = report.event
    return {"from": event_id, "to": report.article, "evidence": ev.reported_evidence, "confidence": ev.confidence,
            "trigger": ev.trigger, "type": ev.type, "start": iso(ev.start), "end": iso(ev.end),
            "status": ev.status, "place": ev.place, "mention_id": ev.id,
            "modality": ev.modality, "participants": list(report.participants), "legs": report.legs,
            **window_props(ev)}


def held_runs(driver: neo4j.Driver, database: str | None) -> list[dict[str, Any]]:
    """Refuse (LoadError) unless the graph holds no article, event or failure yet: the ``import``
    strategy writes into an empty graph only. Returns the Run nodes it holds (earlier runs), which
    an offline import would erase (``restore_after_import`` writes them back)."""
    held, _, _ = driver.execute_query(queries.GRAPH_HOLDS_DATA, database_=database, routing_=neo4j.RoutingControl.READ)
    if held[0]["n"]:
        raise LoadError("the graph already holds articles, events or failed articles: the import strategy "
                        "writes into an empty graph only; load with `kg load` (merge) or `kg update` instead")
    runs, _, _ = driver.execute_query(queries.RUNS, database_=database, routing_=neo4j.RoutingControl.READ)
    return [r["run"] for r in runs]


@dataclass
class ImportFilesWritten:
    """The importer's CSV files of an archive (``write_import_files``), and what writing them did."""

    nodes: list[tuple[tuple[str, ...], Path]]
    rels: list[tuple[str, Path]]
    empty_lists: set[tuple[str, str]]
    stats: LoadStats


def write_import_files(folder: Path, extractions: Iterable[ArticleExtraction], *, run_id: str, tables: WriterTables,
                       event_writers: int = 1, on_batch: Callable[[int], None] | None = None,
                       resolve: Resolver | None = None) -> ImportFilesWritten:
    """The ``import`` strategy's rows of a whole archive written as ``neo4j-admin database import``
    files into ``folder``: the same graph as the ``merge`` strategy writes (see the module
    docstring). ``event_writers`` processes write the events (``ArchiveRows.finish``). The caller
    runs the importer (``kg.neo4j_server.imported``) and then ``restore_after_import``. ``resolve``
    resolves the reports elsewhere (``kg.engine.window_resolver``: by time windows on a Dask
    cluster); the events are then written by this process alone (no fork beside a Dask client)."""
    stats = LoadStats(batches=1)
    began = time.perf_counter()

    def lap(phase: str) -> None:
        nonlocal began
        stats.phases[phase] = time.perf_counter() - began
        began = time.perf_counter()

    out = ImportCsv(folder, graph_model(), run_id)
    archive = ArchiveRows(out, tables.rules, tables.titles, resolve=resolve or resolve_events)
    for ex in extractions:
        archive.add(ex)
        if on_batch:
            on_batch(1)
    lap("articles")  # written as they came (with their extraction, when it streams in)
    stats.articles, stats.rows, stats.errors = len(archive.articles), archive.rows, archive.errors
    if not archive.articles:  # nothing to import
        out.close()
        return ImportFilesWritten([], [], set(), stats)
    archive.finish(processes=event_writers if resolve is None else 1)
    out.close()
    nodes, rels, empty_lists = out.files(archive.parts)
    lap("events")  # resolved, summarised and written with the entities and counters
    return ImportFilesWritten(nodes, rels, empty_lists, stats)


def restore_after_import(driver: neo4j.Driver, empty_lists: Iterable[tuple[str, str]],
                         runs: list[dict[str, Any]], database: str | None, run_id: str) -> None:
    """What the importer cannot write, once the constraints and indexes are in place: the lists
    written empty, the Run nodes of earlier runs, and the graph's mark (a new one: the import
    replaced the database)."""
    model = graph_model()
    with driver.session(database=database) as session:
        session.run(cypher.AWAIT_INDEXES).consume()
        session.run(cypher.BUMP_MARK, run_id=run_id).consume()
        for owner, prop in sorted(empty_lists):
            session.run(cypher.set_empty_list(owner, prop, owner in model.relationships)).consume()
    if runs:
        driver.execute_query(cypher.RESTORE_RUNS, runs=runs, database_=database)


# The most rows the ``import`` strategy CREATEs in one transaction (~4k synthetic articles; the
# corpus's 621 make ~40k): the server's heap holds the transaction. Beyond, ``kg load --bulk``.
MAX_CREATED_ROWS = 500_000


def create_extractions(driver: neo4j.Driver, extractions: Iterable[ArticleExtraction], *, run_id: str, tables: WriterTables,
                       database: str | None = None, on_batch: Callable[[int], None] | None = None) -> LoadStats:
    """The ``import`` strategy on a running server: the archive's rows (``ArchiveRows``) CREATEd in
    one write transaction - no MERGE, no event written twice, no counter delta. Raises LoadError,
    having written nothing, when the graph holds articles, events or failed articles, when an
    article is given twice (the ``merge`` strategy replaces one with the other) or when the rows are
    more than ``MAX_CREATED_ROWS``."""
    held_runs(driver, database)
    out = GraphCreates(graph_model(), run_id)
    archive = ArchiveRows(out, tables.rules, tables.titles)
    for ex in extractions:
        archive.add(ex)
    if archive.errors:
        raise LoadError("; ".join(archive.errors[:3]))
    archive.finish()
    if out.rows > MAX_CREATED_ROWS:
        raise LoadError(f"{out.rows} rows are more than one transaction of the import strategy takes "
                        f"({MAX_CREATED_ROWS}): load them with `kg load --bulk` (kg's own server) or the merge strategy")
    with driver.session(database=database) as session:
        session.execute_write(out.write)
    if on_batch:
        on_batch(len(archive.articles))
    return LoadStats(articles=len(archive.articles), rows=archive.rows, batches=1)
