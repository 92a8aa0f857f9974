"""Read-only Cypher for analysts (``kg query``, the dashboard console).

Queries run in read transactions, so the server itself refuses writes; a cheap check first refuses
write clauses with a message that says why, before anything is sent. Parameters are always passed
separately: user text never becomes part of another query.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import neo4j

from kg.errors import QueryError

_WRITE_CLAUSE = re.compile(
    r"\b(CREATE|MERGE|DELETE|DETACH|SET|REMOVE|DROP|FOREACH|LOAD\s+CSV|IN\s+TRANSACTIONS|"
    r"GRANT|DENY|REVOKE|ALTER|RENAME|START\s+DATABASE|STOP\s+DATABASE)\b", re.IGNORECASE)
_WRITE_PROCEDURE = re.compile(r"\bCALL\s+(db\.create|db\.index\.fulltext\.create|dbms\.|apoc\.(create|merge|refactor|periodic))",
                              re.IGNORECASE)
_STRINGS_AND_COMMENTS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.DOTALL)


def write_clause(query: str) -> str | None:
    """The first write clause in a query (ignoring strings, quoted names and comments), or None."""
    code = _STRINGS_AND_COMMENTS.sub(" ", query)
    found = _WRITE_CLAUSE.search(code) or _WRITE_PROCEDURE.search(code)
    return found.group(0).upper() if found else None


def parse_param(text: str) -> tuple[str, Any]:
    """``name=value`` from the command line; the value is JSON when it parses (numbers, lists), else a string."""
    name, sep, value = text.partition("=")
    if not sep or not re.fullmatch(r"[A-Za-z_]\w*", name):
        raise QueryError(f"parameter {text!r}: expected name=value, e.g. --param country=CN")
    try:
        return name, json.loads(value)
    except json.JSONDecodeError:
        return name, value


@dataclass(frozen=True, slots=True)
class QueryResult:
    keys: list[str]
    rows: list[dict[str, Any]]


def to_plain(value: Any) -> Any:
    """Neo4j values as plain JSON-able Python (nodes and relationships as dicts, dates as ISO)."""
    if isinstance(value, neo4j.graph.Node):
        return {"_labels": sorted(value.labels), **{k: to_plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Relationship):
        return {"_type": value.type, "_start": value.start_node.get("id") if value.start_node else None,
                "_end": value.end_node.get("id") if value.end_node else None,
                **{k: to_plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Path):
        return {"_nodes": [to_plain(n) for n in value.nodes],
                "_relationships": [to_plain(r) for r in value.relationships]}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def run_read_query(driver: neo4j.Driver, query: str, params: dict[str, Any] | None = None,
                   *, database: str | None = None, plain: bool = True) -> QueryResult:
    """Run one query in a read transaction; write clauses are refused with QueryError."""
    clause = write_clause(query)
    if clause:
        raise QueryError(f"refused: {clause} writes to the graph; this console is read-only "
                         f"(use `kg load` or `kg update` to change the graph)")

    def work(tx: neo4j.ManagedTransaction) -> QueryResult:
        result = tx.run(query, params or {})
        keys = list(result.keys())
        rows = [{k: (to_plain(r[k]) if plain else r[k]) for k in keys} for r in result]
        return QueryResult(keys=keys, rows=rows)

    try:
        with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
            return session.execute_read(work)
    except neo4j.exceptions.ClientError as exc:
        if "read access mode" in (exc.message or "").lower() or "write" in (exc.code or "").lower():
            raise QueryError(f"refused: the query tries to write; this console is read-only ({exc.message})") from exc
        raise QueryError(f"{exc.code}: {exc.message}") from exc
