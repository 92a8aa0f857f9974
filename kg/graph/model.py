"""The graph model read from ``schema/graph.yaml``: labels, keys, properties and relationships.

Everything that writes to Neo4j is generated from this model (``kg.graph.cypher``), so the model,
the constraints and the documentation cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from kg.errors import SchemaError
from kg.schema import load_yaml, schema_dir

MERGE_POLICIES = ("set", "keep", "union")


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


@dataclass(frozen=True, slots=True)
class GraphModel:
    nodes: dict[str, NodeType]
    relationships: dict[str, RelType]
    constraints: tuple[dict[str, Any], ...]
    indexes: tuple[dict[str, Any], ...]
    fulltext: tuple[dict[str, Any], ...]

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
                      fulltext=tuple(raw.get("fulltext") or ()))


@cache
def graph_model() -> GraphModel:
    """The model of ``schema/graph.yaml`` (read once per process)."""
    return parse_model(load_yaml("graph.yaml"))
