"""Bounded resolution of a batch into a graph that holds reports (schema/resolution.yaml
``update_reach``, pure): the stored reports within the reach of a new report are decided again,
the other reports of their events keep to their event."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from event_reports import report
from kg.graph.load import plan_batch
from kg.graph.stored import Neighbourhood, joined_events, pins
from kg.graph.tables import WriterTables
from kg.records import EventReport
from kg.resolve import MentionRef, resolve_events
from test_resolve import _within_a_week

RULES = WriterTables.load().rules


def _meet(article: str, day: str) -> EventReport:
    return report(article, "MEET", ("country:CN", "country:US"), day, None, day)


def _update(stored: list[EventReport], new: list[EventReport], reach: int | None) -> dict[MentionRef, str]:
    """Every report's event after ``new`` is loaded into the graph of ``stored`` (resolved whole),
    as the loader does it: the candidates' events, the free reports, the rest pinned."""
    before = resolve_events(stored, RULES)
    candidates = [(before[r.ref], r) for r in stored]
    events, free = joined_events(candidates, new, RULES, reach)
    hood_rows = [(e, r) for e, r in candidates if e in events]
    hood = Neighbourhood(hood_rows, set(), reloaded=False, pinned=pins(hood_rows, free, set()))
    return {**before, **plan_batch(new, hood, RULES).assigned}


def _partition(assigned: dict[MentionRef, str]) -> set[frozenset[str]]:
    by_event: dict[str, set[str]] = defaultdict(set)
    for ref, event in assigned.items():
        by_event[event].add(ref[0])
    return {frozenset(v) for v in by_event.values()}


def test_a_new_report_linked_to_one_end_of_a_stored_chain_leaves_its_other_end_alone() -> None:
    """A~B~C are one day apart (same parties: ``max_gap_days``), stored as {A, B} and {C}. A new N
    the day before A links to A only. Following every chain re-decides all four in canonical
    order ({N, A} and {B, C}: C's event changes); at reach 1 only A is free, B keeps to its event
    and C is not looked at; at reach 0 nothing stored moves, and N, two days from B, cannot join
    {A, B} as a whole."""
    a, b, c = _meet("A", "2021-03-01"), _meet("B", "2021-03-02"), _meet("C", "2021-03-03")
    n = _meet("N", "2021-02-28")
    assert _partition(resolve_events([a, b, c], RULES)) == {frozenset("AB"), frozenset("C")}
    assert _partition(_update([a, b, c], [n], None)) == {frozenset("NA"), frozenset("BC")}
    assert _partition(_update([a, b, c], [n], 1)) == {frozenset("AB"), frozenset("N"), frozenset("C")}
    assert _partition(_update([a, b, c], [n], 0)) == {frozenset("AB"), frozenset("N"), frozenset("C")}


def test_a_new_report_joins_a_stored_event_it_fits_as_a_whole() -> None:
    a, b = _meet("A", "2021-03-01"), _meet("B", "2021-03-02")
    for reach in (0, 1, None):
        assert _partition(_update([a, b], [_meet("N", "2021-03-01")], reach)) == {frozenset("ABN")}


@settings(max_examples=150, deadline=None)
@given(st.lists(_within_a_week, max_size=30, unique_by=lambda m: m.ref), st.integers(0, 30), st.sampled_from([0, 1, 2]))
def test_stored_events_are_never_merged_nor_split_beyond_the_reach(mentions: list[EventReport], cut: int,
                                                                    reach: int) -> None:
    """Of each stored event, the reports farther than ``reach`` links from every new report stay
    together, apart from every other event's; at reach 0 every stored event keeps exactly its reports."""
    stored, new = mentions[:cut], mentions[cut:]
    before = resolve_events(stored, RULES)
    after = _update(stored, new, reach)
    free = joined_events([(before[r.ref], r) for r in stored], new, RULES, reach)[1] or set()
    kept: dict[str, set[str]] = defaultdict(set)  # stored event -> the events its pinned reports are in
    for r in stored:
        if r.ref not in free:
            kept[before[r.ref]].add(after[r.ref])
    assert all(len(events) == 1 for events in kept.values())
    assert len({next(iter(events)) for events in kept.values()}) == len(kept)
    if reach == 0:
        old, new_events = _partition(before), _partition({r.ref: after[r.ref] for r in stored})
        assert old == new_events


def test_a_stored_undated_report_decided_again_chooses_between_its_event_and_the_changing_ones() -> None:
    """Undated U (naming Lavrov) is stored in A's event; B's, sharing more with it, is pinned and
    untouched by the batch: U keeps to A's (every event near it would send it to B's). When a new
    N joins B's event, that event changes and U may choose it."""
    u = report("U", "VISIT", ("country:RU", "country:CN", "person:sergey-lavrov"), None, None, "2021-03-23")
    a = report("A", "VISIT", ("country:RU", "country:CN"), "2021-03-22", None, "2021-03-23")
    b = report("B", "VISIT", ("country:RU", "country:CN", "person:sergey-lavrov"), "2021-03-24", None, "2021-03-24")
    pins = {a.ref: "E1", b.ref: "E2"}
    assert _partition(resolve_events([u, a, b], RULES, pins)) == {frozenset("A"), frozenset("UB")}
    assert _partition(resolve_events([u, a, b], RULES, pins, {u.ref: "E1"})) == {frozenset("UA"), frozenset("B")}
    n = report("N", "VISIT", ("country:RU", "country:CN", "person:sergey-lavrov"), "2021-03-23", None, "2021-03-23")
    assert _partition(resolve_events([u, a, b, n], RULES, pins, {u.ref: "E1"})) == {frozenset("A"), frozenset("UBN")}
