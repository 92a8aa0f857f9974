"""The dashboard's pure helpers: fulltext query building, text escaping, console graphs, networkx."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the dashboards package beside kg

from dashboards.analytics_view import (
    centrality,
    communities,
    shortest_path,
    to_networkx,
)
from dashboards.common import as_text
from dashboards.graph_view import graph_from_rows
from kg.queries import GraphEdge, GraphNode, Subgraph, lucene_query


def test_lucene_query_prefixes_latin_words_and_quotes_the_rest() -> None:
    assert lucene_query("Lav") == "lav*"
    assert lucene_query("王毅") == '"王毅"'
    assert lucene_query("united st") == "united* AND st*"
    assert lucene_query('a:b "x"') == '"a\\:b" AND "\\"x\\""'
    assert lucene_query("   ") == ""


def test_article_text_is_shown_inert() -> None:
    assert as_text("<b>x</b> *y* [z](javascript:1)") == r"\<b\>x\</b\> \*y\* \[z\]\(javascript:1\)"


def test_console_rows_become_a_graph_with_stub_ends() -> None:
    rows = [{"p": {"_labels": ["Entity", "Person"], "id": "person:a", "name": "A"},
             "r": {"_type": "PARTICIPATED_IN", "_start": "person:a", "_end": "event:1", "start": "2021-03-22"}}]
    graph = graph_from_rows(rows)
    assert {(n.id, n.label) for n in graph.nodes} == {("person:a", "Person"), ("event:1", "Node")}
    assert [(e.source, e.target, e.caption) for e in graph.edges] == [("person:a", "event:1", "2021-03-22")]


def test_analytics_on_a_small_graph() -> None:
    nodes = tuple(GraphNode(i, "Person", i.upper()) for i in "abcd")
    edges = (GraphEdge("a", "b", "CO_PARTICIPATED", weight=3), GraphEdge("b", "c", "CO_PARTICIPATED", weight=1))
    g = to_networkx(Subgraph(nodes, edges))
    table = centrality(g)
    assert table.iloc[0]["id"] == "b" and table.set_index("id").loc["b", "events_together"] == 4
    assert shortest_path(g, "a", "c") == ["a", "b", "c"]
    assert shortest_path(g, "a", "d") is None
    assert communities(g)["members"].tolist() == ["A, B, C", "D"]
