"""The import strategy against the real server, offline (``kg load --bulk``, neo4j-admin) and in
one transaction: the graph the merge strategy writes, property for property; refused where it would
replace a graph; nothing lost when the importer fails."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import neo4j
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.config import neo4j_settings
from kg.errors import LoadError, Neo4jServerError
from kg.extract.pipeline import extract_many
from kg.graph.bulk import IMPORT_ARRAY_DELIMITER
from kg.graph.connect import open_driver
from kg.graph.load import apply_schema, load_extractions, load_roles, start_run
from kg.graph.writer import Strategy, write_extractions
from kg.neo4j_server import imported, status
from kg.pipeline import import_archive
from kg.readers import read_articles
from kg.records import Article, ArticleExtraction
from kg.graph.tables import WriterTables

TABLES = WriterTables.load()

pytestmark = pytest.mark.neo4j

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


@cache
def corpus() -> tuple[ArticleExtraction, ...]:
    """Every article of the real corpus, extracted."""
    return tuple(extract_many([a for a in read_articles([str(CORPUS)]) if isinstance(a, Article)], workers=2))


@pytest.fixture
def driver(neo4j_driver: neo4j.Driver) -> Iterator[neo4j.Driver]:
    """A driver opened for the test; the shared one is told the bookmarks of the database the
    import made (its own name transactions of the database the import replaced)."""
    yield neo4j_driver
    with open_driver() as fresh, fresh.session() as session:
        session.run("RETURN 1").consume()
        bookmarks = neo4j_driver.execute_query_bookmark_manager
        bookmarks.update_bookmarks(bookmarks.get_bookmarks(), session.last_bookmarks().raw_values)


def _value(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_value(x) for x in value)
    if hasattr(value, "iso_format"):  # Date and DateTime keep their type
        return (type(value).__name__, value.iso_format())
    return value


def _properties(props: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, _value(v)) for k, v in props.items() if k not in ("run_id", "first_run_id")))


def graph(driver: neo4j.Driver) -> tuple[list[Any], list[Any]]:
    """Every node but the runs and the graph's mark (it counts the writes) and every edge, with their
    properties (types included) but the run ids."""
    nodes, _, _ = driver.execute_query("MATCH (n) WHERE NOT n:Run AND NOT n:GraphMark "
                                       "RETURN labels(n) AS labels, properties(n) AS props")
    rels, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS a, b.id AS b, properties(r) AS props")
    return (sorted((tuple(sorted(r["labels"])), _properties(r["props"])) for r in nodes),
            sorted((r["type"], r["a"], r["b"], _properties(r["props"])) for r in rels))


def _wipe(driver: neo4j.Driver) -> None:
    with driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS").consume()


def test_an_import_writes_the_graph_the_loader_writes(driver: neo4j.Driver) -> None:
    articles = corpus()
    _wipe(driver)
    apply_schema(driver)
    load_extractions(driver, articles, tables=TABLES, run_id="loaded")
    load_roles(driver, TABLES.roles, run_id="loaded")
    loaded = graph(driver)
    _wipe(driver)
    start_run(driver, "earlier", "update")

    stats = import_archive(neo4j_settings(), reversed(articles), tables=TABLES, run_id="imported", event_writers=2)

    assert stats.articles == len(articles) and not stats.errors
    with open_driver() as after:
        load_roles(after, TABLES.roles, run_id="imported")
        assert graph(after) == loaded
        runs, _, _ = after.execute_query("MATCH (r:Run) RETURN r.id AS id, r.command AS command")
        assert [(r["id"], r["command"]) for r in runs] == [("earlier", "update")]  # kept
        records, _, _ = after.execute_query("SHOW INDEXES YIELD state WHERE state <> 'ONLINE' RETURN count(*) AS n")
        assert records[0]["n"] == 0


def test_the_cli_imports_and_records_the_run(driver: neo4j.Driver, tmp_path: Path) -> None:
    _wipe(driver)
    lines = tmp_path / "sample.jsonl"
    lines.write_text("".join(json.dumps(ex.to_dict(), ensure_ascii=False) + "\n" for ex in corpus()[:40]),
                     encoding="utf-8")
    result = CliRunner().invoke(main, ["load", "--bulk", str(lines)])
    assert result.exit_code == 0, result.output
    with open_driver() as after:
        runs, _, _ = after.execute_query("MATCH (r:Run) RETURN r.command AS command, r.articles AS articles")
        assert [(r["command"], r["articles"]) for r in runs] == [(f"load --bulk {lines}", 40)]
        # and the graph takes updates like any other: loading an article again changes nothing
        before = graph(after)
        load_extractions(after, corpus()[:5], tables=TABLES, run_id="again")
        assert graph(after) == before


def test_an_import_refuses_a_graph_that_holds_articles(driver: neo4j.Driver) -> None:
    _wipe(driver)
    load_extractions(driver, corpus()[:3], tables=TABLES, run_id="loaded")
    with pytest.raises(LoadError, match="already holds articles"):
        import_archive(neo4j_settings(), corpus()[3:6], tables=TABLES, run_id="imported")


def test_a_failed_import_leaves_the_graph_as_it_was(driver: neo4j.Driver, tmp_path: Path) -> None:
    _wipe(driver)
    load_extractions(driver, corpus()[:3], tables=TABLES, run_id="loaded")
    before = graph(driver)
    bad = tmp_path / "nodes.csv"
    bad.write_text("id:ID\nsame\nsame\n", encoding="utf-8")  # a duplicate id stops the importer
    with pytest.raises(Neo4jServerError, match="import failed"):
        imported([(("Article",), bad)], [], array_delimiter=IMPORT_ARRAY_DELIMITER)
    assert status().running
    with open_driver() as after:
        assert graph(after) == before


def test_an_empty_input_imports_nothing_and_keeps_the_server_up(driver: neo4j.Driver) -> None:
    _wipe(driver)
    before = status().pid
    stats = import_archive(neo4j_settings(), [], tables=TABLES, run_id="imported")
    assert stats.articles == 0 and not stats.errors
    assert status().pid == before  # not stopped for nothing


def test_the_import_in_one_transaction_equals_the_merge_batches(driver: neo4j.Driver) -> None:
    articles = corpus()
    _wipe(driver)
    load_extractions(driver, articles, tables=TABLES, run_id="batches", articles_per_batch=50)
    batches = graph(driver)
    load_extractions(driver, articles[:20], tables=TABLES, run_id="again")  # articles loaded again, through the batches
    batches_again = graph(driver)
    _wipe(driver)
    stats = write_extractions(driver, reversed(articles), strategy=Strategy.IMPORT, tables=TABLES, run_id="created")
    assert stats.batches == 1 and stats.articles == len(articles)
    assert graph(driver) == batches
    load_extractions(driver, articles[:20], tables=TABLES, run_id="again")
    assert graph(driver) == batches_again


def test_the_import_in_one_transaction_refuses_a_graph_that_holds_articles(driver: neo4j.Driver) -> None:
    _wipe(driver)
    load_extractions(driver, corpus()[:3], tables=TABLES, run_id="loaded")
    before = graph(driver)
    with pytest.raises(LoadError, match="already holds articles"):
        write_extractions(driver, corpus()[3:6], strategy=Strategy.IMPORT, tables=TABLES, run_id="created")
    assert graph(driver) == before


def test_the_merge_strategy_never_creates_whole(driver: neo4j.Driver) -> None:
    """Into an empty graph too, the merge strategy writes its batches: the graph's state does not
    choose the strategy."""
    _wipe(driver)
    stats = write_extractions(driver, corpus()[:30], strategy=Strategy.MERGE, tables=TABLES, run_id="merged", articles_per_batch=10)
    assert stats.batches == 3
