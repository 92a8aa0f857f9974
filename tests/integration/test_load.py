"""Loading against the real local Neo4j: constraints, idempotence, merging, replacement, run stamps and
counters - each after a first load by either strategy, into an empty graph and one with data - and errors."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.graph.aggregates import refresh_aggregates
from kg.graph.load import apply_schema, graph_counts, load_extractions, read_jsonl
from kg.graph.writer import Strategy, write_extractions
from kg.records import ArticleExtraction, ArticleMeta, Entity, Event
from kg.graph.tables import WriterTables

TABLES = WriterTables.load()

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


# Written before the first load of the "merge into a graph with data" case: another article, with
# an event of its own in the same month as the tests' events (so the counters of that month are
# updated by a delta, not written afresh).
ELSEWHERE = _article("z0", "2021-03-05T00:00:00+00:00", WANG, CN,
                     Entity("country:FR", "Country", "France", ("法国",), iso2="FR"),
                     events=(Event("event:wang-call", "CALL", ("country:CN", "country:FR", "person:wang-yi"),
                                   date(2021, 3, 4), None, None, "occurred", "王毅3月4日同法国外长通电话。", 0.9),))


@dataclass(frozen=True)
class FirstLoad:
    """How the graph is first loaded: by a strategy, into an empty graph or one that holds data.
    Later loads are the merge strategy's (the import strategy writes into an empty graph only)."""

    strategy: Strategy
    graph_has_data: bool

    def __call__(self, driver: neo4j.Driver, extractions: list[ArticleExtraction], run_id: str) -> None:
        write_extractions(driver, extractions, strategy=self.strategy, tables=TABLES, run_id=run_id)

    def prepare(self, driver: neo4j.Driver) -> set[str]:
        """The schema, and the other article when the graph is to hold data; returns its events."""
        apply_schema(driver)
        if self.graph_has_data:
            load_extractions(driver, [ELSEWHERE], tables=TABLES, run_id="run-elsewhere")
        return _node_ids(driver, "Event")


@pytest.fixture(params=[FirstLoad(Strategy.MERGE, False), FirstLoad(Strategy.IMPORT, False),
                        FirstLoad(Strategy.MERGE, True)],
                ids=["merge into an empty graph", "import into an empty graph", "merge into a graph with data"])
def first_load(request: pytest.FixtureRequest, neo4j_driver: neo4j.Driver, clean_db: None) -> FirstLoad:
    return request.param  # type: ignore[no-any-return]


def test_apply_schema_creates_constraints_and_is_idempotent(neo4j_driver: neo4j.Driver, clean_db: None) -> None:
    apply_schema(neo4j_driver)
    apply_schema(neo4j_driver)
    records, _, _ = neo4j_driver.execute_query("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type")
    unique = {(r["labelsOrTypes"][0], r["properties"][0]) for r in records if "UNIQUE" in r["type"]}
    assert {("Person", "id"), ("Country", "id"), ("Event", "id"), ("Article", "id"), ("Entity", "id")} <= unique


def test_apply_schema_drops_a_retired_index(neo4j_driver: neo4j.Driver, clean_db: None) -> None:
    """A graph made by an earlier version loses the index graph.yaml retired (REPORTED_IN.mention_id)."""
    neo4j_driver.execute_query("CREATE INDEX rel_reported_in_mention_id IF NOT EXISTS "
                               "FOR ()-[r:REPORTED_IN]-() ON (r.mention_id)")
    apply_schema(neo4j_driver)
    apply_schema(neo4j_driver)  # and again, with nothing left to drop
    records, _, _ = neo4j_driver.execute_query("SHOW INDEXES YIELD name RETURN collect(name) AS names")
    assert "rel_reported_in_mention_id" not in records[0]["names"]
    assert "rel_reported_in_start" in records[0]["names"]


def test_loading_twice_changes_nothing(neo4j_driver: neo4j.Driver, first_load: FirstLoad) -> None:
    first_load.prepare(neo4j_driver)
    batch = [_article("a1", "2021-03-21T00:00:00+00:00", LAVROV, CN, RU, events=(VISIT_PLANNED,)),
             _article("a2", "2021-03-23T00:00:00+00:00", LAVROV, WANG, CN, events=(VISIT_DATED,))]
    first_load(neo4j_driver, batch, "run-1")
    first = graph_counts(neo4j_driver)
    load_extractions(neo4j_driver, batch, tables=TABLES, run_id="run-2")
    assert graph_counts(neo4j_driver) == first


def test_two_articles_mentioning_a_person_give_one_node(neo4j_driver: neo4j.Driver, first_load: FirstLoad) -> None:
    first_load.prepare(neo4j_driver)
    other = Entity("person:sergey-lavrov", "Person", "Sergey Lavrov", ("拉夫羅夫", "Lavrov"), country="RU")
    first_load(neo4j_driver, [_article("a1", "2021-03-21T00:00:00+00:00", LAVROV),
                              _article("a2", "2021-03-22T00:00:00+00:00", other)], "run-1")
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (p:Person {id: 'person:sergey-lavrov'}) RETURN count(p) AS n, p.aliases AS aliases, "
        "COUNT { (p)<-[:MENTIONS]-(:Article) } AS articles")
    assert records[0]["n"] == 1 and records[0]["articles"] == 2
    assert set(records[0]["aliases"]) == {"拉夫罗夫", "拉夫羅夫", "Lavrov"}


def test_one_event_many_sources_takes_the_precise_dates_and_latest_status(
        neo4j_driver: neo4j.Driver, first_load: FirstLoad) -> None:
    first_load.prepare(neo4j_driver)
    first_load(neo4j_driver, [_article("a1", "2021-03-21T00:00:00+00:00", LAVROV, CN, RU, events=(VISIT_PLANNED,)),
                              _article("a2", "2021-03-23T00:00:00+00:00", LAVROV, CN, RU, events=(VISIT_DATED,))],
               "run-1")
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (e:Event)-[:REPORTED_IN]->(:Article {id: 'a1'}) RETURN e.sources AS sources, toString(e.start) AS start, "
        "toString(e.end) AS end, e.status AS status, "
        "[(x)-[:PARTICIPATED_IN]->(e) | x.id] AS parties")
    row = records[0]
    assert (row["sources"], row["start"], row["end"], row["status"]) == (2, "2021-03-22", "2021-03-23", "occurred")
    assert set(row["parties"]) == {"country:RU", "country:CN", "person:sergey-lavrov"}


def test_reloading_a_changed_article_replaces_its_facts(neo4j_driver: neo4j.Driver, first_load: FirstLoad) -> None:
    other_events = first_load.prepare(neo4j_driver)
    first_load(neo4j_driver, [_article("a1", "2021-03-21T00:00:00+00:00", LAVROV, CN, events=(VISIT_PLANNED,))],
               "run-1")
    load_extractions(neo4j_driver, [_article("a1", "2021-03-21T00:00:00+00:00", WANG)], tables=TABLES, run_id="run-2")
    assert _node_ids(neo4j_driver, "Event") == other_events  # the retracted report took its event with it
    records, _, _ = neo4j_driver.execute_query("MATCH (:Article {id: 'a1'})-[:MENTIONS]->(e) RETURN e.id AS id")
    assert {r["id"] for r in records} == {"person:wang-yi"}


def test_every_write_carries_its_run(neo4j_driver: neo4j.Driver, first_load: FirstLoad) -> None:
    first_load.prepare(neo4j_driver)
    first_load(neo4j_driver, [_article("a1", "2021-03-21T00:00:00+00:00", LAVROV, CN, events=(VISIT_DATED,))],
               "run-7")
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (n) WHERE n.run_id IS NULL RETURN count(n) AS nodes UNION ALL "
        "MATCH ()-[r]->() WHERE r.run_id IS NULL RETURN count(r) AS nodes")
    assert [r["nodes"] for r in records] == [0, 0]
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (:Article {id: 'a1'})-[m:MENTIONS]->(x) RETURN DISTINCT m.run_id AS m, x.run_id AS x")
    assert {(r["m"], r["x"]) for r in records} == {("run-7", "run-7")}


def test_the_counters_equal_a_recount_after_each_load(neo4j_driver: neo4j.Driver, first_load: FirstLoad) -> None:
    first_load.prepare(neo4j_driver)
    first_load(neo4j_driver, [_article("a1", "2021-03-21T00:00:00+00:00", LAVROV, CN, RU, events=(VISIT_PLANNED,)),
                              _article("a2", "2021-03-23T00:00:00+00:00", LAVROV, WANG, CN, RU, events=(VISIT_DATED,))],
               "run-1")
    assert _node_ids(neo4j_driver, "PairCount")  # the load counted its month
    assert refresh_aggregates(neo4j_driver, None, run_id="recount-1") == 0  # and a recount changes nothing
    load_extractions(neo4j_driver, [_article("a2", "2021-03-23T00:00:00+00:00", WANG, CN)], tables=TABLES, run_id="run-2")
    assert refresh_aggregates(neo4j_driver, None, run_id="recount-2") == 0


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
                     tables=TABLES, run_id="run-1")
    result = CliRunner().invoke(main, ["query", "contacts-between-countries", "-p", "a=country:CN",
                                       "-p", "b=country:RU", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["type"] for line in result.stdout.splitlines()] == ["VISIT"]
    result = CliRunner().invoke(main, ["query", "no-such-recipe"])
    assert result.exit_code == 1 and "no recipe 'no-such-recipe'" in result.output



def test_kg_load_by_import_refuses_a_graph_with_data(neo4j_driver: neo4j.Driver, clean_db: None, tmp_path: Path) -> None:
    apply_schema(neo4j_driver)
    load_extractions(neo4j_driver, [ELSEWHERE], tables=TABLES, run_id="run-elsewhere")
    path = tmp_path / "extracted.jsonl"
    path.write_text(json.dumps(_article("a1", "2021-03-21T00:00:00+00:00", LAVROV, CN).to_dict()) + "\n",
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["load", "--strategy", "import", str(path)])
    assert result.exit_code == 1 and "already holds articles" in result.output
    assert _node_ids(neo4j_driver, "Article") == {"z0"}
