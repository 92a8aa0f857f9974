"""Exports: a round trip through Turtle and JSON-LD keeps the graph; the SPARQL example of
docs/analytics.md runs on an export; GraphML, GEXF and CSV hold every node and edge."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import neo4j
import networkx as nx
import pytest
from rdflib import Graph
from sample_graph import load_sample

from kg.export import (
    RDF_FORMATS,
    Vocabulary,
    from_rdf,
    read_graph,
    to_networkx,
    to_rdf,
    write_csv,
    write_dump,
)
from kg.graph.load import apply_schema, graph_counts

pytestmark = pytest.mark.neo4j

DOC = Path(__file__).resolve().parents[2] / "docs" / "analytics.md"


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_round_trip_keeps_node_and_edge_counts_and_values(neo4j_driver: neo4j.Driver, fmt: str) -> None:
    load_sample(neo4j_driver)
    before = graph_counts(neo4j_driver)
    dump = read_graph(neo4j_driver)
    text = to_rdf(dump, Vocabulary.load()).serialize(format=RDF_FORMATS[fmt])
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    apply_schema(neo4j_driver)
    write_dump(neo4j_driver, from_rdf(Graph().parse(data=text, format=RDF_FORMATS[fmt]), Vocabulary.load()),
               run_id="import")
    assert graph_counts(neo4j_driver) == before
    again = read_graph(neo4j_driver)
    assert {(n.id, n.label, n.props.get("name"), str(n.props.get("start"))) for n in again.nodes} == \
           {(n.id, n.label, n.props.get("name"), str(n.props.get("start"))) for n in dump.nodes}


def test_the_sparql_example_of_the_docs_runs(neo4j_driver: neo4j.Driver) -> None:
    load_sample(neo4j_driver)
    query = re.search(r"```sparql\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert query, "docs/analytics.md has no ```sparql block"
    rows = list(to_rdf(read_graph(neo4j_driver), Vocabulary.load()).query(query.group(1)))
    assert ("Sergey Lavrov", "Wang Yi") in {(str(r[0]), str(r[1])) for r in rows}


def test_graphml_gexf_and_csv_hold_every_node_and_edge(neo4j_driver: neo4j.Driver, tmp_path: Path) -> None:
    load_sample(neo4j_driver)
    dump = read_graph(neo4j_driver)
    g = to_networkx(dump)
    nx.write_graphml(g, tmp_path / "g.graphml")
    nx.write_gexf(g, tmp_path / "g.gexf")
    for back in (nx.read_graphml(tmp_path / "g.graphml"), nx.read_gexf(tmp_path / "g.gexf")):
        assert (back.number_of_nodes(), back.number_of_edges()) == (len(dump.nodes), len(dump.edges))
    nodes, edges = write_csv(g, tmp_path / "csv")
    # records, not lines: a report's evidence holds its sentences one per line (quoted in the CSV)
    assert len(list(csv.reader(nodes.open(encoding="utf-8", newline="")))) == len(dump.nodes) + 1
    assert len(list(csv.reader(edges.open(encoding="utf-8", newline="")))) == len(dump.edges) + 1
