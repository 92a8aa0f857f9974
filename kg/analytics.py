"""Network analytics over the graph with networkx: centrality, communities, connections, time series.

The graph is read once through a parameterised read query as a list of participations; everything
else is a pure function of that list or of the actor graph built from it, so it can be tested
without a database. Actors (persons, countries, organisations) are nodes; two actors are linked when
they took part in the same event, weighted by how many.

The events read are those the rest of kg counts for the same :class:`kg.queries.Filters`: dated
events (in the range, when one is set) by default, undated ones only with ``Filters.undated`` (by
their first report's day). ``kg analyze`` and the dashboard's Analytics page both call these
functions, so they give the same actors, scores and communities for the same filters.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import neo4j
import networkx as nx

from kg.graph import cypher
from kg.graph.results import run_read_query
from kg.queries import PARTICIPATIONS, PARTY_LABELS, Filters


@dataclass(frozen=True, slots=True)
class Participation:
    """One actor taking part in one event."""

    event: str
    type: str
    start: str | None
    actor: str
    label: str
    name: str


def participations(driver: neo4j.Driver, filters: Filters = Filters(), labels: Sequence[str] = PARTY_LABELS,
                   database: str | None = None) -> list[Participation]:
    """The subgraph to analyse: who (of the node ``labels``) took part in which event of ``filters``.

    An undated participation (``start`` None) is there only when ``filters.undated`` asks for it."""
    params = {**filters.params(), "labels": list(labels)}
    return [Participation(**row) for row in run_read_query(driver, PARTICIPATIONS, params, database=database).rows]


def undated_events(parts: Iterable[Participation]) -> int:
    """How many of the events have no known day (they are counted apart, never placed in time)."""
    return len({p.event for p in parts if p.start is None})


def actor_graph(parts: Iterable[Participation]) -> nx.Graph:
    """Actors linked by shared events; edge ``weight`` = shared events, ``events`` = their ids;
    node ``events`` = the events the actor took part in."""
    g = nx.Graph()
    by_event: dict[str, list[Participation]] = defaultdict(list)
    for p in parts:
        by_event[p.event].append(p)
    for p in parts:
        g.add_node(p.actor, label=p.label, name=p.name)
    events = Counter(p.actor for p in {(p.event, p.actor): p for p in parts}.values())
    nx.set_node_attributes(g, events, "events")
    for event, members in sorted(by_event.items()):
        actors = sorted({m.actor for m in members})
        for i, a in enumerate(actors):
            for b in actors[i + 1:]:
                if g.has_edge(a, b):
                    g[a][b]["weight"] += 1
                    g[a][b]["events"].append(event)
                else:
                    g.add_edge(a, b, weight=1, events=[event])
    return g


def communities(g: nx.Graph, seed: int = 0) -> dict[str, int]:
    """Community number of each actor (Louvain, fixed seed so runs agree), numbered largest first."""
    if g.number_of_edges() == 0:
        return {n: i for i, n in enumerate(sorted(g))}
    groups = nx.community.louvain_communities(g, weight="weight", seed=seed)
    ordered = sorted((sorted(c) for c in groups), key=lambda c: (-len(c), c[0]))
    return {n: i for i, members in enumerate(ordered) for n in members}


def centrality(g: nx.Graph, seed: int = 0) -> list[dict[str, Any]]:
    """Degree, betweenness and PageRank of every actor, with its community; highest PageRank first.

    Betweenness treats the weight as closeness (more shared events = shorter distance)."""
    if g.number_of_nodes() == 0:
        return []
    for _, _, data in g.edges(data=True):
        data["distance"] = 1.0 / data["weight"]
    degree = nx.degree_centrality(g)
    between = nx.betweenness_centrality(g, weight="distance")
    rank = nx.pagerank(g, weight="weight")
    groups = communities(g, seed)
    rows = [{"id": n, "name": g.nodes[n]["name"], "label": g.nodes[n]["label"],
             "events": g.nodes[n]["events"],
             "degree": round(degree[n], 4), "betweenness": round(between[n], 4),
             "pagerank": round(rank[n], 4), "community": groups[n]} for n in g]
    return sorted(rows, key=lambda r: (-r["pagerank"], r["id"]))


def community_table(g: nx.Graph, seed: int = 0) -> list[dict[str, Any]]:
    """The communities of :func:`communities` as rows, largest first: number, size, member names."""
    members: dict[int, list[str]] = defaultdict(list)
    for actor, number in communities(g, seed).items():
        members[number].append(actor)
    return [{"community": number, "size": len(ids), "members": ", ".join(sorted(g.nodes[i]["name"] for i in ids)),
             "ids": sorted(ids)} for number, ids in sorted(members.items())]


def shortest_connection(g: nx.Graph, a: str, b: str) -> list[dict[str, Any]]:
    """The shortest chain of actors from ``a`` to ``b``, each hop with one event that links them
    (fewest hops; among equals the smallest ids). Empty when they are not connected."""
    if a not in g or b not in g or not nx.has_path(g, a, b):
        return []
    path = min(nx.all_shortest_paths(g, a, b))
    hops = [{"actor": path[0], "name": g.nodes[path[0]]["name"], "via": None}]
    for x, y in pairwise(path):
        hops.append({"actor": y, "name": g.nodes[y]["name"], "via": min(g[x][y]["events"])})
    return hops


def pair_series(parts: Iterable[Participation], a: str, b: str) -> list[dict[str, Any]]:
    """Monthly counts by event type of the events both actors took part in (undated ones left out)."""
    actors: dict[str, set[str]] = defaultdict(set)
    info: dict[str, Participation] = {}
    for p in parts:
        actors[p.event].add(p.actor)
        info[p.event] = p
    counts = Counter((start[:7], info[e].type) for e, who in actors.items()
                     if {a, b} <= who and (start := info[e].start))
    return [{"month": m, "type": t, "events": n} for (m, t), n in sorted(counts.items())]


def write_scores(driver: neo4j.Driver, rows: Sequence[dict[str, Any]], *, run_id: str,
                 database: str | None = None) -> int:
    """Store the scores of :func:`centrality` as node properties (one write transaction)."""
    payload = [{k: r[k] for k in ("id", "degree", "betweenness", "pagerank", "community")} for r in rows]
    with driver.session(database=database) as session:
        session.execute_write(lambda tx: tx.run(cypher.WRITE_SCORES, rows=payload, run_id=run_id).consume())
    return len(payload)
