"""The neighbourhood of a batch worked out while the batch before it is written (``BatchWrite``,
pure): the stored reports read as the graph was before that write, brought up to what it writes,
are those a read after it returns, in the same (canonical) order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from event_reports import report
from kg.graph.load import plan_batch
from kg.graph.stored import BatchWrite, Neighbourhood, canonical, joined_events, pins
from kg.graph.tables import WriterTables
from kg.records import EventReport
from kg.resolve import resolve_events

RULES = WriterTables.load().rules
PARTIES = ("country:CN", "country:US", "country:RU", "country:FR")


def _meet(article: str, day: int, parties: tuple[str, ...], mention: int = 0) -> EventReport:
    text = f"2021-03-{day:02d}"
    return report(article, "MEET", parties, text, None, text, mention_id=f"m{mention}")


_reports = st.lists(st.tuples(st.integers(1, 12), st.sampled_from([PARTIES[:2], PARTIES[1:3], PARTIES[::3]])),
                    min_size=1, max_size=8)


def _read(graph: dict[str, list[EventReport]], events: set[str], skip: set[str]) -> list[tuple[str, EventReport]]:
    """``STORED_REPORTS`` of a graph (event -> its reports), in an order of its own."""
    return [(e, r) for e in sorted(events, reverse=True) if e in graph for r in reversed(graph[e])
            if r.article not in skip]


@settings(max_examples=60, deadline=None)
@given(stored=_reports, new=_reports, upcoming=_reports, reload=st.booleans())
def test_the_reports_a_write_leaves_are_those_read_after_it(stored: list, new: list, upcoming: list,
                                                             reload: bool) -> None:
    old = [_meet(f"s{i}", day, parties) for i, (day, parties) in enumerate(stored)]
    before = resolve_events(old, RULES)
    graph: dict[str, list[EventReport]] = {}
    for r in old:
        graph.setdefault(before[r.ref], []).append(r)
    batch = [_meet("s0" if reload and i == 0 else f"n{i}", day, parties, mention=1)  # s0 loaded again
             for i, (day, parties) in enumerate(new)]
    ids = {r.article for r in batch}
    events, free = joined_events([(before[r.ref], r) for r in old if r.article not in ids], batch, RULES,
                                 RULES.update_reach)
    replaced = {before[r.ref] for r in old if r.article in ids}
    rows = canonical(_read(graph, events | replaced, ids))
    plan = plan_batch(batch, Neighbourhood(rows, replaced, pinned=pins(rows, free, replaced)), RULES)
    after: dict[str, list[EventReport]] = {}  # the graph the batch's write leaves
    for r in [*(r for r in old if r.article not in ids), *batch]:
        after.setdefault(plan.assigned[r.ref] if r.ref in plan.assigned else before[r.ref], []).append(r)
    write = BatchWrite.of(plan.assigned, plan.hood, ids, [(plan.assigned[r.ref], r) for r in batch])
    following = [_meet(f"u{i}", day, parties) for i, (day, parties) in enumerate(upcoming)]
    skip = {r.article for r in following}
    near, _ = joined_events([(e, r) for e, rs in after.items() for r in rs], following, RULES, RULES.update_reach)
    asked = near | set(graph)  # events gone, kept or new, near or not
    assert write.applied(_read(graph, asked, skip), skip, asked) == canonical(_read(after, asked, skip))
