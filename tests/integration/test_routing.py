"""kg through a ``neo4j://`` routing URI (a cluster's, Aura's), against the suite's own server: the
driver asks it for a routing table, reads go to its readers and writes to its writer; a bulk load
there says why it cannot import and writes in batched transactions instead."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.config import neo4j_settings
from kg.errors import QueryError
from kg.pipeline import import_refusal
from kg.graph.connect import open_driver
from kg.graph.results import run_read_query

pytestmark = pytest.mark.neo4j

SAMPLE = Path(__file__).resolve().parents[2] / "sample" / "articles"


def _routed() -> tuple[str, str]:
    """The suite's server as a routing URI, and its password."""
    local = neo4j_settings()
    assert local.password is not None
    return local.uri.replace("bolt://", "neo4j://"), local.password


def test_reads_go_to_readers_and_writes_to_the_writer(clean_db: None) -> None:
    settings = replace(neo4j_settings(), uri=_routed()[0], local=False)
    with open_driver(settings) as driver:
        driver.execute_query("CREATE (:RoutingProbe {n: 1})")  # a write: routed to the writer
        rows = run_read_query(driver, "MATCH (p:RoutingProbe) RETURN p.n AS n")  # a read session
        assert [r["n"] for r in rows.rows] == [1]
        assert isinstance(driver, neo4j.Neo4jDriver)  # the routing driver, not bolt://'s direct one
        (table,) = driver._pool.routing_tables.values()  # what it routes by: the server's answer
        assert table.readers and table.writers and table.routers
        with pytest.raises(QueryError, match="(?i)write"):  # a read session refuses writes wherever it lands
            run_read_query(driver, "CREATE (:RoutingProbe {n: 2})")


def test_a_bulk_load_on_a_routed_server_loads_in_transactions(clean_db: None, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    uri, password = _routed()
    assert "kg's own server" in (import_refusal(replace(neo4j_settings(), uri=uri, local=False)) or "")
    result = CliRunner().invoke(main, ["extract", str(SAMPLE), "--out", str(tmp_path / "parts")])
    assert result.exit_code == 0, result.output
    monkeypatch.setenv("NEO4J_URI", uri)
    monkeypatch.setenv("NEO4J_USER", "neo4j")
    monkeypatch.setenv("NEO4J_PASSWORD", password)
    result = CliRunner().invoke(main, ["load", "--bulk", str(tmp_path / "parts")])
    assert result.exit_code == 0, result.output
    assert "loading in batched transactions instead" in result.output
    with open_driver(replace(neo4j_settings(), uri=uri, local=False)) as driver:
        rows = run_read_query(driver, "MATCH (a:Article) RETURN count(a) AS n")
    assert rows.rows[0]["n"] == len([p for p in SAMPLE.rglob("*") if p.is_file()]) > 0
