"""Load extractions into Neo4j: batched, parameterised ``UNWIND ... MERGE`` in write transactions.

Each batch of articles is one write transaction (``execute_write`` retries transient errors), so a
crash leaves whole articles loaded or not at all. Loading an article again replaces its facts:
its reports and mentions are removed, the new ones written, and every event they touch is
recomputed from the reports that remain. Loading the same input twice therefore changes nothing.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

import neo4j

from kg.errors import LoadError
from kg.graph import cypher
from kg.graph.model import GraphModel, graph_model
from kg.graph.rows import GraphRows, graph_rows
from kg.records import ArticleExtraction

T = TypeVar("T")
ROWS_PER_STATEMENT = 1000


@dataclass
class LoadStats:
    """What a load did: articles and rows written, and one line per input that failed."""

    articles: int = 0
    rows: int = 0
    batches: int = 0
    errors: list[str] = field(default_factory=list)


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of at most ``size`` items."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def new_run_id() -> str:
    """A sortable, unique id for one run: UTC time plus a random suffix."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(3)


def read_jsonl(path: str | Path) -> Iterator[ArticleExtraction | LoadError]:
    """Extractions from a ``kg extract --format jsonl`` file; a bad line yields a LoadError naming it."""
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield ArticleExtraction.from_dict(json.loads(line))
            except json.JSONDecodeError as exc:
                yield LoadError(f"{path}:{lineno}: not valid JSON ({exc.msg} at column {exc.colno})")
            except (KeyError, TypeError, AttributeError, ValueError) as exc:
                yield LoadError(f"{path}:{lineno}: not an extraction object ({exc!r} missing or wrong)")


def _write_batch(tx: neo4j.ManagedTransaction, rows: GraphRows, model: GraphModel, run_id: str) -> None:
    touched = set(rows.event_ids)
    record = tx.run(cypher.DETACH_ARTICLE_REPORTS, article_ids=rows.article_ids).single()
    touched.update(record["event_ids"] if record else [])
    tx.run(cypher.DETACH_ARTICLE_MENTIONS, article_ids=rows.article_ids)
    for label, by_id in rows.nodes.items():
        query = cypher.upsert_nodes(model.node(label))
        for chunk in batched(by_id.values(), ROWS_PER_STATEMENT):
            tx.run(query, rows=chunk, run_id=run_id)
    for (rel_type, from_label, to_label), rel_rows in rows.rels.items():
        query = cypher.upsert_relationships(model.relationship(rel_type), from_label, to_label)
        for chunk in batched(rel_rows, ROWS_PER_STATEMENT):
            tx.run(query, rows=chunk, run_id=run_id)
    events = sorted(touched)
    for query in (cypher.DELETE_UNREPORTED_EVENTS, cypher.REFRESH_EVENTS,
                  cypher.REBUILD_PARTICIPATION, cypher.REBUILD_PLACE):
        for chunk in batched(events, ROWS_PER_STATEMENT):
            tx.run(query, event_ids=chunk, run_id=run_id)


def load_extractions(
    driver: neo4j.Driver,
    extractions: Iterable[ArticleExtraction],
    *,
    run_id: str,
    articles_per_batch: int = 200,
    database: str | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> LoadStats:
    """Write extractions in batches of articles, one write transaction per batch."""
    model = graph_model()
    stats = LoadStats()
    with driver.session(database=database) as session:
        for chunk in batched(extractions, articles_per_batch):
            rows = graph_rows(chunk)
            try:
                session.execute_write(_write_batch, rows, model, run_id)
            except neo4j.exceptions.Neo4jError as exc:
                raise LoadError(f"writing articles {rows.article_ids[0]}..{rows.article_ids[-1]} failed: "
                                f"{exc.code}: {exc.message}") from exc
            stats.articles += len(chunk)
            stats.rows += rows.row_count()
            stats.batches += 1
            if on_batch:
                on_batch(len(chunk))
    return stats


def apply_schema(driver: neo4j.Driver, database: str | None = None) -> list[str]:
    """Create the model's constraints and indexes (idempotent); returns the statements run."""
    statements = cypher.schema_statements(graph_model())
    with driver.session(database=database) as session:
        for statement in statements:
            session.run(statement).consume()
    return statements


def start_run(driver: neo4j.Driver, run_id: str, command: str, database: str | None = None) -> None:
    """Record the start of a run as a Run node."""
    driver.execute_query(cypher.START_RUN, run_id=run_id, command=command,
                         started=datetime.now(UTC).isoformat(), database_=database)


def finish_run(driver: neo4j.Driver, run_id: str, stats: LoadStats, database: str | None = None) -> None:
    """Record the end of a run with its counts and errors."""
    driver.execute_query(cypher.FINISH_RUN, run_id=run_id, finished=datetime.now(UTC).isoformat(),
                         articles=stats.articles, failed=len(stats.errors), errors=stats.errors[:1000],
                         database_=database)


def graph_counts(driver: neo4j.Driver, database: str | None = None) -> dict[str, Any]:
    """Node counts by label and relationship counts by type (for idempotence checks and reports)."""
    nodes, _, _ = driver.execute_query(
        "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n ORDER BY label", database_=database,
        routing_=neo4j.RoutingControl.READ)
    rels, _, _ = driver.execute_query(
        "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type", database_=database,
        routing_=neo4j.RoutingControl.READ)
    return {"nodes": {r["label"]: r["n"] for r in nodes}, "relationships": {r["type"]: r["n"] for r in rels}}
