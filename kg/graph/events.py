"""What an event is, computed from its reports (pure): the Event node's properties, its parties,
its place and the edges derived from them.

An Event node is a summary of the REPORTED_IN edges that point at it. The loader computes that
summary here, in Python, for every event a batch of articles changes, and writes the result with
plain ``UNWIND ... CREATE``/``MERGE`` statements; recomputing it in Cypher took a handful of
aggregating statements per batch and was most of the loader's time.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from sys import intern
from typing import Any

from kg.graph.aggregates import CounterKey, counted
from kg.graph.rows import PARTY_LABELS, EventParties, derived_rows, label_of
from kg.records import ArticleExtraction
from kg.resolve import Mention, MentionRef, calendar_day, make_mention

RelRows = dict[tuple[str, str, str], list[dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class Report:
    """One article's report of an event: what a REPORTED_IN edge holds, plus the article's
    publication time (the latest report sets the event's status), and the report as event
    resolution sees it (``mention``, computed once: it is compared batch after batch).

    Slotted: a first load keeps every report it wrote in memory (``kg.graph.stored``), ~330k of
    them for 100k articles."""

    article: str
    mention_id: str
    type: str
    start: str | None  # ISO day
    end: str | None
    place: str | None
    evidence: str | None
    confidence: float | None
    status: str | None
    participants: tuple[str, ...]  # persons, states and organisations only
    published: datetime | None  # timezone-aware
    mention: Mention = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "mention", make_mention(self.article, self.mention_id, self.type, self.participants,
                                                         self.start, self.end, self.published))

    @property
    def ref(self) -> MentionRef:
        return (self.article, self.mention_id)


def instant(value: Any) -> datetime | None:
    """A publication time as an aware datetime (ISO text or a Neo4j DateTime; UTC when no zone is given,
    as Neo4j's ``datetime()`` assumes), so reports from the graph and from the input compare."""
    if value is None or value == "":
        return None
    if hasattr(value, "to_native"):
        value = value.to_native()
    if not isinstance(value, datetime):  # Neo4j's text of a time in a named zone ends in "[Area/City]"
        value = datetime.fromisoformat(str(value).partition("[")[0])
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def iso_day(value: Any) -> str | None:
    """An ISO day from ISO text, a date or a Neo4j Date."""
    day = calendar_day(value)
    return day.isoformat() if day else None


def reports_of(extractions: Iterable[ArticleExtraction]) -> list[Report]:
    """The reports of a batch of extractions, one per (article, mention id): when an article gives
    one mention id twice, the last one stands, as for its REPORTED_IN edge (``graph_rows``).

    The texts that repeat from report to report (types, days, places, party ids) are interned:
    a first load keeps every report in memory, and with one object per distinct text the 100k
    benchmark archive's reports held 740 MB instead of 970 MB."""
    out: dict[MentionRef, Report] = {}
    for ex in extractions:
        published = instant(ex.article.get("published"))
        for ev in ex.events:
            report = Report(ex.article["id"], ev.id, intern(ev.type), interned(ev.start), interned(ev.end),
                            interned(ev.place), ev.evidence, ev.confidence, interned(ev.status),
                            tuple(intern(p) for p in ev.participants if label_of(p) in PARTY_LABELS), published)
            out[report.ref] = report
    return list(out.values())


def interned(text: str | None) -> str | None:
    """``sys.intern`` that lets None through."""
    return None if text is None else intern(text)


def _best(reports: Sequence[Report]) -> Report:
    """The most precise report: both days known first, then the most confident (ties: article, mention)."""
    return min(reports, key=lambda r: (-((r.start is not None) + (r.end is not None)), -(r.confidence or 0.0),
                                       r.article, r.mention_id))


def _latest(reports: Sequence[Report]) -> Report:
    """The report of the most recently published article (ties: article, mention); undated articles
    count as the oldest."""
    oldest = datetime.min.replace(tzinfo=UTC)
    newest = max(r.published or oldest for r in reports)
    return min((r for r in reports if (r.published or oldest) == newest), key=lambda r: r.ref)


def event_start(reports: Sequence[Report]) -> str | None:
    """The Event node's first day (``event_node``'s ``start``) alone."""
    return _best(reports).start


def event_node(event_id: str, reports: Sequence[Report]) -> dict[str, Any]:
    """The Event node's properties: days, place and evidence from the most precise report, status
    from the latest one, sources = distinct articles."""
    best, latest = _best(reports), _latest(reports)
    return {"id": event_id, "type": best.type, "start": best.start, "end": best.end, "place": best.place,
            "evidence": best.evidence, "confidence": best.confidence, "status": latest.status,
            "sources": len({r.article for r in reports})}


@dataclass
class EventRows:
    """The rows that write a set of events: their nodes, the edges to create and the stale edges
    to delete (rel type -> ``{"event", "drop": {from id: [to ids]}}``, ``cypher.DROP_EVENT_EDGES``),
    and what the change does to the dashboard's counters (``kg.graph.aggregates.counted``)."""

    nodes: list[dict[str, Any]]
    rels: RelRows
    stale: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    counts: Counter[CounterKey] = field(default_factory=Counter)


def event_edges(event_id: str, node: Mapping[str, Any], reports: Sequence[Report],
                contact_types: frozenset[str]) -> RelRows:
    """The edges one event's reports give: PARTICIPATED_IN (the union of the reports' parties),
    HELD_IN and the derived MET and INTERACTED_WITH pairs; ``node`` is its ``event_node``."""
    rels: RelRows = defaultdict(list)
    who = tuple(sorted({p for r in reports for p in r.participants}))
    for pid in who:
        rels[("PARTICIPATED_IN", label_of(pid) or "Entity", "Event")].append(
            {"from": pid, "to": event_id, "start": node["start"], "end": node["end"], "type": node["type"]})
    if node["place"]:
        rels[("HELD_IN", "Event", "Entity")].append({"from": event_id, "to": node["place"]})
    for key, rows in derived_rows([EventParties(event_id, node["type"], node["start"], who)], contact_types).items():
        rels[key] += rows
    return rels


def _identity(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(sorted(row.items()))


def event_rows(events: Mapping[str, Sequence[Report]], contact_types: frozenset[str],
               previous: Mapping[str, Sequence[Report]] | None = None) -> EventRows:
    """Nodes and edges (``event_edges``) of every event in ``events`` (event id -> all its reports).

    For an event in ``previous`` (event id -> the reports whose edges the graph holds) only the
    difference is written: the edges its old reports did not give are created, those its new
    reports no longer give are deleted (``stale``), the others stay. In a dense archive a
    week-long summit with dozens of parties gains a report in batch after batch; writing its
    edges whole each time made half of all the edges written (a 100k archive's months)."""
    previous = previous or {}
    nodes = []
    rels: RelRows = defaultdict(list)
    stale: dict[str, list[dict[str, Any]]] = defaultdict(list)
    counts: Counter[CounterKey] = Counter()
    for event_id in sorted(events):
        node = event_node(event_id, events[event_id])
        nodes.append(node)
        new = event_edges(event_id, node, events[event_id], contact_types)
        old: RelRows = {}
        if event_id in previous:
            old = event_edges(event_id, event_node(event_id, previous[event_id]), previous[event_id], contact_types)
        for key, rows in new.items():
            held = {_identity(row) for row in old.get(key, ())}
            rels[key] += [row for row in rows if _identity(row) not in held] if held else rows
        for key, rows in old.items():
            kept = {_identity(row) for row in new.get(key, ())}
            drop: dict[str, list[str]] = defaultdict(list)
            for row in rows:
                if _identity(row) not in kept:
                    drop[row["from"]].append(row["to"])
            if drop:
                stale[key[0]].append({"event": event_id, "drop": dict(drop)})
        counts.update(counted(new))
        counts.subtract(counted(old))
    return EventRows(nodes, rels, dict(stale), Counter({k: n for k, n in counts.items() if n}))
