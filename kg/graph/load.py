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
from kg.extract.gazetteer import Gazetteer
from kg.graph import cypher
from kg.graph.model import GraphModel, graph_model
from kg.graph.rows import REPLACED_RELATIONSHIPS, EventParties, GraphRows, derived_rows, graph_rows, role_rows
from kg.records import ArticleExtraction
from kg.resolve import (
    Mention,
    MentionRef,
    ResolutionRules,
    gazetteer_roles,
    make_mention,
    mentions_of,
    resolution_rules,
    resolve_events,
    search_windows,
)

T = TypeVar("T")
ROWS_PER_STATEMENT = 1000
SORT_WINDOW = 10_000  # extractions sorted by publication time before batching (see load_extractions)


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


def _resolve(tx: neo4j.ManagedTransaction, extractions: list[ArticleExtraction],
             rules: ResolutionRules) -> tuple[dict[MentionRef, str], list[dict[str, Any]]]:
    """Event ids for the batch's mentions, and the stored reports that must move to another event
    (a new report bridged two events, or a reloaded article no longer does)."""
    article_ids = [ex.article["id"] for ex in extractions]
    batch = mentions_of(extractions)
    windows = search_windows(batch, rules)
    near = [rec["event"] for rec in tx.run(cypher.EVENTS_NEAR, windows=windows)]
    # the batch's articles' own stored reports too: a reloaded article may leave their events
    near += [rec["event"] for rec in tx.run(cypher.EVENTS_OF_ARTICLES, article_ids=article_ids)]
    current: dict[MentionRef, str] = {}
    stored: list[Mention] = []
    for rec in tx.run(cypher.STORED_REPORTS, event_ids=sorted(set(near)), article_ids=article_ids):
        stored.append(make_mention(rec["article"], rec["mention_id"], rec["type"], rec["participants"] or (),
                                   rec["start"], rec["end"], rec["published"]))
        current[stored[-1].ref] = rec["event"]
    assigned = resolve_events([*stored, *batch], rules)
    moves = [{"article": ref[0], "mention_id": ref[1], "from": eid, "to": assigned[ref]}
             for ref, eid in sorted(current.items()) if assigned[ref] != eid]
    return assigned, moves


def _write_rels(tx: neo4j.ManagedTransaction, rels: dict[tuple[str, str, str], list[dict[str, Any]]],
                 model: GraphModel, run_id: str, build: Callable[..., str] = cypher.upsert_relationships) -> None:
    """Relationship rows, one generated statement per (type, from label, to label): MERGE by
    default, CREATE (``cypher.create_relationships``) for edges deleted earlier in the transaction."""
    for (rel_type, from_label, to_label), rel_rows in rels.items():
        query = build(model.relationship(rel_type), from_label, to_label)
        for chunk in batched(rel_rows, ROWS_PER_STATEMENT):
            tx.run(query, rows=chunk, run_id=run_id)


def _write_batch(tx: neo4j.ManagedTransaction, extractions: list[ArticleExtraction], model: GraphModel,
                 run_id: str, rules: ResolutionRules) -> GraphRows:
    """One batch in one transaction: resolve, replace the articles' reports and mentions, upsert
    nodes and edges, recompute every event touched and its derived edges, prune orphans."""
    assigned, moves = _resolve(tx, extractions, rules)
    rows = graph_rows(extractions, assigned)
    for move in moves:
        rows.add_node("Event", {"id": move["to"]})
    touched = set(rows.event_ids) | {m["from"] for m in moves} | {m["to"] for m in moves}
    record = tx.run(cypher.DETACH_ARTICLE_REPORTS, article_ids=rows.article_ids).single()
    touched.update(record["event_ids"] if record else [])
    record = tx.run(cypher.DETACH_ARTICLE_MENTIONS, article_ids=rows.article_ids).single()
    detached = record["entity_ids"] if record else []
    for label, by_id in rows.nodes.items():
        query = cypher.upsert_nodes(model.node(label))
        for chunk in batched(by_id.values(), ROWS_PER_STATEMENT):
            tx.run(query, rows=chunk, run_id=run_id)
    replaced = {k: v for k, v in rows.rels.items() if k in REPLACED_RELATIONSHIPS}  # detached above
    _write_rels(tx, {k: v for k, v in rows.rels.items() if k not in replaced}, model, run_id)
    _write_rels(tx, replaced, model, run_id, cypher.create_relationships)
    for moved in batched(moves, ROWS_PER_STATEMENT):
        tx.run(cypher.MOVE_REPORTS, rows=moved, run_id=run_id)
    events = sorted(touched)
    for query in (cypher.DELETE_UNREPORTED_EVENTS, cypher.REFRESH_EVENTS, cypher.REBUILD_PARTICIPATION,
                  cypher.REBUILD_PLACE, cypher.DELETE_DERIVED):
        for ids in batched(events, ROWS_PER_STATEMENT):
            tx.run(query, event_ids=ids, run_id=run_id)
    parties = [EventParties(r["id"], r["type"], r["start"], tuple(r["participants"]))
               for r in tx.run(cypher.EVENT_PARTIES, event_ids=events)]
    _write_rels(tx, derived_rows(parties, rules.contact_types), model, run_id, cypher.create_relationships)
    _prune_entities(tx, detached)
    return rows


def _prune_entities(tx: neo4j.ManagedTransaction, candidates: list[str]) -> None:
    """Delete the entities a replaced article version alone named (and countries left unlinked)."""
    countries = set(c for c in candidates if c.startswith("country:"))
    for ids in batched(candidates, ROWS_PER_STATEMENT):
        for record in tx.run(cypher.PRUNE_ENTITIES, entity_ids=ids):
            countries.update(record["countries"])
    for ids in batched(sorted(countries), ROWS_PER_STATEMENT):
        tx.run(cypher.PRUNE_COUNTRIES, entity_ids=ids)


def load_extractions(
    driver: neo4j.Driver,
    extractions: Iterable[ArticleExtraction],
    *,
    run_id: str,
    articles_per_batch: int = 200,
    database: str | None = None,
    on_batch: Callable[[int], None] | None = None,
    sort_window: int = SORT_WINDOW,
) -> LoadStats:
    """Write extractions in batches of articles, one write transaction per batch.

    Each batch resolves its event mentions against the stored reports near them in time first
    (``kg.resolve``), so mentions of one real-world event from different articles, batches or runs
    become one Event. Up to ``sort_window`` extractions are taken at a time and written in
    publication order: a batch of articles from the same weeks has few stored events near it,
    while a batch scattered over years of an archive would reach most of the graph.
    """
    model = graph_model()
    rules = resolution_rules()
    stats = LoadStats()
    with driver.session(database=database) as session:
        for chunk in batched(in_time_order(extractions, sort_window), articles_per_batch):
            try:
                rows = session.execute_write(_write_batch, chunk, model, run_id, rules)
            except neo4j.exceptions.Neo4jError as exc:
                raise LoadError(f"writing articles {chunk[0].article['id']}..{chunk[-1].article['id']} failed: "
                                f"{exc.code}: {exc.message}") from exc
            stats.articles += len(chunk)
            stats.rows += rows.row_count()
            stats.batches += 1
            if on_batch:
                on_batch(len(chunk))
    return stats


def in_time_order(extractions: Iterable[ArticleExtraction], window: int) -> Iterator[ArticleExtraction]:
    """The extractions, each run of ``window`` of them sorted by publication time (memory stays bounded)."""
    for chunk in batched(extractions, window):
        yield from sorted(chunk, key=lambda ex: (ex.article.get("published") or "", ex.article["id"]))


def load_roles(driver: neo4j.Driver, roles: Iterable[tuple[str, str, str, str | None, str | None]], *,
               run_id: str, database: str | None = None) -> int:
    """Write HOLDS_ROLE edges from (person id, country or organisation id, title, start, end) tuples
    (``kg.resolve.gazetteer_roles``); only persons and holders already in the graph get edges.
    Returns the number of rows sent."""
    rels = role_rows(roles)
    with driver.session(database=database) as session:
        session.execute_write(_write_rels, rels, graph_model(), run_id)
    return sum(len(r) for r in rels.values())


def load_known_roles(driver: neo4j.Driver, *, run_id: str, database: str | None = None) -> int:
    """HOLDS_ROLE edges from the gazetteer's dated roles, for the people now in the graph."""
    roles = gazetteer_roles(Gazetteer.load().entries.values())
    return load_roles(driver, roles, run_id=run_id, database=database)


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


def finish_run(driver: neo4j.Driver, run_id: str, stats: LoadStats, database: str | None = None,
               **counts: int) -> None:
    """Record the end of a run with its counts and errors (``counts``: more of the Run's
    properties, e.g. new/changed/unchanged of an update)."""
    row = {"id": run_id, "finished": datetime.now(UTC).isoformat(), "articles": stats.articles,
           "failed": len(stats.errors), "errors": stats.errors[:1000], "status": "completed", **counts}
    driver.execute_query(cypher.upsert_nodes(graph_model().node("Run")), rows=[row], run_id=run_id,
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
