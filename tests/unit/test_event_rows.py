"""The loader's pure parts: an event computed from its reports, a batch's plan, the rows a load
skips, and the publication order of a long input."""

from __future__ import annotations

from datetime import UTC, datetime

from kg.graph.events import Report, event_node, event_rows, instant
from kg.graph.load import WrittenRows, in_time_order, plan_batch
from kg.graph.stored import Neighbourhood
from kg.records import ArticleExtraction
from kg.resolve import resolution_rules, resolve_events

RULES = resolution_rules()


def _report(article: str, *, start: str | None = "2021-03-22", end: str | None = "2021-03-23",
            confidence: float = 0.8, status: str = "occurred", published: str = "2021-03-22T08:00:00+08:00",
            participants: tuple[str, ...] = ("country:CN", "country:RU", "person:sergey-lavrov"),
            place: str | None = None) -> Report:
    return Report(article, "m1", "VISIT", start, end, place, f"evidence of {article}", confidence, status,
                  participants, instant(published))


def test_the_most_precise_report_gives_the_days_and_the_latest_the_status() -> None:
    planned = _report("a1", start=None, end=None, confidence=0.9, status="planned", published="2021-03-20T00:00:00Z")
    dated = _report("a2", confidence=0.6, published="2021-03-21T00:00:00Z", place="place:guilin")
    later = _report("a3", end=None, confidence=0.95, status="occurred", published="2021-03-24T00:00:00Z")
    node = event_node("event:x", [planned, dated, later])
    assert (node["start"], node["end"], node["place"], node["evidence"]) == (
        "2021-03-22", "2021-03-23", "place:guilin", "evidence of a2")
    assert (node["status"], node["sources"]) == ("occurred", 3)


def test_an_article_without_a_date_counts_as_the_oldest_report() -> None:
    undated = Report("a0", "m1", "VISIT", None, None, None, "e", 0.5, "planned", ("country:CN",), None)
    assert event_node("event:x", [undated, _report("a1")])["status"] == "occurred"


def test_instants_from_text_and_without_zone_compare() -> None:
    assert instant("2021-03-22T00:00:00") == datetime(2021, 3, 22, tzinfo=UTC)
    assert instant("2021-03-22T08:00:00+08:00") == instant("2021-03-22T00:00:00Z")


def test_event_rows_give_parties_place_and_derived_pairs() -> None:
    a = _report("a1", place="place:guilin")
    b = _report("a2", participants=("country:CN", "person:wang-yi"))
    rows = event_rows({"event:x": [a, b]}, RULES.contact_types)
    parties = {r["from"] for key, rs in rows.rels.items() if key[0] == "PARTICIPATED_IN" for r in rs}
    assert parties == {"country:CN", "country:RU", "person:sergey-lavrov", "person:wang-yi"}
    assert rows.rels[("HELD_IN", "Event", "Entity")] == [{"from": "event:x", "to": "place:guilin"}]
    assert [(r["from"], r["to"]) for r in rows.rels[("MET", "Person", "Person")]] == [
        ("person:sergey-lavrov", "person:wang-yi")]
    assert [(r["from"], r["to"]) for r in rows.rels[("INTERACTED_WITH", "Country", "Country")]] == [
        ("country:CN", "country:RU")]


def test_a_batch_that_bridges_two_stored_events_moves_reports_and_removes_one() -> None:
    first = _report("a1", start="2021-03-22", end="2021-03-22")
    second = _report("a2", start="2021-03-23", end="2021-03-23",
                     participants=("country:CN", "country:RU", "person:wang-yi"))
    hood = Neighbourhood(stored=[("event:one", first), ("event:two", second)], replaced_events=set(), reloaded=False)
    bridge = _report("a3")  # 22-23 March: overlaps both days
    plan = plan_batch([bridge], hood, RULES)
    survivor = plan.assigned[bridge.ref]
    assert plan.assigned[first.ref] == plan.assigned[second.ref] == survivor
    assert set(plan.changed) == {survivor} and len(plan.changed[survivor]) == 3
    assert plan.gone == {"event:one", "event:two"} - {survivor}
    assert {m["from"] for m in plan.moves} == {"event:one", "event:two"} - {survivor}


def test_stored_events_the_batch_does_not_change_are_not_written_again() -> None:
    other = _report("a1", start="2021-03-10", end="2021-03-10", participants=("country:CN", "country:US"))
    old = resolve_events([other.mention], RULES)[other.ref]
    plan = plan_batch([_report("a2")], Neighbourhood([(old, other)], set(), reloaded=False), RULES)
    assert old not in plan.changed and not plan.gone and not plan.moves


def test_rows_already_written_in_the_load_are_not_sent_again() -> None:
    written = WrittenRows()
    row = {"id": "country:CN", "iso2": "CN", "name": "China", "aliases": ["中国"]}
    assert written.new_nodes("Country", [row]) == [row]
    written.commit()
    assert written.new_nodes("Country", [{"id": "country:CN", "iso2": "CN", "name": None, "aliases": []}]) == []
    more = {"id": "country:CN", "aliases": ["中方"]}
    assert written.new_nodes("Country", [more]) == [more]  # a new alias must reach the graph
    written.begin()  # the transaction is retried: what it staged is sent again
    assert written.new_nodes("Country", [more]) == [more]
    edge = {"from": "person:wang-yi", "to": "country:CN"}
    key = ("REPRESENTS", "Person", "Country")
    assert written.new_rels(key, [edge, edge]) == [edge]
    written.commit()
    assert written.new_rels(key, [edge]) == []
    written.forget()
    assert written.new_rels(key, [edge]) == [edge]


def test_a_long_input_comes_out_in_publication_order_through_the_spool() -> None:
    days = [f"2021-03-{d:02d}T00:00:00+00:00" for d in (5, 1, 9, 3, 7, 2, 8)]
    exs = [ArticleExtraction({"id": f"a{i}", "published": day}) for i, day in enumerate(days)]
    for window in (3, 100):  # spilled to the spool file / sorted in memory
        assert [ex.article["published"] for ex in in_time_order(exs, window)] == sorted(days)


def test_a_new_report_that_adds_no_party_rewrites_the_node_only() -> None:
    first = _report("a1")
    old = resolve_events([first.mention], RULES)[first.ref]
    again = _report("a2", confidence=0.9, participants=("country:CN", "country:RU"))  # nothing new
    plan = plan_batch([again], Neighbourhood([(old, first)], set(), reloaded=False), RULES)
    assert set(plan.changed) == {old} and plan.previous == {old: [first]}
    rows = event_rows(plan.changed, RULES.contact_types, previous=plan.previous)
    assert [n["sources"] for n in rows.nodes] == [2] and not any(rows.rels.values()) and not rows.stale


def test_an_event_written_again_gets_only_the_edges_that_changed() -> None:
    first = _report("a1", participants=("country:CN", "country:RU", "person:sergey-lavrov", "person:wang-yi"))
    old = resolve_events([first.mention], RULES)[first.ref]
    xi = _report("a2", participants=("country:CN", "country:RU", "person:xi-jinping"))  # a new person, same days
    plan = plan_batch([xi], Neighbourhood([(old, first)], set(), reloaded=False), RULES)
    assert set(plan.changed) == {old}
    rows = event_rows(plan.changed, RULES.contact_types, previous=plan.previous)
    assert {k[0]: [(r["from"], r["to"]) for r in rs] for k, rs in rows.rels.items() if rs} == {
        "PARTICIPATED_IN": [("person:xi-jinping", old)],
        "MET": [("person:sergey-lavrov", "person:xi-jinping"), ("person:wang-yi", "person:xi-jinping")]}
    assert not rows.stale
    earlier = _report("a3", start="2021-03-21", end="2021-03-23", confidence=0.9, participants=("country:CN",))
    plan = plan_batch([earlier], Neighbourhood([(old, first)], set(), reloaded=False), RULES)
    rows = event_rows(plan.changed, RULES.contact_types, previous=plan.previous)  # new days: every edge again
    assert rows.stale["MET"] == [{"event": old, "drop": {"person:sergey-lavrov": ["person:wang-yi"]}}]
    assert {r["date"] for r in rows.rels[("MET", "Person", "Person")]} == {"2021-03-21"}
    assert sorted(p for stale in rows.stale["PARTICIPATED_IN"] for p in stale["drop"]) == [
        "country:CN", "country:RU", "person:sergey-lavrov", "person:wang-yi"]


def test_events_without_known_old_edges_are_written_whole() -> None:
    first = _report("a1")
    old = resolve_events([first.mention], RULES)[first.ref]
    again = _report("a1", participants=("country:CN", "country:US"))  # the same article loaded again
    hood = Neighbourhood([], {old}, reloaded=True)
    plan = plan_batch([again], hood, RULES)
    assert plan.previous == {}
    rows = event_rows(plan.changed, RULES.contact_types, previous=plan.previous)
    assert not rows.stale and rows.rels[("INTERACTED_WITH", "Country", "Country")]


def test_the_counters_change_by_what_the_events_edges_count() -> None:
    first = _report("a1", start="2021-03-01", end="2021-03-02", participants=("country:CN", "country:RU", "person:wang-yi"))
    old = resolve_events([first.mention], RULES)[first.ref]
    new = event_rows({old: [first]}, RULES.contact_types).counts  # a new event: all it counts
    assert new == {("PairCount", "2021-03", ("VISIT", "CN", "RU")): 1, ("StateCount", "2021-03", ("VISIT", "CN")): 1,
                   ("StateCount", "2021-03", ("VISIT", "RU")): 1, ("ActorCount", "2021-03", ("VISIT", "country:CN")): 1,
                   ("ActorCount", "2021-03", ("VISIT", "country:RU")): 1,
                   ("ActorCount", "2021-03", ("VISIT", "person:wang-yi")): 1}
    earlier = _report("a2", start="2021-02-27", end="2021-03-02", confidence=0.9, participants=("country:CN",))
    plan = plan_batch([earlier], Neighbourhood([(old, first)], set(), reloaded=False), RULES)
    moved = event_rows(plan.changed, RULES.contact_types, previous=plan.previous).counts  # to February
    assert moved == {(label, month, dims): 1 if month == "2021-02" else -1
                     for label, _, dims in new for month in ("2021-02", "2021-03")}
    undated = _report("a3", start=None, end=None)
    assert event_rows({"event:u": [undated]}, RULES.contact_types).counts == {}
