"""networkx analytics on hand-made participations (no database)."""

from __future__ import annotations

from kg.analytics import (
    Participation,
    actor_graph,
    centrality,
    communities,
    community_table,
    pair_series,
    shortest_connection,
    undated_events,
)


def _p(event: str, type_: str, start: str | None, *actors: str) -> list[Participation]:
    return [Participation(event, type_, start, a, "Country" if a.startswith("country:") else "Person", a)
            for a in actors]


PARTS = [*_p("e1", "MEET", "2021-03-18", "country:CN", "country:US", "person:wang-yi", "person:antony-blinken"),
         *_p("e2", "CALL", "2021-03-30", "country:CN", "country:US"),
         *_p("e3", "VISIT", "2021-03-22", "country:CN", "country:RU", "person:wang-yi", "person:sergey-lavrov"),
         *_p("e4", "MEET", "2021-04-02", "country:RU", "country:IN"),
         *_p("e5", "MEET", None, "country:CN", "country:US")]


def test_actor_graph_weights_links_by_shared_events() -> None:
    g = actor_graph(PARTS)
    assert g["country:CN"]["country:US"]["weight"] == 3
    assert g["country:CN"]["country:US"]["events"] == ["e1", "e2", "e5"]


def test_the_broker_between_two_groups_has_the_highest_betweenness() -> None:
    rows = {r["id"]: r for r in centrality(actor_graph(PARTS))}
    assert max(rows, key=lambda k: rows[k]["betweenness"]) == "country:CN"
    assert rows["country:IN"]["degree"] < rows["country:CN"]["degree"]
    assert abs(sum(r["pagerank"] for r in rows.values()) - 1) < 0.01


def test_communities_are_reproducible_and_numbered_largest_first() -> None:
    g = actor_graph(PARTS)
    first = communities(g)
    assert first == communities(g) and set(first) == set(g)
    sizes = [list(first.values()).count(i) for i in sorted(set(first.values()))]
    assert sizes == sorted(sizes, reverse=True)


def test_shortest_connection_names_the_event_of_each_hop() -> None:
    hops = shortest_connection(actor_graph(PARTS), "person:antony-blinken", "country:IN")
    assert hops[0]["actor"] == "person:antony-blinken" and hops[-1] == {
        "actor": "country:IN", "name": "country:IN", "via": "e4"}
    assert shortest_connection(actor_graph(PARTS), "person:antony-blinken", "country:XX") == []


def test_pair_series_counts_dated_events_by_month_and_type() -> None:
    assert pair_series(PARTS, "country:CN", "country:US") == [
        {"month": "2021-03", "type": "CALL", "events": 1}, {"month": "2021-03", "type": "MEET", "events": 1}]


def test_community_table_lists_each_community_once_largest_first() -> None:
    g = actor_graph(PARTS)
    rows = community_table(g)
    assert [r["community"] for r in rows] == sorted(set(communities(g).values()))
    assert sorted(i for r in rows for i in r["ids"]) == sorted(g)
    assert [r["size"] for r in rows] == sorted((r["size"] for r in rows), reverse=True)
    assert all(r["size"] == len(r["members"].split(", ")) for r in rows)


def test_undated_events_are_counted_apart() -> None:
    assert undated_events(PARTS) == 1
