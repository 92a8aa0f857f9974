"""The graph model, the Cypher generated from it, and the rows built for the loader (no server)."""

from __future__ import annotations


from datetime import date
from pathlib import Path

import pytest

from kg import queries
from kg.errors import SchemaError
from kg.graph import cypher
from kg.graph.docs import schema_markdown
from kg.graph.model import graph_model, parse_model
from kg.graph.rows import graph_rows, label_of, runs, slug
from kg.records import ArticleExtraction, ArticleMeta, Entity, Event
from kg.schema import load_yaml

ROOT = Path(__file__).resolve().parents[2]


def test_model_declares_the_required_labels() -> None:
    model = graph_model()
    assert {"Person", "Country", "Organization", "Place", "Event", "Article", "Source"} <= set(model.nodes)
    assert model.node("Event").key == "id"


def test_docs_schema_md_is_generated_from_graph_yaml() -> None:
    """docs/schema.md must be regenerated (`kg schema docs > docs/schema.md`) when graph.yaml changes."""
    assert (ROOT / "docs" / "schema.md").read_text(encoding="utf-8") == schema_markdown(graph_model())


def test_unknown_label_in_a_relationship_is_a_schema_error() -> None:
    raw = {"nodes": {"A": {"key": "id"}}, "relationships": {"R": {"from": ["A"], "to": "B"}}}
    with pytest.raises(SchemaError, match="unknown label 'B'"):
        parse_model(raw)


def test_node_upsert_merges_on_the_key_and_unites_aliases() -> None:
    query = cypher.upsert_nodes(graph_model().node("Person"))
    assert query.startswith("UNWIND $rows AS row\nMERGE (n:Person {id: row.id})")
    assert "ON CREATE SET n.first_run_id = $run_id" in query
    assert "n:Entity" in query and "n.run_id = $run_id" in query
    assert "CASE WHEN x IN acc THEN acc ELSE acc + x END" in query  # aliases accumulate


def test_relationship_upsert_converts_dates() -> None:
    model = graph_model()
    query = cypher.upsert_relationships(model.relationship("REPORTED_IN"), "Event", "Article")
    assert "MERGE (a)-[r:REPORTED_IN {mention_id: row.mention_id}]->(b)" in query  # keyed: one per mention
    assert "r.start = date(row.start)" in query


def test_edges_come_in_runs_on_the_side_that_makes_fewer() -> None:
    rows = [{"from": "a1", "to": "country:CN"}, {"from": "a1", "to": "country:US"},
            {"from": "a2", "to": "country:CN"}, {"from": "a2", "to": "country:CN"}, {"from": "a1", "to": "country:RU"}]
    side, grouped = runs(rows)
    assert side == "from"  # three runs of articles against four of countries
    assert [run["from"] for run in grouped] == ["a1", "a2", "a1"]  # consecutive rows only: the order is kept
    assert [row for run in grouped for row in run["edges"]] == rows
    side, grouped = runs([{"from": "country:CN", "to": "e1"}, {"from": "country:US", "to": "e1"}])
    assert side == "to" and grouped == [{"to": "e1", "edges": [{"from": "country:CN", "to": "e1"},
                                                                {"from": "country:US", "to": "e1"}]}]


def test_edges_created_by_runs_seek_the_shared_end_once_per_run() -> None:
    met = graph_model().relationship("MET")
    by_to = cypher.create_relationships(met, "Person", "Person", "to")
    assert by_to.startswith("UNWIND $rows AS run\nMATCH (b:Person {id: run.to})\nUNWIND run.edges AS row\n"
                            "MATCH (a:Person {id: row.from})\nCREATE (a)-[r:MET]->(b)\n")
    plain = cypher.create_relationships(met, "Person", "Person")
    assert by_to.partition("CREATE")[2] == plain.partition("CREATE")[2]  # the same edge, the same properties
    assert "r.date = date(row.date)" in plain


def test_schema_statements_are_idempotent() -> None:
    statements = cypher.schema_statements(graph_model())
    assert statements and all("IF NOT EXISTS" in s or s.startswith("DROP INDEX ") and s.endswith(" IF EXISTS")
                              for s in statements)
    assert any("FOR (n:Entity) REQUIRE n.id IS UNIQUE" in s for s in statements)


def test_a_retired_index_is_dropped_by_the_name_it_was_created_with() -> None:
    raw = {"nodes": {"Event": {"key": "id"}, "Article": {"key": "id"}},
           "relationships": {"REPORTED_IN": {"from": ["Event"], "to": "Article", "properties": {"start": {}}}},
           "indexes": [{"relationship": "REPORTED_IN", "properties": ["start"]}],
           "retired_indexes": [{"relationship": "REPORTED_IN", "properties": ["mention_id"]},
                               {"label": "Event", "properties": ["type"]}]}
    statements = cypher.schema_statements(parse_model(raw))
    assert "CREATE INDEX rel_reported_in_start IF NOT EXISTS FOR ()-[r:REPORTED_IN]-() ON (r.start)" in statements
    assert statements[-2:] == ["DROP INDEX rel_reported_in_mention_id IF EXISTS", "DROP INDEX event_type IF EXISTS"]
    kept = cypher.schema_statements(graph_model())  # the model's own: nothing both created and dropped
    created = {s.split()[2] for s in kept if s.startswith("CREATE INDEX")}
    assert "DROP INDEX rel_reported_in_mention_id IF EXISTS" in kept and "rel_reported_in_mention_id" not in created


def test_identifiers_from_the_model_are_checked() -> None:
    raw = {"nodes": {"Bad Label": {"key": "id"}}, "relationships": {}}
    with pytest.raises(SchemaError, match="not a plain identifier"):
        cypher.upsert_nodes(parse_model(raw).node("Bad Label"))


def _extraction(article_id: str = "a1") -> ArticleExtraction:
    return ArticleExtraction(
        article=ArticleMeta.from_dict({"id": article_id, "path": f"{article_id}.md", "title": "t",
                                       "published": "2021-03-21T00:00:00+00:00", "source": "多维新闻网 - 要闻",
                                       "url": None, "language": "zh"}),
        entities=(Entity("person:sergey-lavrov", "Person", "Sergey Lavrov", ("拉夫罗夫",), country="RU"),
                  Entity("person:sergey-lavrov", "Person", "Sergey Lavrov", ("Lavrov",), country="RU"),
                  Entity("country:CN", "Country", "China", ("中国",), iso2="CN")),
        events=(Event("event:1", "VISIT", ("country:RU", "country:CN", "person:sergey-lavrov"), date(2021, 3, 22),
                      date(2021, 3, 23), None, "planned", "拉夫罗夫将于3月22日至23日访华。", 0.9),),
    )


def test_rows_group_by_label_and_unite_duplicate_entities() -> None:
    rows = graph_rows([_extraction()])
    assert rows.article_ids == ["a1"]
    assert rows.nodes["Person"]["person:sergey-lavrov"]["aliases"] == ["拉夫罗夫", "Lavrov"]
    assert "country:RU" in rows.nodes["Country"]  # the person's state exists as a node
    reported = rows.rels[("REPORTED_IN", "Event", "Article")]
    assert reported[0]["participants"] == ["country:RU", "country:CN", "person:sergey-lavrov"]
    assert rows.rels[("PUBLISHED_BY", "Article", "Source")] == [{"from": "a1", "to": "source:多维新闻网-要闻"}]


def test_ids_and_labels() -> None:
    assert slug("Sergey Lavrov") == "sergey-lavrov"
    assert slug("Miloš Vystrčil") == "milos-vystrcil"
    assert label_of("country:RU") == "Country" and label_of("org:nato") == "Organization"
    assert label_of("event:x") is None


def test_counters_come_from_the_model_and_a_bad_one_is_refused() -> None:
    model = graph_model()
    assert [c.label for c in model.counters.values()] == ["PairCount", "StateCount", "ActorCount"]
    month = queries.count_month(model.counters["StateCount"], model)
    assert "USING INDEX i:INTERACTED_WITH(date)" in month and "UNWIND [a, b] AS state" in month
    raw = load_yaml("graph.yaml")
    raw = {**raw, "counters": {**raw["counters"], "ActorCount": {**raw["counters"]["ActorCount"],
                                                                 "dims": {"type": "edge.type", "actor": "form.id"}}}}
    with pytest.raises(SchemaError, match="counter ActorCount: cannot read 'form.id'"):
        parse_model(raw)
