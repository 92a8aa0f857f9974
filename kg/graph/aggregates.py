"""Monthly and yearly pre-aggregates, kept as nodes so the dashboard reads thousands of counters
instead of millions of edges (issue 7).

Two counters are declared in ``schema/graph.yaml``:

- ``PairCount`` - events two states took part in together, per event type and period, counted
  from ``INTERACTED_WITH`` (the Relations matrix);
- ``ActorCount`` - events a party took part in, per event type and period, counted from
  ``PARTICIPATED_IN`` (the Timeline chart and its list of actors).

A month is always recomputed from scratch from the edges dated in it (a range seek on the edge's
date index), never patched with deltas: its counters are rewritten and those no longer counted
deleted, so a refresh is idempotent and repairs whatever an earlier, interrupted one left. Each year is then rolled up from its months and all time from the years,
so a range of years sums a few counters per pair instead of 12 a year, and "all time" one. Events without a known day cannot be placed in a month and are
not counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby
from typing import Any

import neo4j

from kg.graph import cypher
from kg.graph.model import graph_model

ROWS_PER_STATEMENT = 1000
MONTH, YEAR, ALL = "month", "year", "all"  # ALL: one counter per group for all time, period "all"


@dataclass(frozen=True, slots=True)
class Counter:
    """One aggregate label: what it groups by and the query that counts one month of edges.

    ``count_month`` takes ``$first`` and ``$next`` (ISO days, next excluded) and ``$month``, and
    returns ``period`` (the month), the ``dims`` columns and ``events``.
    """

    label: str
    prefix: str  # of the node ids, which spell out period, type and the dims
    dims: tuple[str, ...]
    count_month: str


COUNTERS = (
    Counter("PairCount", "pair", ("type", "a", "b"), """
MATCH (x:Country)-[i:INTERACTED_WITH]->(y:Country)
USING INDEX i:INTERACTED_WITH(date)
WHERE i.date >= date($first) AND i.date < date($next)
RETURN $month AS period, i.type AS type, x.iso2 AS a, y.iso2 AS b, count(DISTINCT i.event) AS events
"""),
    Counter("ActorCount", "actor", ("type", "actor"), """
MATCH (x:Entity)-[p:PARTICIPATED_IN]->(e:Event)
USING INDEX p:PARTICIPATED_IN(start)
WHERE p.start >= date($first) AND p.start < date($next)
RETURN $month AS period, p.type AS type, x.id AS actor, count(DISTINCT e) AS events
"""),
)


def _delete_stale(counter: Counter) -> str:
    return f"MATCH (c:{counter.label} {{grain: $grain, period: $period}}) WHERE NOT c.id IN $ids DELETE c"


def _roll_up(counter: Counter) -> str:
    """Counters of one grain between two periods summed per dims (a year from its months, all
    time from the years)."""
    dims = ", ".join(f"c.{d} AS {d}" for d in counter.dims)
    return (f"MATCH (c:{counter.label}) WHERE c.grain = $grain AND c.period >= $first AND c.period <= $last\n"
            f"RETURN $period AS period, {dims}, sum(c.events) AS events")


def month_of(day: str | date) -> str:
    """``YYYY-MM`` of a day (an ISO string or a date)."""
    return (day.isoformat() if isinstance(day, date) else day)[:7]


def months_of(days: Iterable[str | date | None]) -> set[str]:
    """The months (``YYYY-MM``) the given days fall in; None (an undated event) is skipped,
    since such events are not aggregated."""
    return {month_of(d) for d in days if d}


def next_month(month: str) -> str:
    """The month after ``YYYY-MM``."""
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year + mon // 12:04d}-{mon % 12 + 1:02d}"


def months_between(first: str, last: str) -> Iterator[str]:
    """Every month from ``first`` to ``last`` (``YYYY-MM``, both included)."""
    month = first
    while month <= last:
        yield month
        month = next_month(month)


def counter_rows(counter: Counter, grain: str, counts: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Node rows for the loader's generated MERGE: one per period and group with at least one event."""
    return [{"id": ":".join([counter.prefix, c["period"], *(str(c[d] or "") for d in counter.dims)]),
             "grain": grain, "period": c["period"], **{d: c[d] for d in counter.dims}, "events": c["events"]}
            for c in counts if c["events"]]


def _replace(tx: neo4j.ManagedTransaction, counter: Counter, grain: str, period: str,
             counts: list[dict[str, Any]], run_id: str) -> int:
    """Write one period's counters (the generated MERGE, in batches) and delete those of it that
    are no longer counted, in one transaction. Deleting the whole period first and creating it
    again is slower: every later key lookup then has to skip the deleted nodes (a year's 18k
    counters took 10 s to write back that way, against about 1 s)."""
    rows = counter_rows(counter, grain, counts)
    upsert = cypher.upsert_nodes(graph_model().node(counter.label))
    for i in range(0, len(rows), ROWS_PER_STATEMENT):
        tx.run(upsert, rows=rows[i:i + ROWS_PER_STATEMENT], run_id=run_id).consume()
    tx.run(_delete_stale(counter), grain=grain, period=period, ids=[r["id"] for r in rows]).consume()
    return len(rows)


def _refresh_month(tx: neo4j.ManagedTransaction, month: str, run_id: str) -> int:
    first, after = f"{month}-01", f"{next_month(month)}-01"
    written = 0
    for counter in COUNTERS:
        counts = [r.data() for r in tx.run(counter.count_month, first=first, next=after, month=month)]
        written += _replace(tx, counter, MONTH, month, counts, run_id)
    return written


def _refresh_roll_up(tx: neo4j.ManagedTransaction, grain: str, period: str, run_id: str) -> int:
    """A year from its months, or all time (``ALL``) from the years."""
    source, first, last = (YEAR, "0000", "9999") if grain == ALL else (MONTH, f"{period}-01", f"{period}-12")
    written = 0
    for counter in COUNTERS:
        counts = [r.data() for r in tx.run(_roll_up(counter), grain=source, first=first, last=last, period=period)]
        written += _replace(tx, counter, grain, period, counts, run_id)
    return written


# Every month that has dated edges, or counters that may now be stale: the first and last edge
# day come from the index (ordered, LIMIT 1), the counters' months from their own index.
_KNOWN_MONTHS = """
CALL () { MATCH ()-[p:PARTICIPATED_IN]->() WHERE p.start IS NOT NULL
          RETURN p.start AS day ORDER BY p.start LIMIT 1
          UNION
          MATCH ()-[p:PARTICIPATED_IN]->() WHERE p.start IS NOT NULL
          RETURN p.start AS day ORDER BY p.start DESC LIMIT 1 }
RETURN toString(day) AS day
UNION
MATCH (c:ActorCount|PairCount) WHERE c.grain = 'month' AND c.period IS NOT NULL
RETURN DISTINCT c.period + '-01' AS day
"""


def _all_months(session: neo4j.Session) -> list[str]:
    days = [r["day"] for r in session.run(_KNOWN_MONTHS)]
    months = months_of(days)
    return list(months_between(min(months), max(months))) if months else []


def refresh_aggregates(driver: neo4j.Driver, months: Iterable[str] | None, *, run_id: str,
                       database: str | None = None) -> int:
    """Recompute the counters of the given months (``YYYY-MM``; None: every month from the first
    to the last dated event, and any month that still has counters), then the roll-ups of their
    years and of all time. Each month and each year's roll-up is one write transaction, so
    readers never see a period half replaced. Returns the number of counter nodes written.

    The caller passes every month whose events changed - including the month an event left when
    its day changed or it was deleted (``months_of`` of the old and new days).
    """
    written = 0
    with driver.session(database=database) as session:
        wanted = sorted(set(months)) if months is not None else _all_months(session)
        for year, year_months in groupby(wanted, key=lambda m: m[:4]):
            for month in year_months:  # a year at once outgrew the transaction memory at 100k articles
                written += session.execute_write(_refresh_month, month, run_id)
            written += session.execute_write(_refresh_roll_up, YEAR, year, run_id)
        if wanted:
            written += session.execute_write(_refresh_roll_up, ALL, ALL, run_id)
    return written


PENDING_ID = "aggregates"

_PENDING_MONTHS = "MATCH (p:PendingRefresh {id: $id}) RETURN p.months AS months"

_CLEAR_PENDING = """
MATCH (p:PendingRefresh {id: $id})
SET p.months = [m IN p.months WHERE NOT m IN $months]
WITH p WHERE size(p.months) = 0
DELETE p
"""


def mark_pending(tx: neo4j.ManagedTransaction, months: Iterable[str], run_id: str) -> None:
    """Record, in the transaction that changes them, the months whose counters are now stale."""
    rows = [{"id": PENDING_ID, "months": sorted(set(months))}]
    if rows[0]["months"]:
        tx.run(cypher.upsert_nodes(graph_model().node("PendingRefresh")), rows=rows, run_id=run_id).consume()


def refresh_pending(driver: neo4j.Driver, *, run_id: str, database: str | None = None) -> int:
    """Refresh the months loads have marked stale (``mark_pending``), this one's and any an
    interrupted load left, then clear them. Returns the number of counter nodes written."""
    records, _, _ = driver.execute_query(_PENDING_MONTHS, id=PENDING_ID, database_=database,
                                         routing_=neo4j.RoutingControl.READ)
    months = sorted(records[0]["months"] or []) if records else []
    if not months:
        return 0
    written = refresh_aggregates(driver, months, run_id=run_id, database=database)
    driver.execute_query(_CLEAR_PENDING, id=PENDING_ID, months=months, database_=database)
    return written


# --- Reading: which counters and which raw days make up a date range ------------------------------

_MIN_MONTH, _MAX_MONTH = "0000-01", "9999-12"


@dataclass(frozen=True, slots=True)
class Cover:
    """A date range split into what the counters answer and what they cannot.

    ``periods``: ``{grain, first, last}`` ranges of whole months or whole years (ISO period
    strings, both included); ``days``: ``{first, last}`` ISO days of the partial months at the
    ends, to count from the raw edges. Together they cover the range exactly once.
    """

    periods: tuple[dict[str, str], ...]
    days: tuple[dict[str, str], ...]

    def params(self) -> dict[str, Any]:
        return {"periods": list(self.periods), "days": list(self.days)}


def _last_day(month: str) -> date:
    return date.fromisoformat(f"{next_month(month)}-01") - timedelta(days=1)


def _prev_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year - (mon == 1):04d}-{(mon - 2) % 12 + 1:02d}"


def _month_ranges(first: str, last: str, coarsest: str) -> list[dict[str, str]]:
    """Whole months ``first..last`` as counter ranges: whole years as year counters when
    ``coarsest`` is ``year``, the months around them as month counters."""
    if first > last:
        return []
    first_year = int(first[:4]) + (first[5:] != "01")
    last_year = int(last[:4]) - (last[5:] != "12")
    if coarsest == MONTH or first_year > last_year:
        return [{"grain": MONTH, "first": first, "last": last}]
    out = [{"grain": YEAR, "first": f"{first_year:04d}", "last": f"{last_year:04d}"}]
    if first < f"{first_year:04d}-01":
        out.insert(0, {"grain": MONTH, "first": first, "last": f"{first_year - 1:04d}-12"})
    if last > f"{last_year:04d}-12":
        out.append({"grain": MONTH, "first": f"{last_year + 1:04d}-01", "last": last})
    return out


def cover(start: date | None, end: date | None, coarsest: str = YEAR) -> Cover:
    """Split the inclusive range ``start..end`` (None: unbounded) into counters and raw days.
    Undated events fall outside every cover: they are not aggregated."""
    if start is None and end is None:
        return Cover(({"grain": ALL, "first": ALL, "last": ALL},) if coarsest == YEAR else
                     ({"grain": MONTH, "first": _MIN_MONTH, "last": _MAX_MONTH},), ())
    if start and end and start > end:
        return Cover((), ())
    days = []
    first = _MIN_MONTH if start is None else month_of(start)
    last = _MAX_MONTH if end is None else month_of(end)
    if start and end and first == last and (start.day != 1 or end != _last_day(last)):
        return Cover((), ({"first": start.isoformat(), "last": end.isoformat()},))
    if start and start.day != 1:
        days.append({"first": start.isoformat(), "last": _last_day(first).isoformat()})
        first = next_month(first)
    if end and end != _last_day(last):
        days.append({"first": f"{last}-01", "last": end.isoformat()})
        last = _prev_month(last)
    return Cover(tuple(_month_ranges(first, last, coarsest)), tuple(days))
