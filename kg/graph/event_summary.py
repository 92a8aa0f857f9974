"""What an event is, computed from its reports (pure): the Event node's properties, its parties,
its place and the edges derived from them.

- Days: the day most of its dated reports agree on (a report of a range supports each day of it),
  and the last day the reports of that first day give. An event no report dates gets a window
  instead (``earliest``/``latest``): an occurred report says it happened before the report was
  published, a planned one that it comes after.
- Status: a lifecycle read in publication order. A cancellation stands unless a later report
  tells the day it happened after all (an undated past tense after a cancellation is a recollection
  or a hypothesis: 如果此次访台成行), and one reported after a report published after the event's last
  day gave the day it happened undoes nothing; "occurred" counts only from a report published on or after the event's
  first day (a past tense before it is a plan misread); speculative and background reports
  (``kg.records.Event.modality``) set nothing. When each status was first reported is kept.
- Place: for events held somewhere (``venue_types``), the country most of its reports place it
  in, and in it the place most of them name or name a region of (Alaska for Anchorage); a report's
  topic region or dateline loses the vote.
- Parties: those named by at least ``party_min_reports`` of its reports, and a gathering's members
  its fullest report lists (more than ``many_states`` states beside an organisation).

An Event node is a summary of the REPORTED_IN edges that point at it. The loader computes that
summary here, in Python, for every event a batch of articles changes, and writes the result with
plain ``UNWIND ... CREATE``/``MERGE`` statements; recomputing it in Cypher took a handful of
aggregating statements per batch and was most of the loader's time.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from kg.graph.aggregates import CounterKey, counted
from kg.graph.rows import EventParties, derived_rows, label_of
from kg.records import EventReport, iso
from kg.resolve import (
    BACKGROUND,
    SPECULATIVE,
    ResolutionRules,
    place_country,
    regions,
    report_key,
)

RelRows = dict[tuple[str, str, str], list[dict[str, Any]]]


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


def calendar_day(value: Any) -> date | None:
    """The calendar day of a date, a datetime, ISO text or a Neo4j Date / DateTime."""
    if value is None or value == "":
        return None
    if hasattr(value, "to_native"):
        value = value.to_native()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _best(reports: Sequence[EventReport]) -> EventReport:
    """The most precise report: both days known first, then the most confident (ties: article, mention)."""
    return min(reports, key=lambda r: (-((r.event.start is not None) + (r.event.end is not None)),
                                       -(r.event.confidence or 0.0), r.ref))


def _days(reports: Sequence[EventReport]) -> tuple[date | None, date | None]:
    """The event's first and last day: the earliest day that half as many dated reports give as
    the day most give (ties: the day more reports' ranges cover, then the earliest) - reports of a
    summit or a visit date the day they tell of, and more tell the closing day than the opening -
    and the last day the reports starting on it give.
    A sentence listing the k legs of a tour gives the tour's days: it counts 1/k for each leg
    (``EventReport.legs``), its range covers no day of the leg in particular, and the leg's own
    reports alone give its last day."""
    dated = [r for r in reports if r.event.start]
    if not dated:
        return None, None
    starts: defaultdict[date, float] = defaultdict(float)
    for r in dated:
        starts[r.event.start] += 1 / r.legs  # type: ignore[index]

    def support(day: date) -> tuple[float, float, date]:
        covered = sum(1 for r in dated if r.legs == 1 and r.event.start <= day <= r.event.last)  # type: ignore[operator]
        return (-starts[day], -covered, day)

    best = min(starts, key=support)
    first = min(day for day in starts if 2 * starts[day] >= starts[best])
    own = [r.event.last for r in dated if r.event.start == first and r.legs == 1]
    return first, max(own, default=first)  # type: ignore[type-var]


def event_start(reports: Sequence[EventReport]) -> date | None:
    """The Event node's first day (``event_node``'s ``start``) alone."""
    return _days(reports)[0]


def _in_publication_order(reports: Iterable[EventReport]) -> list[EventReport]:
    """Undated articles count as the oldest (ties: article, mention)."""
    oldest = datetime.min.replace(tzinfo=UTC)
    return sorted(reports, key=lambda r: (r.published or oldest, r.ref))


def lifecycle(reports: Sequence[EventReport], first_day: date | None, last_day: date | None = None) -> dict[str, Any]:
    """``status`` and the day each status was first reported (``planned_reported`` ...), from the
    asserted reports in publication order: planned until a report says otherwise, cancelled by a
    cancellation until a later report gives the day it happened after all, occurred from a report
    published on or after the first day. Once a report published after the last day tells the day
    it happened, a later cancellation does not undo it (it is another event's, or misread).
    Without asserted reports: occurred when some report recalls it as background, else speculative."""
    status: str | None = None
    seen: dict[str, date | None] = {}
    done = False
    for r in _in_publication_order(r for r in reports if r.event.modality not in (SPECULATIVE, BACKGROUND)):
        day = r.published_on
        said = _said(r, first_day)
        if (said == "occurred" and status == "cancelled" and r.event.start is None) or (said == "cancelled" and done):
            continue  # a cancellation stands unless a report tells the day it happened after all
        done = done or (said == "occurred" and r.event.start is not None and day is not None
                        and day > (last_day or first_day or day))
        seen.setdefault(said, day)
        if said != "planned" or status is None:
            status = said
    if status is None:
        status = "occurred" if any(r.event.modality == BACKGROUND for r in reports) else SPECULATIVE
    out: dict[str, Any] = {f"{s}_reported": iso(d) for s, d in seen.items() if s in ("planned", "occurred", "cancelled")}
    return {"status": status, "planned_reported": None, "occurred_reported": None, "cancelled_reported": None,
            **out}


def _said(r: EventReport, first_day: date | None) -> str:
    """The status a report gives: a past tense published before the first day is a plan misread."""
    if r.event.status == "occurred" and first_day and (r.published_on is None or r.published_on < first_day):
        return "planned"
    return r.event.status


def _window(reports: Sequence[EventReport]) -> tuple[date | None, date | None]:
    """The days an undated event must lie in: after the publication of every report that plans
    it, before the first that reports it done, and within every period a report names ("9月中旬":
    ``Event.window``; speculation bounds nothing)."""
    told = [r for r in reports if r.event.modality != SPECULATIVE]
    periods = [r.event.window for r in told if r.event.window]
    after = max([r.published_on for r in told if r.event.status == "planned" and r.published_on]
                + [p[0] for p in periods], default=None)
    before = min([r.published_on for r in told if r.event.status == "occurred" and r.published_on]
                 + [p[1] for p in periods], default=None)
    if after and before and after > before:
        after = before  # reports disagree: the event lies no later than its first report of it done
    return after, before


def event_place(reports: Sequence[EventReport], type_: str, rules: ResolutionRules) -> str | None:
    """Where an event held somewhere (``rules.venue_types``) was held: the country most reports
    place it in (a place counts for its country), then the place in it most reports name or name
    a region of, the country itself when none names one (ties: the smaller id)."""
    if type_ not in rules.venue_types:
        return None
    places = Counter(r.event.place for r in reports if r.event.place)
    if not places:
        return None
    countries: Counter[str] = Counter()
    for place, n in places.items():
        countries[place_country(place, rules) or place] += n
    country = min(countries, key=lambda c: (-countries[c], c))
    inside = [p for p in places if (place_country(p, rules) or p) == country and p != country]
    # a report naming a region supports the places named in it (Alaska, Anchorage: Anchorage)
    support = {p: sum(places.get(r, 0) for r in regions(p, rules)) for p in inside}
    return min(inside, key=lambda p: (-support[p], p)) if inside else country


def event_parties(reports: Sequence[EventReport], rules: ResolutionRules) -> tuple[str, ...]:
    """The parties named by at least ``party_min_reports`` of the reports (every party named when
    there are no more reports than that)."""
    named = Counter(p for r in reports for p in (*r.parties, *r.persons))
    least = rules.party_min_reports if len(reports) > rules.party_min_reports else 1
    members = _members_listed(reports, rules)
    parties = {p for p, n in named.items() if n >= least or p in members}
    return tuple(sorted(parties | _delegates(reports, parties, rules)))


def _delegates(reports: Sequence[EventReport], parties: set[str], rules: ResolutionRules) -> set[str]:
    """Of a gathering (multilateral_types), the persons a gathering report names (one report may be
    the only one naming a minister) whom the gazetteer places in a state taking part: each member
    state sends its own (七国集团外长会议: 茂木敏充 for Japan, 郑义溶 for Korea). Only of an event most of
    whose reports are of a gathering: a call holding one such report is a call of its two."""
    gatherings = [r for r in reports if r.event.type in rules.multilateral_types]
    if 2 * len(gatherings) <= len(reports):
        return set()
    return {p for r in gatherings for p in r.persons if rules.person_countries.get(p) in parties}


def _members_listed(reports: Sequence[EventReport], rules: ResolutionRules) -> frozenset[str]:
    """The states and organisations of a gathering's fullest report (the one naming most, ties:
    the first published, then key): a gathering's members are often listed by one report only
    (七国集团外长会议...美、加、英、法、德、意、日), each of the others naming the host and a few."""
    gatherings = [r for r in reports if r.event.type in rules.multilateral_types and r.orgs]
    if not gatherings:
        return frozenset()
    fullest = min(gatherings, key=lambda r: (-len(r.parties), r.published_on or date.min, report_key(r)))
    return fullest.parties if len(fullest.parties - fullest.orgs) > rules.many_states else frozenset()


def event_type(reports: Sequence[EventReport], best: str, rules: ResolutionRules) -> str:
    """The type most of an event's reports give (one kind, reported as more than one type), ties
    going to the type of its most precise report (``best``), then to the first name. A type that
    announces another (``announcing_types``: the invitation to a visit) votes only when no report
    gives another: the invited visit is the event, the invitation one way of reporting it."""
    types = Counter(r.event.type for r in reports)
    if set(types) - rules.announcing_types:
        for announcing in rules.announcing_types:
            types.pop(announcing, None)
    return min(types, key=lambda t: (-types[t], t != best, t))


def event_node(event_id: str, reports: Sequence[EventReport], rules: ResolutionRules) -> dict[str, Any]:
    """The Event node's properties (module docstring): days or window, status and when each was
    first reported, place, evidence of the most precise report of its first day, sources =
    distinct articles."""
    start, end = _days(reports)
    best = _best([r for r in reports if r.event.start == start] or reports).event
    earliest, latest = (start, end) if start else _window(reports)
    type_ = event_type(reports, best.type, rules)
    return {"id": event_id, "type": type_, "start": iso(start), "end": iso(end), "earliest": iso(earliest),
            "latest": iso(latest), "place": event_place(reports, type_, rules),
            "evidence": best.evidence.partition("\n")[0],  # a stored report's evidence holds all its sentences
            "confidence": best.confidence, **lifecycle(reports, start, end),
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


def event_edges(event_id: str, node: Mapping[str, Any], reports: Sequence[EventReport],
                rules: ResolutionRules) -> RelRows:
    """The edges one event's reports give: PARTICIPATED_IN (``event_parties``), HELD_IN and the
    derived MET and INTERACTED_WITH pairs; ``node`` is its ``event_node``."""
    rels: RelRows = defaultdict(list)
    who = event_parties(reports, rules)
    for pid in who:
        rels[("PARTICIPATED_IN", label_of(pid) or "Entity", "Event")].append(
            {"from": pid, "to": event_id, "start": node["start"], "end": node["end"], "type": node["type"]})
    if node["place"]:
        rels[("HELD_IN", "Event", "Entity")].append({"from": event_id, "to": node["place"]})
    for key, rows in derived_rows([EventParties(event_id, node["type"], node["start"], who)], rules.contact_types).items():
        rels[key] += rows
    return rels


def _identity(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(sorted(row.items()))


def event_rows(events: Mapping[str, Sequence[EventReport]], rules: ResolutionRules,
               previous: Mapping[str, Sequence[EventReport]] | None = None) -> EventRows:
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
        node = event_node(event_id, events[event_id], rules)
        nodes.append(node)
        new = event_edges(event_id, node, events[event_id], rules)
        old: RelRows = {}
        if event_id in previous:
            old = event_edges(event_id, event_node(event_id, previous[event_id], rules), previous[event_id], rules)
            if old == new:  # a report more naming none but its parties: no edge created nor deleted, no count
                continue
        for key, rows in new.items():
            if rows == old.get(key):
                continue
            held = {_identity(row) for row in old.get(key, ())}
            rels[key] += [row for row in rows if _identity(row) not in held] if held else rows
        for key, rows in old.items():
            if rows == new.get(key):
                continue
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
