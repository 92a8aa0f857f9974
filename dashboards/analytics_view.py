"""The networkx side of the Analytics page: centrality, communities and shortest paths over the
co-participation graph that ``kg.queries.co_participation`` fetches (pure functions, no Streamlit)."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from kg.queries import Subgraph


def to_networkx(graph: Subgraph) -> nx.Graph:
    """An undirected weighted graph; node attributes ``name`` and ``label``."""
    g = nx.Graph()
    for node in graph.nodes:
        g.add_node(node.id, name=node.name, label=node.label)
    for edge in graph.edges:
        g.add_edge(edge.source, edge.target, weight=edge.weight)
    return g


def centrality(g: nx.Graph) -> pd.DataFrame:
    """Degree (weighted: shared events), betweenness and PageRank, most central first.

    Betweenness treats a strong tie as a short one (distance = 1 / shared events).
    """
    g = g.copy()  # the distances below are for this computation only
    for _, _, data in g.edges(data=True):
        data["distance"] = 1 / data["weight"]
    frame = pd.DataFrame({
        "name": nx.get_node_attributes(g, "name"),
        "label": nx.get_node_attributes(g, "label"),
        "events_together": dict(g.degree(weight="weight")),
        "counterparts": dict(g.degree()),
        "betweenness": nx.betweenness_centrality(g, weight="distance"),
        "pagerank": nx.pagerank(g, weight="weight") if g.number_of_edges() else {},
    })
    return frame.rename_axis("id").reset_index().sort_values("pagerank", ascending=False, ignore_index=True)


def communities(g: nx.Graph) -> pd.DataFrame:
    """Greedy-modularity communities, largest first: size and member names."""
    groups = nx.community.greedy_modularity_communities(g, weight="weight") if g.number_of_edges() else []
    names = nx.get_node_attributes(g, "name")
    return pd.DataFrame([{"community": i + 1, "size": len(members),
                          "members": ", ".join(sorted(names[m] for m in members))}
                         for i, members in enumerate(groups)], columns=["community", "size", "members"])


def shortest_path(g: nx.Graph, source: str, target: str) -> list[str] | None:
    """The fewest-hops chain of co-participants from ``source`` to ``target``, or None if unconnected."""
    try:
        return nx.shortest_path(g, source, target)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None
