"""The stored reports a batch of articles is resolved with: read back from the graph, or kept in
memory by a load that began on an empty graph.

Resolution (``kg.resolve``) must see every stored report that can join the batch's mentions, and
every other report of the events those belong to. Two sources:

- ``GraphReports`` reads them back from Neo4j with each batch (index range seeks on the reports'
  days, ``queries.CANDIDATE_REPORTS``): right whatever the graph held before the load. It follows
  the chains of linkable reports ``update_reach`` links from the batch (schema/resolution.yaml)
  and pins the other reports of the events it reaches (``Neighbourhood.pinned``): in a dense
  archive every chain reaches a third of it (benchmarks/README.md, sessions 8 and 9).
- ``LoadedReports`` keeps the reports the load itself wrote, indexed by type and day. When the load
  began on a graph without any report, these are all the stored reports there are, so a merge
  into an empty graph never reads back from the server. It follows every chain, in memory: the
  load gives the graph ``kg load --bulk`` gives (tests/integration/test_bulk_import.py).

A third, ``kg.graph.report_index.IndexedReports``, takes the candidates from an index of the
stored reports kept between runs, behind the graph's mark.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol

import neo4j

from kg import queries
from kg.graph.event_summary import calendar_day, instant
from kg.records import Event, EventReport
from kg.resolve import MentionRef, ResolutionRules, in_window, joinable, search_windows


@dataclass
class Neighbourhood:
    """What a batch is resolved with."""

    stored: list[tuple[str, EventReport]]  # (current event id, report) of other articles' reports
    replaced_events: set[str]  # events that held reports of the batch's articles (being replaced)
    replaced_days: set[str] = field(default_factory=set)  # first days those events had
    reloaded: bool = True  # may the batch's articles be in the graph already?
    pinned: dict[MentionRef, str] = field(default_factory=dict)  # stored reports kept to their event (``pins``)

    @property
    def unpinned(self) -> dict[MentionRef, str]:
        """The event of each stored report decided again, when some are pinned (``resolve_events``'
        ``stored``: an undated one chooses only between its event and the events that change)."""
        return {r.ref: event for event, r in self.stored if r.ref not in self.pinned} if self.pinned else {}


class ReportStore(Protocol):
    def near(self, batch: Sequence[EventReport], article_ids: Sequence[str]) -> Neighbourhood:
        """The stored reports that can resolve with ``batch``, and all other reports of their events."""
        ...

    def commit(self, assigned: Mapping[MentionRef, str], hood: Neighbourhood, batch: Sequence[EventReport],
               article_ids: Sequence[str]) -> None:
        """Record what the batch writes: after its transaction committed, or, when the next batch is
        prepared while this one is written (``kg.graph.load``), as soon as it is prepared."""
        ...


def joined_events(candidates: Sequence[tuple[str, EventReport]], batch: Sequence[EventReport],
                   rules: ResolutionRules, reach: int | None) -> tuple[set[str], set[MentionRef] | None]:
    """The events of the candidates (event, report) that can link with the batch (``joinable``),
    and the candidates free to leave them: those within ``reach`` links of a mention (None: every
    chain, all free). At reach 0 the events of the candidates linkable to a mention are still
    taken, for the mentions to join them."""
    linked = joinable((r for _, r in candidates), batch, rules, link_hops(reach))
    return {event for event, r in candidates if r.ref in linked}, free_of(linked, reach)


def link_hops(reach: int | None) -> int | None:
    """The links ``joinable`` follows for ``joined_events`` at ``reach``: at least one."""
    return None if reach is None else max(reach, 1)


def free_of(linked: Mapping[MentionRef, int], reach: int | None) -> set[MentionRef] | None:
    """``joined_events``' free candidates of ``joinable``'s ``linked``."""
    return None if reach is None else {ref for ref, links in linked.items() if links <= reach}


def pins(stored: Sequence[tuple[str, EventReport]], free: set[MentionRef] | None,
          replaced: set[str]) -> dict[MentionRef, str]:
    """The stored reports resolution keeps to their event (``resolve_events``' ``pinned``): all
    but the ``free`` ones and those of events losing a report of the batch's articles, which are
    decided again. An event whose reports are pinned is never split nor merged with another
    pinned one: a new report joins it as a whole (schema/resolution.yaml ``update_reach``)."""
    if free is None:
        return {}
    return {r.ref: event for event, r in stored if event not in replaced and r.ref not in free}


def canonical(stored: list[tuple[str, EventReport]]) -> list[tuple[str, EventReport]]:
    """The stored reports by event, then article and mention: the order a neighbourhood worked out
    before the batch before it committed (``BatchWrite.after``) gives too. Resolution and the event
    rows do not depend on it (``kg.resolve._precision``, ``event_rows``); the read's own order is
    the store's relationship order, which a write changes."""
    return sorted(stored, key=lambda pair: (pair[0], pair[1].ref))


@dataclass
class BatchWrite:
    """What a batch being written does to the stored reports, as the graph will hold them once it
    committed: the reports it resolved with (``known``: every report of the events it looked at,
    but its own articles') and those of its ``articles`` are those of ``after`` (event -> its
    reports of them, those the batch writes as a read gives them back); every other report stays.
    (An event it leaves without a report held only reports of those, and is deleted.)"""

    articles: set[str]
    known: set[MentionRef]
    after: dict[str, list[EventReport]]

    @classmethod
    def of(cls, assigned: Mapping[MentionRef, str], hood: Neighbourhood, article_ids: Iterable[str],
           written: Iterable[tuple[str, EventReport]]) -> BatchWrite:
        """What a batch resolved with ``hood`` writes: the stored reports given their event
        (``assigned``), and ``written``, (event, report) of its own reports as a read of them
        returns them (``STORED_FIELDS``)."""
        after: dict[str, list[EventReport]] = defaultdict(list)
        for _, report in hood.stored:
            after[assigned[report.ref]].append(report)
        for event, report in written:
            after[event].append(report)
        return cls(set(article_ids), {r.ref for _, r in hood.stored}, dict(after))

    def applied(self, read: Sequence[tuple[str, EventReport]], skip: set[str],
                events: Iterable[str]) -> list[tuple[str, EventReport]]:
        """The stored reports (event, report) of ``events`` but those of the articles in ``skip``,
        as a read after the write returns them, from ``read``: that read of them before it."""
        stored = [(event, r) for event, r in read if r.ref not in self.known and r.article not in self.articles]
        stored += [(event, r) for event in set(events) & self.after.keys() for r in self.after[event]
                   if r.article not in skip]
        return canonical(stored)


@dataclass
class _Candidates:
    """A batch's candidate reports (``CANDIDATE_REPORTS``): read, or being read (``rows``)."""

    article_ids: list[str]
    windows: dict[str, Any]  # ``window_params`` of the batch
    rows: Future[list[tuple[str, EventReport]]] | list[tuple[str, EventReport]]


class GraphReports:
    """Stored reports read back from the graph with each batch, in a read transaction of their own
    before the batch's write transaction (``kg load`` and ``kg update`` hold the graph's lock, so
    nothing else writes in between): the write transaction carries only the writes, and the reads
    come back as one record each (``queries.collected``).

    The candidates of the next batch can be read while this one is resolved (``prefetch``), since
    nothing is written then: the loader waits for them (``settle``) before it writes this batch,
    and ``commit`` brings them up to what this batch wrote - its articles' reports, in place of any
    they had, and the stored reports it moved to another event - so they are the rows a read after
    the write would return."""

    def __init__(self, rules: ResolutionRules, driver: neo4j.Driver, database: str | None = None) -> None:
        self.rules = rules
        self.driver = driver
        self.database = database
        self._next: _Candidates | None = None  # the next batch's, from the graph before this batch's write
        self._ready: _Candidates | None = None  # this batch's, up to date
        self._made: dict[tuple[Any, ...], EventReport] = {}  # the last batch's stored reports, by their row (``_stored_rows``)

    def near(self, batch: Sequence[EventReport], article_ids: Sequence[str]) -> Neighbourhood:
        ids = list(article_ids)
        ready, self._ready = self._ready, None
        candidates = ready.rows if ready and ready.article_ids == ids and isinstance(ready.rows, list) else None
        with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
            return session.execute_read(self._read, batch, ids, candidates)

    def prefetch(self, batch: Sequence[EventReport], article_ids: Sequence[str], reader: Executor) -> None:
        """Start reading the candidates of the batch after the one about to be resolved, on ``reader``:
        it must run between two writes (``settle`` before the next write)."""
        ids = list(article_ids)
        windows = window_params(search_windows(batch, self.rules))
        self._next = _Candidates(ids, windows, reader.submit(self._read_candidates, windows, ids))

    def settle(self) -> None:
        """Wait for the candidates being read (a read failed raises here, before anything is written)."""
        if self._next:
            _settled(self._next)

    def _read_candidates(self, windows: dict[str, Any], article_ids: list[str]) -> list[tuple[str, EventReport]]:
        with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
            return session.execute_read(lambda tx: _rows(tx, _CANDIDATES, **windows, article_ids=article_ids))

    def _read(self, tx: neo4j.ManagedTransaction, batch: Sequence[EventReport], article_ids: list[str],
              candidates: list[tuple[str, EventReport]] | None = None) -> Neighbourhood:
        if candidates is None:
            candidates = _rows(tx, _CANDIDATES, **window_params(search_windows(batch, self.rules)),
                               article_ids=article_ids)
        return self._around(tx, article_ids, *joined_events(candidates, batch, self.rules, self.rules.update_reach))

    def _around(self, tx: neo4j.ManagedTransaction, article_ids: list[str], events: set[str],
                free: set[MentionRef] | None) -> Neighbourhood:
        """The rest of the batch's neighbourhood, read: the events its articles reported before, and
        every other report of those and of ``events``, pinned but the ``free`` ones (``joined_events``)."""
        replaced: set[str] = set()
        days: set[str] = set()
        for rec in tx.run(queries.EVENTS_OF_ARTICLES, article_ids=article_ids):
            replaced.add(rec["event"])
            if day := calendar_day(rec["start"]):
                days.add(day.isoformat())
        stored = canonical(self._stored_rows(tx, event_ids=sorted(events | replaced), article_ids=article_ids))
        return Neighbourhood(stored, replaced, days, pinned=pins(stored, free, replaced))

    def _stored_rows(self, tx: neo4j.ManagedTransaction, **params: Any) -> list[tuple[str, EventReport]]:
        """``_rows`` of ``_STORED``, with the reports the batch before made of the same rows taken
        again: consecutive batches of the same days read most of the same events' reports back, and
        a report is a function of its row (``report_of_row``). Only the last batch's are kept, so
        the memory stays that of one batch."""
        made: dict[tuple[Any, ...], EventReport] = {}
        out = []
        for row in queries.collected_rows(tx, _STORED, **params):
            key = tuple(tuple(v) if isinstance(v, list) else v for v in (row[c] for c in STORED_FIELDS[1:]))
            report = made.get(key) or self._made.get(key) or report_of_row(row)
            made[key] = report
            out.append((row["event"], report))
        self._made = made
        return out

    def commit(self, assigned: Mapping[MentionRef, str], hood: Neighbourhood, batch: Sequence[EventReport],
               article_ids: Sequence[str]) -> None:
        """Once the batch's transaction committed: the next batch's candidates, if read before it, as
        they now are (the graph is read again only for this batch's own reports in their windows)."""
        ahead, self._next = self._next, None
        if ahead is None:
            return
        written = set(article_ids)
        rows = [(assigned.get(r.ref, event), r) for event, r in _settled(ahead) if r.article not in written]
        with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
            rows += session.execute_read(lambda tx: _rows(tx, _CANDIDATES_OF, windows=ahead.windows["windows"],
                                                          periods=ahead.windows["periods"],
                                                          only=sorted(written), article_ids=ahead.article_ids))
        self._ready = _Candidates(ahead.article_ids, ahead.windows, rows)


def _settled(candidates: _Candidates) -> list[tuple[str, EventReport]]:
    """The rows of ``candidates``, waited for."""
    if isinstance(candidates.rows, Future):
        candidates.rows = candidates.rows.result()
    return candidates.rows


def _rows(tx: neo4j.ManagedTransaction, query: str, **params: Any) -> list[tuple[str, EventReport]]:
    """(event id, report) of each row of a collected read of reports."""
    return [(row["event"], report_of_row(row)) for row in queries.collected_rows(tx, query, **params)]


def window_params(windows: Sequence[Mapping[str, str]]) -> dict[str, Any]:
    """``queries.CANDIDATE_REPORTS``'s parameters from ``search_windows``: ``spans``, the days of
    the windows of all reports merged whatever their type (each sought once), and ``windows``, each
    type's own; ``far`` and ``periods``, the same of the windows of reports naming a period."""
    params: dict[str, Any] = {}
    for reports, spans_key, windows_key in (("all", "spans", "windows"), ("period", "far", "periods")):
        chosen = [w for w in windows if w["reports"] == reports]
        by_type: dict[str, list[dict[str, str]]] = defaultdict(list)
        for w in chosen:
            by_type[w["type"]].append({"lo": w["lo"], "hi": w["hi"]})
        spans: list[dict[str, str]] = []
        for lo, hi in sorted((w["lo"], w["hi"]) for w in chosen):
            if spans and lo <= spans[-1]["hi"]:
                spans[-1]["hi"] = max(spans[-1]["hi"], hi)
            else:
                spans.append({"lo": lo, "hi": hi})
        params |= {spans_key: spans, windows_key: dict(by_type)}
    return params


REPORT_FIELDS = ("event", "article", "mention_id", "type", "participants", "start", "end", "published", "place",
                 "status", "modality", "legs", "trigger", "window_start", "window_end")
_CANDIDATES = queries.collected(queries.CANDIDATE_REPORTS, REPORT_FIELDS)
_CANDIDATES_OF = queries.collected(queries.CANDIDATE_REPORTS_OF_ARTICLES, REPORT_FIELDS)
STORED_FIELDS = (*REPORT_FIELDS, "evidence", "confidence")  # the event first
_STORED = queries.collected(queries.STORED_REPORTS, STORED_FIELDS)


def report_of_row(row: Mapping[str, Any]) -> EventReport:
    """A stored report from a row of ``_CANDIDATES`` (what resolution compares) or ``_STORED`` (all)."""
    event = Event(row["mention_id"], row["type"], tuple(row["participants"] or ()), calendar_day(row["start"]),
                  calendar_day(row["end"]), row.get("place"), row["status"], row.get("evidence") or "",
                  row.get("confidence") or 0.0, trigger=row.get("trigger"),  # a gathering's level (resolve._other_levels)
                  modality=row.get("modality") or "asserted", window=_window(row))
    return EventReport(row["article"], instant(row["published"]), event, row.get("legs") or 1)


def _window(row: Mapping[str, Any]) -> tuple[date, date] | None:
    first, last = calendar_day(row.get("window_start")), calendar_day(row.get("window_end"))
    return (first, last) if first and last else None


class LoadedReports:
    """The reports written by this load, in memory (valid only when the load began on a graph
    without reports, and is the only writer: ``kg load`` and ``kg update`` take the graph's lock);
    every chain of linkable reports followed, none pinned."""

    def __init__(self, rules: ResolutionRules) -> None:
        self.rules = rules
        self._event: dict[MentionRef, str] = {}
        self._report: dict[MentionRef, EventReport] = {}
        self._members: dict[str, set[MentionRef]] = defaultdict(set)
        self._by_article: dict[str, list[MentionRef]] = defaultdict(list)
        self._by_day: dict[tuple[str, date], list[MentionRef]] = defaultdict(list)

    @staticmethod
    def _anchor(report: EventReport) -> date | None:
        """The day ``CANDIDATE_REPORTS`` finds a report by: its first day, else its publication day."""
        return report.event.start or report.published_on

    def near(self, batch: Sequence[EventReport], article_ids: Sequence[str]) -> Neighbourhood:
        skip = set(article_ids)
        candidates: list[tuple[str, EventReport]] = []
        for w in search_windows(batch, self.rules):
            day, last = date.fromisoformat(w["lo"]), date.fromisoformat(w["hi"])
            while day <= last:
                candidates += [(self._event[ref], self._report[ref]) for ref in self._by_day.get((w["type"], day), ())
                               if ref[0] not in skip and in_window(w, self._report[ref])]
                day += timedelta(days=1)
        events, _ = joined_events(candidates, batch, self.rules, None)  # every chain: see the class
        replaced_refs = [ref for a in article_ids for ref in self._by_article.get(a, ())]
        replaced = {self._event[ref] for ref in replaced_refs}
        stored = [(e, self._report[ref]) for e in sorted(events | replaced) for ref in sorted(self._members[e])
                  if ref[0] not in skip]
        days = {d.isoformat() for ref in replaced_refs if (d := self._report[ref].event.start)}
        return Neighbourhood(stored, replaced, days, reloaded=any(a in self._by_article for a in article_ids))

    def commit(self, assigned: Mapping[MentionRef, str], hood: Neighbourhood, batch: Sequence[EventReport],
               article_ids: Sequence[str]) -> None:
        for article in article_ids:
            for ref in self._by_article.pop(article, []):
                self._forget(ref)
        for _, report in hood.stored:
            self._move(report.ref, assigned[report.ref])
        for report in batch:
            self._add(report, assigned[report.ref])

    def _add(self, report: EventReport, event: str) -> None:
        self._report[report.ref] = report
        self._event[report.ref] = event
        self._members[event].add(report.ref)
        self._by_article[report.article].append(report.ref)
        anchor = self._anchor(report)
        if anchor:
            self._by_day[(report.type, anchor)].append(report.ref)

    def _move(self, ref: MentionRef, event: str) -> None:
        old = self._event[ref]
        if old != event:
            self._drop_member(old, ref)
            self._members[event].add(ref)
            self._event[ref] = event

    def _drop_member(self, event: str, ref: MentionRef) -> None:
        self._members[event].discard(ref)
        if not self._members[event]:
            del self._members[event]

    def _forget(self, ref: MentionRef) -> None:
        report = self._report.pop(ref)
        self._drop_member(self._event.pop(ref), ref)
        anchor = self._anchor(report)
        if anchor:
            self._by_day[(report.type, anchor)].remove(ref)


def graph_has_reports(driver: neo4j.Driver, database: str | None = None) -> bool:
    """Does the graph hold any REPORTED_IN edge? (Answered from Neo4j's count store.)"""
    records, _, _ = driver.execute_query(queries.REPORTS_HELD, database_=database,
                                         routing_=neo4j.RoutingControl.READ)
    return bool(records[0]["n"])


def report_store(driver: neo4j.Driver, rules: ResolutionRules, database: str | None = None) -> ReportStore:
    """In memory for a load that begins on a graph without reports, else read back per batch."""
    return GraphReports(rules, driver, database) if graph_has_reports(driver, database) else LoadedReports(rules)
