"""Monthly and yearly pre-aggregates, kept as nodes so the dashboard reads thousands of counters
instead of millions of edges.

Three counters are declared in ``schema/graph.yaml`` (``counters``: what each counts and groups
by; the statements that count, read and write them are generated from it):

- ``PairCount`` - events two states took part in together, per event type and period, counted
  from ``INTERACTED_WITH`` (the Relations matrix);
- ``StateCount`` - a state's shared events summed over its partners, per event type and period:
  the Relations matrix ranks the states by it without summing every pair;
- ``ActorCount`` - events a party took part in, per event type and period, counted from
  ``PARTICIPATED_IN`` (the Timeline chart and its list of actors).

Two ways keep them true to the edges:

- **Deltas** (``counted``, ``add_deltas``): the loader knows each event's edges before and
  after a batch, so it knows what the batch adds to and takes from every month counter, and adds
  that to the months, the years and all time in one transaction beside its last batch's write
  (marking that batch's months pending in it: ``kg.graph.load``) or at the end of the load
  (``update_counters``) - or, when the deltas outgrew ``MAX_DELTAS`` and were written during the
  load (``flush_counters``), to the months, whose years and all time are then rolled up again.
  An update scattered over an archive of years touches most months but few counters of each, so
  adding its deltas costs far less than counting those months again (``benchmarks/README.md``).
- **A recount** (``refresh_aggregates``): a month is counted again from the edges dated in it (a
  range seek on the edge's date index), the counters whose number changed are rewritten and those
  no longer counted deleted; each year is then rolled up from its months and all time from the
  years. Idempotent, so it repairs whatever an interrupted load left. Used where a batch replaced
  reports whose edges it did not know (articles loaded again), for the months a load marks stale
  and did not get to bring up to date (``mark_pending``), and by ``kg import-rdf``.

A range of years sums a few counters per pair instead of 12 a year, and "all time" one. Events
without a known day cannot be placed in a month and are not counted.
"""

from __future__ import annotations

from collections import Counter as Tally
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import neo4j

from kg import queries
from kg.graph import cypher
from kg.graph.model import CounterType, graph_model
from kg.graph.periods import ALL, MONTH, YEAR, month_of, months_between, months_of, next_month

ROWS_PER_STATEMENT = 1000
# Periods share a transaction until this many counters have been counted: a small archive's decade
# then takes a few transactions, and a large archive stays at about one month per transaction (a
# whole year of a large archive outgrows Neo4j's transaction memory).
COUNTED_PER_TRANSACTION = 20_000
# Month counters' deltas a load keeps in memory before it writes them: bounds the load's memory
# when it changes more counters than that (a first load of a large archive changes millions).
MAX_DELTAS = 200_000


def counters() -> tuple[CounterType, ...]:
    """The counters of ``schema/graph.yaml``, in the order declared (a sum after what it sums)."""
    return tuple(graph_model().counters.values())


CounterKey = tuple[str, str, tuple[str, ...]]  # (counter label, month, the counter's dims in order)


def _iso2(country_id: str) -> str:
    return country_id.partition(":")[2]


def counted(rels: Mapping[tuple[str, str, str], Iterable[Mapping[str, Any]]]) -> Tally[CounterKey]:
    """What a set of events' edges (``kg.graph.event_summary.event_edges``) adds to the month counters,
    as ``counters()`` count them from the graph: one per event for each pair of states (PairCount,
    and StateCount for each of the two), one per event for each party (ActorCount). Undated edges
    are not counted."""
    pairs = {(r["event"], month_of(r["date"]), r["type"], _iso2(r["from"]), _iso2(r["to"]))
             for r in rels.get(("INTERACTED_WITH", "Country", "Country"), ()) if r["date"]}
    parties = {(r["to"], month_of(r["start"]), r["type"], r["from"])
               for (rel, _, _), rows in rels.items() if rel == "PARTICIPATED_IN" for r in rows if r["start"]}
    out: Tally[CounterKey] = Tally()
    for _, month, type_, a, b in pairs:
        out[("PairCount", month, (type_, a, b))] += 1
        out[("StateCount", month, (type_, a))] += 1
        out[("StateCount", month, (type_, b))] += 1
    out.update(("ActorCount", month, (type_, actor)) for _, month, type_, actor in parties)
    return out


def _counted(counter: CounterType, query: str) -> str:
    return queries.collected(query, ("period", *counter.dim_names, "events"))


def counter_rows(counter: CounterType, grain: str, counts: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Node rows for the loader's generated MERGE: one per period and group with at least one event."""
    dims = counter.dim_names
    return [{"id": ":".join([counter.id_prefix, c["period"], *(str(c[d] or "") for d in dims)]),
             "grain": grain, "period": c["period"], **{d: c[d] for d in dims}, "events": c["events"]}
            for c in counts if c["events"]]


def _replace(tx: neo4j.ManagedTransaction, counter: CounterType, grain: str, period: str,
             counts: list[dict[str, Any]], run_id: str) -> int:
    """Bring one period's counters to ``counts``: write those whose number changed (the generated
    MERGE, in batches) and delete those no longer counted. Returns how many were written or
    deleted.

    An update scattered over a ten-year archive touches every month but few of each month's
    counters, so comparing with the stored numbers first saves nearly all the writes. Deleting
    the whole period and creating it again would be slower still: every later key lookup then has
    to skip the deleted nodes.
    """
    rows = counter_rows(counter, grain, counts)
    stored = {r["id"]: r["events"] for r in queries.collected_rows(tx, queries.stored_counters(counter), grain=grain, period=period)}
    changed = [r for r in rows if stored.get(r["id"]) != r["events"]]
    gone = sorted(stored.keys() - {r["id"] for r in rows})
    upsert = cypher.upsert_nodes(graph_model().node(counter.label))
    for i in range(0, len(changed), ROWS_PER_STATEMENT):
        tx.run(upsert, rows=changed[i:i + ROWS_PER_STATEMENT], run_id=run_id).consume()
    for i in range(0, len(gone), ROWS_PER_STATEMENT):
        tx.run(cypher.delete_counters(counter), ids=gone[i:i + ROWS_PER_STATEMENT]).consume()
    return len(changed) + len(gone)


def _recount(tx: neo4j.ManagedTransaction, counter: CounterType, grain: str, period: str) -> list[dict[str, Any]]:
    """The counts of one period: a month from its edges, a year from its months, all time from the years."""
    if grain == MONTH:
        return queries.collected_rows(tx, _counted(counter, queries.count_month(counter, graph_model())), month=period,
                     first=f"{period}-01", next=f"{next_month(period)}-01")
    source, first, last = (YEAR, "0000", "9999") if grain == ALL else (MONTH, f"{period}-01", f"{period}-12")
    return queries.collected_rows(tx, _counted(counter, queries.roll_up_counters(counter)), grain=source, first=first, last=last, period=period)


def _refresh_periods(tx: neo4j.ManagedTransaction, periods: list[tuple[str, str]], run_id: str) -> tuple[int, int]:
    """Recount ``(grain, period)`` in order until ``COUNTED_PER_TRANSACTION`` counters have been
    counted. Returns how many periods were done and how many counters written or deleted."""
    done = written = counted = 0
    while done < len(periods) and counted < COUNTED_PER_TRANSACTION:
        grain, period = periods[done]
        for counter in counters():
            counts = _recount(tx, counter, grain, period)
            counted += len(counts)
            written += _replace(tx, counter, grain, period, counts, run_id)
        done += 1
    return done, written


def _all_months(session: neo4j.Session) -> list[str]:
    days = [r["day"] for r in session.run(queries.known_months(graph_model()))]
    months = months_of(days)
    return list(months_between(min(months), max(months))) if months else []


def refresh_aggregates(driver: neo4j.Driver, months: Iterable[str] | None, *, run_id: str,
                       database: str | None = None, years: Iterable[str] = ()) -> int:
    """Recompute the counters of the given months (``YYYY-MM``; None: every month from the first
    to the last dated event, and any month that still has counters), then the roll-ups of their
    years (and of ``years``: those whose months got deltas) and of all time. A period is never
    split between transactions (small ones share one, see ``COUNTED_PER_TRANSACTION``), so readers
    never see a period half replaced. Returns the number of counter nodes written or deleted: 0
    when the counters already agreed with the edges.

    The caller passes every month whose events changed - including the month an event left when
    its day changed or it was deleted (``months_of`` of the old and new days).
    """
    written = 0
    with driver.session(database=database) as session:
        wanted = sorted(set(months)) if months is not None else _all_months(session)
        rolled = sorted({m[:4] for m in wanted} | set(years))
        periods = ([(MONTH, m) for m in wanted] + [(YEAR, y) for y in rolled]
                   + [(ALL, ALL)] * bool(rolled))  # each roll-up after the periods it sums
        while periods:
            done, changed = session.execute_write(_refresh_periods, periods, run_id)
            periods, written = periods[done:], written + changed
    return written


PENDING_ID = "aggregates"


def mark_pending(tx: neo4j.ManagedTransaction, months: Iterable[str], run_id: str) -> None:
    """Record, in the transaction that changes them, the months whose counters are now stale."""
    rows = [{"id": PENDING_ID, "months": sorted(set(months))}]
    if rows[0]["months"]:
        tx.run(cypher.upsert_nodes(graph_model().node("PendingRefresh")), rows=rows, run_id=run_id).consume()


@dataclass
class CounterChanges:
    """What a load does to the counters: the deltas of its batches to the month counters
    (``counted``), the months to count again from their edges instead - where a batch's old edges
    were not known, and those an earlier load marked stale and did not bring up to date
    (``pending_months``) - and the years whose months got deltas written before the end
    (``flush_counters``), to roll up again at the end."""

    deltas: Tally[CounterKey] = field(default_factory=Tally)
    recount: set[str] = field(default_factory=set)
    rolled: set[str] = field(default_factory=set)

    def add(self, months: Iterable[str], deltas: Mapping[CounterKey, int] | None) -> None:
        """One batch's changes: its deltas, or None to count its ``months`` again."""
        if deltas is None:
            self.recount.update(months)
        else:
            self.deltas.update(deltas)

    @property
    def full(self) -> bool:
        """Are there enough deltas to write them now (``MAX_DELTAS``)?"""
        return len(self.deltas) >= MAX_DELTAS

    @property
    def years(self) -> set[str]:
        """The years rolled up again from their months at the end instead of given deltas."""
        return self.rolled | {m[:4] for m in self.recount}

    def take(self) -> CounterChanges:
        """The deltas kept so far, moved to changes of their own (with the months and years counted
        again at the end, which their writing skips): to be written while the load goes on."""
        taken = CounterChanges(self.deltas, set(self.recount), set(self.rolled))
        self.deltas = Tally()
        return taken


def pending_months(driver: neo4j.Driver, database: str | None = None) -> set[str]:
    """The months loads marked stale (``mark_pending``) and did not bring up to date."""
    records, _, _ = driver.execute_query(queries.PENDING_MONTHS, id=PENDING_ID, database_=database,
                                         routing_=neo4j.RoutingControl.READ)
    return set(records[0]["months"] or []) if records else set()


_PERIOD_OF: dict[str, Callable[[str], str]] = {MONTH: lambda month: month, YEAR: lambda month: month[:4],
                                               ALL: lambda month: ALL}


def counter_row(label: str, grain: str, period: str, dims: tuple[str, ...], value: str, n: int) -> dict[str, Any]:
    """The row of one counter node, its number under ``value`` (``delta`` to add, ``events`` to
    write whole, ``kg.graph.bulk``)."""
    counter = graph_model().counters[label]
    return {"id": ":".join([counter.id_prefix, period, *dims]), "grain": grain, "period": period,
            **dict(zip(counter.dim_names, dims, strict=True)), value: n}


def period_rows(deltas: Mapping[CounterKey, int], grain: str,
                skip: Container[str] = ()) -> Iterator[dict[str, list[dict[str, Any]]]]:
    """The month deltas summed into the periods of ``grain`` (a month itself, its year or all
    time), one period at a time as rows per counter label; periods in ``skip`` are left out."""
    period_of = _PERIOD_OF[grain]
    summed: dict[str, Tally[tuple[str, tuple[str, ...]]]] = defaultdict(Tally)
    for (label, month, dims), delta in deltas.items():
        period = period_of(month)
        if period not in skip:
            summed[period][(label, dims)] += delta
    for period in sorted(summed):
        by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for (label, dims), delta in sorted(summed.pop(period).items()):
            if delta:
                by_label[label].append(counter_row(label, grain, period, dims, "delta", delta))
        yield by_label


def _add_periods(tx: neo4j.ManagedTransaction, periods: list[dict[str, list[dict[str, Any]]]], run_id: str,
                 stale: Iterable[str] = ()) -> None:
    """The rows of all the periods, in statements of ``ROWS_PER_STATEMENT`` rows per label, not one
    statement per period: an update scattered over ten years changes a few counters of each of 120
    months. ``stale``: months to mark pending in the same transaction (``mark_pending``)."""
    rows_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for by_label in periods:
        for label, rows in by_label.items():
            rows_of[label] += rows
    for label, rows in rows_of.items():
        query = cypher.add_to_counters(graph_model().counters[label])
        for i in range(0, len(rows), ROWS_PER_STATEMENT):
            tx.run(query, rows=rows[i:i + ROWS_PER_STATEMENT], run_id=run_id).consume()
    mark_pending(tx, stale, run_id)


def _write_deltas(driver: neo4j.Driver, periods: Iterable[dict[str, list[dict[str, Any]]]], run_id: str,
                  database: str | None, stale: Iterable[str] = ()) -> int:
    """Add the rows of each period, a period never split between transactions (small periods share
    one, up to ``COUNTED_PER_TRANSACTION`` rows), so readers never see a period half updated; the
    first transaction marks the months ``stale`` pending. Returns the number of rows."""
    written = 0
    with driver.session(database=database) as session:
        pending: list[dict[str, list[dict[str, Any]]]] = []
        size = 0
        for by_label in chain(periods, [None]):
            rows = _size(by_label) if by_label is not None else 0
            if pending and (by_label is None or size + rows > COUNTED_PER_TRANSACTION):
                session.execute_write(_add_periods, pending, run_id, stale)
                pending, written, size, stale = [], written + size, 0, ()
            if by_label:
                pending.append(by_label)
                size += rows
    return written


def flush_counters(driver: neo4j.Driver, changes: CounterChanges, *, run_id: str, database: str | None = None) -> int:
    """Write the month deltas kept so far and forget them, so a load's memory stays bounded (the
    first load of a large archive changes millions of month counters); their years and all time are rolled
    up again at the end (``update_counters``). Returns the number of rows written."""
    written = _write_deltas(driver, period_rows(changes.deltas, MONTH, changes.recount), run_id, database)
    changes.rolled.update(month[:4] for _, month, _ in changes.deltas)
    changes.deltas.clear()
    return written


def add_deltas(driver: neo4j.Driver, changes: CounterChanges, *, run_id: str, database: str | None = None,
               stale: Iterable[str] = ()) -> int:
    """Add the deltas kept so far to their months, and to their years and all time unless those are
    rolled up again at the end (``CounterChanges.years``), and forget them: the three grains in the
    same transactions (one for a daily update's few thousand rows). ``stale``: the months to mark
    pending in the first of them, when the deltas are sent before the edges they count committed
    (``kg.graph.load`` sends the load's deltas beside its last batch's write): a write that then
    fails leaves them pending, and the next load counts them again. Returns the number of rows."""
    years = changes.years
    periods = chain(period_rows(changes.deltas, MONTH, changes.recount), period_rows(changes.deltas, YEAR, years),
                    () if years else period_rows(changes.deltas, ALL))
    written = _write_deltas(driver, periods, run_id, database, stale)
    changes.deltas.clear()
    return written


def update_counters(driver: neo4j.Driver, changes: CounterChanges, *, run_id: str, database: str | None = None) -> int:
    """Bring the counters up to date at the end of a load: add the deltas it still keeps
    (``add_deltas``); count again the months it could not give deltas for and roll up the years
    that need it (``refresh_aggregates``); then clear the months marked stale. Returns the number of
    counter rows written."""
    years = changes.years
    written = add_deltas(driver, changes, run_id=run_id, database=database)
    if years:
        written += refresh_aggregates(driver, changes.recount, run_id=run_id, database=database, years=years)
    stale = pending_months(driver, database)
    if stale:
        driver.execute_query(cypher.CLEAR_PENDING, id=PENDING_ID, months=sorted(stale), database_=database)
    return written


def _size(by_label: Mapping[str, list[dict[str, Any]]]) -> int:
    return sum(len(rows) for rows in by_label.values())
