"""Every statement the write side runs: upserts and the counters' writes generated from the graph
model (``schema/graph.yaml``), and the other writes.

Every statement takes parameters; nothing user-typed is ever pasted into query text (labels and
property names come from ``schema/graph.yaml`` and are checked to be plain identifiers).

The writes that are not plain upserts (replacing an article's facts, moving reports from one
event to another, clearing the edges of an event that is written again) are written out here,
so all of kg's write Cypher lives in one module. Every read - the writers' own (stored reports,
counters, an update's diff) and the dashboard's, analytics' and exports' - is in ``kg.queries``
and the cookbook (``schema/queries``).
"""

from __future__ import annotations

from typing import Any

from kg.errors import SchemaError
from kg.graph.model import CounterType, GraphModel, NodeType, Property, RelType
from kg.graph.model import plain_identifier as _ident

def _value(prop: Property, expr: str) -> str:
    """Convert a row value (JSON) to the property's Cypher type."""
    if prop.type == "date":
        return f"date({expr})"
    if prop.type == "datetime":
        return f"datetime({expr})"
    return expr


def _assign(var: str, prop: Property) -> str:
    """The SET item for one property under its merge policy (null in the row never erases)."""
    name = _ident(prop.name)
    new = _value(prop, f"row.{name}")
    if prop.merge == "union":
        return (f"{var}.{name} = reduce(acc = coalesce({var}.{name}, []), x IN coalesce(row.{name}, []) | "
                f"CASE WHEN x IN acc THEN acc ELSE acc + x END)")
    if prop.merge == "keep":
        return f"{var}.{name} = coalesce({var}.{name}, {new})"
    return f"{var}.{name} = coalesce({new}, {var}.{name})"


def upsert_nodes(node: NodeType) -> str:
    """``UNWIND $rows MERGE`` for one label; rows carry the key and any of the model's properties."""
    label, key = _ident(node.label), _ident(node.key)
    sets = [f"n:{_ident(x)}" for x in node.extra_labels] + ["n.run_id = $run_id"]
    sets += [_assign("n", p) for p in node.properties]
    query = (f"UNWIND $rows AS row\n"
             f"MERGE (n:{label} {{{key}: row.{key}}})\n"
             f"ON CREATE SET n.first_run_id = $run_id\n"
             f"SET " + ",\n    ".join(sets))
    if node.extra_labels:  # names searchable in one fulltext index, after the aliases are merged
        query += _SEARCH_TEXT
    return query


_SEARCH_TEXT = "\nSET n.search_text = reduce(s = coalesce(n.name, ''), a IN coalesce(n.aliases, []) | s + ' ' + a)"


def create_nodes(node: NodeType) -> str:
    """``UNWIND $rows CREATE`` for nodes known to be new (the first load into an empty graph,
    ``kg.graph.bulk``): each property as ``upsert_nodes`` leaves it on a node it creates from one
    row - a union property is a list, empty at least."""
    labels = ":".join(_ident(x) for x in (node.label, *node.extra_labels))
    key = _ident(node.key)
    sets = ["n.run_id = $run_id", "n.first_run_id = $run_id"] + [
        f"n.{_ident(p.name)} = coalesce(row.{_ident(p.name)}, [])" if p.merge == "union"
        else f"n.{_ident(p.name)} = {_value(p, 'row.' + p.name)}" for p in node.properties]
    query = f"UNWIND $rows AS row\nCREATE (n:{labels} {{{key}: row.{key}}})\nSET " + ",\n    ".join(sets)
    return query + _SEARCH_TEXT if node.extra_labels else query


def replace_nodes(node: NodeType) -> str:
    """``UNWIND $rows MERGE`` that sets every property of the model to the row's value, null
    included: for nodes recomputed as a whole (an Event summarises its reports; a property its
    reports no longer give must go)."""
    label, key = _ident(node.label), _ident(node.key)
    sets = ["n.run_id = $run_id"] + [f"n.{_ident(p.name)} = {_value(p, 'row.' + p.name)}" for p in node.properties]
    return (f"UNWIND $rows AS row\n"
            f"MERGE (n:{label} {{{key}: row.{key}}})\n"
            f"ON CREATE SET n.first_run_id = $run_id\n"
            f"SET " + ",\n    ".join(sets))


def upsert_relationships(rel: RelType, from_label: str, to_label: str) -> str:
    """``UNWIND $rows MERGE`` of one relationship type between two labels; rows are {from, to, ...props}.

    A relationship with a ``key`` in graph.yaml MERGEs on those properties, so one pair of nodes can
    have several edges of the type (a MET edge per event); without a key there is one edge per pair.
    """
    rtype = _ident(rel.type)
    props = {p.name: p for p in rel.properties}
    if {"from", "to"} & set(props):
        raise SchemaError(f"graph.yaml: relationship {rel.type}: 'from' and 'to' name the endpoints in rows; "
                          f"call the property something else (start, end)")
    missing = [k for k in rel.key if k not in props]
    if missing:
        raise SchemaError(f"graph.yaml: relationship {rel.type}: key {', '.join(missing)} is not one of its properties")
    keyed = ", ".join(f"{_ident(k)}: {_value(props[k], 'row.' + k)}" for k in rel.key)
    sets = ["r.run_id = $run_id"] + [f"r.{_ident(p.name)} = {_value(p, 'row.' + p.name)}"
                                     for p in rel.properties if p.name not in rel.key]
    return (f"UNWIND $rows AS row\n"
            f"MATCH (a:{_ident(from_label)} {{id: row.from}})\n"
            f"MATCH (b:{_ident(to_label)} {{id: row.to}})\n"
            f"MERGE (a)-[r:{rtype}{' {' + keyed + '}' if keyed else ''}]->(b)\n"
            f"ON CREATE SET r.first_run_id = $run_id\n"
            f"SET " + ", ".join(sets))


def create_relationships(rel: RelType, from_label: str, to_label: str, by: str | None = None) -> str:
    """``UNWIND $rows CREATE`` for edges that are rebuilt: the caller has just deleted the edges
    the rows replace (``CLEAR_EVENT_EDGES``, ``DROP_EVENT_EDGES``), so there is nothing to MERGE with -
    and a MERGE between two busy nodes (China and the US share thousands of INTERACTED_WITH edges)
    would scan all their edges for each row.

    ``by`` ("from" or "to"): the rows come in runs of edges that share that endpoint,
    ``{by: id, "edges": [rows]}`` (``kg.graph.rows.runs``), and the shared endpoint is sought once
    per run instead of once per edge: an article's mentions, an event's parties, a person's
    meetings in one event. The edges are created in the order of the rows either way."""
    def end(side: str, of: str) -> str:  # the MATCH of one endpoint, its id from the row or the run
        var, label = ("a", from_label) if side == "from" else ("b", to_label)
        return f"MATCH ({var}:{_ident(label)} {{id: {of}.{side}}})\n"

    sets = ["r.first_run_id = $run_id", "r.run_id = $run_id"] + [
        f"r.{_ident(p.name)} = {_value(p, 'row.' + p.name)}" for p in rel.properties]
    if by is None:
        match = "UNWIND $rows AS row\n" + end("from", "row") + end("to", "row")
    else:
        match = ("UNWIND $rows AS run\n" + end(by, "run") + "UNWIND run.edges AS row\n"
                 + end("to" if by == "from" else "from", "row"))
    return match + f"CREATE (a)-[r:{_ident(rel.type)}]->(b)\nSET " + ", ".join(sets)


def _index_name(ix: dict[str, Any]) -> str:
    """The name kg gives an index of graph.yaml (``event_start``, ``rel_met_event``)."""
    props = "_".join(_ident(p) for p in ix["properties"])
    if "label" in ix:
        return f"{_ident(ix['label']).lower()}_{props}"
    return f"rel_{_ident(ix['relationship']).lower()}_{props}"


def schema_statements(model: GraphModel) -> list[str]:
    """Constraints, indexes and fulltext indexes of the model, each ``IF NOT EXISTS``, and the
    drop of each retired index, ``IF EXISTS`` (idempotent)."""
    out = []
    for c in model.constraints:
        label, prop = _ident(c["label"]), _ident(c["property"])
        out.append(f"CREATE CONSTRAINT {label.lower()}_{prop}_unique IF NOT EXISTS "
                   f"FOR (n:{label}) REQUIRE n.{prop} IS UNIQUE")
    for ix in model.indexes:
        props = [_ident(p) for p in ix["properties"]]
        if "label" in ix:
            on = ", ".join(f"n.{p}" for p in props)
            out.append(f"CREATE INDEX {_index_name(ix)} IF NOT EXISTS FOR (n:{_ident(ix['label'])}) ON ({on})")
        else:
            on = ", ".join(f"r.{p}" for p in props)
            out.append(f"CREATE INDEX {_index_name(ix)} IF NOT EXISTS "
                       f"FOR ()-[r:{_ident(ix['relationship'])}]-() ON ({on})")
    out += [f"DROP INDEX {_index_name(ix)} IF EXISTS" for ix in model.retired_indexes]
    for ft in model.fulltext:
        labels = "|".join(_ident(x) for x in ft["labels"])
        on = ", ".join(f"n.{_ident(p)}" for p in ft["properties"])
        out.append(f"CREATE FULLTEXT INDEX {_ident(ft['name'])} IF NOT EXISTS FOR (n:{labels}) ON EACH [{on}]")
    return out


# An article's facts are replaced wholesale when it is loaded again: its reports and mentions go,
# and the events they touched are recomputed from whatever reports remain.
DETACH_ARTICLE_REPORTS = """
UNWIND $article_ids AS aid
MATCH (:Article {id: aid})<-[r:REPORTED_IN]-(:Event)
DELETE r
"""

DETACH_ARTICLE_MENTIONS = """
UNWIND $article_ids AS aid
MATCH (:Article {id: aid})-[m:MENTIONS]->(n)
DELETE m
RETURN collect(DISTINCT n.id) AS entity_ids
"""

# Entities that only the replaced version of an article named go with it (a clean load of the new
# version would not have them); people, places and organisations first, then the countries that
# nothing links to any more.
PRUNE_ENTITIES = """
UNWIND $entity_ids AS eid
MATCH (n:Entity {id: eid})
WHERE NOT n:Country AND NOT (n)<-[:MENTIONS]-() AND NOT (n)-[:PARTICIPATED_IN]->() AND NOT (n)<-[:HELD_IN]-()
OPTIONAL MATCH (n)-[:REPRESENTS|LOCATED_IN|HOLDS_ROLE]->(c:Country)
WITH n, collect(c.id) AS countries
DETACH DELETE n
RETURN countries
"""

PRUNE_COUNTRIES = """
UNWIND $entity_ids AS eid
MATCH (c:Country {id: eid})
WHERE NOT (c)<-[:MENTIONS]-() AND NOT (c)-[:PARTICIPATED_IN]->() AND NOT (c)<-[:HELD_IN]-()
  AND NOT (c)<-[:REPRESENTS|LOCATED_IN|HOLDS_ROLE]-()
DETACH DELETE c
RETURN count(*) AS deleted
"""

# A report whose mention now resolves to another event moves there, with all it says.
MOVE_REPORTS = """
UNWIND $rows AS row
MATCH (:Event {id: row.from})-[r:REPORTED_IN {mention_id: row.mention_id}]->(a:Article {id: row.article})
MATCH (e:Event {id: row.to})
CREATE (e)-[moved:REPORTED_IN]->(a)
SET moved = properties(r), moved.run_id = $run_id
DELETE r
"""

# When an event goes, or is written again without its old edges known (its article was loaded
# again), the edges computed from its reports go: the MET / INTERACTED_WITH edges that name it
# (found through their `event` index: expanding from a party would walk all the edges of a state
# like China) and its own parties and place.
CLEAR_EVENT_EDGES = (
    """
UNWIND $event_ids AS eid
MATCH ()-[d:MET {event: eid}]->()
DELETE d
""",
    """
UNWIND $event_ids AS eid
MATCH ()-[d:INTERACTED_WITH {event: eid}]->()
DELETE d
""",
    """
UNWIND $event_ids AS eid
MATCH (e:Event {id: eid})
OPTIONAL MATCH (e)-[h:HELD_IN]->()
DELETE h
WITH DISTINCT e
OPTIONAL MATCH ()-[p:PARTICIPATED_IN]->(e)
DELETE p
""",
)

# An event written again whose old edges are known (kg.graph.event_summary.event_rows) loses only the
# edges its reports no longer give: rows {event, drop: {from id: [to ids]}}, one per event and
# type, so each event's edges are read once through the `event` index or from the event node (a
# lookup per edge between two states would walk all the edges they share).
_DROP_EDGES = """
UNWIND $rows AS row
MATCH {pattern}
WHERE endNode(d).id IN row.drop[startNode(d).id]
DELETE d
"""
DROP_EVENT_EDGES = {
    "MET": _DROP_EDGES.format(pattern="()-[d:MET {event: row.event}]->()"),
    "INTERACTED_WITH": _DROP_EDGES.format(pattern="()-[d:INTERACTED_WITH {event: row.event}]->()"),
    "PARTICIPATED_IN": _DROP_EDGES.format(pattern="(:Event {id: row.event})<-[d:PARTICIPATED_IN]-()"),
    "HELD_IN": _DROP_EDGES.format(pattern="(:Event {id: row.event})-[d:HELD_IN]->()"),
}

# Events none of whose reports are left (they moved to another event, or their article changed).
DELETE_EVENTS = """
UNWIND $event_ids AS eid
MATCH (e:Event {id: eid})
DETACH DELETE e
"""

# Every transaction of kg that writes reports (Articles, Events, REPORTED_IN) adds one to the
# graph's mark (:GraphMark, schema/graph.yaml), so a report index kept between runs
# (kg.graph.report_index) knows whether the graph changed since it was made.
BUMP_MARK = """
MERGE (m:GraphMark {id: 'reports'})
ON CREATE SET m.token = randomUUID(), m.first_run_id = $run_id
SET m.version = coalesce(m.version, 0) + 1, m.run_id = $run_id
RETURN m.token AS token, m.version AS version
"""


def set_empty_list(owner: str, prop: str, relationship: bool) -> str:
    """Give ``prop`` an empty list where it has none, on the nodes of a label or the edges of a
    type: what the loader's MERGE leaves where an import can write nothing (``kg.graph.bulk``)."""
    pattern = f"()-[x:{_ident(owner)}]->()" if relationship else f"(x:{_ident(owner)})"
    return (f"MATCH {pattern} WHERE x.{_ident(prop)} IS NULL\n"
            f"CALL (x) {{ SET x.{_ident(prop)} = [] }} IN TRANSACTIONS OF 10000 ROWS")


# Run nodes of earlier runs, read before an import replaced the database and written back after it.
RESTORE_RUNS = """
UNWIND $runs AS run
MERGE (r:Run {id: run.id})
SET r = run
"""

START_RUN = """
MERGE (r:Run {id: $run_id})
ON CREATE SET r.first_run_id = $run_id
SET r.command = $command, r.started = datetime($started), r.run_id = $run_id
"""


# The only write of `kg analyze --write-back`: centrality scores and communities on actor nodes.
WRITE_SCORES = """
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
SET n.degree = row.degree, n.betweenness = row.betweenness, n.pagerank = row.pagerank,
    n.community = row.community, n.run_id = $run_id
"""


# --- the dashboard's counters (kg.graph.aggregates), from ``counters`` in graph.yaml -------------


def delete_counters(counter: CounterType) -> str:
    return f"MATCH (c:{_ident(counter.label)}) WHERE c.id IN $ids DELETE c"


def add_to_counters(counter: CounterType) -> str:
    """Add ``row.delta`` to each counter, created at 0 when new and deleted when down to 0."""
    sets = ", ".join(f"c.{_ident(d)} = row.{_ident(d)}" for d in counter.dim_names)
    return (f"UNWIND $rows AS row\nMERGE (c:{_ident(counter.label)} {{id: row.id}})\n"
            f"ON CREATE SET c.first_run_id = $run_id, c.grain = row.grain, c.period = row.period, {sets}, c.events = 0\n"
            "SET c.events = c.events + row.delta, c.run_id = $run_id\n"
            "WITH c WHERE c.events <= 0\nDELETE c")


CLEAR_PENDING = """
MATCH (p:PendingRefresh {id: $id})
SET p.months = [m IN p.months WHERE NOT m IN $months]
WITH p WHERE size(p.months) = 0
DELETE p
"""

CLEAR_FAILED = "UNWIND $ids AS id MATCH (f:Failed {id: id}) DETACH DELETE f"
# Waits for the indexes an import left to populate before the restored Runs are written.
AWAIT_INDEXES = "CALL db.awaitIndexes(600)"
