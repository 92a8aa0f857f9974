"""Exports of the whole graph: RDF (Turtle, JSON-LD) with the vocabulary of ``schema/ontology.ttl``,
GraphML and GEXF (for Gephi) and CSV via networkx; and the way back from RDF into Neo4j.

Everything goes through one neutral form, :class:`GraphDump` (nodes and edges with plain Python
values), read from Neo4j in read transactions and written back with the loader's generated
upserts, so an export and an import agree on what a node or an edge is.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import neo4j
import networkx as nx
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef

from kg.errors import KgError, SchemaError
from kg import queries
from kg.graph import cypher
from kg.graph.aggregates import refresh_aggregates
from kg.graph.model import GraphModel, graph_model
from kg.graph.rows import batched
from kg.schema import schema_dir

KG = Namespace("http://kg.local/ontology#")
ID = Namespace("http://kg.local/id/")
INTERNAL = ("run_id", "first_run_id", "search_text")  # bookkeeping, not facts: not exported


@dataclass(frozen=True, slots=True)
class DumpNode:
    id: str
    label: str
    props: dict[str, Any]


@dataclass(frozen=True, slots=True)
class DumpEdge:
    type: str
    source: str
    source_label: str
    target: str
    target_label: str
    props: dict[str, Any]


@dataclass
class GraphDump:
    """The graph as plain values: dates as ``date``/``datetime``, lists as lists."""

    nodes: list[DumpNode] = field(default_factory=list)
    edges: list[DumpEdge] = field(default_factory=list)


def _native(value: Any) -> Any:
    if hasattr(value, "to_native"):
        return value.to_native()
    if isinstance(value, list):
        return [_native(v) for v in value]
    return value


def _facts(props: dict[str, Any], skip: Iterable[str] = ()) -> dict[str, Any]:
    return {k: _native(v) for k, v in props.items() if k not in INTERNAL and k not in skip and v is not None}


def read_graph(driver: neo4j.Driver, database: str | None = None) -> GraphDump:
    """Every node and edge of the graph (read transactions only)."""
    with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
        nodes = session.execute_read(lambda tx: [
            DumpNode(r["id"], r["label"], _facts(r["props"], ("id",))) for r in tx.run(queries.EXPORT_NODES)])
        edges = session.execute_read(lambda tx: [
            DumpEdge(r["type"], r["from"], r["from_label"], r["to"], r["to_label"], _facts(r["props"]))
            for r in tx.run(queries.EXPORT_EDGES)])
    return GraphDump(nodes=nodes, edges=edges)


# --- networkx: GraphML, GEXF, CSV

def _flat(value: Any) -> str | int | float | bool:
    """A value GraphML/GEXF/CSV can hold: lists joined with ' | ', dates as ISO text."""
    if isinstance(value, list):
        return " | ".join(str(_flat(v)) for v in value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def to_networkx(dump: GraphDump) -> nx.MultiDiGraph:
    """The graph as a networkx multigraph: nodes carry ``label`` and their properties, edges
    ``relationship`` (the type; ``type`` is a property of some edges) and theirs."""
    g = nx.MultiDiGraph()
    for n in dump.nodes:
        g.add_node(n.id, label=n.label, **{k: _flat(v) for k, v in n.props.items()})
    for e in dump.edges:
        g.add_edge(e.source, e.target, relationship=e.type, **{k: _flat(v) for k, v in e.props.items()})
    return g


def write_csv(g: nx.MultiDiGraph, folder: Path) -> list[Path]:
    """``nodes.csv`` (id, label, properties) and ``edges.csv`` (source, target, relationship, properties)."""
    folder.mkdir(parents=True, exist_ok=True)
    node_cols = sorted({k for _, d in g.nodes(data=True) for k in d} - {"label"})
    edge_cols = sorted({k for _, _, d in g.edges(data=True) for k in d} - {"relationship"})
    nodes, edges = folder / "nodes.csv", folder / "edges.csv"
    with nodes.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "label", *node_cols])
        w.writerows([n, d["label"], *(d.get(c, "") for c in node_cols)] for n, d in g.nodes(data=True))
    with edges.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["source", "target", "relationship", *edge_cols])
        w.writerows([a, b, d["relationship"], *(d.get(c, "") for c in edge_cols)] for a, b, d in g.edges(data=True))
    return [nodes, edges]


# --- RDF

@dataclass(frozen=True)
class Vocabulary:
    """The mapping of ``schema/ontology.ttl``: graph names <-> RDF terms."""

    terms: dict[str, URIRef]  # graph name (label, relationship type, property) -> term

    @classmethod
    def load(cls, path: Path | None = None) -> Vocabulary:
        path = path or schema_dir() / "ontology.ttl"
        onto = Graph()
        try:
            onto.parse(path, format="turtle")
        except (OSError, SyntaxError) as exc:
            raise SchemaError(f"{path}: cannot read the ontology ({exc})") from exc
        terms: dict[str, URIRef] = {}
        for term, name in onto.subject_objects(KG.graphName):
            if str(name) in terms:
                raise SchemaError(f"{path}: two terms stand for {name!r}: {terms[str(name)]} and {term}")
            terms[str(name)] = URIRef(str(term))
        return cls(terms)

    def term(self, name: str) -> URIRef:
        return self.terms.get(name) or KG[name]

    def name(self, term: URIRef) -> str | None:
        for name, t in self.terms.items():
            if t == term:
                return name
        return str(term)[len(str(KG)):] if str(term).startswith(str(KG)) else None


def node_iri(node_id: str) -> URIRef:
    return ID[quote(node_id, safe=":-_.~")]


def _iri_id(iri: URIRef) -> str:
    return unquote(str(iri)[len(str(ID)):])


def _literals(value: Any) -> list[Literal]:
    values = value if isinstance(value, list) else [value]
    return [Literal(v, datatype=XSD.date) if isinstance(v, date) and not isinstance(v, datetime) else Literal(v)
            for v in values]


def to_rdf(dump: GraphDump, vocab: Vocabulary, model: GraphModel | None = None) -> Graph:
    """The graph as RDF: typed resources with their properties, a triple per edge, and an
    rdf:Statement per edge of a type that has properties in the model."""
    model = model or graph_model()
    g = Graph()
    g.bind("kg", KG)
    g.bind("schema", Namespace("https://schema.org/"))
    g.bind("prov", Namespace("http://www.w3.org/ns/prov#"))
    g.bind("id", ID)
    for n in dump.nodes:
        s = node_iri(n.id)
        g.add((s, RDF.type, vocab.term(n.label)))
        g.add((s, vocab.term("id"), Literal(n.id)))
        for k, v in n.props.items():
            for lit in _literals(v):
                g.add((s, vocab.term(k), lit))
    for e in dump.edges:
        s, p, o = node_iri(e.source), vocab.term(e.type), node_iri(e.target)
        g.add((s, p, o))
        if model.relationship(e.type).properties:
            st = BNode()
            g.add((st, RDF.type, RDF.Statement))
            g.add((st, RDF.subject, s))
            g.add((st, RDF.predicate, p))
            g.add((st, RDF.object, o))
            for k, v in e.props.items():
                for lit in _literals(v):
                    g.add((st, vocab.term(k), lit))
    return g


def _props(g: Graph, subject: Any, vocab: Vocabulary, lists: set[str], skip: set[URIRef]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for p, o in sorted(g.predicate_objects(subject)):
        name = vocab.name(URIRef(str(p)))
        if p in skip or name is None or not isinstance(o, Literal):
            continue
        value = o.toPython()
        if name in lists:
            out.setdefault(name, []).append(value)
        else:
            out[name] = value
    return out


def from_rdf(g: Graph, vocab: Vocabulary, model: GraphModel | None = None) -> GraphDump:
    """The graph an RDF export describes (the inverse of :func:`to_rdf`; list order is sorted)."""
    model = model or graph_model()
    lists = {p.name for n in model.nodes.values() for p in n.properties if p.type.startswith("list")}
    lists |= {p.name for r in model.relationships.values() for p in r.properties if p.type.startswith("list")}
    dump = GraphDump()
    labels: dict[URIRef, str] = {}
    for label in model.nodes:
        for s in sorted(str(x) for x in g.subjects(RDF.type, vocab.term(label))):
            labels[URIRef(s)] = label
            dump.nodes.append(DumpNode(_iri_id(URIRef(s)), label,
                                        _props(g, URIRef(s), vocab, lists, {vocab.term("id"), RDF.type})))
    skip = {RDF.type, RDF.subject, RDF.predicate, RDF.object}
    for rtype, rel in model.relationships.items():
        p = vocab.term(rtype)
        if rel.properties:
            pairs = [(str(g.value(st, RDF.subject)), str(g.value(st, RDF.object)),
                      _props(g, st, vocab, lists, skip)) for st in g.subjects(RDF.predicate, p)]
        else:
            pairs = [(str(s), str(o), {}) for s, o in g.subject_objects(p)]
        for s, o, props in sorted(pairs, key=lambda x: (x[0], x[1], sorted(map(str, x[2].items())))):
            if URIRef(s) not in labels or URIRef(o) not in labels:
                raise KgError(f"RDF: {rtype} edge {s} -> {o} names a resource that is not typed as a graph node")
            dump.edges.append(DumpEdge(rtype, _iri_id(URIRef(s)), labels[URIRef(s)], _iri_id(URIRef(o)),
                                        labels[URIRef(o)], props))
    return dump


def _row_value(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_row_value(v) for v in value]
    return value


def write_dump(driver: neo4j.Driver, dump: GraphDump, *, run_id: str, database: str | None = None) -> None:
    """Write a dump into Neo4j with the loader's generated upserts (one write transaction), then
    recompute the counters the dump's events feed (``kg.graph.aggregates``; they are not exported)."""
    model = graph_model()
    nodes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for n in dump.nodes:
        nodes[n.label].append({"id": n.id, **{k: _row_value(v) for k, v in n.props.items()}})
    rels: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for e in dump.edges:
        rels[(e.type, e.source_label, e.target_label)].append(
            {"from": e.source, "to": e.target, **{k: _row_value(v) for k, v in e.props.items()}})

    def work(tx: neo4j.ManagedTransaction) -> None:
        tx.run(cypher.BUMP_MARK, run_id=run_id).consume()  # it may write reports
        for label, rows in nodes.items():
            for chunk in batched(rows, 1000):
                tx.run(cypher.upsert_nodes(model.node(label)), rows=chunk, run_id=run_id)
        for (rtype, a, b), rows in rels.items():
            for chunk in batched(rows, 1000):
                tx.run(cypher.upsert_relationships(model.relationship(rtype), a, b), rows=chunk, run_id=run_id)

    with driver.session(database=database) as session:
        session.execute_write(work)
    refresh_aggregates(driver, None, run_id=run_id, database=database)


RDF_FORMATS = {"turtle": "turtle", "jsonld": "json-ld"}
