"""kg's own reads, run in a read transaction, and query results as plain Python.

kg's queries are fixed text with values passed as parameters (``kg.queries``, the cookbook);
analysts' queries go through the console (``kg.graph.read``) instead, which gives its rows in
the same shapes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import neo4j

from kg.errors import QueryError


@dataclass(frozen=True, slots=True)
class QueryResult:
    keys: list[str]
    rows: list[dict[str, Any]]
    truncated: bool = False  # a console query had more rows than its cap


def to_plain(value: Any) -> Any:
    """Neo4j values as plain JSON-able Python (nodes and relationships as dicts, dates as ISO)."""
    if value is None or isinstance(value, (str, int, float)):  # most values: answered first
        return value
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



def run_read_query(driver: neo4j.Driver, query: str, params: Mapping[str, Any] | None = None,
                   *, database: str | None = None, plain: bool = True) -> QueryResult:
    """Run one of kg's own queries (fixed text, values as parameters) in a read transaction.

    Analysts' queries go through ``kg.graph.read.console_query`` instead: checked, bounded and streamed."""

    def work(tx: neo4j.ManagedTransaction) -> QueryResult:
        result = tx.run(query, dict(params or {}))
        keys = list(result.keys())
        rows = [{k: (to_plain(r[k]) if plain else r[k]) for k in keys} for r in result]
        return QueryResult(keys=keys, rows=rows)

    try:
        with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
            return session.execute_read(work)
    except neo4j.exceptions.ClientError as exc:
        raise QueryError(f"{exc.code}: {exc.message}") from exc
