"""The graph model read from ``schema/graph.yaml``: labels, keys, properties and relationships.

Everything that writes to Neo4j is generated from this model (``kg.graph.cypher``), so the model,
the constraints and the documentation cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from kg.errors import SchemaError
from kg.schema import load_yaml, schema_dir

MERGE_POLICIES = ("set", "keep", "union")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def plain_identifier(name: str) -> str:
    """``name`` if it is a plain identifier, the only kind of label, type or property name the
    generated statements (``kg.graph.cypher``, ``kg.queries``) write into query text."""
    if not _IDENTIFIER.match(name):
        raise SchemaError(f"graph.yaml: {name!r} is not a plain identifier")
    return name


@dataclass(frozen=True, slots=True)
class Property:
    name: str
    type: str
    merge: str = "set"
    description: str = ""


@dataclass(frozen=True, slots=True)
class NodeType:
    label: str
    key: str
    extra_labels: tuple[str, ...]
    properties: tuple[Property, ...]
    description: str = ""


@dataclass(frozen=True, slots=True)
class RelType:
    type: str
    from_labels: tuple[str, ...]
    to_label: str
    properties: tuple[Property, ...]
    description: str = ""
    example: str = ""  # a Cypher query that walks the edge (shown in docs/schema.md, run in tests)
    key: tuple[str, ...] = ()  # properties that tell parallel edges apart (MERGE on them); () = one edge per pair


ENDPOINTS = ("from", "edge", "to")  # what a counter's dims and event are read from, on the counted edge


@dataclass(frozen=True, slots=True)
class CountedEdges:
    """The edges a counter counts: ``(from_label)-[relationship]->(to_label)`` dated by the edge's
    ``day`` property, one per distinct ``event`` (``edge.<prop>``, or ``to``: the end node)."""

    relationship: str
    from_label: str
    to_label: str
    day: str
    event: str


@dataclass(frozen=True, slots=True)
class CounterType:
    """One of the dashboard's counters (``counters`` in graph.yaml): counts ``counts`` per month
    grouped by ``dims``, or sums the month's counts of the counter ``sums``. ``dims`` pairs each
    dimension with what it is read from: ``from.iso2``, ``edge.type``; with ``sums``, the summed
    counter's dims (a tuple: one counter for each)."""

    label: str
    id_prefix: str
    dims: tuple[tuple[str, str | tuple[str, ...]], ...]
    counts: CountedEdges | None = None
    sums: str | None = None

    @property
    def dim_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.dims)


@dataclass(frozen=True, slots=True)
class GraphModel:
    nodes: dict[str, NodeType]
    relationships: dict[str, RelType]
    constraints: tuple[dict[str, Any], ...]
    indexes: tuple[dict[str, Any], ...]
    fulltext: tuple[dict[str, Any], ...]
    counters: dict[str, CounterType] = field(default_factory=dict)
    retired_indexes: tuple[dict[str, Any], ...] = ()  # dropped where an earlier version made them

    def node(self, label: str) -> NodeType:
        try:
            return self.nodes[label]
        except KeyError:
            raise SchemaError(f"graph.yaml: no node label {label!r}; labels: {', '.join(self.nodes)}") from None

    def relationship(self, rel_type: str) -> RelType:
        try:
            return self.relationships[rel_type]
        except KeyError:
            raise SchemaError(
                f"graph.yaml: no relationship {rel_type!r}; types: {', '.join(self.relationships)}") from None


def _properties(where: str, raw: dict[str, Any] | None) -> tuple[Property, ...]:
    props = []
    for name, spec in (raw or {}).items():
        spec = spec or {}
        merge = spec.get("merge", "set")
        if merge not in MERGE_POLICIES:
            raise SchemaError(f"graph.yaml: {where}.{name}: merge must be one of {MERGE_POLICIES}, not {merge!r}")
        props.append(Property(name=name, type=spec.get("type", "string"), merge=merge,
                              description=spec.get("description", "")))
    return tuple(props)


def parse_model(raw: dict[str, Any]) -> GraphModel:
    """Validate and type the content of graph.yaml."""
    try:
        nodes = {
            label: NodeType(label=label, key=spec["key"], extra_labels=tuple(spec.get("extra_labels") or ()),
                            properties=_properties(label, spec.get("properties")),
                            description=spec.get("description", ""))
            for label, spec in raw["nodes"].items()
        }
        rels = {
            rtype: RelType(type=rtype, from_labels=tuple(spec["from"]), to_label=spec["to"],
                           properties=_properties(rtype, spec.get("properties")),
                           description=spec.get("description", ""), example=spec.get("example", ""),
                           key=tuple(spec.get("key") or ()))
            for rtype, spec in raw["relationships"].items()
        }
    except (KeyError, TypeError, AttributeError) as exc:
        raise SchemaError(f"{schema_dir() / 'graph.yaml'}: malformed model ({exc!r} missing or wrong)") from exc
    known = set(nodes) | {x for n in nodes.values() for x in n.extra_labels}
    for rel in rels.values():
        for label in (*rel.from_labels, rel.to_label):
            if label not in known:
                raise SchemaError(f"graph.yaml: relationship {rel.type} refers to unknown label {label!r}")
    return GraphModel(nodes=nodes, relationships=rels,
                      constraints=tuple(raw.get("constraints") or ()),
                      indexes=tuple(raw.get("indexes") or ()),
                      fulltext=tuple(raw.get("fulltext") or ()),
                      retired_indexes=tuple(raw.get("retired_indexes") or ()),
                      counters=_counters(raw.get("counters") or {}, nodes, known))


def _counters(raw: dict[str, Any], nodes: dict[str, NodeType], labels: set[str]) -> dict[str, CounterType]:
    """The ``counters`` of graph.yaml, checked: a node label with ``grain``, ``period``, ``events`` and
    its dims as properties, either ``counts`` or ``sums`` (a counter declared before it), dims read
    from ``from``/``edge``/``to`` of the counted edge, or from the summed counter's dims."""
    out: dict[str, CounterType] = {}
    for label, spec in raw.items():
        where = f"graph.yaml: counter {label}"
        if label not in nodes:
            raise SchemaError(f"{where}: not a node label")
        if ("counts" in spec) == ("sums" in spec):
            raise SchemaError(f"{where}: give either counts or sums")
        dims = tuple((name, tuple(v) if isinstance(v, list) else v) for name, v in spec["dims"].items())
        missing = {"grain", "period", "events", *(n for n, _ in dims)} - {p.name for p in nodes[label].properties}
        if missing:
            raise SchemaError(f"{where}: {', '.join(sorted(missing))} not among the node's properties")
        counter = CounterType(label, spec["id_prefix"], dims, _counted_edges(where, spec.get("counts"), labels),
                              spec.get("sums"))
        wrong = _unreadable(counter, out)
        if wrong:
            raise SchemaError(f"{where}: cannot read {wrong[0]!r}")
        out[label] = counter
    return out


def _counted_edges(where: str, raw: dict[str, str] | None, labels: set[str]) -> CountedEdges | None:
    if raw is None:
        return None
    edges = CountedEdges(raw["relationship"], raw["from"], raw["to"], raw["day"], raw["event"])
    if edges.from_label not in labels or edges.to_label not in labels:
        raise SchemaError(f"{where}: counts edges between unknown labels")
    return edges


def _unreadable(counter: CounterType, before: dict[str, CounterType]) -> list[Any]:
    """What ``counter`` reads and cannot: a path not on the counted edge, or a dim the counter it
    sums does not have."""
    if counter.counts is None:
        summed = before.get(counter.sums or "")
        if summed is None:
            return [f"sums {counter.sums}: not a counter declared before it"]
        return [d for _, v in counter.dims for d in (v if isinstance(v, tuple) else (v,)) if d not in summed.dim_names]
    paths = [v for _, v in counter.dims] + ([] if counter.counts.event == "to" else [counter.counts.event])
    return [v for v in paths if not isinstance(v, str) or v.partition(".")[0] not in ENDPOINTS or not v.partition(".")[2]]


@cache
def graph_model() -> GraphModel:
    """The model of ``schema/graph.yaml`` (read once per process)."""
    return parse_model(load_yaml("graph.yaml"))
