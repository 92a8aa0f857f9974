"""The loader against the real local Neo4j: constraints, idempotence, merging, replacement, errors."""

from __future__ import annotations


import json
from datetime import date
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.graph.load import apply_schema, graph_counts, load_extractions, read_jsonl
from kg.records import ArticleExtraction, ArticleMeta, Entity, Event

pytestmark = pytest.mark.neo4j


def _article(aid: str, published: str, *entities: Entity, events: tuple[Event, ...] = ()) -> ArticleExtraction:
    return ArticleExtraction(
        article=ArticleMeta.from_dict({"id": aid, "path": f"{aid}.md", "title": f"article {aid}", "published": published,
                                       "source": "Sample Daily", "url": f"https://example.org/{aid}", "language": "zh"}),
        entities=entities, events=events)


LAVROV = Entity("person:sergey-lavrov", "Person", "Sergey Lavrov", ("拉夫罗夫",), country="RU", role="foreign minister")
WANG = Entity("person:wang-yi", "Person", "Wang Yi", ("王毅",), country="CN", role="foreign minister")
CN = Entity("country:CN", "Country", "China", ("中国",), iso2="CN")
RU = Entity("country:RU", "Country", "Russia", ("俄罗斯",), iso2="RU")
VISIT_PLANNED = Event("event:lavrov-visit", "VISIT", ("country:RU", "country:CN", "person:sergey-lavrov"),
                      None, None, None, "planned", "拉夫罗夫将访华。", 0.7)
VISIT_DATED = Event("event:lavrov-visit", "VISIT", ("country:RU", "country:CN", "person:sergey-lavrov"),
                    date(2021, 3, 22), date(2021, 3, 23), None, "occurred", "拉夫罗夫3月22日至23日访华。", 0.9)


def _node_ids(driver: neo4j.Driver, label: str) -> set[str]:
    records, _, _ = driver.execute_query(f"MATCH (n:{label}) RETURN n.id AS id")
    return {r["id"] for r in records}


def test_apply_schema_creates_constraints_and_is_idempotent(neo4j_driver: neo4j.Driver, clean_db: None) -> None:
    apply_schema(neo4j_driver)
    apply_schema(neo4j_driver)
    records, _, _ = neo4j_driver.execute_query("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type")
    unique = {(r["labelsOrTypes"][0], r["properties"][0]) for r in records if "UNIQUE" in r["type"]}
    assert {("Person", "id"), ("Country", "id"), ("Event", "id"), ("Article", "id"), ("Entity", "id")} <= unique


def test_loading_twice_changes_nothing(neo4j_driver: neo4j.Driver, clean_db: None) -> None:
    apply_schema(neo4j_driver)
    batch = [_article("a1", "2021-03-21T00:00:00+00:00", LAVROV, CN, RU, events=(VISIT_PLANNED,)),
             _article("a2", "2021-03-23T00:00:00+00:00", LAVROV, WANG, CN, events=(VISIT_DATED,))]
    load_extractions(neo4j_driver, batch, run_id="run-1")
    first = graph_counts(neo4j_driver)
    load_extractions(neo4j_driver, batch, run_id="run-2")
    assert graph_counts(neo4j_driver) == first


def test_two_articles_mentioning_a_person_give_one_node(neo4j_driver: neo4j.Driver, clean_db: None) -> None:
    apply_schema(neo4j_driver)
    other = Entity("person:sergey-lavrov", "Person", "Sergey Lavrov", ("拉夫羅夫", "Lavrov"), country="RU")
    load_extractions(neo4j_driver, [_article("a1", "2021-03-21T00:00:00+00:00", LAVROV),
                                    _article("a2", "2021-03-22T00:00:00+00:00", other)], run_id="run-1")
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (p:Person {id: 'person:sergey-lavrov'}) RETURN count(p) AS n, p.aliases AS aliases, "
        "COUNT { (p)<-[:MENTIONS]-(:Article) } AS articles")
    assert records[0]["n"] == 1 and records[0]["articles"] == 2
    assert set(records[0]["aliases"]) == {"拉夫罗夫", "拉夫羅夫", "Lavrov"}


def test_one_event_many_sources_takes_the_precise_dates_and_latest_status(
        neo4j_driver: neo4j.Driver, clean_db: None) -> None:
    apply_schema(neo4j_driver)
    load_extractions(neo4j_driver, [_article("a1", "2021-03-21T00:00:00+00:00", LAVROV, CN, RU, events=(VISIT_PLANNED,)),
                                    _article("a2", "2021-03-23T00:00:00+00:00", LAVROV, CN, RU, events=(VISIT_DATED,))],
                     run_id="run-1")
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (e:Event)-[:REPORTED_IN]->(:Article {id: 'a1'}) RETURN e.sources AS sources, toString(e.start) AS start, "
        "toString(e.end) AS end, e.status AS status, "
        "[(x)-[:PARTICIPATED_IN]->(e) | x.id] AS parties")
    row = records[0]
    assert (row["sources"], row["start"], row["end"], row["status"]) == (2, "2021-03-22", "2021-03-23", "occurred")
    assert set(row["parties"]) == {"country:RU", "country:CN", "person:sergey-lavrov"}


def test_reloading_a_changed_article_replaces_its_facts(neo4j_driver: neo4j.Driver, clean_db: None) -> None:
    apply_schema(neo4j_driver)
    load_extractions(neo4j_driver, [_article("a1", "2021-03-21T00:00:00+00:00", LAVROV, CN, events=(VISIT_PLANNED,))],
                     run_id="run-1")
    load_extractions(neo4j_driver, [_article("a1", "2021-03-21T00:00:00+00:00", WANG)], run_id="run-2")
    assert _node_ids(neo4j_driver, "Event") == set()  # the retracted report took its event with it
    records, _, _ = neo4j_driver.execute_query("MATCH (:Article {id: 'a1'})-[:MENTIONS]->(e) RETURN e.id AS id")
    assert {r["id"] for r in records} == {"person:wang-yi"}


def test_every_write_carries_its_run(neo4j_driver: neo4j.Driver, clean_db: None) -> None:
    apply_schema(neo4j_driver)
    load_extractions(neo4j_driver, [_article("a1", "2021-03-21T00:00:00+00:00", LAVROV, CN, events=(VISIT_DATED,))],
                     run_id="run-7")
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (n) WHERE n.run_id IS NULL RETURN count(n) AS nodes UNION ALL "
        "MATCH ()-[r]->() WHERE r.run_id IS NULL RETURN count(r) AS nodes")
    assert [r["nodes"] for r in records] == [0, 0]


def test_kg_load_reports_a_malformed_line_and_loads_the_rest(
        neo4j_driver: neo4j.Driver, clean_db: None, tmp_path: Path) -> None:
    good = _article("a1", "2021-03-21T00:00:00+00:00", LAVROV, CN).to_dict()
    path = tmp_path / "extracted.jsonl"
    path.write_text(json.dumps(good, ensure_ascii=False) + "\n{not json\n"
                    + json.dumps(_article("a2", "2021-03-22T00:00:00+00:00", WANG).to_dict()) + "\n",
                    encoding="utf-8")
    assert [type(x).__name__ for x in read_jsonl(path)] == ["ArticleExtraction", "RejectedLine", "ArticleExtraction"]
    result = CliRunner().invoke(main, ["load", str(path)])
    assert result.exit_code == 1
    assert f"{path}:2: not valid JSON" in result.output
    assert _node_ids(neo4j_driver, "Article") == {"a1", "a2"}


def test_kg_query_is_read_only(neo4j_driver: neo4j.Driver, clean_db: None) -> None:
    result = CliRunner().invoke(main, ["query", "CREATE (n:Person {id: 'x'}) RETURN n"])
    assert result.exit_code == 1
    assert "refused: CREATE writes to the graph" in result.output
    result = CliRunner().invoke(main, ["query", "RETURN $a + 1 AS b", "--param", "a=41", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.splitlines()[0]) == {"b": 42}


def test_kg_query_runs_a_cookbook_recipe_by_name(neo4j_driver: neo4j.Driver, clean_db: None) -> None:
    apply_schema(neo4j_driver)
    load_extractions(neo4j_driver, [_article("a1", "2021-03-21T00:00:00+00:00", LAVROV, CN, RU, events=(VISIT_DATED,))],
                     run_id="run-1")
    result = CliRunner().invoke(main, ["query", "contacts-between-countries", "-p", "a=country:CN",
                                       "-p", "b=country:RU", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["type"] for line in result.stdout.splitlines()] == ["VISIT"]
    result = CliRunner().invoke(main, ["query", "no-such-recipe"])
    assert result.exit_code == 1 and "no recipe 'no-such-recipe'" in result.output

